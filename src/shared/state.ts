import type { AgentReport, PlannedTask } from './activity-types';
import { byId, replaceById } from './by-id';
import * as L from './lifecycle';
import { limitsOf } from './limits';
import { NO_SPEND } from './schemas';
import type {
  AddObjectiveInput,
  Agent,
  Objective,
  OrchestrationConfig,
  OrchestrationState,
  Insight,
  Phase,
  RecordInsightInput,
  RuntimeName,
  Task,
} from './schemas';

/** Insights an imported context file brings at most (a state's own cap is `limitsOf(state).insights`). */
export const MAX_INSIGHTS = 200;

/** The state's insights with `added` appended, keeping the most recent (what prompts and reports use) up to its limit. */
export function keptInsights(state: OrchestrationState, added: Insight[]): Insight[] {
  return [...state.insights, ...added].slice(-limitsOf(state).insights);
}

/** Syntheses kept in state; older ones live in the persisted context only. */
export const MAX_SYNTHESES = 20;

/** `OBJ_001`, `TASK_012`, `AGENT_0003`: the seed-002 id style. */
export function formatId(prefix: string, n: number, width = 3): string {
  return `${prefix}_${String(n).padStart(width, '0')}`;
}

/** A fresh orchestration with nothing planned yet. */
export function initialState(project: string, config: OrchestrationConfig, now: string): OrchestrationState {
  return {
    version: L.STATE_VERSION,
    project,
    created: now,
    session: 0,
    config,
    phase: 'context',
    paused: false,
    resumeRequested: false,
    objectives: [],
    tasks: [],
    agents: [],
    decisions: [],
    insights: [],
    syntheses: [],
    metrics: {
      total_sessions: 0,
      total_agents_spawned: 0,
      total_tasks_completed: 0,
      total_tasks_failed: 0,
      total_decisions_made: 0,
    },
    counters: { objective: 0, task: 0, agent: 0, decision: 0 },
    roster: {},
    spent: NO_SPEND,
    continuing: false,
    archived: { tasks: 0, agents: 0 },
  };
}

/** Record which phase the orchestration is in. */
export function setPhase(state: OrchestrationState, phase: Phase): OrchestrationState {
  return state.phase === phase ? state : { ...state, phase };
}

/** Phase 1: a new session begins; counts it and clears a pending resume. */
export function beginSession(state: OrchestrationState, now: string): OrchestrationState {
  return {
    ...state,
    session: state.session + 1,
    sessionStarted: now,
    resumeRequested: false,
    metrics: { ...state.metrics, total_sessions: state.metrics.total_sessions + 1 },
  };
}

/** Add a person's objective; it waits for planning. */
export function addObjective(
  state: OrchestrationState,
  input: AddObjectiveInput,
  now: string,
): { state: OrchestrationState; objective: Objective } {
  const n = state.counters.objective + 1;
  const objective: Objective = {
    id: formatId('OBJ', n),
    description: input.description,
    status: 'pending',
    created: now,
    session: state.session,
    budget: input.budget,
    spent: NO_SPEND,
    ...(input.streams ? { streams: input.streams } : {}),
    ...(input.consensus ? { consensus: input.consensus } : {}),
  };
  return {
    objective,
    state: { ...state, objectives: [...state.objectives, objective], counters: { ...state.counters, objective: n } },
  };
}

/** Planning has started for these objectives. */
export function markPlanning(state: OrchestrationState, objectiveIds: string[]): OrchestrationState {
  const ids = new Set(objectiveIds);
  return { ...state, objectives: state.objectives.map((o): Objective => (ids.has(o.id) ? { ...o, status: 'planning' } : o)) };
}

/** Turn a validated plan into tasks, mapping plan keys to task ids. */
export function applyPlan(
  state: OrchestrationState,
  objectiveId: string,
  plan: PlannedTask[],
  now: string,
): OrchestrationState {
  let counter = state.counters.task;
  // Work no stream covers (a goal that matched none) runs in targets.yaml's `default_target`, when there is one.
  const fallback = state.config.targets.find((t) => t.isDefault)?.name;
  const idByKey = new Map<string, string>();
  for (const planned of plan) idByKey.set(planned.key, formatId('TASK', ++counter));
  const tasks: Task[] = plan.map((planned) => ({
    id: idByKey.get(planned.key) as string,
    objectiveId,
    key: planned.key,
    role: planned.role,
    mission: planned.mission,
    successCriteria: planned.successCriteria,
    dependsOn: planned.dependsOn.map((key) => idByKey.get(key) ?? key),
    status: 'pending',
    attempts: 0,
    created: now,
    source: 'planner',
    artifacts: [],
    spent: NO_SPEND,
    ...(planned.lead ? { lead: planned.lead } : {}),
    ...(planned.stream ? { stream: planned.stream, target: planned.stream.slice(0, planned.stream.indexOf(':')) } : fallback ? { target: fallback } : {}),
  }));
  const objectives = state.objectives.map((o): Objective =>
    o.id === objectiveId ? { ...o, status: tasks.length ? 'active' : 'completed' } : o,
  );
  return { ...state, objectives, tasks: [...state.tasks, ...tasks], counters: { ...state.counters, task: counter } };
}

