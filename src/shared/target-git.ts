import { z } from 'zod';
import { matching } from './zod-rules';

/** The author of an agent's commits when targets.yaml does not say: `Forge (developer) <forge@baton.invalid>`. */
export const DEFAULT_AUTHOR = '{{agent}} ({{role}}) <{{agent}}@baton.invalid>';

/** `Name <email>`, the shape of a git identity. */
const IDENTITY = /^([^<>\n]+?)\s*<([^<>\s]+)>$/;

/** A commit identity template: `Name <email>` with `{{agent}}` and `{{role}}` placeholders. */
export const AuthorTemplate = matching(z.string().trim().max(200), IDENTITY, 'author must look like "Name <email>" ({{agent}} and {{role}} are filled in)').refine((s) => [...s.matchAll(/\{\{\s*([^}]*?)\s*\}\}/g)].every((m) => m[1] === 'agent' || m[1] === 'role'), 'author knows only the placeholders {{agent}} and {{role}}');

/**
 * How a target's agents' work lands (issue 11): the integration branch it merges into, where worktrees live,
 * who authors the commits and how landed work is published. The client fills `integrationBranch` and `worktrees`
 * when the orchestration starts; a target without them (an old config) keeps agents in its one working tree.
 */
export const TargetGit = z.strictObject({
  integrationBranch: z.string().min(1).max(200).optional(),
  /** Absolute folder the agents' worktrees are made in (`<git-common-dir>/baton/worktrees`). */
  worktrees: z.string().min(1).optional(),
  author: AuthorTemplate.default(DEFAULT_AUTHOR),
  /** Push the integration branch to `origin` after each landing. */
  push: z.boolean().default(false),
  /** A command run per landed stream (e.g. `gh pr create …`), with {{branch}}, {{integrationBranch}}, {{title}}, … filled in. */
  pullRequest: z.string().trim().min(1).max(1000).optional(),
});
export type TargetGit = z.infer<typeof TargetGit>;

/** The author identity for one agent: the template with the agent's name and role, the email lower-cased. */
export function authorFor(template: string, agent: { name: string; role: string }): { name: string; email: string } {
  const filled = template.replace(/\{\{\s*agent\s*\}\}/g, agent.name).replace(/\{\{\s*role\s*\}\}/g, agent.role);
  const m = /^([^<>\n]+?)\s*<([^<>\s]+)>$/.exec(filled.trim());
  return m ? { name: m[1]!.trim(), email: m[2]!.toLowerCase() } : { name: agent.name, email: `${agent.name.toLowerCase()}@baton.invalid` };
}

/** Where a task's work stands in git: its worktree and branch, and what landing did. */
export const TaskLanding = z.object({
  /** Fresh worktrees it was given after merge conflicts (each on the then-current integration head). */
  conflicts: z.number().int().default(0),
  branch: z.string().optional(),
  /** The worktree while it exists (kept after a failure for a person to inspect; removed once landed). */
  worktree: z.string().optional(),
  /** The task's commit, once landed. */
  commit: z.string().optional(),
  /** How it reached the integration branch. */
  how: z.enum(['fast-forward', 'merge', 'already', 'empty']).optional(),
  pullRequest: z.string().optional(),
});
export type TaskLanding = z.infer<typeof TaskLanding>;
