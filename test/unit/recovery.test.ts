import { agentOn, agentReport, freshState, minute, planObjective, plannedTask, planStreams, spawnChosen, target, taskOf } from '../support/reducers';
import { decide } from '../../src/shared/decisions';
import {
  expireDecisions,
  msUntilNextDeadline,
  recoveryPolicyFor,
  taskFailed,
} from '../../src/shared/recovery';
import { blockedTasks, readyTasks, tasksToStart } from '../../src/shared/scheduler';
import type { OrchestrationState } from '../../src/shared/schemas';
import { finishTask, setPhase } from '../../src/shared/state';

/** Fail the task as reported by the agent on it now. */
const fail = (s: OrchestrationState, taskId: string, reason: string, now = minute(2)) => taskFailed(s, taskId, agentOn(s, taskId), reason, now);
const names = (s: OrchestrationState, taskId: string) => s.agents.filter((a) => a.taskId === taskId).map((a) => a.name);
const ids = (tasks: { id: string }[]) => tasks.map((t) => t.id);

describe('recoveryPolicyFor', () => {
  const config = {
    recovery: { policy: 'escalate', timeoutSeconds: 60 },
    targets: [target('site', { recovery: { policy: 'retry', freshAgents: 3 } }), target('api')],
  };

  it("uses the task's own policy, else its target's, else the orchestration's", () => {
    let s = planStreams(freshState(config), [
      plannedTask('own', { stream: 'site:1.1', recovery: 'skip' }),
      plannedTask('site', { stream: 'site:1.2' }),
      plannedTask('api', { stream: 'api:1.1' }),
    ]);
    s = planObjective(s, [plannedTask('free')]);
    expect(s.tasks.map((t) => [t.id, recoveryPolicyFor(s, t)])).toEqual([
      // A stream's own action keeps its target's other settings.
      ['TASK_001', { policy: 'skip', freshAgents: 3 }],
      ['TASK_002', { policy: 'retry', freshAgents: 3 }],
      ['TASK_003', { policy: 'escalate', freshAgents: 1, timeoutSeconds: 60 }],
      ['TASK_004', { policy: 'escalate', freshAgents: 1, timeoutSeconds: 60 }],
    ]);
  });
});

describe('retry with a fresh agent', () => {
  const twoRetries = () => spawnChosen(planObjective(freshState({ recovery: { policy: 'retry', freshAgents: 2 } }), [plannedTask('a')]), 'TASK_001');

  it('sends the task back to pending for an agent that has not worked on it, and fails the agent', () => {
    const s = fail(twoRetries(), 'TASK_001', 'tests crash');
    expect(taskOf(s, 'TASK_001')).toMatchObject({
      status: 'pending',
      agentId: undefined,
      error: 'retrying with a fresh agent: tests crash',
      freshAgents: 1,
      excludeAgents: ['Forge'],
      feedback: ['tests crash'],
    });
    expect(s.agents[0]).toMatchObject({ name: 'Forge', status: 'failed', finished: minute(2), summary: 'tests crash' });
    expect(s.metrics.total_tasks_failed).toBe(0);
    expect(ids(readyTasks(s))).toEqual(['TASK_001']);
    expect(s.objectives[0]?.status).toBe('active');
  });

  it('never gives the task back to an agent that failed it, and skips it once the fresh agents are used', () => {
    let s = fail(twoRetries(), 'TASK_001', 'tests crash');
    s = fail(spawnChosen(s, 'TASK_001', minute(3)), 'TASK_001', 'tests crash again', minute(4));
    expect(taskOf(s, 'TASK_001')).toMatchObject({ status: 'pending', freshAgents: 2, excludeAgents: ['Forge', 'Byte'] });
    s = fail(spawnChosen(s, 'TASK_001', minute(5)), 'TASK_001', 'still crashing', minute(6));
    expect(names(s, 'TASK_001')).toEqual(['Forge', 'Byte', 'Ada']);
    expect(taskOf(s, 'TASK_001')).toMatchObject({ status: 'failed', skipped: 'still crashing (after 2 fresh agent(s))', completed: minute(6) });
    expect(s.metrics.total_tasks_failed).toBe(1);
    expect(s.objectives[0]?.status).toBe('failed');
  });
});