/** Planning failed for good: the objective is marked failed with the reason. */
export function failObjective(state: OrchestrationState, objectiveId: string, error: string): OrchestrationState {
  return {
    ...state,
    objectives: state.objectives.map((o): Objective => (o.id === objectiveId ? { ...o, status: 'failed', error } : o)),
  };
}

/** Phase 3: an agent is spawned for a task. */
export function startTask(
  state: OrchestrationState,
  taskId: string,
  spawn: { name: string; runtime: RuntimeName; simulated: boolean; model?: string },
  now: string,
): { state: OrchestrationState; agent: Agent } {
  const task = mustFind(state.tasks, taskId);
  const n = state.counters.agent + 1;
  const agent: Agent = {
    id: formatId('AGENT', n, 4),
    name: spawn.name,
    role: task.role,
    mission: task.mission,
    taskId,
    runtime: spawn.runtime,
    simulated: spawn.simulated,
    status: 'running',
    spawned: now,
    model: spawn.model,
    spent: NO_SPEND,
  };
  const next = updateTask(state, taskId, (t) => L.runTask(t, agent.id, now));
  return {
    agent,
    state: {
      ...next,
      agents: [...next.agents, agent],
      counters: { ...next.counters, agent: n },
      metrics: { ...next.metrics, total_agents_spawned: next.metrics.total_agents_spawned + 1 },
    },
  };
}

/** An agent returned its report; a stale one (task no longer running, or run by another agent now) is ignored. */
export function finishTask(state: OrchestrationState, taskId: string, agentId: string, report: AgentReport, now: string): OrchestrationState {
  const task = mustFind(state.tasks, taskId);
  if (task.status !== 'running' || task.agentId !== agentId) return state;
  if (report.status === 'failure') return failTask(state, taskId, agentId, report.summary, now);
  const agentName = byId(state.agents, task.agentId)?.name ?? 'agent';
  let next = updateTask(state, taskId, (t) => L.completeTask(t, now, report.summary, report.artifacts));
  next = updateAgent(next, task.agentId, { status: 'completed', finished: now, summary: report.summary });
  next = {
    ...next,
    insights: keptInsights(next, report.insights.map((text) => ({ text, source: agentName, recorded: now, taskId }))),
    metrics: { ...next.metrics, total_tasks_completed: next.metrics.total_tasks_completed + 1 },
  };
  return refreshObjectives(next);
}

/** An agent failed after its retries; dependents stay blocked. A stale failure is ignored like a stale report. */
export function failTask(state: OrchestrationState, taskId: string, agentId: string, error: string, now: string): OrchestrationState {
  const task = mustFind(state.tasks, taskId);
  if (task.status !== 'running' || task.agentId !== agentId) return state;
  let next = updateTask(state, taskId, (t) => L.failTask(t, now, error));
  next = updateAgent(next, task.agentId, { status: 'failed', finished: now, summary: error });
  next = { ...next, metrics: { ...next.metrics, total_tasks_failed: next.metrics.total_tasks_failed + 1 } };
  return refreshObjectives(next);
}

/** A person completes a task by hand (seed 002 `complete TASK_ID "outcome"`); a running agent on it is stopped. */
export function completeTask(
  state: OrchestrationState,
  input: { taskId: string; outcome: string },
  now: string,
): { state: OrchestrationState; cancel: string[] } {
  const task = mustFind(state.tasks, input.taskId);
  const cancel = task.status === 'running' && task.agentId ? [task.agentId] : [];
  let next = updateTask(state, input.taskId, (t) => L.completeTask(t, now, input.outcome));
  if (cancel.length) next = updateAgent(next, task.agentId, { status: 'stopped', finished: now, summary: 'task completed by a person' });
  next = { ...next, metrics: { ...next.metrics, total_tasks_completed: next.metrics.total_tasks_completed + 1 } };
  return { state: refreshObjectives(next), cancel };
}

/** Why `completeTask` cannot apply, or undefined when it can. */
export function completeTaskProblem(state: OrchestrationState, taskId: string): string | undefined {
  const task = byId(state.tasks, taskId);
  if (!task) return `taskId: no task ${taskId} in project ${state.project}`;
  if (task.status === 'completed') return `taskId: ${taskId} is already completed`;
  return undefined;
}

/** A person's (or agent's) lesson. */
export function recordInsight(state: OrchestrationState, input: RecordInsightInput, now: string): OrchestrationState {
  return { ...state, insights: keptInsights(state, [{ text: input.text, source: input.source ?? 'person', recorded: now }]) };
}

