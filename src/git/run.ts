import { execFile } from 'node:child_process';

/** What one git command printed and how it exited. */
export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** A git command that exited non-zero where success was required; the message names the command and git's own words. */
export class GitError extends Error {
  override readonly name = 'GitError';
  constructor(
    readonly args: readonly string[],
    readonly result: GitResult,
    readonly cwd: string,
  ) {
    super(`git ${args.join(' ')} failed in ${cwd} (exit ${result.code}): ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' / ') || 'no output'}`);
  }
}

/** Who a commit is by: the agent as author, Baton as committer. */
export interface Identity {
  name: string;
  email: string;
}

/** Baton commits as this committer; the author is the agent (so `git log --format=%an` names who did the work). */
export const COMMITTER: Identity = { name: 'Baton', email: 'baton@baton.invalid' };

// Settings a repository (or an agent that wrote into one) could use to run programs or sign on Baton's behalf.
const SAFE_CONFIG = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '-c', 'commit.gpgsign=false', '-c', 'core.quotePath=false', '-c', 'color.ui=false'];

/** The environment git runs in: nothing inherited that points git at another repository, no prompts, messages in English. */
function gitEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  return { ...env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', ...extra };
}

/** Options for one git command. */
export interface GitOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Exit codes that are answers, not failures (`merge-base --is-ancestor` exits 1 for "no"). */
  ok?: readonly number[];
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Runs `git <args>` in `cwd`; throws GitError unless it exits 0 (or a code in `ok`). */
export function git(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      [...SAFE_CONFIG, ...args],
      { cwd, env: gitEnv(opts.env), maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 120_000, signal: opts.signal, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
        if (err && code === -1) return reject(new Error(`git ${args.join(' ')} could not run in ${cwd}: ${err.message}`));
        const result = { stdout, stderr, code };
        if (code === 0 || opts.ok?.includes(code)) resolve(result);
        else reject(new GitError(args, result, cwd));
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Environment making `identity` the author and Baton the committer. */
export function identityEnv(identity: Identity): NodeJS.ProcessEnv {
  return {
    GIT_AUTHOR_NAME: identity.name,
    GIT_AUTHOR_EMAIL: identity.email,
    GIT_COMMITTER_NAME: COMMITTER.name,
    GIT_COMMITTER_EMAIL: COMMITTER.email,
  };
}

/** `git rev-parse --verify <ref>^{commit}`, or undefined when it names no commit. */
export async function resolveCommit(cwd: string, ref: string): Promise<string | undefined> {
  const r = await git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { ok: [1, 128] });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** Absolute path of the repository's shared git directory (the same from the main tree and from every worktree). */
export async function commonDir(cwd: string): Promise<string> {
  const known = commonDirs.get(cwd);
  if (known) return known;
  const dir = (await git(cwd, ['rev-parse', '--path-format=absolute', '--git-common-dir'])).stdout.trim();
  commonDirs.set(cwd, dir);
  return dir;
}
// A repository's git directory does not move while Baton works in it; asked once per path per process.
const commonDirs = new Map<string, string>();

/** Paths (relative to `cwd`) with uncommitted changes, untracked files included unless `tracked` only; ignored files are not changes. */
export async function uncommitted(cwd: string, opts: { tracked?: boolean } = {}): Promise<string[]> {
  const out = (await git(cwd, ['status', '--porcelain=v1', '-z', `--untracked-files=${opts.tracked ? 'no' : 'all'}`])).stdout;
  const files: string[] = [];
  const parts = out.split('\0');
  for (let i = 0; i < parts.length; i++) {
    const entry = parts[i]!;
    if (entry.length < 4) continue;
    files.push(entry.slice(3));
    // A rename or copy carries its source as the next field.
    if (entry[0] === 'R' || entry[0] === 'C') i++;
  }
  return files;
}
