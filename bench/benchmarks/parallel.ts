import type { BenchEnv } from '../env';
import { objectiveTexts, scenarioYaml, writeScenario } from '../scenario';
import { summarize, type Summary } from '../stats';
import type { TaskBreakdown } from '../history';
import { benchProject, medianBreakdown, timeBaton, timeFloor, wallMs, type Breakdowns } from './measure';

/** Sizes for the parallel-efficiency benchmark. */
export interface ParallelSizes {
  tasks: number;
  tasksPerObjective: number;
  delayMs: number;
  cap: number;
  repeats: number;
}

/** How close a capped fan-out of fixed-length tasks comes to back-to-back waves. */
export interface ParallelResult {
  tasks: number;
  delayMs: number;
  cap: number;
  /** ceil(tasks / cap) waves × delayMs. */
  idealMs: number;
  batonWallMs: Summary;
  /** ideal / actual, per repeat. */
  batonEfficiency: Summary;
  /** The floor doing the same work: what Temporal itself reaches. */
  floorEfficiency: Summary;
  breakdown: Breakdowns;
}

/** Benchmark 2: `tasks` tasks of `delayMs` at `cap` agents; efficiency = ideal / actual wall time. */
export async function benchParallel(env: BenchEnv, sizes: ParallelSizes, log: (m: string) => void): Promise<ParallelResult> {
  const objectives = Math.ceil(sizes.tasks / sizes.tasksPerObjective);
  if (objectives * sizes.tasksPerObjective !== sizes.tasks) throw new Error('tasks must be a multiple of tasksPerObjective');
  const scenario = writeScenario(env.dataDir, 'parallel', scenarioYaml({ tasks: sizes.tasksPerObjective, shape: 'independent', delayMs: sizes.delayMs }));
  const idealMs = Math.ceil(sizes.tasks / sizes.cap) * sizes.delayMs;
  const wall: number[] = [];
  const floorWall: number[] = [];
  const batonParts: TaskBreakdown[] = [];
  const floorParts: TaskBreakdown[] = [];
  for (let r = 0; r < sizes.repeats; r++) {
    const t = await timeBaton(env, {
      project: benchProject('parallel', r),
      scenario,
      objectives: objectiveTexts(objectives),
      maxAgents: sizes.cap,
      expectTasks: sizes.tasks,
      timeoutMs: 300_000,
    });
    wall.push(wallMs(t.span));
    batonParts.push(t.breakdown);
    const f = await timeFloor(env, 'floorFanOut', { tasks: sizes.tasks, concurrency: sizes.cap, delayMs: sizes.delayMs });
    floorWall.push(wallMs(f.span));
    floorParts.push(f.breakdown);
    log(`parallel ${r + 1}/${sizes.repeats}: baton ${wall[r]?.toFixed(0)} ms, floor ${floorWall[r]?.toFixed(0)} ms, ideal ${idealMs} ms`);
  }
  return {
    tasks: sizes.tasks,
    delayMs: sizes.delayMs,
    cap: sizes.cap,
    idealMs,
    batonWallMs: summarize(wall),
    batonEfficiency: summarize(wall.map((w) => idealMs / w)),
    floorEfficiency: summarize(floorWall.map((w) => idealMs / w)),
    breakdown: { baton: medianBreakdown(batonParts), floor: medianBreakdown(floorParts) },
  };
}
