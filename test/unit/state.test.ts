import { agentReport, byId, failRunning, finishRunning } from '../support/reducers';
import type { PlannedTask } from '../../src/shared/activity-types';
import { OrchestrationConfig, type OrchestrationState, type Role } from '../../src/shared/schemas';
import {
  addObjective,
  applyPlan,
  beginSession,
  completeTask,
  completeTaskProblem,
  failTask,
  finishTask,
  failObjective,
  initialState,
  markPlanning,
  recordInsight,
  requestStop,
  resume,
  setPhase,
  startTask,
  stopProblem,
} from '../../src/shared/state';

const T0 = '2025-01-01T00:00:00.000Z';
const config = OrchestrationConfig.parse({});
const spawn = { name: 'Ada', runtime: 'scripted', simulated: true } as const;

const planned = (key: string, dependsOn: string[] = [], role: Role = 'developer'): PlannedTask => ({
  key,
  role,
  mission: `do ${key}`,
  dependsOn,
  successCriteria: [],
});
const report = agentReport;

/** A session-1 state with one objective planned into `plan` (via the reducers). */
function withPlan(plan: PlannedTask[], state = beginSession(initialState('demo', config, T0), T0)): OrchestrationState {
  const added = addObjective(state, { description: 'Ship the signup form' }, T0);
  return applyPlan(markPlanning(added.state, [added.objective.id]), added.objective.id, plan, T0);
}
const start = (state: OrchestrationState, taskId: string) => startTask(state, taskId, spawn, T0).state;
const statusOf = (s: OrchestrationState, id: string) => byId(s.tasks, id).status;
const objective = (s: OrchestrationState, id = 'OBJ_001') => byId(s.objectives, id);

describe('ids and planning', () => {
  it('numbers objectives, tasks, agents in seed-002 style and maps plan keys to task ids', () => {
    let s = withPlan([planned('research'), planned('build', ['research'])]);
    s = withPlan([planned('review', ['build'])], s);
    expect(s.objectives.map((o) => o.id)).toEqual(['OBJ_001', 'OBJ_002']);
    expect(s.tasks.map((t) => [t.id, t.objectiveId, t.dependsOn])).toEqual([
      ['TASK_001', 'OBJ_001', []],
      ['TASK_002', 'OBJ_001', ['TASK_001']],
      ['TASK_003', 'OBJ_002', ['build']],
    ]);
    const started = startTask(s, 'TASK_001', spawn, T0);
    expect(started.agent).toMatchObject({ id: 'AGENT_0001', role: 'developer', taskId: 'TASK_001', status: 'running' });
    expect(startTask(started.state, 'TASK_003', spawn, T0).agent.id).toBe('AGENT_0002');
  });

  it('marks planned objectives active, an empty plan completed and a failed planning failed with its reason', () => {
    expect(objective(withPlan([planned('a')])).status).toBe('active');
    expect(objective(withPlan([])).status).toBe('completed');
    const added = addObjective(initialState('demo', config, T0), { description: 'x' }, T0);
    expect(objective(added.state).status).toBe('pending');
    expect(objective(markPlanning(added.state, ['OBJ_001'])).status).toBe('planning');
    expect(objective(failObjective(added.state, 'OBJ_001', 'plan invalid'))).toMatchObject({ status: 'failed', error: 'plan invalid' });
  });

  it('counts sessions and clears a pending resume when a session begins', () => {
    const s = beginSession(beginSession({ ...initialState('demo', config, T0), resumeRequested: true }, T0), T0);
    expect(s).toMatchObject({ session: 2, resumeRequested: false, metrics: { total_sessions: 2 } });
  });
});

