import type { OrchestrationState, Task } from './schemas';
import type { TaskLanding } from './target-git';
import { taskTarget, type Target } from './targets';
import { byId } from './by-id';

/** A target whose work lands in git: its integration branch and worktree folder are known (filled at start). */
export interface LandingTarget {
  name: string;
  repo: string;
  integrationBranch: string;
  worktrees: string;
  author: string;
  push: boolean;
  pullRequest?: string;
}

/** A task's worktree: where it is and the branch it is on. */
export interface TaskWorktree {
  path: string;
  branch: string;
}

/** The landing settings of a task's target, when its work lands in git; undefined for free-form tasks and old configs. */
export function landingTarget(config: { targets: Target[] }, task: Pick<Task, 'target'>): LandingTarget | undefined {
  const target = taskTarget(config, task);
  const git = target?.git;
  if (!target || !git?.integrationBranch || !git.worktrees) return undefined;
  return {
    name: target.name,
    repo: target.path,
    integrationBranch: git.integrationBranch,
    worktrees: git.worktrees,
    author: git.author,
    push: git.push,
    ...(git.pullRequest ? { pullRequest: git.pullRequest } : {}),
  };
}

/** A ref- and path-safe form of an id (`site:1.2` → `1.2`, `TASK_003` → `task_003`). */
function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/\.{2,}/g, '.')
      .replace(/^[-.]+|[-.]+$/g, '')
      .replace(/\.lock$/, '-lock') || 'task'
  );
}

/** Branch of a task's `round`-th worktree: `baton/<target>/<stream>` (the task id when it works no stream, or shares its stream with another task), `-rN` after conflicts. */
export function branchName(state: OrchestrationState, task: Task, target: LandingTarget, round: number): string {
  const stream = task.stream ? task.stream.slice(task.stream.indexOf(':') + 1) : undefined;
  const shared = !!stream && state.tasks.some((t) => t.id !== task.id && t.stream === task.stream);
  const name = stream && !shared ? slug(stream) : slug(stream ? `${stream}-${task.id}` : task.id);
  return `baton/${target.name}/${name}${round ? `-r${round}` : ''}`;
}

/** A task's current worktree (path and branch), or undefined when its target does not land in git. */
export function taskWorktree(state: OrchestrationState, task: Task): TaskWorktree | undefined {
  const target = landingTarget(state.config, task);
  if (!target) return undefined;
  const round = task.landing?.conflicts ?? 0;
  return { path: `${target.worktrees}/${slug(state.project)}/${slug(task.id)}${round ? `-r${round}` : ''}`, branch: branchName(state, task, target, round) };
}

/** The task with its landing record changed by `f`. */
export const setLanding = (state: OrchestrationState, taskId: string, f: (l: TaskLanding) => TaskLanding): OrchestrationState => ({
  ...state,
  tasks: state.tasks.map((t) => (t.id === taskId ? { ...t, landing: f(t.landing ?? { conflicts: 0 }) } : t)),
});

/** Record where a starting task works (so `baton status` can show a kept worktree); no change for tasks that do not land. */
export function noteWorktree(state: OrchestrationState, taskId: string): OrchestrationState {
  const task = byId(state.tasks, taskId);
  const tree = task && taskWorktree(state, task);
  return tree ? setLanding(state, taskId, (l) => ({ ...l, worktree: tree.path, branch: tree.branch })) : state;
}

/** A settled task's worktree to remove (its uncommitted work is first committed to its branch, so nothing is lost). */
export interface SweepItem {
  taskId: string;
  repo: string;
  path: string;
  branch: string;
  integrationBranch: string;
  why: string;
}

/** Worktrees of settled tasks (completed by a person, or failed and skipped) that no agent is still using. */
export function worktreesToSweep(state: OrchestrationState): SweepItem[] {
  const busy = new Set(state.agents.filter((a) => a.status === 'running').map((a) => a.taskId));
  const items: SweepItem[] = [];
  for (const t of state.tasks) {
    const settled = t.status === 'completed' || (t.status === 'failed' && !!t.skipped);
    if (!settled || !t.landing?.worktree || !t.landing.branch || busy.has(t.id)) continue;
    const target = landingTarget(state.config, t);
    if (!target) continue;
    const why = t.status === 'completed' ? 'completed by a person' : `skipped: ${t.skipped ?? ''}`;
    items.push({ taskId: t.id, repo: target.repo, path: t.landing.worktree, branch: t.landing.branch, integrationBranch: target.integrationBranch, why: why.slice(0, 200) });
  }
  return items;
}

/** The swept tasks no longer have a worktree. */
export function applySwept(state: OrchestrationState, taskIds: readonly string[]): OrchestrationState {
  const swept = new Set(taskIds);
  return { ...state, tasks: state.tasks.map((t) => (swept.has(t.id) && t.landing ? { ...t, landing: { ...t.landing, worktree: undefined } } : t)) };
}
