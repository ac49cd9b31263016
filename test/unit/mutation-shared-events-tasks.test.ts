import { eventsBetween } from '../../src/shared/events';
import type { Task } from '../../src/shared/schemas';
import { agentItem, decisionItem, spend, stateWith, taskItem } from '../support/state-items';

// Exactly which events a change to agents and tasks means (src/shared/events.ts). Every state is built inside its test.

const verdict = (passed: boolean, gates: [string, boolean][], falseClaims: string[] = []): NonNullable<Task['verification']> => ({
  passed,
  gates: gates.map(([name, ok]) => ({ name, passed: ok })),
  falseClaims,
  review: '',
  artifacts: [],
});

describe('agent events', () => {
  it('a spawned agent is told once, with the first line of its mission and its task’s attempt, model, rework, target and stream', () => {
    const task = taskItem('TASK_001', { status: 'running', attempts: 2, rework: 1, target: 'site', stream: 'site:1.2' });
    const prev = stateWith({ tasks: [task] });
    const next = { ...prev, agents: [agentItem('AGENT_0001', { mission: 'Build the menu\nwith prices', model: 'claude-x' })] };
    expect(eventsBetween(prev, next)).toEqual([
      {
        type: 'agent.spawned',
        agentId: 'AGENT_0001',
        name: 'Ada',
        role: 'developer',
        taskId: 'TASK_001',
        mission: 'Build the menu',
        runtime: 'scripted',
        simulated: true,
        attempt: 2,
        model: 'claude-x',
        rework: 1,
        target: 'site',
        stream: 'site:1.2',
      },
    ]);
  });

  it('an agent spawned in front of the others is told as spawned; the ones that moved are not told again', () => {
    const old = agentItem('AGENT_0001', { status: 'completed' });
    const prev = stateWith({ agents: [old] });
    const next = { ...prev, agents: [agentItem('AGENT_0002', { name: 'Bo', taskId: 'TASK_009' }), old] };
    expect(eventsBetween(prev, next).map((e) => [e.type, 'agentId' in e ? e.agentId : undefined])).toEqual([['agent.spawned', 'AGENT_0002']]);
  });

  it('a running agent whose spend changes is not told as finished', () => {
    const prev = stateWith({ agents: [agentItem('AGENT_0001')] });
    const next = { ...prev, agents: [agentItem('AGENT_0001', { spent: spend(99, 2) })] };
    expect(eventsBetween(prev, next)).toEqual([]);
  });

  it('a finished agent that changes again is not told as finished twice', () => {
    const prev = stateWith({ agents: [agentItem('AGENT_0001', { status: 'completed', summary: 'done' })] });
    const next = { ...prev, agents: [agentItem('AGENT_0001', { status: 'completed', summary: 'done', transcript: 't.jsonl' })] };
    expect(eventsBetween(prev, next)).toEqual([]);
  });

  it('agents that finish are told as completed, failed or stopped, with a default text when they left no summary', () => {
    const ids = ['AGENT_0001', 'AGENT_0002', 'AGENT_0003'];
    const prev = stateWith({ agents: ids.map((id) => agentItem(id)) });
    const next = { ...prev, agents: [agentItem(ids[0]!, { status: 'completed' }), agentItem(ids[1]!, { status: 'failed' }), agentItem(ids[2]!, { status: 'stopped' })] };
    const common = { name: 'Ada', role: 'developer', taskId: 'TASK_001', costUsd: 0.5, tokens: 10 };
    expect(eventsBetween(prev, next)).toEqual([
      { type: 'agent.completed', agentId: ids[0], ...common, summary: '' },
      { type: 'agent.failed', agentId: ids[1], ...common, error: 'failed' },
      { type: 'agent.stopped', agentId: ids[2], ...common, reason: 'stopped' },
    ]);
  });
});