describe('skip', () => {
  /** TASK_002 depends on TASK_001; TASK_003 stands alone. */
  const chain = () => spawnChosen(planObjective(freshState(), [plannedTask('a'), plannedTask('b', { dependsOn: ['a'] }), plannedTask('c')]), 'TASK_001');

  it('fails the task with the reason, counts it, and keeps the rest of the objective going', () => {
    const s = fail(chain(), 'TASK_001', 'no such API');
    expect(taskOf(s, 'TASK_001')).toMatchObject({ status: 'failed', error: 'no such API', skipped: 'no such API', completed: minute(2) });
    expect(s.metrics.total_tasks_failed).toBe(1);
    expect(blockedTasks(s).map((b) => [b.task.id, b.blockedBy])).toEqual([['TASK_002', 'TASK_001']]);
    expect(ids(readyTasks(s))).toEqual(['TASK_003']);
    expect(s.objectives[0]?.status).toBe('active');
  });

  it('fails the objective once nothing left in it can run', () => {
    let s = fail(chain(), 'TASK_001', 'no such API');
    s = spawnChosen(s, 'TASK_003', minute(3));
    s = finishTask(s, 'TASK_003', agentOn(s, 'TASK_003'), agentReport(), minute(4));
    expect(s.objectives[0]?.status).toBe('failed');
  });
});

describe('escalate', () => {
  const escalating = (timeoutSeconds?: number) =>
    spawnChosen(
      planStreams(freshState({ targets: [target('site', { recovery: { policy: 'escalate', ...(timeoutSeconds ? { timeoutSeconds } : {}) } })] }), [
        plannedTask('s12', { stream: 'site:1.2' }),
        plannedTask('other'),
      ]),
      'TASK_001',
    );

  it('stops the task and asks a person to retry or skip, with no deadline by default', () => {
    const s = fail(escalating(), 'TASK_001', 'build broke');
    expect(taskOf(s, 'TASK_001')).toMatchObject({ status: 'stopped', hold: { kind: 'recovery', reason: 'build broke', decisionId: 'DEC_001' } });
    expect(s.decisions).toEqual([
      {
        id: 'DEC_001',
        question: 'TASK_001 (site:1.2) failed: build broke. Retry with a fresh agent, or skip it?',
        rationale: 'Answer with `baton decide <id> retry` or `baton decide <id> skip`.',
        status: 'pending',
        created: minute(2),
        session: 1,
        objectiveId: 'OBJ_001',
        kind: 'recovery',
        taskId: 'TASK_001',
        deadline: undefined,
      },
    ]);
    expect(s.counters.decision).toBe(1);
    expect(s.metrics.total_tasks_failed).toBe(0);
    expect(ids(tasksToStart(s, 'parallel', 3))).toEqual(['TASK_002']);
    expect(s.objectives[0]?.status).toBe('active');
    expect(msUntilNextDeadline(s, Date.parse(minute(3)))).toBeUndefined();
  });

  it('with a timeout, says when the task will be skipped without an answer', () => {
    const s = fail(escalating(600), 'TASK_001', 'build broke');
    expect(s.decisions[0]).toMatchObject({ deadline: minute(12), rationale: expect.stringContaining(`with no answer by ${minute(12)} it is skipped`) });
    expect(msUntilNextDeadline(s, Date.parse(minute(5)))).toBe(7 * 60_000);
    expect(msUntilNextDeadline(s, Date.parse(minute(20)))).toBe(0);
  });

  it('answered retry: the task waits for a fresh agent and a new session is asked for', () => {
    const s = decide(setPhase(fail(escalating(600), 'TASK_001', 'build broke'), 'idle'), { decisionId: 'DEC_001', choice: 'retry' }, minute(4));
    expect(taskOf(s, 'TASK_001')).toMatchObject({ status: 'pending', error: 'retrying with a fresh agent: build broke', freshAgents: 1, excludeAgents: ['Forge'] });
    expect(s.decisions[0]).toMatchObject({ status: 'made', choice: 'retry', decided: minute(4) });
    expect(s.resumeRequested).toBe(true);
    expect(msUntilNextDeadline(s, Date.parse(minute(5)))).toBeUndefined();
    const again = spawnChosen(s, 'TASK_001', minute(5));
    expect(names(again, 'TASK_001')).toEqual(['Forge', 'Byte']);
  });

  it('answered retry during a session: no new session is asked for', () => {
    const s = decide(setPhase(fail(escalating(), 'TASK_001', 'build broke'), 'orchestrating'), { decisionId: 'DEC_001', choice: 'retry' }, minute(4));
    expect(taskOf(s, 'TASK_001').status).toBe('pending');
    expect(s.resumeRequested).toBe(false);
  });

  it('answered skip: the task is skipped with the reason and the why', () => {
    const s = fail(escalating(), 'TASK_001', 'build broke');
    const skipped = decide(s, { decisionId: 'DEC_001', choice: 'skip', rationale: 'not needed now' }, minute(4));
    expect(taskOf(skipped, 'TASK_001')).toMatchObject({ status: 'failed', skipped: 'build broke (skipped: not needed now)', completed: minute(4) });
    expect(skipped.metrics).toMatchObject({ total_tasks_failed: 1, total_decisions_made: 1 });
    const silent = decide(s, { decisionId: 'DEC_001', choice: 'skip' }, minute(4));
    expect(taskOf(silent, 'TASK_001').skipped).toBe('build broke (skipped: a person chose to skip it)');
  });
});