describe('agent reports', () => {
  it('completes the task, records outcome, artifacts and the agent’s insights, and counts it', () => {
    let s = start(withPlan([planned('a'), planned('b')]), 'TASK_001');
    s = finishRunning(s, 'TASK_001', report('done a', { artifacts: ['a.md'], insights: ['cache it'] }), T0);
    expect(byId(s.tasks, 'TASK_001')).toMatchObject({ status: 'completed', outcome: 'done a', artifacts: ['a.md'], attempts: 1 });
    expect(byId(s.agents, 'AGENT_0001')).toMatchObject({ status: 'completed', summary: 'done a' });
    expect(s.insights).toEqual([{ text: 'cache it', source: 'Ada', recorded: T0, taskId: 'TASK_001' }]);
    expect(s.metrics).toMatchObject({ total_agents_spawned: 1, total_tasks_completed: 1, total_tasks_failed: 0 });
    expect(objective(s).status).toBe('active');
  });

  it('fails the task on a failure report and counts it', () => {
    let s = start(withPlan([planned('a')]), 'TASK_001');
    s = finishRunning(s, 'TASK_001', report('could not', { status: 'failure' }), T0);
    expect(byId(s.tasks, 'TASK_001')).toMatchObject({ status: 'failed', error: 'could not' });
    expect(byId(s.agents, 'AGENT_0001').status).toBe('failed');
    expect(s.metrics).toMatchObject({ total_tasks_completed: 0, total_tasks_failed: 1 });
  });

  it('ignores a stale report or failure for a task that is no longer running', () => {
    const stopped = requestStop(start(withPlan([planned('a')]), 'TASK_001'), {}, T0).state;
    expect(finishRunning(stopped, 'TASK_001', report('late'), T0)).toBe(stopped);
    expect(failRunning(stopped, 'TASK_001', 'late', T0)).toBe(stopped);
  });

  it("ignores a late report from a stopped agent once the task runs under a new agent", () => {
    let s = start(withPlan([planned('a')]), 'TASK_001');
    s = resume(requestStop(s, { agentId: 'AGENT_0001' }, T0).state);
    s = start(s, 'TASK_001');
    expect(finishTask(s, 'TASK_001', 'AGENT_0001', report('late'), T0)).toBe(s);
    expect(failTask(s, 'TASK_001', 'AGENT_0001', 'late', T0)).toBe(s);
    const done = finishTask(s, 'TASK_001', 'AGENT_0002', report('fresh'), T0);
    expect(byId(done.tasks, 'TASK_001')).toMatchObject({ status: 'completed', outcome: 'fresh' });
  });

  it('completes the objective when all its tasks complete', () => {
    let s = withPlan([planned('a'), planned('b', ['a'])]);
    s = finishRunning(start(s, 'TASK_001'), 'TASK_001', report('a'), T0);
    s = finishRunning(start(s, 'TASK_002'), 'TASK_002', report('b'), T0);
    expect(objective(s).status).toBe('completed');
    expect(s.metrics.total_tasks_completed).toBe(2);
  });

  it('keeps the objective active while an independent task can still run, and fails it when nothing is reachable', () => {
    let s = withPlan([planned('a'), planned('b', ['a']), planned('c')]);
    s = failRunning(start(s, 'TASK_001'), 'TASK_001', 'boom', T0);
    expect(objective(s).status).toBe('active');
    s = finishRunning(start(s, 'TASK_003'), 'TASK_003', report('c'), T0);
    expect(objective(s).status).toBe('failed');
  });
});

describe('completing a task by hand', () => {
  it('returns the running agent to cancel and stops it', () => {
    const r = completeTask(start(withPlan([planned('a')]), 'TASK_001'), { taskId: 'TASK_001', outcome: 'done by hand' }, T0);
    expect(r.cancel).toEqual(['AGENT_0001']);
    expect(byId(r.state.tasks, 'TASK_001')).toMatchObject({ status: 'completed', outcome: 'done by hand' });
    expect(byId(r.state.agents, 'AGENT_0001').status).toBe('stopped');
    expect(objective(r.state).status).toBe('completed');
    expect(r.state.metrics.total_tasks_completed).toBe(1);
  });

  it('cancels nothing for a pending task', () => {
    expect(completeTask(withPlan([planned('a')]), { taskId: 'TASK_001', outcome: 'ok' }, T0).cancel).toEqual([]);
  });

  it('names unknown and already-completed tasks', () => {
    const s = completeTask(withPlan([planned('a')]), { taskId: 'TASK_001', outcome: 'ok' }, T0).state;
    expect(completeTaskProblem(s, 'TASK_009')).toBe('taskId: no task TASK_009 in project demo');
    expect(completeTaskProblem(s, 'TASK_001')).toBe('taskId: TASK_001 is already completed');
    expect(completeTaskProblem(withPlan([planned('a')]), 'TASK_001')).toBeUndefined();
  });

  it('revives an objective once a person completes the failed task that blocked it', () => {
    let s = withPlan([planned('a'), planned('b', ['a'])]);
    s = failRunning(start(s, 'TASK_001'), 'TASK_001', 'boom', T0);
    expect(objective(s).status).toBe('failed');
    s = completeTask(s, { taskId: 'TASK_001', outcome: 'fixed by hand' }, T0).state;
    s = finishRunning(start(s, 'TASK_002'), 'TASK_002', report('b'), T0);
    expect(s.tasks.every((t) => t.status === 'completed')).toBe(true);
    expect(objective(s).status).toBe('completed');
  });
});

