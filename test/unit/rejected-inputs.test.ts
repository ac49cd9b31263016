import { addObjectiveSignal, MAX_REJECTED_INPUTS, showInput, stopSignal } from '../../src/shared/rejected-inputs';
import { freshState } from '../support/reducers';
import { beginSession, startTask } from '../../src/shared/state';
import { planObjective, plannedTask } from '../support/reducers';

const NOW = '2025-03-01T12:00:00.000Z';

describe('signals as pure reducers', () => {
  it('applies a good addObjective signal like the update', () => {
    const r = addObjectiveSignal(freshState(), [{ description: 'Ship the docs', budget: { maxUsd: 2 } }], NOW);
    expect(r.rejected).toBeUndefined();
    expect(r.state.objectives).toMatchObject([{ id: 'OBJ_001', description: 'Ship the docs', status: 'pending', budget: { maxUsd: 2 } }]);
    expect(r.state.rejectedInputs).toBeUndefined();
  });

  it.each([
    ['no input at all', [], 'input: '],
    ['a typo in the field', [{ descripton: 'x' }], 'unknown field(s) "descripton"'],
    ['an empty description', [{ description: '' }], 'description: description must not be empty'],
    ['a bad stream ref', [{ description: 'x', streams: ['site-1.2'] }], 'streams.0: a stream must look like site:1.2'],
    ['two arguments', [{ description: 'a' }, { description: 'b' }], 'input: expected one JSON object, got 2 arguments'],
  ])('records a bad addObjective (%s) with the reason, the input and the time, and changes nothing else', (_what, args, reason) => {
    const before = freshState();
    const r = addObjectiveSignal(before, args, NOW);
    expect(r.rejected).toContain(reason);
    expect(r.state.objectives).toEqual([]);
    expect(r.state.rejectedInputs).toEqual([{ kind: 'signal', name: 'addObjective', reason: r.rejected, input: showInput(args.length > 1 ? args : args[0]), received: NOW }]);
    expect({ ...r.state, rejectedInputs: undefined }).toEqual({ ...before, rejectedInputs: undefined });
  });

  it('treats a stop signal with no input (the UI with an empty field) as an immediate stop', () => {
    let s = planObjective(beginSession(freshState(), NOW), [plannedTask('a')]);
    s = startTask(s, 'TASK_001', { name: 'Ada', runtime: 'scripted', simulated: true }, NOW).state;
    for (const args of [[], [null], [{}]]) {
      const r = stopSignal(s, args, NOW);
      expect(r).toMatchObject({ cancel: ['AGENT_0001'], state: { paused: true, stop: { graceful: false } } });
      expect(r.rejected).toBeUndefined();
    }
    expect(stopSignal(s, [{ graceful: true }], NOW)).toMatchObject({ cancel: [], state: { stop: { graceful: true } } });
  });

  it('records a stop for an agent that is not running instead of throwing', () => {
    const r = stopSignal(freshState(), [{ agentId: 'AGENT_0007' }], NOW);
    expect(r.cancel).toEqual([]);
    expect(r.state.paused).toBe(false);
    expect(r.state.rejectedInputs?.[0]).toMatchObject({ name: 'stop', reason: 'agentId: no agent AGENT_0007 in project demo' });
  });

  it('keeps only the most recent rejected inputs, and cuts long inputs', () => {
    let s = freshState();
    for (let i = 0; i < MAX_REJECTED_INPUTS + 3; i++) s = addObjectiveSignal(s, [{ description: '', n: i }], NOW).state;
    expect(s.rejectedInputs).toHaveLength(MAX_REJECTED_INPUTS);
    expect(s.rejectedInputs?.[0]?.input).toBe('{"description":"","n":3}');
    const long = addObjectiveSignal(s, [{ description: 'x'.repeat(5000) }], NOW).state.rejectedInputs?.at(-1);
    expect(long?.reason).toBe('description: description must be at most 2000 characters');
    expect(long?.input.length).toBe(301);
  });
});
