import type { AgentReport, GoalInterpretation, PlannedTask, Usage } from '../../src/shared/activity-types';
import { chooseAgent, claimAgent } from '../../src/shared/roster';
import { type Budget, OrchestrationConfig, type OrchestrationState, type Task } from '../../src/shared/schemas';
import { applyStreamPlan } from '../../src/shared/streams';
import { addObjective, applyPlan, beginSession, failTask, finishTask, initialState, markPlanning, startTask } from '../../src/shared/state';

const currentAgent = (s: OrchestrationState, taskId: string) => s.tasks.find((t) => t.id === taskId)?.agentId ?? '';

/** `finishTask` as reported by the agent currently on the task. */
export function finishRunning(s: OrchestrationState, taskId: string, report: AgentReport, now: string): OrchestrationState {
  return finishTask(s, taskId, currentAgent(s, taskId), report, now);
}

/** `failTask` as reported by the agent currently on the task. */
export function failRunning(s: OrchestrationState, taskId: string, error: string, now: string): OrchestrationState {
  return failTask(s, taskId, currentAgent(s, taskId), error, now);
}

/** A successful scripted agent report, with any fields overridden. */
export function agentReport(summary = 'done', extra: Partial<AgentReport> = {}): AgentReport {
  return { status: 'success', summary, artifacts: [], claims: [], insights: [], followUps: [], simulated: true, runtime: 'scripted', durationMs: 1, stopReason: 'done', reflections: [], ...extra };
}

// ---- builders for the roster, ledger, decision and agent-result tests ----

/** A timestamp `minute` minutes into 2025, so ordering by time is visible in tests. */
export const minute = (m: number): string => new Date(Date.UTC(2025, 0, 1, 0, m)).toISOString();

/** A planned task `do <key>` for a developer, with any fields overridden. */
export function plannedTask(key: string, extra: Partial<PlannedTask> = {}): PlannedTask {
  return { key, role: 'developer', mission: `do ${key}`, dependsOn: [], successCriteria: [], ...extra };
}

/** A session-1 orchestration (config overrides applied) with nothing planned yet. */
export function freshState(config: Record<string, unknown> = {}): OrchestrationState {
  return beginSession(initialState('demo', OrchestrationConfig.parse(config), minute(0)), minute(0));
}

/** Add an objective (with an optional budget) and plan it into `plan`. */
export function planObjective(state: OrchestrationState, plan: PlannedTask[], budget?: Budget): OrchestrationState {
  const added = addObjective(state, { description: `objective ${state.counters.objective + 1}`, ...(budget ? { budget } : {}) }, minute(0));
  return applyPlan(markPlanning(added.state, [added.objective.id]), added.objective.id, plan, minute(0));
}

/** Spawn an agent for a task the way the workflow does: choose a name, claim it, start the task. */
export function spawnChosen(state: OrchestrationState, taskId: string, now = minute(1)): OrchestrationState {
  const task = taskOf(state, taskId);
  const { name } = chooseAgent(state, task);
  return startTask(claimAgent(state, name, task.role, now), taskId, { name, runtime: 'scripted', simulated: true }, now).state;
}

/** Usage of one priced call, with any fields overridden. */
export function usageOf(extra: Partial<Usage> = {}): Usage {
  return { model: 'claude-test', inputTokens: 100, outputTokens: 50, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.01, priced: true, ...extra };
}

// ---- builders for targets, work streams, recovery and verification ----

/** A target `name` with its repository at /repo/<name>, as `targets.yaml` gives it, with any fields overridden. */
export function target(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, path: `/repo/${name}`, roadmap: `/repo/${name}/ROADMAP.md`, devLog: `/repo/${name}/DEVLOG.md`, ...extra };
}

/** Add an objective and plan it the way the workflow does with targets: through `applyStreamPlan`. */
export function planStreams(state: OrchestrationState, plan: PlannedTask[], interpretation?: GoalInterpretation, now = minute(0)): OrchestrationState {
  const added = addObjective(state, { description: `objective ${state.counters.objective + 1}` }, now);
  return applyStreamPlan(markPlanning(added.state, [added.objective.id]), added.objective.id, plan, interpretation, now);
}

/** The item with this id (throws when there is none, so a test fails with its name). */
export function byId<T extends { id: string }>(items: T[], id: string): T {
  const found = items.find((i) => i.id === id);
  if (!found) throw new Error(`test: no ${id}`);
  return found;
}

/** The task with this id (throws when there is none). */
export const taskOf = (state: OrchestrationState, taskId: string): Task => byId(state.tasks, taskId);

/** The id of the agent currently on a task. */
export const agentOn = (state: OrchestrationState, taskId: string): string => currentAgent(state, taskId);
