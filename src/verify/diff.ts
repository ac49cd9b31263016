import { open } from 'node:fs/promises';
import path from 'node:path';
import { cancellation } from '../agents/anthropic/call';
import { runProcess, scrubbedEnv, type ProcessResult } from '../node/process';

/** What changed in a workspace, as the reviewer reads it. */
export interface WorkspaceChanges {
  /** Workspace-relative paths (forward slashes) of modified, added, deleted, renamed and untracked files. */
  changedFiles: string[];
  /** `git diff` against HEAD plus the text of new untracked files, or a note that there is no version control. */
  diff: string;
  /** Whether the workspace is inside a git work tree, so `changedFiles` is complete. */
  gitAvailable: boolean;
}

/** Options for workspaceChanges. */
export interface WorkspaceChangesOptions {
  signal?: AbortSignal;
  /** Compare with this commit instead of HEAD (a task worktree's base), so commits the agent made itself count as its changes. */
  base?: string;
}

const GIT_TIMEOUT_MS = 60_000;
const DIFF_BYTES = 8 * 1024 * 1024;
/** Untracked file text included in the diff: per file and in all. */
const UNTRACKED_FILE_BYTES = 32 * 1024;
const UNTRACKED_TOTAL_BYTES = 512 * 1024;

// Settings an agent could plant in the repo's config that would run programs during status or diff.
const SAFE_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'core.quotePath=false', '-c', 'color.ui=false'];

function git(workspace: string, args: string[], opts: WorkspaceChangesOptions, maxOutputBytes = DIFF_BYTES): Promise<ProcessResult> {
  return runProcess({
    argv: ['git', ...SAFE_CONFIG, ...args],
    cwd: workspace,
    // No optional locks: a status taken for review must not fight the agent's own git for index.lock.
    env: { ...scrubbedEnv(), GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
    timeoutMs: GIT_TIMEOUT_MS,
    maxOutputBytes,
    signal: opts.signal,
  });
}

const failed = (run: ProcessResult) => run.spawnError !== undefined || run.exitCode !== 0;

/** Why git could not be used, in one line. */
function gitProblem(run: ProcessResult): string {
  if (run.spawnError) return `git cannot run (${run.spawnError})`;
  if (run.timedOut) return 'git timed out';
  return run.stderr.trim().split('\n')[0] || `git exited with ${run.exitCode ?? run.signal}`;
}

/** Entries of `git status --porcelain -z` output: two-letter status (`??` untracked) and repo-relative path; rename sources skipped. */
function parsePorcelain(output: string): { status: string; file: string }[] {
  const entries = output.split('\0');
  const files: { status: string; file: string }[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? '';
    if (entry.length < 4) continue;
    const status = entry.slice(0, 2);
    files.push({ status, file: entry.slice(3) });
    // Renames and copies are followed by their original path.
    if (/[RC]/.test(status)) i++;
  }
  return files;
}

/** A new untracked text file rendered as a diff that adds it; undefined for binary files. */
async function untrackedText(workspace: string, rel: string, budget: number): Promise<string | undefined> {
  const handle = await open(path.join(workspace, rel), 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const limit = Math.min(UNTRACKED_FILE_BYTES, budget);
    const buffer = Buffer.alloc(limit);
    const { bytesRead } = await handle.read(buffer, 0, limit, 0);
    const { size } = await handle.stat();
    const data = buffer.subarray(0, bytesRead);
    if (data.includes(0)) return undefined;
    const lines = data.toString('utf8').split('\n');
    if (lines.at(-1) === '') lines.pop();
    const cut = size > bytesRead ? [`+[… ${size - bytesRead} more bytes not shown]`] : [];
    return [`diff --git a/${rel} b/${rel}`, 'new file (untracked)', '--- /dev/null', `+++ b/${rel}`, ...lines.map((l) => `+${l}`), ...cut, ''].join('\n');
  } finally {
    await handle.close();
  }
}

/** The changed files and diff of `workspace` when it is inside a git work tree; a note saying so otherwise. Never throws for "not a repo". */
export async function workspaceChanges(workspace: string, opts: WorkspaceChangesOptions = {}): Promise<WorkspaceChanges> {
  const checked = <T extends ProcessResult>(run: T): T => {
    if (run.aborted || opts.signal?.aborted) throw cancellation(opts.signal ?? AbortSignal.abort());
    return run;
  };
  const none = (why: string): WorkspaceChanges => ({
    changedFiles: [],
    diff: `No version control: ${why}. Changed files cannot be listed; review the workspace files directly.\n`,
    gitAvailable: false,
  });

  const where = checked(await git(workspace, ['rev-parse', '--is-inside-work-tree', '--show-prefix'], opts, 64 * 1024));
  const [inside, prefix = ''] = where.stdout.split('\n');
  if (failed(where) || inside !== 'true') return none(`${workspace} is not inside a git work tree (${gitProblem(where)})`);

  const status = checked(await git(workspace, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.'], opts));
  if (failed(status)) return none(`git status failed in ${workspace} (${gitProblem(status)})`);
  const entries = parsePorcelain(status.stdout).map((e) => ({ ...e, file: e.file.startsWith(prefix) ? e.file.slice(prefix.length) : e.file }));
  const changedFiles = entries.map((e) => e.file);
  const untracked = entries.filter((e) => e.status === '??').map((e) => e.file);

  const hasHead = !failed(checked(await git(workspace, ['rev-parse', '--verify', '--quiet', 'HEAD'], opts, 4096)));
  const base = opts.base ? [opts.base] : hasHead ? ['HEAD'] : ['--cached'];
  if (opts.base) {
    // Files the agent committed on its branch since the base are its changes too.
    const committed = checked(await git(workspace, ['diff', '--name-only', '-z', '--no-renames', '--relative', opts.base, 'HEAD', '--', '.'], opts));
    if (failed(committed)) return none(`git diff against ${opts.base} failed in ${workspace} (${gitProblem(committed)})`);
    for (const file of committed.stdout.split('\0')) if (file && !changedFiles.includes(file)) changedFiles.push(file);
  }
  const diffRun = checked(await git(workspace, ['diff', '--no-ext-diff', '--no-textconv', '--relative', ...base, '--', '.'], opts));
  const parts = [failed(diffRun) ? `[git diff failed: ${gitProblem(diffRun)}]\n` : diffRun.stdout];
  if (diffRun.stdoutBytes > DIFF_BYTES) parts.push(`[diff cut: ${diffRun.stdoutBytes} bytes, the first ${DIFF_BYTES} kept]\n`);

  let budget = UNTRACKED_TOTAL_BYTES;
  for (const rel of untracked) {
    if (budget <= 0) {
      parts.push(`[untracked files not shown beyond ${UNTRACKED_TOTAL_BYTES} bytes]\n`);
      break;
    }
    const text = await untrackedText(workspace, rel, budget);
    if (text === undefined) continue;
    parts.push(text);
    budget -= Buffer.byteLength(text);
  }
  const diff = parts.join('');
  return { changedFiles, diff: diff || 'No changes: the workspace matches the last commit.\n', gitAvailable: true };
}
