import type { AgentReport, VerifyWorkResult } from './activity-types';
import type { Agent, OrchestrationState, Task } from './schemas';
import { authorFor } from './target-git';
import { applyVerification } from './verification';
import { branchName, landingTarget, setLanding, taskWorktree, type LandingTarget, type TaskWorktree } from './worktrees';
import { byId } from './by-id';

/** `landWork` input: the verified worktree, who did the work and where it goes. */
export interface LandWorkInput {
  project: string;
  /** The orchestration's workflow id, for the `Baton-Orchestration` trailer. */
  orchestration: string;
  taskId: string;
  stream?: string;
  /** The commit subject: the stream or task title. */
  title: string;
  /** The agent's summary, the commit body. */
  summary: string;
  target: LandingTarget;
  worktree: TaskWorktree;
  /** Branches of earlier worktrees of this task (after conflicts): deleted once its work lands. */
  superseded: string[];
  author: { name: string; email: string };
  agent: string;
}

/** `landWork` output: landed (or nothing to land), or kept out by a merge conflict. */
export type LandWorkResult =
  | { status: 'landed'; commit: string; head: string; how: 'fast-forward' | 'merge' | 'already'; pushed: boolean; pullRequest?: string }
  | { status: 'empty' }
  | { status: 'conflict'; files: string[]; branch: string; commit: string };

/** `landWork` input for a task whose work passed verification, or undefined when its target does not land in git. */
export function landInput(state: OrchestrationState, task: Task, agent: Agent, orchestration: string, report: AgentReport): LandWorkInput | undefined {
  const target = landingTarget(state.config, task);
  const worktree = taskWorktree(state, task);
  if (!target || !worktree) return undefined;
  const rounds = task.landing?.conflicts ?? 0;
  const title = (task.mission.split('\n')[0] ?? task.id).slice(0, 120);
  return {
    project: state.project,
    orchestration,
    taskId: task.id,
    ...(task.stream ? { stream: task.stream } : {}),
    title,
    summary: report.summary.slice(0, 2000),
    target,
    worktree,
    superseded: Array.from({ length: rounds }, (_, i) => branchName(state, task, target, i)),
    author: authorFor(target.author, { name: agent.name, role: agent.role }),
    agent: agent.name,
  };
}

/** The one-line summary the Temporal UI shows on a `landWork` activity. */
export function landSummary(input: LandWorkInput): string {
  return `land ${input.taskId}${input.stream ? ` (${input.stream})` : ''} → ${input.target.name}/${input.target.integrationBranch}`;
}

/** What the rework round after a conflict is told. */
export function conflictFeedback(result: Extract<LandWorkResult, { status: 'conflict' }>, target: string, integrationBranch: string): string {
  const files = result.files.length ? result.files.join(', ') : '(git named no files)';
  return (
    `merge conflict: your verified work could not merge into ${target}/${integrationBranch}, which changed the same lines since you started, in ${files}. ` +
    `You now work in a fresh worktree on the new ${integrationBranch} head; redo the change there (your previous attempt is commit ${result.commit.slice(0, 12)} on branch ${result.branch}).`
  ).slice(0, 500);
}

/**
 * The landing's outcome lands in state. Landed or empty: the verified report is recorded (the task completes) and
 * the commit kept. Conflict: the task goes back for rework (or to its recovery policy past the rework limit) in a
 * fresh worktree, told which files conflicted.
 */
export function applyLanding(
  state: OrchestrationState,
  taskId: string,
  agentId: string,
  report: AgentReport,
  verdict: VerifyWorkResult,
  result: LandWorkResult,
  now: string,
): OrchestrationState {
  const task = byId(state.tasks, taskId);
  const target = task && landingTarget(state.config, task);
  if (!task || !target || task.status !== 'running' || task.agentId !== agentId) return applyVerification(state, taskId, agentId, report, verdict, now);
  if (result.status === 'conflict') {
    const feedback = conflictFeedback(result, target.name, target.integrationBranch);
    const next = applyVerification(state, taskId, agentId, report, { ...verdict, passed: false, failures: [feedback] }, now);
    const moved = setLanding(next, taskId, (l) => ({ ...l, conflicts: l.conflicts + 1 }));
    // The next round's worktree is a fresh one; a failed task keeps none (the conflicting commit stays on its branch).
    return setLanding(moved, taskId, (l) => ({ conflicts: l.conflicts, branch: l.branch }));
  }
  const next = applyVerification(state, taskId, agentId, report, verdict, now);
  return setLanding(next, taskId, (l) => ({
    conflicts: l.conflicts,
    ...(result.status === 'landed'
      ? { branch: l.branch, commit: result.commit, how: result.how, ...(result.pullRequest ? { pullRequest: result.pullRequest } : {}) }
      : { how: 'empty' as const }),
  }));
}
