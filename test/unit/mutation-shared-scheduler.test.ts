import { addObjective } from '../../src/shared/state';
import { orchestrationSettled, rolloverDue } from '../../src/shared/scheduler';
import { freshState, minute } from '../support/reducers';

describe('orchestrationSettled', () => {
  it('is not settled while an objective still waits for its plan', () => {
    const s = addObjective(freshState(), { description: 'Write the about page' }, minute(1)).state;
    expect(s.objectives.map((o) => o.status)).toEqual(['pending']);
    expect(orchestrationSettled(s)).toBe(false);
    expect(orchestrationSettled(freshState())).toBe(true);
  });
});

describe('rolloverDue: the byte bound', () => {
  // Past the minimum events, with no suggestion and no configured threshold: only the bounds decide.
  const run = (historySize: number, maxAgents: number) => ({ historyLength: 1_000, suggested: false, historySize, stateBytes: 0, maxAgents });

  it('hands over alone at 3.6 MB: 4 MB less the 400 kB the session end may still add', () => {
    expect(rolloverDue(run(3_599_999, 0), undefined)).toBe(false);
    expect(rolloverDue(run(3_600_000, 0), undefined)).toBe(true);
  });

  it('leaves 24 kB more room per agent that may still report', () => {
    // Ten agents: 3.6 MB less 240 kB.
    expect(rolloverDue(run(3_359_999, 10), undefined)).toBe(false);
    expect(rolloverDue(run(3_360_000, 10), undefined)).toBe(true);
  });
});
