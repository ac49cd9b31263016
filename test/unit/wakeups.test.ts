import { freshState, minute, target } from '../support/reducers';
import type { Decision, OrchestrationState } from '../../src/shared/schemas';
import { nextWake } from '../../src/shared/scheduler';

const at = (m: number) => Date.parse(minute(m));

/** A pending recovery decision that falls back to skip at `deadline`. */
const waitingUntil = (s: OrchestrationState, deadline: string): OrchestrationState => {
  const decision: Decision = { id: 'DEC_001', question: 'retry or skip?', rationale: '', status: 'pending', created: minute(0), session: 1, kind: 'recovery', taskId: 'TASK_001', deadline };
  return { ...s, decisions: [decision] };
};
/** Gardened at `m`, every ten minutes. */
const gardened = (m: number): OrchestrationState => ({
  ...freshState({ targets: [target('site')], gardenEverySeconds: 600 }),
  roadmap: { checked: minute(m), targets: [], open: [] },
});

describe('nextWake: the timer a wait needs', () => {
  it('needs none with no deadline and no targets: the wait is for a message alone', () => {
    expect(nextWake(freshState(), at(1), true)).toBeUndefined();
    expect(nextWake(gardened(0), at(1), false)).toBeUndefined();
  });

  it('wakes for a recovery deadline, in a session or idle', () => {
    const s = waitingUntil(freshState(), minute(5));
    expect(nextWake(s, at(1), false)).toEqual({ ms: 4 * 60_000, reason: 'deadline' });
    expect(nextWake(s, at(1), true)).toEqual({ ms: 4 * 60_000, reason: 'deadline' });
  });

  it('gardens on the timer only while idle, and takes whichever comes first', () => {
    expect(nextWake(gardened(0), at(1), true)).toEqual({ ms: 9 * 60_000, reason: 'garden' });
    expect(nextWake(waitingUntil(gardened(0), minute(5)), at(1), true)).toEqual({ ms: 4 * 60_000, reason: 'deadline' });
    expect(nextWake(waitingUntil(gardened(0), minute(30)), at(1), true)).toEqual({ ms: 9 * 60_000, reason: 'garden' });
  });

  it('never asks for a zero timer (Temporal reads it as none), even when something is overdue', () => {
    expect(nextWake(waitingUntil(freshState(), minute(1)), at(3), false)).toEqual({ ms: 1, reason: 'deadline' });
  });
});