describe('verification and rework events', () => {
  it('a failed verification names the failed gates and false claims, separated by "; ", with the agent and stream', () => {
    const prev = stateWith({ tasks: [taskItem('TASK_001', { status: 'running', agentId: 'AGENT_0001', stream: 'site:1' })] });
    const v = verdict(false, [['lint', true], ['test', false]], ['claimed docs']);
    const next = { ...prev, tasks: [{ ...prev.tasks[0]!, verification: v }] };
    expect(eventsBetween(prev, next)).toEqual([{ type: 'verification.failed', taskId: 'TASK_001', agentId: 'AGENT_0001', stream: 'site:1', reason: 'gate test failed; claimed docs' }]);
  });

  it('a failed verification with nothing named says "verification failed"', () => {
    const prev = stateWith({ tasks: [taskItem('TASK_001', { status: 'running' })] });
    const next = { ...prev, tasks: [{ ...prev.tasks[0]!, verification: verdict(false, [['lint', true]]) }] };
    expect(eventsBetween(prev, next)).toEqual([{ type: 'verification.failed', taskId: 'TASK_001', reason: 'verification failed' }]);
  });

  it('a passed verification is told with the agent and stream', () => {
    const prev = stateWith({ tasks: [taskItem('TASK_001', { status: 'running', agentId: 'AGENT_0001', stream: 'site:1' })] });
    const next = { ...prev, tasks: [{ ...prev.tasks[0]!, verification: verdict(true, [['lint', true]]) }] };
    expect(eventsBetween(prev, next)).toEqual([{ type: 'verification.passed', taskId: 'TASK_001', agentId: 'AGENT_0001', stream: 'site:1' }]);
  });

  it('a rework round without a verdict gives "verification failed" as its reason', () => {
    const prev = stateWith({ tasks: [taskItem('TASK_001')] });
    const next = { ...prev, tasks: [taskItem('TASK_001', { rework: 1 })] };
    expect(eventsBetween(prev, next)).toEqual([{ type: 'rework', taskId: 'TASK_001', round: 1, reason: 'verification failed' }]);
  });
});

describe('blocker events', () => {
  it('a task the recovery policy skipped is told once as a blocker with why', () => {
    const prev = stateWith({ tasks: [taskItem('TASK_001', { status: 'running', stream: 'site:1' })] });
    const skipped = { ...prev, tasks: [taskItem('TASK_001', { status: 'failed', stream: 'site:1', skipped: 'retries spent' })] };
    expect(eventsBetween(prev, skipped)).toEqual([{ type: 'blocker', taskId: 'TASK_001', reason: 'skipped: retries spent', stream: 'site:1' }]);
    const later = { ...skipped, tasks: [{ ...skipped.tasks[0]!, logged: true }] };
    expect(eventsBetween(skipped, later)).toEqual([]);
  });

  it('a task held for a person names the pending decision about that task, not an answered one or another task’s', () => {
    const decisions = [
      decisionItem('DEC_001', { kind: 'recovery', taskId: 'TASK_001', status: 'made', choice: 'retry' }),
      decisionItem('DEC_002', { kind: 'recovery', taskId: 'TASK_002' }),
      decisionItem('DEC_003', { kind: 'escalation', taskId: 'TASK_003' }),
      decisionItem('DEC_004', { kind: 'recovery', taskId: 'TASK_001' }),
    ];
    const prev = stateWith({ tasks: [taskItem('TASK_001', { status: 'running' })], decisions });
    const hold = { kind: 'recovery' as const, reason: 'agent failed' };
    const next = { ...prev, tasks: [taskItem('TASK_001', { status: 'stopped', hold })] };
    const [blocker] = eventsBetween(prev, next);
    expect(blocker).toMatchObject({ type: 'blocker', taskId: 'TASK_001', decisionId: 'DEC_004' });
  });

  it('a task held by an escalation names the pending escalation that has no task', () => {
    const decisions = [decisionItem('DEC_001', { kind: 'recovery', taskId: 'TASK_002' }), decisionItem('DEC_002', { kind: 'escalation' })];
    const prev = stateWith({ tasks: [taskItem('TASK_001', { status: 'running' })], decisions });
    const next = { ...prev, tasks: [taskItem('TASK_001', { status: 'stopped', hold: { kind: 'escalation', reason: 'stuck' } })] };
    expect(eventsBetween(prev, next)).toEqual([{ type: 'blocker', taskId: 'TASK_001', reason: 'waiting for a person: stuck', decisionId: 'DEC_002' }]);
  });

  it('a task already held for a person is not told as a blocker again when it changes', () => {
    const hold = { kind: 'recovery' as const, reason: 'agent failed' };
    const prev = stateWith({ tasks: [taskItem('TASK_001', { status: 'stopped', hold })] });
    const next = { ...prev, tasks: [taskItem('TASK_001', { status: 'stopped', hold, logged: true })] };
    expect(eventsBetween(prev, next)).toEqual([]);
  });
});
