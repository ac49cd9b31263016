import { realpath, rm, stat } from 'node:fs/promises';
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

/** Where a worktree ended up: its branch's base (the integration head it was made from) and whether this call made it. */
export interface EnsuredWorktree {
  base: string;
  created: boolean;
}

const exists = (p: string) => stat(p).then(() => true, () => false);
const real = (p: string) => realpath(p).catch(() => path.resolve(p));

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

/** The registered worktree at `dir`, if any. */
async function registered(repo: string, dir: string) {
  const want = await real(dir);
  for (const t of await listWorktrees(repo)) if ((await real(t.path)) === want) return t;
  return undefined;
}

/**
 * Makes the agent's worktree, or finds it: an existing worktree is reused (a retried agent continues its work), an
 * existing branch gets a worktree again, else the branch is made from the integration branch's head now.
 */
export async function ensureWorktree(spec: WorktreeSpec): Promise<EnsuredWorktree> {
  const gitDir = await commonDir(spec.repo);
  return withRepoLock(gitDir, async () => {
    const found = await registered(spec.repo, spec.path);
    let created = false;
    if (found && found.branch !== `refs/heads/${spec.branch}`) throw new Error(`${spec.path} is a worktree of ${found.branch ?? 'a detached HEAD'}, not of ${spec.branch}`);
    if (!found) {
      // A folder left by a killed `git worktree add` is ours (it is under Baton's worktree folder) and holds nothing committed.
      await git(spec.repo, ['worktree', 'prune']);
      if (await exists(spec.path)) await rm(spec.path, { recursive: true, force: true });
      let branchHead = await resolveCommit(spec.repo, `refs/heads/${spec.branch}`);
      const owner = (await git(spec.repo, ['config', '--get', `branch.${spec.branch}.batonOwner`], { ok: [1] })).stdout.trim();
      if (branchHead && owner !== spec.owner) {
        // Another task's (or a person's) branch of the same name: kept under another name, nothing lost.
        await git(spec.repo, ['branch', '-m', spec.branch, `${spec.branch}-was-${branchHead.slice(0, 8)}`]);
        branchHead = undefined;
      }
      if (branchHead) await git(spec.repo, ['worktree', 'add', '--quiet', spec.path, spec.branch]);
      else {
        const head = await resolveCommit(spec.repo, `refs/heads/${spec.integrationBranch}`);
        if (!head) throw new Error(`integration branch ${spec.integrationBranch} does not exist in ${spec.repo}`);
        await git(spec.repo, ['worktree', 'add', '--quiet', '-b', spec.branch, spec.path, head]);
        await git(spec.repo, ['config', `branch.${spec.branch}.batonOwner`, spec.owner]);
      }
      created = true;
    }
    return { base: await branchBase(spec.repo, spec.branch, spec.integrationBranch), created };
  });
}

/** The commit a task branch was made from: where it meets the integration branch. */
export async function branchBase(repo: string, branch: string, integrationBranch: string): Promise<string> {
  return (await git(repo, ['merge-base', `refs/heads/${integrationBranch}`, `refs/heads/${branch}`])).stdout.trim();
}

/** Removes a worktree (its folder and git's record of it) and, when asked, its branch. Already gone is fine. */
export async function removeWorktree(repo: string, dir: string, opts: { deleteBranch?: string } = {}): Promise<void> {
  const gitDir = await commonDir(repo);
  await withRepoLock(gitDir, async () => {
    if (await registered(repo, dir)) await git(repo, ['worktree', 'remove', '--force', '--force', dir]);
    await rm(dir, { recursive: true, force: true });
    await git(repo, ['worktree', 'prune']);
    if (opts.deleteBranch && (await resolveCommit(repo, `refs/heads/${opts.deleteBranch}`))) await git(repo, ['branch', '-D', '--quiet', opts.deleteBranch]);
  });
}

/** Deletes a branch Baton made, if it is still there. */
export async function deleteBranch(repo: string, branch: string): Promise<void> {
  await withRepoLock(await commonDir(repo), async () => {
    if (await resolveCommit(repo, `refs/heads/${branch}`)) await git(repo, ['branch', '-D', '--quiet', branch]);
  });
}
