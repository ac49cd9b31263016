import type { AgentReport, PlannedTask, SpawnAgentInput, Usage } from './activity-types';
import { agentInput } from './activity-inputs';
import { type CompareReportsInput, type ConsensusAnswer, consensusRoleProblem } from './consensus-spec';
import { applyFailedUsage, applyUsage, budgetView, raiseBudgetDecisions } from './ledger';
import * as L from './lifecycle';
import { taskFailed } from './recovery';
import { runtimeFor } from './roles';
import { chooseAgent, claimAgent, rememberWork } from './roster';
import type { Agent, OrchestrationState, Task } from './schemas';
import { formatId, keptInsights, updateTask } from './state';


/** Longest answer a member's summary is cut to for the comparison's input. */
const MAX_ANSWER = 4000;
const clip = (text: string, n = MAX_ANSWER): string => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** One consensus run of a task: which attempt it is and the agents it asked. */
export interface ConsensusRun {
  taskId: string;
  attempt: number;
  agentIds: string[];
}

/** Whether the run is still the task's live one (a stop, a person's completion or a newer attempt makes it stale). */
export function runIsLive(state: OrchestrationState, run: ConsensusRun): boolean {
  const task = state.tasks.find((t) => t.id === run.taskId);
  return !!task && task.status === 'running' && task.attempts === run.attempt;
}

/**
 * Consensus settings for the tasks a plan just made (from index `from`): the plan's own, else the objective's
 * (`baton objective --consensus`), else the role's config. Objective and role settings skip roles that write files.
 */
export function applyConsensusSettings(state: OrchestrationState, objectiveId: string, plan: readonly PlannedTask[], from: number): OrchestrationState {
  const objective = state.objectives.find((o) => o.id === objectiveId);
  const planned = new Map(plan.map((p) => [p.key, p.consensus]));
  let changed = false;
  const tasks = state.tasks.map((t, i): Task => {
    // A lead task delegates to its own team: consensus is for tasks one agent would otherwise answer.
    if (i < from || t.objectiveId !== objectiveId || t.consensus || t.lead) return t;
    const inherited = consensusRoleProblem(t.role) ? undefined : (objective?.consensus ?? state.config.roles[t.role]?.consensus);
    const spec = planned.get(t.key) ?? inherited;
    if (!spec) return t;
    changed = true;
    return { ...t, consensus: spec };
  });
  return changed ? { ...state, tasks } : state;
}

/** Start a consensus task: N agents with distinct names (never one already on it), each with its own model when given. */
export function startConsensus(state: OrchestrationState, taskId: string, now: string): { state: OrchestrationState; run: ConsensusRun; agents: Agent[] } {
  const task = state.tasks.find((t) => t.id === taskId);
  if (!task?.consensus) throw new Error(`${taskId} is not a consensus task`);
  const { runtime, model } = runtimeFor(state.config, task.role);
  let next = state;
  const agents: Agent[] = [];
  for (let i = 0; i < task.consensus.agents; i++) {
    // Agents just added are running, so chooseAgent counts them busy: every member gets its own name.
    const { name } = chooseAgent(next, { ...task, preferredAgent: i === 0 ? task.preferredAgent : undefined });
    next = claimAgent(next, name, task.role, now);
    const n = next.counters.agent + 1;
    const agent: Agent = {
      id: formatId('AGENT', n, 4),
      name,
      role: task.role,
      mission: task.mission,
      taskId,
      runtime,
      simulated: runtime === 'scripted',
      status: 'running',
      spawned: now,
      model: task.consensus.models?.[i] ?? model,
      spent: { tokens: 0, costUsd: 0, unpricedTokens: 0 },
    };
    agents.push(agent);
    next = { ...next, agents: [...next.agents, agent], counters: { ...next.counters, agent: n } };
  }
  next = updateTask(next, taskId, (t) => L.runTask(t, agents[0]?.id ?? '', now));
  next = { ...next, metrics: { ...next.metrics, total_agents_spawned: next.metrics.total_agents_spawned + agents.length } };
  const attempt = next.tasks.find((t) => t.id === taskId)?.attempts ?? 0;
  return { state: next, run: { taskId, attempt, agentIds: agents.map((a) => a.id) }, agents };
}

