import type { BenchEnv } from '../env';
import { objectiveTexts, scenarioYaml, writeScenario } from '../scenario';
import { pairedRatios, summarize, type Summary } from '../stats';
import type { TaskBreakdown } from '../history';
import { benchProject, medianBreakdown, timeBaton, timeFloor, wallMs, type Breakdowns } from './measure';

/** Sizes for the overhead benchmark. */
export interface OverheadSizes {
  tasks: number;
  tasksPerObjective: number;
  repeats: number;
}

/** Per-task cost of a full orchestration against the floor fanning out the same no-op work. */
export interface OverheadResult {
  tasks: number;
  objectives: number;
  maxAgents: number;
  batonMsPerTask: Summary;
  floorMsPerTask: Summary;
  /** Median Baton / median floor. */
  ratio: number;
  /** Baton / floor of each repeat. */
  pairedRatio: Summary;
  /** Start to rest (planning, agents, synthesis, persisted context), per task. */
  batonSessionMsPerTask: Summary;
  breakdown: Breakdowns;
}

/** Benchmark 1: N zero-latency tasks (objectives of `tasksPerObjective` independent tasks) vs N no-op activities. */
export async function benchOverhead(env: BenchEnv, sizes: OverheadSizes, maxAgents: number, log: (m: string) => void): Promise<OverheadResult> {
  const objectives = Math.ceil(sizes.tasks / sizes.tasksPerObjective);
  if (objectives * sizes.tasksPerObjective !== sizes.tasks) throw new Error('tasks must be a multiple of tasksPerObjective');
  const scenario = writeScenario(env.dataDir, 'overhead', scenarioYaml({ tasks: sizes.tasksPerObjective, shape: 'independent', delayMs: 0 }));
  const baton = (i: number | string, objs: number) =>
    timeBaton(env, {
      project: benchProject('overhead', i),
      scenario,
      objectives: objectiveTexts(objs),
      maxAgents,
      expectTasks: objs * sizes.tasksPerObjective,
      timeoutMs: 300_000,
    });
  const floor = (tasks: number) => timeFloor(env, 'floorFanOut', { tasks, concurrency: maxAgents, delayMs: 0 });

  // One small untimed pass each, so neither side pays for first-use compilation and caches.
  await baton('warmup', 1);
  await floor(sizes.tasksPerObjective);
  const batonMs: number[] = [];
  const sessionMs: number[] = [];
  const floorMs: number[] = [];
  const batonParts: TaskBreakdown[] = [];
  const floorParts: TaskBreakdown[] = [];
  for (let r = 0; r < sizes.repeats; r++) {
    // Alternate which side goes first, so drift in machine load falls on both.
    const runBaton = async () => {
      const t = await baton(r, objectives);
      batonMs.push(wallMs(t.span) / sizes.tasks);
      sessionMs.push(t.sessionMs / sizes.tasks);
      batonParts.push(t.breakdown);
    };
    const runFloor = async () => {
      const t = await floor(sizes.tasks);
      floorMs.push(wallMs(t.span) / sizes.tasks);
      floorParts.push(t.breakdown);
    };
    if (r % 2 === 0) await runBaton().then(runFloor);
    else await runFloor().then(runBaton);
    log(`overhead ${r + 1}/${sizes.repeats}: baton ${batonMs[r]?.toFixed(1)} ms/task, floor ${floorMs[r]?.toFixed(1)} ms/task`);
  }
  const b = summarize(batonMs);
  const f = summarize(floorMs);
  return {
    tasks: sizes.tasks,
    objectives,
    maxAgents,
    batonMsPerTask: b,
    floorMsPerTask: f,
    ratio: b.median / f.median,
    pairedRatio: summarize(pairedRatios(batonMs, floorMs)),
    batonSessionMsPerTask: summarize(sessionMs),
    breakdown: { baton: medianBreakdown(batonParts), floor: medianBreakdown(floorParts) },
  };
}
