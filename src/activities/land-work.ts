import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { AgentRuntimeError, toApplicationFailure } from '../agents/runtime';
import { commitWork, findTaskCommit, mergeIntoBranch, pushBranch, trailerLines, trailerOf } from '../git/land';
import { openPullRequest } from '../git/publish';
import { COMMITTER, commonDir, resolveCommit } from '../git/run';
import { branchBase, deleteBranch, removeWorktree } from '../git/worktree';
import { Failure } from '../shared/failures';
import type { LandWorkInput, LandWorkResult } from '../shared/landing';

/** Where a landing is, for heartbeats and for the crash drills that stop it between steps. */
export type LandStep = 'commit' | 'merge' | 'publish' | 'cleanup';

/** Test hook: called before each step, so a drill can kill or interrupt the activity exactly there. */
export type LandStepHook = (step: LandStep, input: LandWorkInput) => Promise<void> | void;

const heartbeat = (details: unknown): void => {
  try {
    Context.current().heartbeat(details);
  } catch {
    // Outside an activity (unit tests call landWork directly): nothing to heartbeat to.
  }
};

/**
 * `landWork`: commits a verified worktree (the agent as author, `Baton-*` trailers), merges it into the target's
 * integration branch (fast-forward, else a merge commit; never a force), publishes it (push / pull request), and
 * removes the worktree. Every step finds its own earlier work on a retry. A conflict is a result, not an error.
 */
export function makeLandWork(onStep?: LandStepHook) {
  return async function landWork(input: LandWorkInput): Promise<LandWorkResult> {
    try {
      return await land(input, onStep);
    } catch (err) {
      throw toApplicationFailure(err);
    }
  };
}

async function land(input: LandWorkInput, onStep?: LandStepHook): Promise<LandWorkResult> {
  const { target, worktree } = input;
  const step = async (name: LandStep) => {
    heartbeat({ step: name });
    await onStep?.(name, input);
  };
  await step('commit');
  const trailers = { task: input.taskId, ...(input.stream ? { stream: input.stream } : {}), agent: input.agent, orchestration: input.orchestration };
  let commit: string | undefined;
  if (await stat(path.join(worktree.path, '.git')).then(() => true, () => false)) {
    const base = await branchBase(target.repo, worktree.branch, target.integrationBranch);
    const message = `${input.title}\n\n${input.summary}`;
    commit = (await commitWork(worktree.path, base, input.author, message, trailers)).commit;
  } else {
    // No worktree: a retry after the worktree was removed (landed, or conflicted) finds the commit on its branch.
    const head = await resolveCommit(target.repo, `refs/heads/${worktree.branch}`);
    if (!head) {
      // Landed and cleaned up before a crash stopped the reply: the commit is on the integration branch already.
      const landed = await findTaskCommit(target.repo, `refs/heads/${target.integrationBranch}`, input.taskId);
      if (landed) return { status: 'landed', commit: landed, head: (await resolveCommit(target.repo, `refs/heads/${target.integrationBranch}`))!, how: 'already', pushed: target.push };
    }
    if (!head) throw new AgentRuntimeError(Failure.InputInvalid, `cannot land ${input.taskId}: no worktree ${worktree.path} and no branch ${worktree.branch} in ${target.repo}`, false);
    commit = head;
    // A branch still at its base holds nothing to land.
    if ((await branchBase(target.repo, worktree.branch, target.integrationBranch)) === head && !(await isTaskCommit(target.repo, head, input.taskId))) commit = undefined;
  }
  if (!commit) {
    await step('cleanup');
    await removeWorktree(target.repo, worktree.path, { deleteBranch: worktree.branch });
    return { status: 'empty' };
  }

  await step('merge');
  const merged = await mergeIntoBranch(target.repo, target.integrationBranch, commit, COMMITTER, `Merge ${worktree.branch} (${input.stream ?? input.taskId}) into ${target.integrationBranch}\n\n${trailerLines(trailers)}`);
  if (merged.kind === 'conflict') {
    // The branch keeps the conflicting commit for the next round to read; the worktree goes (a fresh one follows).
    await step('cleanup');
    await removeWorktree(target.repo, worktree.path);
    return { status: 'conflict', files: merged.files, branch: worktree.branch, commit };
  }

  await step('publish');
  let pullRequest: string | undefined;
  if (target.pullRequest) {
    await pushBranch(target.repo, worktree.branch);
    pullRequest = await openPullRequest(await commonDir(target.repo), target.repo, target.pullRequest, {
      branch: worktree.branch,
      integrationBranch: target.integrationBranch,
      title: input.title,
      task: input.taskId,
      stream: input.stream ?? '',
      commit,
      target: target.name,
    });
  }
  if (target.push) await pushBranch(target.repo, target.integrationBranch);

  await step('cleanup');
  // A branch a pull request was opened from stays; otherwise it is merged and goes with its worktree.
  await removeWorktree(target.repo, worktree.path, target.pullRequest ? {} : { deleteBranch: worktree.branch });
  for (const old of input.superseded) await deleteBranch(target.repo, old);
  return { status: 'landed', commit, head: merged.head, how: merged.kind, pushed: target.push, ...(pullRequest ? { pullRequest } : {}) };
}

async function isTaskCommit(repo: string, commit: string, taskId: string): Promise<boolean> {
  return (await trailerOf(repo, commit, 'Baton-Task')) === taskId;
}
