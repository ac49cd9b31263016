import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The Temporal CLI version Baton builds when none is installed. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/** Environment variables, as in `process.env`. */
export type Env = Record<string, string | undefined>;

/** Builds the CLI into `gobin` (a fresh temp dir); the caller moves the result into place. */
export type BuildTemporalCli = (args: { gobin: string; env: Env; logFile: string }) => Promise<void>;

/** Options for {@link resolveTemporalCli}. */
export interface ResolveTemporalCliOptions {
  env?: Env;
  onProgress?: (msg: string) => void;
  /** Replaces `go install` (tests inject a fake). */
  build?: BuildTemporalCli;
  /** How often to report a build or a wait still in progress. */
  progressIntervalMs?: number;
  /** How often a waiting process checks whether another one finished building. */
  lockPollMs?: number;
}

const EXE = process.platform === 'win32' ? '.exe' : '';
const BINARY = `temporal${EXE}`;

/** Absolute path to an executable regular file, or undefined. */
function executable(file: string): string | undefined {
  try {
    if (!fs.statSync(file).isFile()) return undefined;
    fs.accessSync(file, fs.constants.X_OK);
    return path.resolve(file);
  } catch {
    return undefined;
  }
}

/** The first executable called `name` on `env.PATH`, like `which`. */
export function findOnPath(name: string, env: Env = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const found = executable(path.join(dir, name + EXE));
    if (found) return found;
  }
  return undefined;
}

/** The per-user cache folder for the pinned CLI: `${XDG_CACHE_HOME:-~/.cache}/baton/temporal-cli/<version>`. */
export function temporalCliCacheDir(env: Env = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'baton', 'temporal-cli', TEMPORAL_CLI_VERSION);
}

/**
 * Absolute path to a Temporal CLI: `$TEMPORAL_CLI`, else `temporal` on PATH, else the per-user cache,
 * building it there with `go install` on first use.
 */
export async function resolveTemporalCli(opts: ResolveTemporalCliOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const explicit = env.TEMPORAL_CLI;
  if (explicit) {
    const found = executable(explicit);
    if (!found) throw new Error(`TEMPORAL_CLI is set to "${explicit}", which is not an executable file`);
    return found;
  }
  const onPath = findOnPath('temporal', env);
  if (onPath) return onPath;
  const cacheDir = temporalCliCacheDir(env);
  return executable(path.join(cacheDir, BINARY)) ?? buildIntoCache(cacheDir, env, opts);
}

