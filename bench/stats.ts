import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** Median and spread of repeated samples. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  n: number;
  samples: number[];
}

/** Median, min and max of `samples` (which must not be empty). */
export function summarize(samples: number[]): Summary {
  if (!samples.length) throw new Error('no samples to summarize');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, n: samples.length, samples };
}

/** Element-wise a[i] / b[i], for ratios of paired repeats. */
export function pairedRatios(a: number[], b: number[]): number[] {
  return a.map((x, i) => x / (b[i] as number));
}

let gcFn: (() => void) | undefined;

/** A full garbage collection, so RSS readings compare like with like (no --expose-gc needed). */
export function collectGarbage(): void {
  if (!gcFn) {
    v8.setFlagsFromString('--expose-gc');
    gcFn = vm.runInNewContext('gc') as () => void;
  }
  gcFn();
}

/** This process's resident set size in MiB, after a full GC. */
export function ownRssMiB(): number {
  collectGarbage();
  return process.memoryUsage().rss / 2 ** 20;
}

/** Another process's resident set size in MiB (Linux: /proc/<pid>/status). */
export function rssMiB(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
  if (!line) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(line[1]) / 1024;
}

let clockTicks: number | undefined;

/** CPU seconds (user + system) a process has used so far (Linux: /proc/<pid>/stat fields 14 and 15). */
export function cpuSeconds(pid: number): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces, so count fields from after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/** Per cent of one core a process used while `during` ran. */
export async function cpuPercentDuring(pid: number, during: () => Promise<void>): Promise<number> {
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  await during();
  return (100 * (cpuSeconds(pid) - cpu0)) / ((performance.now() - t0) / 1000);
}

/** Resolve after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Run `fn` over `items` with at most `limit` calls in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
