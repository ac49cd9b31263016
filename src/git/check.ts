import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { commonDir, git, resolveCommit, uncommitted } from './run';

/** What landing needs to know about a target repository at start. */
export interface RepoFacts {
  integrationBranch: string;
  /** Where Baton makes the agents' worktrees: `<git-common-dir>/baton/worktrees`. */
  worktrees: string;
}

/**
 * Checks a target can take landed work and finds its integration branch: a git repository with commits, whose
 * integration branch (`wanted`, else the branch checked out) exists and, when checked out, has no uncommitted
 * changes. Throws an Error naming what is wrong; changes nothing.
 */
export async function checkRepo(repo: string, wanted?: string): Promise<RepoFacts> {
  const top = await git(repo, ['rev-parse', '--show-toplevel'], { ok: [128] });
  if (top.code !== 0) throw new Error(`${repo} is not a git repository (run \`git init\` and commit, or leave it out of targets.yaml)`);
  if (path.resolve(top.stdout.trim()) !== path.resolve(repo)) {
    // A folder inside a bigger repository would land commits into that repository: say so rather than guess.
    const realTop = top.stdout.trim();
    if ((await realpath(repo)) !== (await realpath(realTop))) throw new Error(`${repo} is inside the git repository ${realTop}, not the top of one: point the target at ${realTop}`);
  }
  if (!(await resolveCommit(repo, 'HEAD'))) throw new Error(`${repo} has no commits yet: commit its files first (agents branch from a commit)`);
  const current = (await git(repo, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { ok: [1, 128] })).stdout.trim();
  const integrationBranch = wanted ?? current;
  if (!integrationBranch) throw new Error(`${repo} has a detached HEAD: check out the branch agents' work should land on, or set integrationBranch`);
  if (!(await resolveCommit(repo, `refs/heads/${integrationBranch}`))) throw new Error(`${repo} has no branch ${integrationBranch} (integrationBranch)`);
  if (integrationBranch === current) {
    // Untracked files may stay (a data folder, build output): a merge refuses rather than overwrite one. Edits to tracked files may not.
    const dirty = await uncommitted(repo, { tracked: true });
    if (dirty.length) {
      const shown = dirty.slice(0, 5).join(', ') + (dirty.length > 5 ? ` and ${dirty.length - 5} more` : '');
      throw new Error(`${repo} has uncommitted changes on ${integrationBranch} (${shown}): commit or stash them first, so landed work cannot overwrite them`);
    }
  }
  return { integrationBranch, worktrees: path.join(await commonDir(repo), 'baton', 'worktrees') };
}