interface LockOwner {
  pid: number;
  startedAt: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function createLock(lockFile: string): boolean {
  try {
    fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, startedAt: Date.now() }), { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** True if we now hold the lock; false if a live process does. */
function tryLock(lockFile: string): boolean {
  if (createLock(lockFile)) return true;
  let content: string;
  try {
    content = fs.readFileSync(lockFile, 'utf8');
  } catch {
    return createLock(lockFile); // released in the meantime
  }
  let owner: LockOwner | undefined;
  try {
    owner = JSON.parse(content) as LockOwner;
  } catch {
    owner = undefined;
  }
  // An unparseable lock is one being written right now, unless it has been like that for a while.
  const stale = owner ? !isAlive(owner.pid) : Date.now() - fs.statSync(lockFile).mtimeMs > 60_000;
  if (!stale) return false;
  // Taking over a dead owner's lock can race with another waiter; the worst case is a duplicate build,
  // which is still safe because each build renames its own finished binary into place.
  try {
    if (fs.readFileSync(lockFile, 'utf8') === content) fs.unlinkSync(lockFile);
  } catch {
    // someone else removed it first
  }
  return createLock(lockFile);
}

async function buildIntoCache(cacheDir: string, env: Env, opts: ResolveTemporalCliOptions): Promise<string> {
  const onProgress = opts.onProgress ?? ((msg: string) => process.stderr.write(`${msg}\n`));
  const interval = opts.progressIntervalMs ?? 15_000;
  const target = path.join(cacheDir, BINARY);
  const lockFile = path.join(cacheDir, '.build.lock');
  fs.mkdirSync(cacheDir, { recursive: true });

  const waitStart = Date.now();
  let lastReport = waitStart;
  let announced = false;
  while (!tryLock(lockFile)) {
    const done = executable(target);
    if (done) return done;
    if (!announced) {
      onProgress(`Waiting for another process to finish building Temporal CLI ${TEMPORAL_CLI_VERSION} (lock: ${lockFile})…`);
      announced = true;
    } else if (Date.now() - lastReport >= interval) {
      lastReport = Date.now();
      onProgress(`still waiting… ${Math.round((lastReport - waitStart) / 1000)}s`);
    }
    await new Promise((r) => setTimeout(r, opts.lockPollMs ?? 1000));
  }

  try {
    const done = executable(target);
    if (done) return done;
    onProgress(`Building Temporal CLI ${TEMPORAL_CLI_VERSION} with go install (first run only, takes a few minutes)…`);
    const gobin = fs.mkdtempSync(path.join(cacheDir, '.build-'));
    const started = Date.now();
    const timer = setInterval(
      () => onProgress(`still building… ${Math.round((Date.now() - started) / 1000)}s`),
      interval,
    );
    try {
      await (opts.build ?? goInstallTemporalCli)({ gobin, env, logFile: path.join(cacheDir, 'build.log') });
      const built = executable(path.join(gobin, BINARY));
      if (!built) throw new Error(`the Temporal CLI build finished but produced no ${BINARY} in ${gobin}`);
      // Same filesystem, so rename is atomic: readers see no binary or a whole one.
      fs.renameSync(built, target);
    } finally {
      clearInterval(timer);
      fs.rmSync(gobin, { recursive: true, force: true });
    }
    onProgress(`Built Temporal CLI ${TEMPORAL_CLI_VERSION} in ${Math.round((Date.now() - started) / 1000)}s: ${target}`);
    return target;
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

function tail(file: string, lines = 20): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Default build: `go install github.com/temporalio/cli/cmd/temporal@<version>` with GOBIN set. */
export const goInstallTemporalCli: BuildTemporalCli = async ({ gobin, env, logFile }) => {
  const go = findOnPath('go', env);
  if (!go) {
    throw new Error(
      `Baton needs the Temporal CLI ${TEMPORAL_CLI_VERSION}, and no "temporal" is on PATH. Fix it one of these ways:\n` +
        `  - install Go (https://go.dev/dl/) so Baton can build the CLI once into ${path.dirname(gobin)}, or\n` +
        `  - install the Temporal CLI (https://docs.temporal.io/cli) and put it on PATH, or\n` +
        `  - set TEMPORAL_CLI=/path/to/temporal`,
    );
  }
  const log = fs.openSync(logFile, 'w');
  try {
    const childEnv = Object.fromEntries(Object.entries({ ...env, GOBIN: gobin }).filter(([, v]) => v !== undefined));
    const code = await new Promise<number | null>((resolve, reject) => {
      // Stamp the version (else `temporal --version` says 0.0.0-DEV) and strip symbols to shrink the binary.
      const ldflags = `-ldflags=-s -w -X github.com/temporalio/cli/temporalcli.Version=${TEMPORAL_CLI_VERSION.slice(1)}`;
      const pkg = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;
      const child = spawn(go, ['install', ldflags, pkg], {
        env: childEnv as NodeJS.ProcessEnv,
        stdio: ['ignore', log, log],
      });
      child.once('error', reject);
      child.once('exit', resolve);
    });
    if (code !== 0) {
      throw new Error(`go install of the Temporal CLI failed (exit ${code}); log ${logFile}:\n${tail(logFile)}`);
    }
  } finally {
    fs.closeSync(log);
  }
};
