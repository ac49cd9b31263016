import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadDevServerSettings } from '../src/server/dev-server';
import { benchChain, type ChainResult } from './benchmarks/chain';
import { benchDelegation, type DelegationResult } from './benchmarks/delegation';
import { benchEvents, type EventsResult } from './benchmarks/events';
import { benchClaudeCode, type ClaudeCodeResult } from './benchmarks/claude-code';
import { benchColdStart, type ColdStartResult } from './benchmarks/cold-start';
import { benchGrowth, type GrowthResult } from './benchmarks/growth';
import { benchIdle, type IdleResult } from './benchmarks/idle';
import { benchLanding, type LandingResult } from './benchmarks/landing';
import { benchOverhead, type OverheadResult } from './benchmarks/overhead';
import { benchParallel, type ParallelResult } from './benchmarks/parallel';
import { openBenchEnv, type BenchEnv, type ExistingServer } from './env';
import { BENCHMARKS, type BenchName, type BenchSizes } from './sizes';
import { UNTHROTTLED_DISPATCH } from './tuned-server';

/** The machine a run was measured on. */
export interface Machine {
  nproc: number;
  memoryGiB: number;
  cpuModel: string;
  node: string;
  os: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
}

/** Everything one `npm run bench` measured; written as JSON to bench/results. */
export interface BenchReport {
  startedAt: string;
  durationMs: number;
  /** Wall seconds each benchmark took (its share of the run's time budget of ten minutes). */
  secondsEach: Partial<Record<BenchName, number>>;
  machine: Machine;
  sizes: BenchSizes;
  results: {
    overhead?: OverheadResult;
    parallel?: ParallelResult;
    chain?: ChainResult;
    /** The chain again on a server whose history service polls its transfer queue without the 50 ms floor. */
    chainUnthrottled?: ChainResult & { dynamicConfig: Record<string, number> };
    idle?: IdleResult;
    growth?: GrowthResult;
    coldStart?: ColdStartResult;
    landing?: LandingResult;
    claudeCode?: ClaudeCodeResult;
    events?: EventsResult;
    /** On the server `baton server` and `baton demo` run: temporal-config/dev-server.json's dynamic config. */
    delegation?: DelegationResult;
    /** The same on the plain dev server the other benchmarks share. */
    delegationPlain?: DelegationResult;
  };
  /** Benchmarks that threw, with the message; the others still ran. */
  errors: Partial<Record<BenchName, string>>;
}

/** Options for {@link runBench}. */
export interface RunBenchOptions {
  sizes: BenchSizes;
  only?: BenchName[];
  /** Join this dev server instead of starting one (the smoke test uses the suite's). */
  server?: ExistingServer;
  log?: (m: string) => void;
}

/** The dynamic config of the server `baton server` starts (temporal-config/dev-server.json). */
function embeddedDynamicConfig(): Record<string, string | number | boolean> {
  return loadDevServerSettings(path.resolve(__dirname, '../temporal-config/dev-server.json')).dynamicConfig ?? {};
}

const describeConfig = (c: Record<string, unknown>): string => Object.entries(c).map(([k, v]) => `${k}=${String(v)}`).join(', ') || 'none';

