import { agentReport, byId, freshState, minute, planObjective, plannedTask, spawnChosen, usageOf } from '../support/reducers';
import { recordAgentReport } from '../../src/shared/agent-results';
import { tasksToStart } from '../../src/shared/scheduler';
import { NO_SPEND, type Budget, type OrchestrationState } from '../../src/shared/schemas';
import { requestStop, resume } from '../../src/shared/state';

const used = usageOf({ model: 'claude-sonnet', inputTokens: 300, outputTokens: 200, costUsd: 0.02 });
const spent = { tokens: 500, costUsd: 0.02, unpricedTokens: 0 };

/** OBJ_001: research (Aria) → build (Forge, depends on research) and docs; research already done by Aria. */
function researchDone(orchestration: Budget = {}, objective?: Budget): OrchestrationState {
  let s = planObjective(freshState({ budget: orchestration }), [
    plannedTask('research', { role: 'researcher', mission: 'Research payment providers' }),
    plannedTask('build', { dependsOn: ['research'], mission: 'Build the checkout flow' }),
    plannedTask('docs'),
  ], objective);
  s = spawnChosen(s, 'TASK_001');
  return recordAgentReport(s, 'TASK_001', 'AGENT_0001', agentReport('Stripe fits'), minute(2));
}
const building = (orchestration?: Budget, objective?: Budget) => spawnChosen(researchDone(orchestration, objective), 'TASK_002', minute(3));

describe('a successful report', () => {
  const report = agentReport('Checkout built', { usage: used, transcript: 'ART_7', insights: ['webhooks retry'], reflections: ['test refunds earlier'] });

  it('completes the task and the agent, keeping the transcript and the model that ran', () => {
    const s = recordAgentReport(building(), 'TASK_002', 'AGENT_0002', report, minute(9));
    expect(byId(s.tasks, 'TASK_002')).toMatchObject({ status: 'completed', outcome: 'Checkout built', completed: minute(9) });
    expect(byId(s.agents, 'AGENT_0002')).toMatchObject({ status: 'completed', transcript: 'ART_7', model: 'claude-sonnet' });
    expect(s.metrics.total_tasks_completed).toBe(2);
  });

  it('records the spend on the orchestration, objective, task, agent and named agent', () => {
    const s = recordAgentReport(building(), 'TASK_002', 'AGENT_0002', report, minute(9));
    expect([s.spent, byId(s.objectives, 'OBJ_001').spent, byId(s.tasks, 'TASK_002').spent, byId(s.agents, 'AGENT_0002').spent, s.roster.Forge?.spent]).toEqual([
      spent,
      spent,
      spent,
      spent,
      spent,
    ]);
    expect(s.roster.Aria?.spent).toEqual(NO_SPEND);
  });

  it('lets the agent remember the work and whose work it built on', () => {
    const forge = recordAgentReport(building(), 'TASK_002', 'AGENT_0002', report, minute(9)).roster.Forge;
    expect(forge).toMatchObject({
      tasksCompleted: 1,
      history: [{ taskId: 'TASK_002', objectiveId: 'OBJ_001', mission: 'Build the checkout flow', outcome: 'Checkout built', completed: minute(9) }],
      memory: {
        insights: ['webhooks retry'],
        reflections: ['test refunds earlier'],
        relationships: [{ agent: 'Aria', note: "built on Aria's work for TASK_002" }],
      },
    });
  });

  it('asks a person when this work spent the budget, and starts nothing more', () => {
    const s = recordAgentReport(building({ maxTokens: 500 }), 'TASK_002', 'AGENT_0002', report, minute(9));
    expect(byId(s.tasks, 'TASK_002').status).toBe('completed');
    expect(s.decisions).toEqual([expect.objectContaining({ kind: 'budget', status: 'pending', objectiveId: undefined })]);
    expect(tasksToStart(s, 'parallel', 3)).toEqual([]);
  });
});

describe('a failure report', () => {
  it('fails the task, still records the spend, and leaves nothing in memory', () => {
    const s = recordAgentReport(building(), 'TASK_002', 'AGENT_0002', agentReport('no API key', { status: 'failure', usage: used }), minute(9));
    expect(byId(s.tasks, 'TASK_002')).toMatchObject({ status: 'failed', error: 'no API key', skipped: 'no API key', spent });
    expect(s.spent).toEqual(spent);
    expect(s.roster.Forge).toMatchObject({ tasksCompleted: 0, history: [], spent });
  });
});

