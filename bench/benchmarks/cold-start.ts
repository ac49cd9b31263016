import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { startDevServer } from '../../src/server/dev-server';
import { freePort } from '../../src/server/free-port';
import { resolveTemporalCli } from '../../src/server/temporal-binary';
import { BATON_SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { summarize, type Summary } from '../stats';

const BIN = path.resolve(__dirname, '../../bin/baton.js');

/** Sizes for the cold-start benchmark. */
export interface ColdStartSizes {
  repeats: number;
  timeoutMs: number;
}

/** Lines `baton demo` prints on its way to the first agent, in order. */
const MILESTONES = {
  serverStarting: /Starting the embedded Temporal dev server/,
  serverReady: /Temporal server ready/,
  workerStarting: /Starting a Baton worker/,
  orchestrationStarted: /^Orchestration \S+ started/,
  firstAgent: /▶ .* started TASK_/,
} as const;
type Milestone = keyof typeof MILESTONES;

/** From `baton demo` to its first spawned agent, against the dev server's own start on a fresh database. */
export interface ColdStartResult {
  demoToFirstAgentMs: Summary;
  /** Median milliseconds from the command's start to each line it printed. */
  milestonesMs: Partial<Record<Milestone, number>>;
  /** The floor: `startDevServer` on a fresh SQLite file with the UI, as the demo starts it. */
  bareServerStartMs: Summary;
  ratio: number;
}

/** A port whose neighbour 1000 up (the UI's) is free too, away from the defaults. */
async function portPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port === 7233 || port + 1000 > 65535) continue;
    const ui = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port + 1000, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ui) return port;
  }
}

/** Environment without anything that would point the CLI at another server, project or data dir. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^TEMPORAL_|^BATON_(PROJECT|DATA_DIR|PROFILE)$/.test(k)));
}

function runCli(args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve) => execFile(process.execPath, [BIN, ...args], { env: cleanEnv(), timeout: timeoutMs }, () => resolve()));
}

/** One `baton demo` on a fresh data dir and port, stopped (with `baton down`) once its first agent is spawned. */
async function oneDemo(timeoutMs: number): Promise<Partial<Record<Milestone, number>>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-cold-'));
  const port = await portPair();
  const seen: Partial<Record<Milestone, number>> = {};
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'demo', '--address', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no agent spawned within ${timeoutMs / 1000} s; output:\n${output.slice(-2000)}`)), timeoutMs);
      let pending = '';
      const onData = (chunk: Buffer) => {
        const at = performance.now() - t0;
        output += chunk.toString('utf8');
        pending += chunk.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          for (const [name, re] of Object.entries(MILESTONES) as [Milestone, RegExp][]) if (seen[name] === undefined && re.test(line)) seen[name] = at;
        }
        if (seen.firstAgent !== undefined) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (seen.firstAgent === undefined) reject(new Error(`baton demo exited (${code}) before an agent was spawned; output:\n${output.slice(-2000)}`));
      });
    });
    return seen;
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await runCli(['down', '--data-dir', dataDir], 60_000);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The dev server alone, started the way the demo starts it, until its namespace answers. */
async function bareServer(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-server-'));
  const port = await portPair();
  const cli = await resolveTemporalCli();
  const t0 = performance.now();
  const server = await startDevServer({ cli, port, uiPort: port + 1000, dbFile: path.join(dir, 'temporal.db'), searchAttributes: BATON_SEARCH_ATTRIBUTES });
  const ms = performance.now() - t0;
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  return ms;
}

/** Benchmark 6: `baton demo` from a cold start (binary cached, fresh data dir and ports) to its first agent. */
export async function benchColdStart(sizes: ColdStartSizes, log: (m: string) => void): Promise<ColdStartResult> {
  const runs: Partial<Record<Milestone, number>>[] = [];
  const bare: number[] = [];
  for (let r = 0; r < sizes.repeats; r++) {
    const demo = await oneDemo(sizes.timeoutMs);
    const server = await bareServer();
    runs.push(demo);
    bare.push(server);
    log(`cold start ${r + 1}/${sizes.repeats}: first agent after ${((demo.firstAgent ?? 0) / 1000).toFixed(1)} s; bare server ${(server / 1000).toFixed(1)} s`);
  }
  const demo = summarize(runs.map((m) => m.firstAgent as number));
  const milestonesMs: Partial<Record<Milestone, number>> = {};
  for (const name of Object.keys(MILESTONES) as Milestone[]) {
    const at = runs.map((m) => m[name]).filter((v): v is number => v !== undefined);
    if (at.length) milestonesMs[name] = summarize(at).median;
  }
  const b = summarize(bare);
  return { demoToFirstAgentMs: demo, milestonesMs, bareServerStartMs: b, ratio: demo.median / b.median };
}
