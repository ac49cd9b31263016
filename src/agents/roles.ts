import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Failure } from '../shared/failures';
import type { InternalRole, Role } from '../shared/schemas';
import { AgentRuntimeError } from './runtime';

/** Every role that has a prompt: the specialists plus the planner and synthesizer. */
export type AgentRole = Role | InternalRole;

/** How a role runs unless config says otherwise. */
export interface RoleProfile {
  /** Model when the RuntimeRef names none. */
  model: string;
  /** Model requests before the agent is stopped with stopReason `turn_limit`. */
  maxTurns: number;
  /** `max_tokens` per request. */
  maxTokens: number;
  /** Whether the role gets write_file, edit_file and run_command on top of the read-only tools. */
  writes: boolean;
  /** Programs run_command accepts (by name; argv[0]). Empty: the role runs nothing. */
  commands: readonly string[];
}

// The current generation in the installed SDKs' model list (@anthropic-ai/sdk's `Model`); both are priced in prices.ts, and
// neither is in the SDK's deprecated list (claude-sonnet-4-5 is, and made it print a warning on every request).
const ORCHESTRATOR_MODEL = 'claude-opus-5-5';
const SPECIALIST_MODEL = 'claude-sonnet-5-5';

const LOOK = ['ls', 'cat', 'head', 'tail', 'wc', 'grep', 'diff', 'find'];
const TEST = ['node', 'npm', 'npx', 'tsc', 'jest', 'python3', 'pytest', 'go', 'cargo', 'make'];

const reader = (maxTurns = 30): RoleProfile => ({ model: SPECIALIST_MODEL, maxTurns, maxTokens: 16_000, writes: false, commands: [] });
const writer = (commands: string[]): RoleProfile => ({ model: SPECIALIST_MODEL, maxTurns: 50, maxTokens: 16_000, writes: true, commands });

/** Defaults per role. The allow-lists limit which program runs, not what it may touch: isolate workers for untrusted work. */
export const ROLE_PROFILES: Readonly<Record<AgentRole, RoleProfile>> = {
  researcher: reader(),
  analyst: reader(),
  reviewer: reader(),
  advisor: reader(20),
  developer: writer([...TEST, ...LOOK, 'git']),
  qa: writer([...TEST, ...LOOK]),
  executor: writer([...TEST, ...LOOK, 'git', 'mkdir']),
  planner: { model: ORCHESTRATOR_MODEL, maxTurns: 4, maxTokens: 16_000, writes: false, commands: [] },
  synthesizer: { model: ORCHESTRATOR_MODEL, maxTurns: 4, maxTokens: 8_000, writes: false, commands: [] },
};

/** The folder holding `<role>.md` prompts: `$BATON_PROMPTS_DIR`, else `prompts/` at the package root. */
export function promptsDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BATON_PROMPTS_DIR) return path.resolve(env.BATON_PROMPTS_DIR);
  // Walk up from here so the same code works from src/ (tsx, jest) and from a build output folder.
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'prompts', 'planner.md'))) return path.join(dir, 'prompts');
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '../../prompts');
  }
}

const cache = new Map<string, Promise<string>>();

/** The system prompt of `role`, read once per folder; a missing file is a configuration failure naming it. */
export function loadPrompt(role: AgentRole, dir = promptsDir()): Promise<string> {
  const file = path.join(dir, `${role}.md`);
  let prompt = cache.get(file);
  if (!prompt) {
    prompt = readFile(file, 'utf8').then(
      (text) => text.trim(),
      (err: NodeJS.ErrnoException) => {
        cache.delete(file);
        throw new AgentRuntimeError(Failure.ConfigInvalid, `cannot read the ${role} prompt ${file} (${err.code ?? err.message})`, false);
      },
    );
    cache.set(file, prompt);
  }
  return prompt;
}
