import { budgetView } from './ledger';
import type { AgentReport, VerifyWorkInput, VerifyWorkResult } from './activity-types';
import { recordAgentReport } from './agent-results';
import { applyUsage } from './ledger';
import { taskFailed } from './recovery';
import { runtimeFor } from './roles';
import type { Agent, Metrics, OrchestrationState, Task } from './schemas';
import { taskTarget } from './targets';
import { landingTarget, taskWorktree } from './worktrees';
import { byId, replaceById } from './by-id';

/** `verifyWork` input when a report needs verifying: a finished, successful report on a task in a target; else undefined. */
export function verifyInput(state: OrchestrationState, task: Task, agent: Agent, report: AgentReport): VerifyWorkInput | undefined {
  // Tasks that run in a target are always verified there.
  const target = taskTarget(state.config, task);
  // A failure report goes to recovery and a budget stop waits for a person: neither has finished work to check.
  if (!target || report.status !== 'success' || report.stopReason !== 'done') return undefined;
  return {
    project: state.project,
    ...runtimeFor(state.config, 'reviewer'),
    taskId: task.id,
    agentName: agent.name,
    mission: task.mission.slice(0, 2000),
    round: task.rework ?? 0,
    // Gates and review run in the task's own worktree, on the diff from where it branched.
    ...worktreeOf(state, task, target.path),
    gates: target.gates,
    summary: report.summary,
    claims: report.claims,
    ...(budgetView(state, task) ? { budget: budgetView(state, task) } : {}),
  };
}

function worktreeOf(state: OrchestrationState, task: Task, repo: string): Pick<VerifyWorkInput, 'workspace' | 'integrationBranch'> {
  const tree = taskWorktree(state, task);
  const branch = landingTarget(state.config, task)?.integrationBranch;
  return tree && branch ? { workspace: tree.path, integrationBranch: branch } : { workspace: repo };
}

/** The one-line summary the Temporal UI shows on a `verifyWork` activity. */
export function verifySummary(task: Task, round: number): string {
  return `verify ${task.id}${task.stream ? ` (${task.stream})` : ''} · round ${round}`;
}

/** The task is being verified (it keeps its agent until the verdict). */
export function markVerifying(state: OrchestrationState, taskId: string): OrchestrationState {
  return { ...state, tasks: replaceById(state.tasks, taskId, (t) => ({ ...t, verifying: true })) };
}

/**
 * The verdict lands. Passed: the report is recorded as usual. Failed: the work goes back to the same agent
 * with the failures (rework) until `maxRework` rounds are used; then the recovery policy decides.
 */
export function applyVerification(
  state: OrchestrationState,
  taskId: string,
  agentId: string,
  report: AgentReport,
  result: VerifyWorkResult,
  now: string,
): OrchestrationState {
  const task = byId(state.tasks, taskId);
  if (!task || task.status !== 'running' || task.agentId !== agentId) return state;
  const verification = {
    passed: result.passed,
    gates: result.gates.map((g) => ({ name: g.name, passed: g.passed })),
    falseClaims: result.review.falseClaims.map((c) => c.slice(0, 300)),
    review: `${result.review.passed ? 'claims hold' : 'claims do not hold'} (${result.review.by})`,
    artifacts: [...result.gates.flatMap((g) => (g.output ? [g.output] : [])), ...(result.diff ? [result.diff] : [])],
  };
  let next = applyUsage(state, result.usage, { objectiveId: task.objectiveId, taskId });
  next = {
    ...next,
    tasks: replaceById(next.tasks, taskId, (t) => ({ ...t, verifying: undefined, verification })),
    metrics: { ...next.metrics, total_verifications: (next.metrics.total_verifications ?? 0) + 1 },
  };
  // Gate logs and the diff stay on `verification`: a task's artifacts are the workspace files dependents read.
  if (result.passed) return recordAgentReport(next, taskId, agentId, report, now);
  const failures = result.failures.map((f) => f.slice(0, 500)).slice(0, 20);
  next = applyUsage(next, report.usage, { objectiveId: task.objectiveId, taskId, agentId });
  // Work sent back is still work a person may want to read: keep its transcript and the model that did it.
  next = { ...next, agents: next.agents.map((a) => (a.id === agentId ? { ...a, transcript: report.transcript, model: report.usage?.model ?? a.model } : a)) };
  if ((task.rework ?? 0) >= next.config.maxRework) {
    const rounds = (task.rework ?? 0) + 1;
    return taskFailed(next, taskId, agentId, `verification failed ${rounds} time(s): ${failures.join('; ')}`.slice(0, 1000), now);
  }
  const agentName = byId(next.agents, agentId)?.name;
  return {
    ...next,
    agents: next.agents.map((a) => (a.id === agentId ? { ...a, status: 'completed', finished: now, summary: `sent back for rework: ${failures[0] ?? ''}`.slice(0, 500) } : a)),
    tasks: next.tasks.map(
      (t): Task =>
        t.id === taskId ? { ...t, status: 'pending', agentId: undefined, rework: (t.rework ?? 0) + 1, feedback: failures, preferredAgent: agentName } : t,
    ),
    metrics: { ...next.metrics, total_reworks: (next.metrics.total_reworks ?? 0) + 1 },
  };
}

/** Rework rate: rounds sent back per verification (0 when nothing was verified). */
export function reworkRate(metrics: Metrics): number {
  const verified = metrics.total_verifications ?? 0;
  return verified ? (metrics.total_reworks ?? 0) / verified : 0;
}