/** Stop one agent, or the whole orchestration (immediately or gracefully); returns the agents to cancel. */
export function requestStop(
  state: OrchestrationState,
  input: { graceful?: boolean; agentId?: string },
  now: string,
): { state: OrchestrationState; cancel: string[] } {
  if (input.agentId) {
    const agent = mustFind(state.agents, input.agentId);
    return { state: stopAgent(state, agent.id, now, 'stopped by a person'), cancel: [agent.id] };
  }
  const graceful = input.graceful ?? false;
  // Between sessions there is nothing to wind down: the orchestration rests paused at once.
  if (state.phase === 'idle' || state.phase === 'paused') return { state: { ...state, paused: true, stop: undefined, phase: 'paused' }, cancel: [] };
  const stopped: OrchestrationState = { ...state, paused: true, stop: { graceful, requested: now } };
  if (graceful) return { state: stopped, cancel: [] };
  const running = state.agents.filter((a) => a.status === 'running').map((a) => a.id);
  return { state: running.reduce((s, id) => stopAgent(s, id, now, 'orchestration stopped'), stopped), cancel: running };
}

/** Why `stop` cannot apply, or undefined when it can. */
export function stopProblem(state: OrchestrationState, agentId: string | undefined): string | undefined {
  if (!agentId) return undefined;
  const agent = byId(state.agents, agentId);
  if (!agent) return `agentId: no agent ${agentId} in project ${state.project}`;
  if (agent.status !== 'running') return `agentId: ${agentId} (${agent.name}) is not running (${agent.status})`;
  return undefined;
}

/** Resume after a stop: stopped tasks become pending again; a new session is due unless one is running. */
export function resume(state: OrchestrationState): OrchestrationState {
  const resting = state.phase === 'idle' || state.phase === 'paused';
  return {
    ...state,
    paused: false,
    stop: undefined,
    resumeRequested: resting || state.paused,
    // A task waiting for a person's recovery decision keeps waiting: only `decide` (or its timeout) frees it.
    // So does a consensus task waiting for a person's answer (src/shared/consensus.ts).
    tasks: state.tasks.map((t): Task => (L.freedByResume(t) && !awaitsAnswer(state, t) ? L.releaseTask(t) : t)),
  };
}

function awaitsAnswer(state: OrchestrationState, t: Task): boolean {
  return !!t.hold?.decisionId && state.decisions.some((d) => d.id === t.hold?.decisionId && d.kind === 'consensus' && d.status === 'pending');
}

/** Objectives whose tasks have all settled become completed or failed. */
export function refreshObjectives(state: OrchestrationState): OrchestrationState {
  // One pass groups the tasks, rather than one scan of every task per objective.
  const byObjective = new Map<string, Task[]>();
  for (const t of state.tasks) {
    if (t.objectiveId === undefined) continue;
    const list = byObjective.get(t.objectiveId);
    if (list) list.push(t);
    else byObjective.set(t.objectiveId, [t]);
  }
  let changed = false;
  const objectives = state.objectives.map((o): Objective => {
    const status = objectiveStatus(state, o, byObjective.get(o.id) ?? []);
    if (status === o.status) return o;
    changed = true;
    return { ...o, status };
  });
  return changed ? { ...state, objectives } : state;
}

function objectiveStatus(state: OrchestrationState, o: Objective, tasks: Task[]): Objective['status'] {
  // A failed objective comes back when a person completes the task that failed it.
  if (o.status !== 'active' && !(o.status === 'failed' && tasks.length)) return o.status;
  if (tasks.every((t) => t.status === 'completed')) return 'completed';
  if (tasks.some((t) => t.status === 'running' || isReachable(state, t))) return 'active';
  return 'failed';
}

function isReachable(state: OrchestrationState, task: Task): boolean {
  if (task.status !== 'pending' && task.status !== 'stopped') return false;
  return task.dependsOn.every((id) => {
    const dep = byId(state.tasks, id);
    return !dep || dep.status === 'completed' || dep.status === 'running' || isReachable(state, dep);
  });
}

function stopAgent(state: OrchestrationState, agentId: string, now: string, why: string): OrchestrationState {
  const agent = mustFind(state.agents, agentId);
  const next = updateAgent(state, agentId, { status: 'stopped', finished: now, summary: why });
  return updateTask(next, agent.taskId, (t) => (t.status === 'running' ? L.holdTask(t, { kind: 'person', reason: why }) : t));
}

/** `state` with one task replaced by `change(task)`. */
export function updateTask(state: OrchestrationState, taskId: string, change: (t: Task) => Task): OrchestrationState {
  const tasks = replaceById(state.tasks, taskId, change);
  return tasks === state.tasks ? state : { ...state, tasks };
}

function updateAgent(state: OrchestrationState, agentId: string | undefined, patch: Partial<Agent>): OrchestrationState {
  return { ...state, agents: replaceById(state.agents, agentId, (a) => ({ ...a, ...patch })) };
}

function mustFind<T extends { id: string }>(items: T[], id: string): T {
  const found = byId(items, id);
  if (!found) throw new Error(`no ${id} in state`);
  return found;
}
