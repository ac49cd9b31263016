import { z } from 'zod';
import { TargetGit } from './target-git';
import { matching } from './zod-rules';

/** What happens to a task once its agent's retries are spent or verification keeps failing (seed 003 error recovery). */
export const RecoveryAction = z.enum(['retry', 'skip', 'escalate'], { error: 'policy must be retry, skip or escalate' });
export type RecoveryAction = z.infer<typeof RecoveryAction>;

/** A recovery policy: `retry` spawns a fresh agent up to `freshAgents` times (then skips); `escalate` waits for a person, up to `timeoutSeconds` (then skips). */
export const RecoveryPolicy = z.strictObject({
  policy: RecoveryAction,
  freshAgents: z.number().int().min(1).max(5).default(1),
  timeoutSeconds: z.number().int().positive().optional(),
});
export type RecoveryPolicy = z.infer<typeof RecoveryPolicy>;

/** A quality gate: a shell command run in the agent's workspace; exit 0 passes. */
export const Gate = z.strictObject({
  name: matching(z.string(), /^[a-z0-9][a-z0-9_-]{0,39}$/, 'gate name must be lowercase letters, digits, "-" or "_"'),
  command: z.string().trim().min(1, 'gate command must not be empty').max(1000),
  timeoutSeconds: z.number().int().min(1).max(3600).default(300),
});
export type Gate = z.infer<typeof Gate>;

/** A repository agents work in, as carried in the orchestration config (paths already absolute). */
export const Target = z.strictObject({
  /** Short id used in stream refs (`site:1.2`). */
  name: matching(z.string(), /^[a-z0-9][a-z0-9_-]{0,39}$/, 'target name must be lowercase letters, digits, "-" or "_"'),
  title: z.string().min(1).max(200).optional(),
  /** Absolute path of the repository: the workspace of every agent working on this target. */
  path: z.string().min(1),
  /** Absolute path of its markdown roadmap. */
  roadmap: z.string().min(1),
  /** Absolute path of the identity context file passed to every agent (seed 003 identity injection). */
  identity: z.string().min(1).optional(),
  /** Absolute path of the dev log a completion entry is appended to. */
  devLog: z.string().min(1),
  /** What the repository is (seed 003 `description`), told to its agents. */
  description: z.string().min(1).max(2000).optional(),
  /** Absolute path of a conventions file given to every agent on this target (seed 003 `conventions`). */
  conventions: z.string().min(1).optional(),
  /** Absolute path of the prompt file for developer tasks on this target (seed 003 `coder_agent`). */
  coderAgent: z.string().min(1).optional(),
  /** Absolute path of the prompt file for reviewer tasks on this target (seed 003 `pm_agent`). */
  pmAgent: z.string().min(1).optional(),
  /** Goals that match no work stream are worked here (targets.yaml `default_target`). */
  isDefault: z.boolean().optional(),
  gates: z.array(Gate).max(20).default([]),
  recovery: RecoveryPolicy.optional(),
  /** How agents' work lands in this repository (worktrees, commits, merges, publishing); see target-git.ts. */
  git: TargetGit.optional(),
});
export type Target = z.infer<typeof Target>;

/** `site:1.2`: a work stream of a target. */
export function streamRef(target: string, id: string): string {
  return `${target}:${id}`;
}

/** The target and stream id of a ref (`site:1.2` → site, 1.2). */
export function parseStreamRef(ref: string): { target: string; id: string } {
  const at = ref.indexOf(':');
  return at < 0 ? { target: '', id: ref } : { target: ref.slice(0, at), id: ref.slice(at + 1) };
}

/** The target a task runs in, if it has one that the config still lists. */
export function taskTarget(config: { targets: Target[] }, task: { target?: string }): Target | undefined {
  return task.target === undefined ? undefined : config.targets.find((t) => t.name === task.target);
}
