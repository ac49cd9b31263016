import { commonDir, git, identityEnv, resolveCommit, type Identity } from './run';
import { withRepoLock } from './lock';
import { listWorktrees } from './worktree';

/** The `Baton-*` trailers every landed commit carries: find a task's commit with `git log --grep 'Baton-Task: T-1'`. */
export interface Trailers {
  task: string;
  stream?: string;
  agent: string;
  orchestration: string;
}

/** The trailer block of a commit message, in a fixed order. */
export function trailerLines(t: Trailers): string {
  return [`Baton-Task: ${t.task}`, ...(t.stream ? [`Baton-Stream: ${t.stream}`] : []), `Baton-Agent: ${t.agent}`, `Baton-Orchestration: ${t.orchestration}`].join('\n');
}

/** The value of `key` in the trailers of `commit`, if it has one. */
export async function trailerOf(cwd: string, commit: string, key: string): Promise<string | undefined> {
  const out = (await git(cwd, ['log', '-1', `--format=%(trailers:key=${key},valueonly,separator=%x00)`, commit])).stdout.trim();
  return out ? out.split('\0')[0]!.trim() : undefined;
}

/** What committing a worktree found: the task's commit, or nothing to commit. */
export type CommitOutcome = { commit: string; created: boolean } | { commit: undefined };

/**
 * Commits everything in the worktree (commits the agent made itself are folded in) as one commit on its branch, by
 * `author`, with the trailers. Idempotent: a branch whose head already is this task's commit, with nothing left
 * uncommitted, is returned as it is.
 */
export async function commitWork(worktree: string, base: string, author: Identity, message: string, trailers: Trailers): Promise<CommitOutcome> {
  const head = await resolveCommit(worktree, 'HEAD');
  if (!head) throw new Error(`${worktree} has no HEAD commit`);
  await git(worktree, ['add', '-A']);
  const clean = (await git(worktree, ['diff', '--cached', '--quiet'], { ok: [1] })).code === 0;
  if (clean && (await trailerOf(worktree, head, 'Baton-Task')) === trailers.task) return { commit: head, created: false };
  if (clean && head === base) return { commit: undefined };
  // One commit per landing: whatever the agent committed on its own is squashed into it (a soft reset keeps its files).
  if (head !== base) await git(worktree, ['reset', '--soft', '--quiet', base]);
  await git(worktree, ['commit', '--quiet', '--no-verify', '-F', '-'], { env: identityEnv(author), input: `${message.trim()}\n\n${trailerLines(trailers)}\n` });
  return { commit: (await resolveCommit(worktree, 'HEAD'))!, created: true };
}

/** How a commit reached the integration branch, or the files that kept it out. */
export type MergeOutcome =
  | { kind: 'fast-forward' | 'merge' | 'already'; head: string }
  | { kind: 'conflict'; files: string[]; head: string };

/** Files `git merge-tree --write-tree --name-only` reports as conflicted (after the tree id line). */
function conflictedFiles(stdout: string): string[] {
  const [, ...rest] = stdout.split('\n');
  const files: string[] = [];
  for (const line of rest) {
    if (!line) break;
    if (!files.includes(line)) files.push(line);
  }
  return files;
}

/**
 * Merges `commit` into `integrationBranch` without touching any working tree it does not own: fast-forward where
 * possible, else a merge commit made with `merge-tree` and `commit-tree`; never a force. The branch moves by
 * compare-and-swap (`update-ref <new> <old>`), or, when a checkout has it checked out, by `merge --ff-only` there
 * (which refuses rather than overwrite a person's uncommitted changes). Idempotent: a commit already on the branch
 * is reported as `already`.
 */
export async function mergeIntoBranch(repo: string, integrationBranch: string, commit: string, merger: Identity, message: string): Promise<MergeOutcome> {
  const ref = `refs/heads/${integrationBranch}`;
  return withRepoLock(await commonDir(repo), async () => {
    const head = await resolveCommit(repo, ref);
    if (!head) throw new Error(`integration branch ${integrationBranch} does not exist in ${repo}`);
    const meet = (await git(repo, ['merge-base', head, commit], { ok: [1] })).stdout.trim();
    if (meet === commit) return { kind: 'already', head };
    let next = commit;
    let kind: 'fast-forward' | 'merge' = 'fast-forward';
    if (meet !== head) {
      const merged = await git(repo, ['merge-tree', '--write-tree', '--name-only', '--no-messages', head, commit], { ok: [1] });
      if (merged.code === 1) return { kind: 'conflict', files: conflictedFiles(merged.stdout), head };
      const tree = merged.stdout.split('\n')[0]!.trim();
      next = (await git(repo, ['commit-tree', tree, '-p', head, '-p', commit, '-F', '-'], { env: identityEnv(merger), input: `${message.trim()}\n` })).stdout.trim();
      kind = 'merge';
    }
    await advance(repo, integrationBranch, head, next);
    return { kind, head: next };
  });
}

/** Moves the branch from `from` to `to` (a descendant): in the checkout that has it checked out, else by compare-and-swap. */
async function advance(repo: string, branch: string, from: string, to: string): Promise<void> {
  const ref = `refs/heads/${branch}`;
  const checkout = (await listWorktrees(repo)).find((t) => t.branch === ref);
  if (!checkout) {
    await git(repo, ['update-ref', '-m', `baton: land ${to.slice(0, 12)}`, ref, to, from]);
    return;
  }
  try {
    await git(checkout.path, ['merge', '--ff-only', '--quiet', to]);
  } catch (err) {
    throw new Error(`cannot update ${branch} in ${checkout.path} (uncommitted changes there would be overwritten?): ${(err as Error).message}`);
  }
}

/** The first `Baton-Task` commit for `task` reachable from `ref`, if any (so a retried landing finds its work). */
export async function findTaskCommit(repo: string, ref: string, task: string): Promise<string | undefined> {
  const out = (await git(repo, ['log', '--no-merges', '--format=%H', '--fixed-strings', `--grep=Baton-Task: ${task}`, '-n', '1', ref], { ok: [128] })).stdout.trim();
  return out || undefined;
}

/** Pushes `refs/heads/<branch>` to `origin` (never forced: a rejected push is an error a person must look at). */
export async function pushBranch(repo: string, branch: string): Promise<void> {
  await git(repo, ['push', '--quiet', '--porcelain', 'origin', `refs/heads/${branch}:refs/heads/${branch}`], { timeoutMs: 300_000 });
}