describe('a failure report under the recovery policy', () => {
  const failing = (recovery: Record<string, unknown>) => {
    let s = planObjective(freshState({ recovery }), [plannedTask('build')]);
    s = spawnChosen(s, 'TASK_001');
    return recordAgentReport(s, 'TASK_001', 'AGENT_0001', agentReport('no API key', { status: 'failure', usage: used, transcript: 'ART_3' }), minute(9));
  };

  it('is skipped by default: the task fails with the reason as why it was skipped', () => {
    const s = failing({ policy: 'skip' });
    expect(byId(s.tasks, 'TASK_001')).toMatchObject({ status: 'failed', error: 'no API key', skipped: 'no API key' });
    expect(byId(s.agents, 'AGENT_0001')).toMatchObject({ status: 'failed', summary: 'no API key', transcript: 'ART_3' });
  });

  it('under retry, goes back to pending for a different agent', () => {
    const s = failing({ policy: 'retry' });
    expect(byId(s.tasks, 'TASK_001')).toMatchObject({ status: 'pending', excludeAgents: ['Forge'], spent });
    expect(tasksToStart(s, 'parallel', 3).map((t) => t.id)).toEqual(['TASK_001']);
    expect(spawnChosen(s, 'TASK_001', minute(10)).agents.map((a) => a.name)).toEqual(['Forge', 'Byte']);
  });

  it('under escalate, waits for a person and starts nothing in its place', () => {
    const s = failing({ policy: 'escalate' });
    expect(byId(s.tasks, 'TASK_001').status).toBe('stopped');
    expect(s.decisions).toEqual([expect.objectContaining({ kind: 'recovery', taskId: 'TASK_001', status: 'pending' })]);
    expect(tasksToStart(s, 'parallel', 3)).toEqual([]);
  });
});

describe('a budget stop', () => {
  const ranOut = agentReport('stopped at turn 4', { stopReason: 'budget', usage: used, transcript: 'ART_9' });

  it('leaves the task stopped for the budget, stops the agent and asks a person to raise or stop', () => {
    const s = recordAgentReport(building({ maxTokens: 500 }), 'TASK_002', 'AGENT_0002', ranOut, minute(9));
    expect(byId(s.tasks, 'TASK_002')).toMatchObject({ status: 'stopped', hold: { kind: 'budget', reason: 'stopped at turn 4', decisionId: 'DEC_001' }, spent });
    expect(byId(s.tasks, 'TASK_002').error).toBeUndefined();
    expect(byId(s.agents, 'AGENT_0002')).toMatchObject({ status: 'stopped', finished: minute(9), summary: 'stopped at turn 4', transcript: 'ART_9' });
    expect(s.decisions).toEqual([expect.objectContaining({ id: 'DEC_001', kind: 'budget', status: 'pending', created: minute(9) })]);
    expect(s.metrics).toMatchObject({ total_tasks_completed: 1, total_tasks_failed: 0 });
    expect(s.roster.Forge).toMatchObject({ tasksCompleted: 0, spent });
    expect(byId(s.objectives, 'OBJ_001').status).toBe('active');
  });

  it("asks about the objective's budget when that is the one spent", () => {
    const s = recordAgentReport(building({}, { maxUsd: 0.02 }), 'TASK_002', 'AGENT_0002', ranOut, minute(9));
    expect(s.decisions).toEqual([expect.objectContaining({ kind: 'budget', objectiveId: 'OBJ_001' })]);
    expect(tasksToStart(s, 'parallel', 3)).toEqual([]);
  });

  it('asks once however many agents run out of the same budget', () => {
    let s = spawnChosen(building({ maxTokens: 500 }), 'TASK_003', minute(4));
    s = recordAgentReport(s, 'TASK_002', 'AGENT_0002', ranOut, minute(9));
    s = recordAgentReport(s, 'TASK_003', 'AGENT_0003', ranOut, minute(9));
    expect(s.tasks.map((t) => t.status)).toEqual(['completed', 'stopped', 'stopped']);
    expect(s.decisions.map((d) => d.id)).toEqual(['DEC_001']);
    expect(s.spent.tokens).toBe(1000);
  });
});

describe('a stale report', () => {
  it('is ignored once the task was stopped, or is run by another agent now', () => {
    const stopped = requestStop(building(), { agentId: 'AGENT_0002' }, minute(5)).state;
    const late = agentReport('late', { usage: used });
    expect(recordAgentReport(stopped, 'TASK_002', 'AGENT_0002', late, minute(9))).toBe(stopped);
    const rerun = spawnChosen(resume(stopped), 'TASK_002', minute(6));
    expect(recordAgentReport(rerun, 'TASK_002', 'AGENT_0002', late, minute(9))).toBe(rerun);
  });

  it('is ignored for an unknown task or agent', () => {
    const s = building();
    expect(recordAgentReport(s, 'TASK_404', 'AGENT_0002', agentReport(), minute(9))).toBe(s);
    expect(recordAgentReport(s, 'TASK_002', 'AGENT_9999', agentReport(), minute(9))).toBe(s);
  });
});