/** A member's `spawnAgent` input: its own model; no worktree (consensus roles do not write; nothing of theirs lands). */
export function memberInput(state: OrchestrationState, agent: Agent, task: Task): SpawnAgentInput {
  const input = agentInput(state, agent, task);
  const target = input.target?.worktree ? { ...input.target, path: input.target.worktree.repo, worktree: undefined } : input.target;
  // The task's share of the budget is split among the members that spend at once, so together they keep within it.
  const together = Math.min(task.consensus?.agents ?? 1, state.config.mode === 'sequential' ? 1 : state.config.maxAgents);
  const budget = input.budget && together > 1 ? splitBudget(input.budget, together) : input.budget;
  return { ...input, ...(agent.model ? { model: agent.model } : {}), ...(target ? { target } : {}), ...(budget ? { budget } : {}) };
}

function splitBudget(view: NonNullable<SpawnAgentInput['budget']>, n: number): NonNullable<SpawnAgentInput['budget']> {
  return {
    ...view,
    ...(view.maxTokens === undefined ? {} : { maxTokens: view.spentTokens + Math.floor((view.maxTokens - view.spentTokens) / n) }),
    ...(view.maxUsd === undefined ? {} : { maxUsd: view.spentUsd + Math.floor(((view.maxUsd - view.spentUsd) / n) * 1e6) / 1e6 }),
  };
}

/** A member's report lands: spend is billed; its agent completes (and remembers the work) or fails. The task waits for the comparison. */
export function recordVote(state: OrchestrationState, run: ConsensusRun, agentId: string, report: AgentReport, now: string): OrchestrationState {
  const task = state.tasks.find((t) => t.id === run.taskId);
  const agent = state.agents.find((a) => a.id === agentId);
  if (!task || !agent) return state;
  let next = applyUsage(state, report.usage, { objectiveId: task.objectiveId, taskId: task.id, agentId });
  const ok = report.status === 'success' && report.stopReason === 'done';
  const status = agent.status !== 'running' ? agent.status : ok ? 'completed' : report.stopReason === 'budget' ? 'stopped' : 'failed';
  next = {
    ...next,
    agents: next.agents.map((a) => (a.id === agentId ? { ...a, status, finished: a.finished ?? now, summary: report.summary, transcript: report.transcript, model: report.usage?.model ?? a.model } : a)),
  };
  if (!ok || !runIsLive(next, run)) return raiseBudgetDecisions(next, now);
  next = { ...next, insights: keptInsights(next, report.insights.map((text) => ({ text, source: agent.name, recorded: now, taskId: task.id }))) };
  return raiseBudgetDecisions(rememberWork(next, agent.name, task, report, now), now);
}

/** A member's attempt ended in an error: its spend is billed as failed and the agent is marked failed (or stopped when cancelled). */
export function voteFailed(state: OrchestrationState, run: ConsensusRun, agentId: string, f: { cancelled: boolean; message: string; usage?: Usage }, now: string): OrchestrationState {
  const task = state.tasks.find((t) => t.id === run.taskId);
  const next = applyFailedUsage(state, f.usage, { objectiveId: task?.objectiveId, taskId: run.taskId, agentId });
  const status = f.cancelled ? ('stopped' as const) : ('failed' as const);
  return { ...next, agents: next.agents.map((a) => (a.id === agentId && a.status === 'running' ? { ...a, status, finished: now, summary: f.message } : a)) };
}

/** `compareReports` input from the members that answered; undefined when none did (nothing to compare). */
export function compareInput(state: OrchestrationState, run: ConsensusRun, answers: ConsensusAnswer[]): CompareReportsInput | undefined {
  const task = state.tasks.find((t) => t.id === run.taskId);
  if (!task || !answers.length) return undefined;
  const budget = budgetView(state, task);
  return {
    project: state.project,
    ...runtimeFor(state.config, 'synthesizer'),
    taskId: task.id,
    mission: task.mission,
    agents: run.agentIds.length,
    answers: answers.map((a) => ({ ...a, summary: clip(a.summary) })),
    ...(budget ? { budget } : {}),
  };
}

/** No member answered: the task goes to its recovery policy like any failed task (or to a person, for a failure only a person can fix). */
export function consensusFailed(state: OrchestrationState, run: ConsensusRun, reason: string, now: string): OrchestrationState {
  const task = state.tasks.find((t) => t.id === run.taskId);
  if (!task || !runIsLive(state, run) || !task.agentId) return state;
  return taskFailed(state, task.id, task.agentId, `no consensus agent answered: ${reason}`, now);
}
