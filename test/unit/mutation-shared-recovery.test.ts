import { escalateTask, expireDecisions, resolveRecovery, retryWithFreshAgent, taskFailed } from '../../src/shared/recovery';
import type { RecoveryPolicy } from '../../src/shared/targets';
import { agentItem, decisionItem, stateWith, taskItem } from '../support/state-items';
import { minute } from '../support/reducers';

const escalate: RecoveryPolicy = { policy: 'escalate', freshAgents: 1 };

describe('taskFailed', () => {
  it('ignores a failure reported for a task that already finished, even by its own agent', () => {
    const state = stateWith({
      tasks: [taskItem('TASK_001', { status: 'completed', agentId: 'AGENT_001', outcome: 'done' })],
      agents: [agentItem('AGENT_001', { status: 'completed' })],
    });
    expect(taskFailed(state, 'TASK_001', 'AGENT_001', 'late crash', minute(3))).toBe(state);
  });
});

describe('retryWithFreshAgent', () => {
  it('excludes only the agents that worked on this task', () => {
    const state = stateWith({
      tasks: [taskItem('TASK_001', { status: 'running', agentId: 'AGENT_001' }), taskItem('TASK_002', { status: 'running', agentId: 'AGENT_002' })],
      agents: [agentItem('AGENT_001', { name: 'Ada' }), agentItem('AGENT_002', { name: 'Bob', taskId: 'TASK_002' })],
    });
    const task = retryWithFreshAgent(state, 'TASK_001', 'tests fail').tasks[0];
    expect(task).toMatchObject({ status: 'pending', excludeAgents: ['Ada'], freshAgents: 1, error: 'retrying with a fresh agent: tests fail' });
  });
});

describe('escalateTask', () => {
  it("cuts the reason in the decision's question to 300 characters", () => {
    const state = stateWith({ tasks: [taskItem('TASK_001', { status: 'running', agentId: 'AGENT_001' })] });
    const next = escalateTask(state, 'TASK_001', 'r'.repeat(400), escalate, minute(2));
    expect(next.decisions[0]?.question).toBe(`TASK_001 failed: ${'r'.repeat(300)}. Retry with a fresh agent, or skip it?`);
  });

  it('ends a verification in progress when the task is held for a person', () => {
    const state = stateWith({ tasks: [taskItem('TASK_001', { status: 'running', agentId: 'AGENT_001', verifying: true })] });
    const task = escalateTask(state, 'TASK_001', 'gates fail', escalate, minute(2)).tasks[0];
    expect(task?.status).toBe('stopped');
    expect(task?.hold).toEqual({ kind: 'recovery', reason: 'gates fail', decisionId: 'DEC_001' });
    expect(task?.verifying).toBeUndefined();
  });
});

describe('resolveRecovery', () => {
  it('leaves a task that is no longer stopped alone', () => {
    const state = stateWith({ tasks: [taskItem('TASK_001', { status: 'pending' })] });
    expect(resolveRecovery(state, decisionItem('DEC_001', { kind: 'recovery', taskId: 'TASK_001' }), 'skip', 'no', minute(3))).toBe(state);
  });

  it("skips a stopped task with neither hold nor error as 'failed'", () => {
    const state = stateWith({ tasks: [taskItem('TASK_001', { status: 'stopped' })] });
    const task = resolveRecovery(state, decisionItem('DEC_001', { kind: 'recovery', taskId: 'TASK_001' }), 'skip', 'not needed', minute(3)).tasks[0];
    expect(task).toMatchObject({ status: 'failed', error: 'failed (skipped: not needed)', skipped: 'failed (skipped: not needed)' });
  });

  it('asks a paused orchestration to resume when a person chooses retry', () => {
    const hold = { kind: 'recovery' as const, reason: 'tests fail', decisionId: 'DEC_001' };
    const state = stateWith({ phase: 'paused', resumeRequested: false, tasks: [taskItem('TASK_001', { status: 'stopped', hold })] });
    const next = resolveRecovery(state, decisionItem('DEC_001', { kind: 'recovery', taskId: 'TASK_001' }), 'retry', 'try again', minute(3));
    expect(next.tasks[0]?.status).toBe('pending');
    expect(next.resumeRequested).toBe(true);
  });
});

describe('expireDecisions', () => {
  it('marks only the decision whose deadline passed as made', () => {
    const hold = (id: string) => ({ kind: 'recovery' as const, reason: 'tests fail', decisionId: id });
    const state = stateWith({
      tasks: [taskItem('TASK_001', { status: 'stopped', hold: hold('DEC_001') }), taskItem('TASK_002', { status: 'stopped', hold: hold('DEC_002') })],
      decisions: [
        decisionItem('DEC_001', { kind: 'recovery', taskId: 'TASK_001', deadline: minute(2) }),
        decisionItem('DEC_002', { kind: 'recovery', taskId: 'TASK_002', deadline: minute(9) }),
      ],
    });
    const next = expireDecisions(state, minute(3));
    expect(next.decisions.map((d) => [d.id, d.status, d.choice])).toEqual([
      ['DEC_001', 'made', 'skip'],
      ['DEC_002', 'pending', undefined],
    ]);
    expect(next.tasks.map((t) => t.status)).toEqual(['failed', 'stopped']);
  });
});
