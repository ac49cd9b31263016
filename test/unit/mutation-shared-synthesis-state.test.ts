import { sessionOutputs } from '../../src/shared/synthesis-state';
import type { Task } from '../../src/shared/schemas';
import { freshState, minute, planObjective, plannedTask } from '../support/reducers';

/** A state whose tasks a, b, c, d are set by hand to the given status and completion time. */
function withTasks(sessionStarted: string | undefined, ...tasks: Array<Pick<Task, 'status'> & { completed?: string }>) {
  const s = planObjective(freshState(), tasks.map((_, i) => plannedTask(`t${i}`)));
  const next = { ...s, tasks: s.tasks.map((t, i) => ({ ...t, ...tasks[i] })) };
  return { ...next, sessionStarted };
}

describe('sessionOutputs', () => {
  it('holds a task that finished at the very moment the session started', () => {
    const s = withTasks(minute(5), { status: 'completed', completed: minute(5) }, { status: 'failed', completed: minute(4) });
    expect(sessionOutputs(s).map((t) => t.id)).toEqual([s.tasks[0]!.id]);
  });

  it('with no session start, holds every finished task and no task that is still pending or running', () => {
    const s = withTasks(undefined, { status: 'pending' }, { status: 'completed', completed: minute(1) }, { status: 'running' }, { status: 'failed', completed: minute(2) });
    expect(s.sessionStarted).toBeUndefined();
    expect(sessionOutputs(s).map((t) => t.status)).toEqual(['completed', 'failed']);
  });
});
