import { realpath } from 'node:fs/promises';
import path from 'node:path';

/** What a role may do with Claude Code's tools inside its workspace. */
export interface ToolPolicy {
  /** Absolute workspace path; nothing outside it is written. */
  workspace: string;
  /** Whether Write, Edit, NotebookEdit and Bash are offered at all. */
  writes: boolean;
  /** Programs Bash may start (argv[0] by name); empty: no Bash. */
  commands: readonly string[];
}

/** A tool call's verdict: allowed, or denied with the reason the model is told. */
export type ToolVerdict = { allow: true } | { allow: false; reason: string };

/** Tools every role gets: reading and searching (and StructuredOutput, which Claude Code adds for the result). */
export const READ_TOOLS = ['Read', 'Grep', 'Glob'] as const;
/** Tools a writing role gets on top. */
export const WRITE_TOOLS = ['Write', 'Edit', 'NotebookEdit', 'Bash'] as const;

/** The built-in tools offered to a role. */
export function toolsFor(policy: Pick<ToolPolicy, 'writes' | 'commands'>): string[] {
  if (!policy.writes) return [...READ_TOOLS];
  return [...READ_TOOLS, ...WRITE_TOOLS.filter((t) => t !== 'Bash' || policy.commands.length > 0)];
}

const ALWAYS = new Set<string>(['Read', 'Grep', 'Glob', 'StructuredOutput']);
const FILE_WRITERS: Record<string, string> = { Write: 'file_path', Edit: 'file_path', MultiEdit: 'file_path', NotebookEdit: 'notebook_path' };
/** Shell syntax that could chain, redirect or substitute: Bash runs one allowed program with plain arguments. */
const SHELL_SYNTAX = /[;&|<>`$(){}\\\n\r*?~!]/;

const deny = (reason: string): ToolVerdict => ({ allow: false, reason });
const inside = (root: string, target: string) => target === root || target.startsWith(root + path.sep);

/** `target` with symlinks resolved as far as it exists (the missing tail appended), so a link cannot lead a write out. */
async function realTarget(target: string): Promise<string> {
  const missing: string[] = [];
  for (let dir = target; ; dir = path.dirname(dir)) {
    try {
      return path.join(await realpath(dir), ...missing.reverse());
    } catch {
      if (path.dirname(dir) === dir) return target;
      missing.push(path.basename(dir));
    }
  }
}

/** Why writing `file` (absolute, or relative to the workspace) would leave the workspace, or undefined when it stays inside. */
export async function writeProblem(workspace: string, file: unknown): Promise<string | undefined> {
  if (typeof file !== 'string' || file.trim() === '') return 'no file path given';
  if (file.includes('\0')) return 'the path contains a NUL byte';
  const root = await realpath(workspace).catch(() => path.resolve(workspace));
  const target = await realTarget(path.resolve(workspace, file));
  return inside(root, target) ? undefined : `${file} is outside the workspace ${workspace}; write only inside it`;
}

/** Why a Bash command is refused (shell syntax, a program not on the role's list, a path outside), or undefined when it may run. */
export function commandProblem(policy: ToolPolicy, command: unknown): string | undefined {
  if (typeof command !== 'string' || !command.trim()) return 'no command given';
  if (SHELL_SYNTAX.test(command)) return 'run one program with plain arguments: no pipes, redirection, chaining, substitution or globs';
  const words = command.trim().split(/\s+/);
  const program = path.basename(words[0] ?? '');
  if (!policy.commands.includes(program)) return `"${program}" is not allowed for this role (allowed: ${policy.commands.join(', ') || 'none'})`;
  const root = path.resolve(policy.workspace);
  for (const word of words.slice(1)) {
    const value = word.replace(/^-[^=]*=/, '').replace(/^['"]|['"]$/g, '');
    if (value.split('/').includes('..')) return `argument "${word}" climbs out with ".."`;
    if (path.isAbsolute(value) && !inside(root, path.resolve(value))) return `argument "${word}" is outside the workspace`;
  }
  return undefined;
}

/** The verdict on one tool call under `policy`: reads anywhere, writes and commands only inside the workspace, nothing else. */
export async function judgeTool(policy: ToolPolicy, tool: string, input: Record<string, unknown>): Promise<ToolVerdict> {
  if (ALWAYS.has(tool)) return { allow: true };
  const field = FILE_WRITERS[tool];
  if (field !== undefined) {
    if (!policy.writes) return deny(`${tool} is not available to this role (it only reads)`);
    const problem = await writeProblem(policy.workspace, input[field]);
    return problem ? deny(problem) : { allow: true };
  }
  if (tool === 'Bash') {
    if (!policy.writes || policy.commands.length === 0) return deny('Bash is not available to this role');
    const problem = commandProblem(policy, input.command);
    return problem ? deny(problem) : { allow: true };
  }
  return deny(`${tool} is not available in Baton`);
}
