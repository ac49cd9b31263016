import type { Target } from '../shared/targets';
import { DEFAULT_AUTHOR } from '../shared/target-git';
import { checkRepo } from './check';

/**
 * Fills in where each target's work lands: its integration branch (the one checked out now unless targets.yaml names
 * one) and its worktree folder. A target that is not a git repository, has no commits, or has uncommitted changes on
 * its integration branch is an error naming the target; nothing is changed on disk.
 */
export async function resolveGitTargets(targets: readonly Target[]): Promise<Target[]> {
  const out: Target[] = [];
  for (const target of targets) {
    const git = target.git ?? { author: DEFAULT_AUTHOR, push: false };
    try {
      const facts = await checkRepo(target.path, git.integrationBranch);
      out.push({ ...target, git: { ...git, ...facts } });
    } catch (err) {
      throw new Error(`targets.${target.name}: ${(err as Error).message}`);
    }
  }
  return out;
}