describe('stop and resume', () => {
  const twoRunning = () => start(start(withPlan([planned('a'), planned('b'), planned('c')]), 'TASK_001'), 'TASK_002');

  it('immediate stop cancels every running agent, stops their tasks and pauses', () => {
    const r = requestStop(twoRunning(), {}, T0);
    expect(r.cancel).toEqual(['AGENT_0001', 'AGENT_0002']);
    expect(r.state.tasks.map((t) => t.status)).toEqual(['stopped', 'stopped', 'pending']);
    expect(r.state.agents.map((a) => a.status)).toEqual(['stopped', 'stopped']);
    expect(r.state).toMatchObject({ paused: true, stop: { graceful: false } });
  });

  it('graceful stop cancels nothing and pauses while agents keep running', () => {
    const r = requestStop(twoRunning(), { graceful: true }, T0);
    expect(r.cancel).toEqual([]);
    expect(r.state.tasks.map((t) => t.status)).toEqual(['running', 'running', 'pending']);
    expect(r.state).toMatchObject({ paused: true, stop: { graceful: true } });
  });

  it('stopping one agent stops only its task and does not pause', () => {
    const r = requestStop(twoRunning(), { agentId: 'AGENT_0002' }, T0);
    expect(r.cancel).toEqual(['AGENT_0002']);
    expect(r.state.tasks.map((t) => t.status)).toEqual(['running', 'stopped', 'pending']);
    expect(r.state.agents.map((a) => a.status)).toEqual(['running', 'stopped']);
    expect(r.state.paused).toBe(false);
    expect(r.state.stop).toBeUndefined();
  });

  it('names unknown and not-running agents', () => {
    const s = requestStop(twoRunning(), { agentId: 'AGENT_0002' }, T0).state;
    expect(stopProblem(s, 'AGENT_0009')).toBe('agentId: no agent AGENT_0009 in project demo');
    expect(stopProblem(s, 'AGENT_0002')).toBe('agentId: AGENT_0002 (Ada) is not running (stopped)');
    expect(stopProblem(s, 'AGENT_0001')).toBeUndefined();
    expect(stopProblem(s, undefined)).toBeUndefined();
  });

  it('resume turns stopped tasks pending and asks for a session when paused', () => {
    const s = resume(setPhase(requestStop(twoRunning(), {}, T0).state, 'paused'));
    expect(s.tasks.map((t) => [t.status, t.agentId])).toEqual([
      ['pending', undefined],
      ['pending', undefined],
      ['pending', undefined],
    ]);
    expect(s).toMatchObject({ paused: false, stop: undefined, resumeRequested: true });
  });

  it('resume asks for a session when idle but not in the middle of a running session', () => {
    const oneStopped = setPhase(requestStop(twoRunning(), { agentId: 'AGENT_0001' }, T0).state, 'orchestrating');
    const during = resume(oneStopped);
    expect(during.resumeRequested).toBe(false);
    expect(statusOf(during, 'TASK_001')).toBe('pending');
    expect(resume(setPhase(oneStopped, 'idle')).resumeRequested).toBe(true);
  });
});

describe('insights', () => {
  it('records a person’s insight, defaulting the source', () => {
    let s = recordInsight(initialState('demo', config, T0), { text: 'users prefer email' }, T0);
    s = recordInsight(s, { text: 'mobile first', source: 'Grace' }, T0);
    expect(s.insights).toEqual([
      { text: 'users prefer email', source: 'person', recorded: T0 },
      { text: 'mobile first', source: 'Grace', recorded: T0 },
    ]);
  });
});
