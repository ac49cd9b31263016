import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const BIN = process.env.CHAOS_BATON_BIN ?? path.resolve(__dirname, '../../bin/baton.js');

/** A `baton worker` subprocess the drill can kill -9 and replace. */
export interface WorkerProcess {
  readonly pid: number;
  readonly label: string;
  /** Resolves once the worker has bundled its workflows and is about to poll. */
  readonly ready: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isReady(): boolean;
  isAlive(): boolean;
  /** Last lines the worker printed, for failure messages. */
  tail(): string;
}

/** Options for {@link Fleet.startWorker}. */
export interface WorkerSpawnOptions {
  address: string;
  namespace: string;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  args?: string[];
  readyTimeoutMs?: number;
}

const interruptHooks = new Set<() => void>();

/** Run `hook` if the drill is interrupted (Ctrl-C); returns a function that forgets it. */
export function onInterrupt(hook: () => void): () => void {
  interruptHooks.add(hook);
  return () => interruptHooks.delete(hook);
}

/** kill -9 everything the drills started (by pid and marker); for SIGINT/SIGTERM handlers. */
export function killEverythingNow(): void {
  for (const hook of interruptHooks) hook();
}

/** Every process a drill starts, so each one is killed (by pid) however the drill ends. */
export class Fleet {
  private readonly children = new Set<ChildProcess>();
  private started = 0;

  constructor() {
    onInterrupt(() => {
      for (const child of this.children) child.kill('SIGKILL');
    });
  }

  /** Start `node bin/baton.js worker` against `address`, sharing `dataDir` with the other workers. */
  startWorker(opts: WorkerSpawnOptions): WorkerProcess {
    const label = `worker-${++this.started}`;
    const args = [BIN, 'worker', '--address', opts.address, '--namespace', opts.namespace, '--data-dir', opts.dataDir, ...(opts.args ?? [])];
    const child = spawn(process.execPath, args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.children.add(child);
    let output = '';
    let ready = false;
    let alive = true;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => {
        alive = false;
        this.children.delete(child);
        resolve({ code, signal });
      }),
    );
    const readyPromise = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${label} did not start within ${(opts.readyTimeoutMs ?? 120_000) / 1000}s:\n${output.slice(-2000)}`)), opts.readyTimeoutMs ?? 120_000);
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-8000);
        if (!ready && output.includes('Baton worker (pid')) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      void exited.then(({ code, signal }) => {
        clearTimeout(timer);
        if (!ready) reject(new Error(`${label} exited (${signal ?? code}) before it was ready:\n${output.slice(-2000)}`));
      });
    });
    // A rejected readiness is reported where it is awaited; never as an unhandled rejection.
    readyPromise.catch(() => undefined);
    if (child.pid === undefined) throw new Error(`could not start ${label}`);
    return { pid: child.pid, label, ready: readyPromise, exited, isReady: () => ready && alive, isAlive: () => alive, tail: () => output.slice(-2000) };
  }

  /** kill -9 one worker and wait until it is gone. */
  async kill(worker: WorkerProcess): Promise<void> {
    try {
      process.kill(worker.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    await worker.exited;
  }

  /** Stop every process still running: SIGTERM, then SIGKILL after `graceMs`. */
  async stopAll(graceMs = 10_000): Promise<void> {
    const children = [...this.children];
    for (const child of children) child.kill('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (children.some((c) => c.exitCode === null && c.signalCode === null) && Date.now() < deadline) await sleep(100);
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
  }
}

/** Pids of processes whose command line contains `marker` (Linux /proc; none elsewhere). */
export function processesWith(marker: string): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      // A zombie (dead, not yet reaped) has an empty cmdline, so it does not count.
      if (cmdline.includes(marker)) pids.push(Number(entry));
    } catch {
      // Exited while we looked.
    }
  }
  return pids;
}

/** kill -9 the processes carrying `marker`; returns how many there were. */
export function killMarked(marker: string): number {
  const pids = processesWith(marker);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return pids.length;
}

/** Whether a process with this pid exists (and is not ours to reap). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