function cpuModel(): string {
  try {
    return fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

function machine(loadAverageAtStart: number[]): Machine {
  return {
    nproc: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    cpuModel: cpuModel(),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverageAtStart,
    loadAverageAtEnd: os.loadavg(),
  };
}

/** Run the chosen benchmarks on one dev server and one in-process worker (idle and cold start use processes of their own). */
export async function runBench(opts: RunBenchOptions): Promise<BenchReport> {
  const log = opts.log ?? (() => undefined);
  const chosen = BENCHMARKS.filter((b) => !opts.only || opts.only.includes(b));
  const started = Date.now();
  const load = os.loadavg();
  const { sizes } = opts;
  const results: BenchReport['results'] = {};
  const errors: BenchReport['errors'] = {};
  const secondsEach: BenchReport['secondsEach'] = {};
  const attempt = async (name: BenchName, fn: () => Promise<void>) => {
    if (!chosen.includes(name)) return;
    log(`— ${name}`);
    const t0 = Date.now();
    try {
      await fn();
    } catch (err) {
      errors[name] = (err as Error).message.slice(0, 2000);
      log(`${name} failed: ${errors[name]}`);
    } finally {
      secondsEach[name] = Math.round((Date.now() - t0) / 100) / 10;
    }
  };

  if (chosen.some((b) => b !== 'coldStart' && b !== 'landing' && b !== 'claudeCode')) {
    const env: BenchEnv = await openBenchEnv({ maxConcurrentAgents: sizes.maxAgents, server: opts.server, log });
    try {
      await attempt('idle', async () => {
        results.idle = await benchIdle({ bundles: env.bundles, dataDir: env.dataDir, maxConcurrentAgents: sizes.maxAgents }, sizes.idle, log);
      });
      await attempt('overhead', async () => void (results.overhead = await benchOverhead(env, sizes.overhead, sizes.maxAgents, log)));
      await attempt('parallel', async () => void (results.parallel = await benchParallel(env, sizes.parallel, log)));
      await attempt('chain', async () => {
        results.chain = await benchChain(env, sizes.chain, sizes.maxAgents, log);
        // The same chain where the server's dispatch is not quantised to its transfer-queue poll rate.
        const tuned = await openBenchEnv({ maxConcurrentAgents: sizes.maxAgents, dynamicConfig: UNTHROTTLED_DISPATCH, bundles: env.bundles, log });
        try {
          results.chainUnthrottled = { ...(await benchChain(tuned, sizes.chain, sizes.maxAgents, log)), dynamicConfig: UNTHROTTLED_DISPATCH };
        } finally {
          await tuned.close();
        }
      });
      await attempt('growth', async () => void (results.growth = await benchGrowth(env, sizes.growth, sizes.maxAgents, log)));
      // A demo-sized session with events on a real nats-server against none, and watch's delay from an event to its line.
      await attempt('events', async () => void (results.events = await benchEvents(env, sizes.events, sizes.maxAgents, log)));
      // Issue 15: the same tasks flat and as lead tasks of child orchestrations, same worker agent cap.
      await attempt('delegation', async () => {
        results.delegationPlain = { ...(await benchDelegation(env, sizes.delegation, sizes.maxAgents, log)), server: 'plain dev server' };
        // The tree pays more dispatch hops than the flat run, so the server's dispatch settings weigh on the ratio: it is
        // measured again on the settings Baton's own server runs with.
        const dynamicConfig = embeddedDynamicConfig();
        const embedded = await openBenchEnv({ maxConcurrentAgents: sizes.maxAgents, dynamicConfig, bundles: env.bundles, log });
        try {
          results.delegation = { ...(await benchDelegation(embedded, sizes.delegation, sizes.maxAgents, log)), server: `Baton's server settings (${describeConfig(dynamicConfig)})` };
        } finally {
          await embedded.close();
        }
      });
    } finally {
      await env.close();
    }
  }
  await attempt('coldStart', async () => void (results.coldStart = await benchColdStart(sizes.coldStart, log)));
  // Landing is git work only (no server): Baton's landing against a plain script of the same git commands.
  await attempt('landing', async () => void (results.landing = await benchLanding({ dataDir: os.tmpdir() }, sizes.landing, log)));
  // The real Claude Code binary on the fake Messages API: the runtime against a bare query() of the same mission, and stops.
  await attempt('claudeCode', async () => void (results.claudeCode = await benchClaudeCode(sizes.claudeCode, log)));
  return { startedAt: new Date(started).toISOString(), durationMs: Date.now() - started, secondsEach, machine: machine(load), sizes, results, errors };
}
