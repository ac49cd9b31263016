import type { BenchEnv } from '../env';
import { MAX_TASKS_PER_PLAN, objectiveTexts, scenarioYaml, writeScenario } from '../scenario';
import { pairedRatios, summarize, type Summary } from '../stats';
import type { ActivitySpan, TaskBreakdown } from '../history';
import { benchProject, medianBreakdown, timeBaton, timeFloor, type Breakdowns } from './measure';

/** Sizes for the dependency-chain benchmark. */
export interface ChainSizes {
  /** Asked-for depth; a chain lives in one plan, so it is capped at the plan limit. */
  depth: number;
  repeats: number;
}

/** Latency of one dependency hop against one sequential activity of the floor. */
export interface ChainResult {
  requestedDepth: number;
  depth: number;
  batonMsPerHop: Summary;
  floorMsPerHop: Summary;
  ratio: number;
  pairedRatio: Summary;
  breakdown: Breakdowns;
}

/** From the first agent scheduled to the last result seen, per hop. */
const perHop = (s: ActivitySpan, depth: number): number => (s.lastResultSeenMs - s.firstScheduledMs) / depth;

/** Benchmark 3: a chain of zero-latency tasks, each depending on the one before, vs N sequential no-op activities. */
export async function benchChain(env: BenchEnv, sizes: ChainSizes, maxAgents: number, log: (m: string) => void): Promise<ChainResult> {
  // Dependencies only reach within one objective's plan, and a plan holds at most MAX_TASKS_PER_PLAN tasks.
  const depth = Math.min(sizes.depth, MAX_TASKS_PER_PLAN);
  const scenario = writeScenario(env.dataDir, 'chain', scenarioYaml({ tasks: depth, shape: 'chain', delayMs: 0 }));
  const baton: number[] = [];
  const floor: number[] = [];
  const batonParts: TaskBreakdown[] = [];
  const floorParts: TaskBreakdown[] = [];
  const chainRun = (i: number | string) =>
    timeBaton(env, { project: benchProject('chain', i), scenario, objectives: objectiveTexts(1), maxAgents, expectTasks: depth, timeoutMs: 300_000 });
  // Untimed first passes, so a fresh worker's first-use costs fall on neither side.
  await chainRun('warmup');
  await timeFloor(env, 'floorChain', { tasks: depth, concurrency: 1, delayMs: 0 });
  for (let r = 0; r < sizes.repeats; r++) {
    const runBaton = async () => {
      const t = await chainRun(r);
      baton.push(perHop(t.span, depth));
      batonParts.push(t.breakdown);
    };
    const runFloor = async () => {
      const f = await timeFloor(env, 'floorChain', { tasks: depth, concurrency: 1, delayMs: 0 });
      floor.push(perHop(f.span, depth));
      floorParts.push(f.breakdown);
    };
    if (r % 2 === 0) await runBaton().then(runFloor);
    else await runFloor().then(runBaton);
    log(`chain ${r + 1}/${sizes.repeats}: baton ${baton[r]?.toFixed(1)} ms/hop, floor ${floor[r]?.toFixed(1)} ms/hop`);
  }
  const b = summarize(baton);
  const f = summarize(floor);
  return {
    requestedDepth: sizes.depth,
    depth,
    batonMsPerHop: b,
    floorMsPerHop: f,
    ratio: b.median / f.median,
    pairedRatio: summarize(pairedRatios(baton, floor)),
    breakdown: { baton: medianBreakdown(batonParts), floor: medianBreakdown(floorParts) },
  };
}
