import { spawn } from 'node:child_process';

/** What to run: argv (never a shell), where, with what environment and input, within which limits. */
export interface ProcessSpec {
  argv: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin?: string;
  timeoutMs: number;
  /** Bytes kept per stream; the rest is counted but dropped. */
  maxOutputBytes: number;
  /** Aborting kills the whole process group. */
  signal?: AbortSignal;
}

/** How a process ended and what it printed (each stream cut at `maxOutputBytes`). */
export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutBytes: number;
  stderrBytes: number;
  timedOut: boolean;
  aborted: boolean;
  /** Set when the command could not start at all (ENOENT, EACCES). */
  spawnError?: string;
}

/** Environment variable names that look like credentials; never handed to agent processes. */
const SECRET = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE)/i;
/** Variables a build or test tool commonly needs; everything else stays behind. */
const PASSED = /^(PATH|HOME|USER|LOGNAME|SHELL|LANG|LANGUAGE|LC_[A-Z_]+|TERM|TZ|TMPDIR|TMP|TEMP|PWD|CI|NODE_OPTIONS|NODE_PATH|NVM_DIR|GOPATH|GOROOT|GOCACHE|CARGO_HOME|RUSTUP_HOME|JAVA_HOME|PYTHONPATH|VIRTUAL_ENV|XDG_[A-Z_]+)$/;

/** `env` reduced to an allow-list of harmless variables, minus anything credential-like (ANTHROPIC_API_KEY never passes). */
export function scrubbedEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && PASSED.test(name) && !SECRET.test(name)) kept[name] = value;
  }
  return kept;
}

/** Kills `pid`'s whole process group (it was spawned detached, so it leads one); ignores one that is gone. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already exited.
  }
}

/** Runs `spec.argv` in its own process group; timeout and abort kill the group, so grandchildren die too. */
export function runProcess(spec: ProcessSpec): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const [command, ...args] = spec.argv;
    const out = { stdout: [] as Buffer[], stderr: [] as Buffer[], stdoutBytes: 0, stderrBytes: 0 };
    let timedOut = false;
    let aborted = false;
    let spawnError: string | undefined;
    const child = spawn(command ?? '', args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const key = stream === 'stdout' ? 'stdoutBytes' : 'stderrBytes';
      const room = spec.maxOutputBytes - out[key];
      if (room > 0) out[stream].push(chunk.subarray(0, room));
      out[key] += chunk.length;
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    child.stdin.on('error', () => undefined);
    child.stdin.end(spec.stdin ?? '');
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, spec.timeoutMs);
    const onAbort = () => {
      aborted = true;
      killGroup(child.pid);
    };
    if (spec.signal?.aborted) onAbort();
    spec.signal?.addEventListener('abort', onAbort);
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = `${err.code ?? 'error'}: ${err.message}`;
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
      // The leader exited; stragglers it left in the group go too.
      killGroup(child.pid);
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(out.stdout).toString('utf8'),
        stderr: Buffer.concat(out.stderr).toString('utf8'),
        stdoutBytes: out.stdoutBytes,
        stderrBytes: out.stderrBytes,
        timedOut,
        aborted,
        ...(spawnError === undefined ? {} : { spawnError }),
      });
    });
  });
}
