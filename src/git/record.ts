import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Target } from '../shared/targets';
import { withRepoLock } from './lock';
import { COMMITTER, commonDir, git, identityEnv } from './run';

/**
 * Commits Baton's own edits to a target's roadmap and dev log on its integration branch, in the main checkout, so
 * the integration branch carries them and `git status` stays clean. Only when that checkout has the integration
 * branch checked out, and only those two files (a person's other changes are never swept in). Committing again with
 * nothing changed does nothing. Returns whether a commit was made.
 */
export async function commitRoadmapFiles(target: Target, message: string): Promise<boolean> {
  const branch = target.git?.integrationBranch;
  if (!branch || !target.git?.worktrees) return false;
  const files = [target.roadmap, target.devLog].filter((f) => !path.relative(target.path, f).startsWith('..') && !path.isAbsolute(path.relative(target.path, f)));
  if (!files.length) return false;
  return withRepoLock(await commonDir(target.path), async () => {
    const head = (await git(target.path, ['symbolic-ref', '--quiet', 'HEAD'], { ok: [1, 128] })).stdout.trim();
    if (head !== `refs/heads/${branch}`) return false;
    // A dev log not written yet is no pathspec for git.
    const rel = (await Promise.all(files.map(async (f) => ((await stat(f).catch(() => undefined)) ? path.relative(target.path, f) : undefined)))).filter((f): f is string => !!f);
    if (!rel.length) return false;
    const changed = (await git(target.path, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...rel])).stdout;
    if (!changed) return false;
    await git(target.path, ['add', '--', ...rel]);
    await git(target.path, ['commit', '--quiet', '--no-verify', '-F', '-', '--', ...rel], { env: identityEnv(COMMITTER), input: `${message.trim()}\n` });
    return true;
  });
}
