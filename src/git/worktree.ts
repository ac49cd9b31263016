import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { commonDir, git, resolveCommit } from './run';
import { withRepoLock } from './lock';

/** An agent's worktree: where it lives, its branch, and the integration branch it starts from and lands on. */
export interface WorktreeSpec {
  /** The target's main checkout. */
  repo: string;
  /** Absolute path of the worktree. */
  path: string;
  branch: string;
  integrationBranch: string;
  /** Who the branch is for (`<orchestration>/<task>`): a same-named branch left by someone else is moved aside, not reused. */
  owner: string;
}

/** Whether this call made the worktree (false: it was there, and is reused). */
export interface EnsuredWorktree {
  created: boolean;
}

const exists = (p: string) => stat(p).then(() => true, () => false);

/** The registered worktrees of a repository: path and checked-out branch (`refs/heads/…`, if any). */
export async function listWorktrees(repo: string): Promise<{ path: string; branch?: string }[]> {
  const out = (await git(repo, ['worktree', 'list', '--porcelain', '-z'])).stdout;
  const trees: { path: string; branch?: string }[] = [];
  for (const field of out.split('\0')) {
    if (field.startsWith('worktree ')) trees.push({ path: field.slice('worktree '.length) });
    else if (field.startsWith('branch ') && trees.length) trees[trees.length - 1]!.branch = field.slice('branch '.length);
  }
  return trees;
}

/**
 * Makes the agent's worktree, or finds it: an existing worktree is reused (a retried agent continues its work), an
 * existing branch gets a worktree again, else the branch is made from the integration branch's head now.
 */
export async function ensureWorktree(spec: WorktreeSpec): Promise<EnsuredWorktree> {
  return withRepoLock(await commonDir(spec.repo), async () => {
    if (await exists(path.join(spec.path, '.git'))) {
      const head = (await git(spec.path, ['symbolic-ref', '--quiet', 'HEAD'], { ok: [1, 128] })).stdout.trim();
      if (head === `refs/heads/${spec.branch}`) return { created: false };
      throw new Error(`${spec.path} is a worktree of ${head || 'a detached HEAD'}, not of ${spec.branch}`);
    }
    // A folder or record left by a killed `git worktree add` is ours (under Baton's worktree folder) and holds nothing committed.
    if (await exists(spec.path)) {
      await rm(spec.path, { recursive: true, force: true });
      await git(spec.repo, ['worktree', 'prune']);
    }
    let branchHead = await resolveCommit(spec.repo, `refs/heads/${spec.branch}`);
    if (branchHead) {
      const owner = (await git(spec.repo, ['config', '--get', `branch.${spec.branch}.batonOwner`], { ok: [1] })).stdout.trim();
      if (owner !== spec.owner) {
        // Another task's (or a person's) branch of the same name: kept under another name, nothing lost.
        await git(spec.repo, ['branch', '-m', spec.branch, `${spec.branch}-was-${branchHead.slice(0, 8)}`]);
        branchHead = undefined;
      }
    }
    const args = branchHead ? [spec.path, spec.branch] : ['-b', spec.branch, spec.path, `refs/heads/${spec.integrationBranch}`];
    const added = await git(spec.repo, ['worktree', 'add', '--quiet', ...args], { ok: [128] });
    // A record of a worktree whose folder is gone blocks the path: prune it and try once more.
    if (added.code !== 0) {
      await git(spec.repo, ['worktree', 'prune']);
      await git(spec.repo, ['worktree', 'add', '--quiet', ...args]);
    }
    if (!branchHead) await git(spec.repo, ['config', `branch.${spec.branch}.batonOwner`, spec.owner]);
    return { created: true };
  });
}

/** The commit a task branch was made from: where it meets the integration branch. */
export async function branchBase(repo: string, branch: string, integrationBranch: string): Promise<string> {
  return (await git(repo, ['merge-base', `refs/heads/${integrationBranch}`, `refs/heads/${branch}`])).stdout.trim();
}

/** Removes a worktree (its folder and git's record of it) and, when asked, its branch. Already gone is fine. */
export async function removeWorktree(repo: string, dir: string, opts: { deleteBranch?: string } = {}): Promise<void> {
  await withRepoLock(await commonDir(repo), async () => {
    const removed = (await exists(path.join(dir, '.git'))) && (await git(repo, ['worktree', 'remove', '--force', '--force', dir], { ok: [128] })).code === 0;
    if (!removed) {
      await rm(dir, { recursive: true, force: true });
      await git(repo, ['worktree', 'prune']);
    }
    if (opts.deleteBranch) await git(repo, ['branch', '-D', '--quiet', opts.deleteBranch], { ok: [1] });
  });
}

/** Deletes a branch Baton made, if it is still there. */
export async function deleteBranch(repo: string, branch: string): Promise<void> {
  await withRepoLock(await commonDir(repo), async () => {
    await git(repo, ['branch', '-D', '--quiet', branch], { ok: [1] });
  });
}
