import { stat } from 'node:fs/promises';
import path from 'node:path';
import { toApplicationFailure } from '../agents/runtime';
import { COMMITTER, git, identityEnv, uncommitted } from '../git/run';
import { branchBase, deleteBranch, removeWorktree } from '../git/worktree';
import type { SweepItem } from '../shared/worktrees';

/**
 * `sweepWorktrees`: removes settled tasks' worktrees. Work left uncommitted in one is committed to its branch first
 * (by Baton, saying why it did not land), and a branch with work on it is kept for a person; an empty one goes.
 * Idempotent: a worktree already gone is fine. Returns the task ids swept.
 */
export function makeSweepWorktrees() {
  return async function sweepWorktrees(input: { items: SweepItem[] }): Promise<string[]> {
    try {
      const swept: string[] = [];
      for (const item of input.items) {
        const here = await stat(item.repo).catch(() => undefined);
        if (!here) {
          swept.push(item.taskId);
          continue;
        }
        if ((await stat(path.join(item.path, '.git')).catch(() => undefined)) && (await uncommitted(item.path)).length) {
          await git(item.path, ['add', '-A']);
          await git(item.path, ['commit', '--quiet', '--no-verify', '-F', '-'], { env: identityEnv(COMMITTER), input: `Unlanded work of ${item.taskId} (${item.why})\n\nBaton-Task: ${item.taskId}\n` });
        }
        await removeWorktree(item.repo, item.path);
        const base = await branchBase(item.repo, item.branch, item.integrationBranch).catch(() => undefined);
        const head = (await git(item.repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${item.branch}`], { ok: [1] })).stdout.trim();
        if (head && base === head) await deleteBranch(item.repo, item.branch);
        swept.push(item.taskId);
      }
      return swept;
    } catch (err) {
      throw toApplicationFailure(err);
    }
  };
}
