import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { BatonClient } from '../../src/client/baton-client';
import { freePort } from '../../src/server/free-port';
import type { StatusView } from '../../src/shared/status';
import { sleep } from './processes';

/** Where the drills reach Temporal; always loopback. */
export interface ServerTarget {
  address: string;
  namespace: string;
}

/** Progress lines; the test versions stay quiet. */
export type Log = (message: string) => void;

/** Refuse anything but loopback: the drills kill and restart things and must never touch a shared server. */
function assertLoopback(address: string): void {
  if (!/^(127\.\d+\.\d+\.\d+|localhost|\[::1\]):\d+$/.test(address)) throw new Error(`chaos drills run on loopback only, not ${address}`);
}

/** A typed client on its own connection. */
export async function connectBaton(target: ServerTarget): Promise<{ baton: BatonClient; close(): Promise<void> }> {
  assertLoopback(target.address);
  const connection = await Connection.connect({ address: target.address });
  const baton = new BatonClient(new Client({ connection, namespace: target.namespace }), connection, target.namespace);
  return { baton, close: () => connection.close() };
}

/** Poll `read` until `ok` holds; errors (a server that is down, a worker not yet polling) only mean "not yet". */
export async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, what: string, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const why = last !== undefined ? `last value: ${JSON.stringify(last).slice(0, 1500)}` : `last error: ${(lastError as Error)?.message ?? lastError}`;
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}; ${why}`);
    }
    await sleep(everyMs);
  }
}

/** True once the session has ended and every objective has finished. */
export function settled(s: StatusView): boolean {
  return s.phase === 'idle' && s.objectives.length > 0 && s.objectives.every((o) => o.status === 'completed' || o.status === 'failed');
}

/** A short summary of a status for progress lines and failure messages. */
export function progress(s: StatusView): string {
  const count = (st: string) => s.tasks.filter((t) => t.status === st).length;
  return `${s.phase}, ${count('completed')}/${s.tasks.length} tasks completed, ${s.runningAgents.length} running`;
}

/** Each project's progress, or why it could not be read: one line each, for a failure message. */
export async function progressOfEach(baton: BatonClient, projects: string[]): Promise<string> {
  const lines = await Promise.all(projects.map((p) => baton.status(p).then((s) => `${p}: ${progress(s)}`, (e: Error) => `${p}: ${e.message}`)));
  return lines.join('\n');
}

/** A fresh temp directory; removed by the caller. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `baton-chaos-${prefix}-`));
}

/** Remove a temp directory, ignoring one that is already gone. */
export function removeDir(dir: string | undefined): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

/** A project name unique to this run. */
export function projectName(prefix: string, i: number): string {
  return `chaos-${prefix}-${Date.now().toString(36)}-${i}`;
}

/** Seeded pseudo-random numbers (mulberry32), so a failing drill can be replayed with CHAOS_SEED. */
export function rng(seed: number): { next(): number; between(min: number, max: number): number; pick<T>(items: readonly T[]): T } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (min, max) => Math.floor(min + next() * (max - min + 1)),
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error('pick from an empty list');
      return item;
    },
  };
}

/** The seed for this run: $CHAOS_SEED or the clock. */
export function chaosSeed(): number {
  const fromEnv = Number(process.env.CHAOS_SEED);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Date.now() % 2 ** 31;
}

/** A drill-wide time limit: every wait is capped by what is left, so a drill ends (and cleans up) before its caller gives up. */
export interface Budget {
  left(): number;
  /** `ms`, or what is left of the budget if that is less (never under a second, so a last check can still run). */
  cap(ms: number): number;
}

/** A budget of `ms` from now. */
export function budget(ms: number): Budget {
  const end = Date.now() + ms;
  return { left: () => Math.max(0, end - Date.now()), cap: (wait) => Math.max(1000, Math.min(wait, end - Date.now())) };
}

/** A free loopback port that is not the user's own server or UI (7233/8233). */
export async function drillPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port !== 7233 && port !== 8233) return port;
  }
}