describe('expireDecisions', () => {
  const waiting = () =>
    fail(spawnChosen(planObjective(freshState({ recovery: { policy: 'escalate', timeoutSeconds: 600 } }), [plannedTask('a')]), 'TASK_001'), 'TASK_001', 'build broke');

  it('leaves a decision alone before its deadline', () => {
    const s = waiting();
    expect(expireDecisions(s, minute(11))).toBe(s);
  });

  it('skips the task at the deadline, recorded as decided by the timeout', () => {
    const s = expireDecisions(waiting(), minute(12));
    expect(s.decisions[0]).toMatchObject({
      status: 'made',
      choice: 'skip',
      decided: minute(12),
      rationale: `no answer by ${minute(12)}: skipped by the recovery policy's timeout`,
    });
    expect(taskOf(s, 'TASK_001')).toMatchObject({ status: 'failed', skipped: `build broke (skipped: no answer by ${minute(12)})` });
    expect(s.metrics).toMatchObject({ total_decisions_made: 1, total_tasks_failed: 1 });
    expect(s.objectives[0]?.status).toBe('failed');
    expect(msUntilNextDeadline(s, Date.parse(minute(12)))).toBeUndefined();
  });

  it('expires a decision found after its deadline, and never one without a deadline or already answered', () => {
    expect(expireDecisions(waiting(), minute(30)).decisions[0]?.status).toBe('made');
    const answered = decide(waiting(), { decisionId: 'DEC_001', choice: 'retry' }, minute(3));
    expect(expireDecisions(answered, minute(30))).toBe(answered);
    const open = fail(spawnChosen(planObjective(freshState({ recovery: { policy: 'escalate' } }), [plannedTask('a')]), 'TASK_001'), 'TASK_001', 'x');
    expect(expireDecisions(open, minute(9999))).toBe(open);
  });
});

describe('msUntilNextDeadline', () => {
  it('counts down to the earliest pending deadline', () => {
    let s = planObjective(freshState({ recovery: { policy: 'escalate', timeoutSeconds: 600 } }), [plannedTask('a'), plannedTask('b')]);
    s = fail(spawnChosen(s, 'TASK_001'), 'TASK_001', 'x', minute(5));
    s = fail(spawnChosen(s, 'TASK_002'), 'TASK_002', 'y', minute(2));
    expect(s.decisions.map((d) => d.deadline)).toEqual([minute(15), minute(12)]);
    expect(msUntilNextDeadline(s, Date.parse(minute(10)))).toBe(2 * 60_000);
  });
});

describe('a stale failure', () => {
  it('is ignored once the task moved on, or for another agent', () => {
    const s = spawnChosen(planObjective(freshState({ recovery: { policy: 'retry' } }), [plannedTask('a')]), 'TASK_001');
    expect(taskFailed(s, 'TASK_001', 'AGENT_0009', 'late', minute(2))).toBe(s);
    expect(taskFailed(s, 'TASK_404', 'AGENT_0001', 'late', minute(2))).toBe(s);
    const retried = fail(s, 'TASK_001', 'boom');
    expect(taskFailed(retried, 'TASK_001', 'AGENT_0001', 'late', minute(3))).toBe(retried);
    const rerun = spawnChosen(retried, 'TASK_001', minute(3));
    expect(taskFailed(rerun, 'TASK_001', 'AGENT_0001', 'late', minute(4))).toBe(rerun);
  });
});
