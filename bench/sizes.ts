import type { ChainSizes } from './benchmarks/chain';
import type { ClaudeCodeSizes } from './benchmarks/claude-code';
import type { ColdStartSizes } from './benchmarks/cold-start';
import type { GrowthSizes } from './benchmarks/growth';
import type { IdleSizes } from './benchmarks/idle';
import type { LandingSizes } from './benchmarks/landing';
import type { OverheadSizes } from './benchmarks/overhead';
import type { ParallelSizes } from './benchmarks/parallel';
import type { EventsSizes } from './benchmarks/events';
import type { DelegationSizes } from './benchmarks/delegation';

/** The benchmarks, in the order they run (cold start last: it starts servers of its own). */
export const BENCHMARKS = ['idle', 'overhead', 'parallel', 'chain', 'growth', 'events', 'delegation', 'coldStart', 'landing', 'claudeCode'] as const;
export type BenchName = (typeof BENCHMARKS)[number];

/** How big each benchmark is. */
export interface BenchSizes {
  /** Baton's maxAgents and the worker's agent cap (the floor gets the same). */
  maxAgents: number;
  overhead: OverheadSizes;
  parallel: ParallelSizes;
  chain: ChainSizes;
  growth: GrowthSizes;
  idle: IdleSizes;
  coldStart: ColdStartSizes;
  landing: LandingSizes;
  claudeCode: ClaudeCodeSizes;
  events: EventsSizes;
  delegation: DelegationSizes;
}

/** `npm run bench`: the sizes issue 6 asks for, bounded to about ten minutes on two cores. */
export const FULL: BenchSizes = {
  maxAgents: 20,
  overhead: { tasks: 200, tasksPerObjective: 20, repeats: 5 },
  parallel: { tasks: 100, tasksPerObjective: 20, delayMs: 500, cap: 20, repeats: 3 },
  chain: { depth: 50, repeats: 5 },
  growth: {
    target: 10_000,
    tasksPerObjective: 20,
    openObjectives: 5,
    checkpoints: [100, 1_000, 3_000, 10_000],
    budgetMs: 240_000,
    continueAsNewAfterEvents: 3_000,
    latencySamples: 5,
  },
  idle: { orchestrations: 500, windowMs: 10_000, startConcurrency: 20, timeoutMs: 180_000 },
  coldStart: { repeats: 3, timeoutMs: 120_000 },
  // Two repeats: landing is all git processes, about 100 s a repeat on two loaded cores (a third of the run at three).
  landing: { streams: 50, concurrent: 10, repeats: 2 },
  claudeCode: { repeats: 10, stops: 3 },
  // Demo-sized: the demo runs 10 tasks in 3 objectives.
  events: { objectives: 3, tasksPerObjective: 4, delayMs: 100, repeats: 5 },
  // Issue 15: 60 tasks flat against 3 lead tasks of 20; 200 ms agents, so the comparison is about orchestration cost.
  delegation: { leads: 3, tasksPerLead: 20, delayMs: 200, repeats: 9 },
};

/** The smoke version `npm test` runs: every benchmark at toy size, once, only to keep the harness working. */
export const SMOKE: BenchSizes = {
  maxAgents: 5,
  overhead: { tasks: 10, tasksPerObjective: 5, repeats: 1 },
  parallel: { tasks: 10, tasksPerObjective: 5, delayMs: 50, cap: 5, repeats: 1 },
  chain: { depth: 5, repeats: 1 },
  growth: { target: 60, tasksPerObjective: 10, openObjectives: 2, checkpoints: [10, 60], budgetMs: 90_000, continueAsNewAfterEvents: 150, latencySamples: 2 },
  idle: { orchestrations: 5, windowMs: 500, startConcurrency: 5, timeoutMs: 60_000 },
  coldStart: { repeats: 1, timeoutMs: 180_000 },
  landing: { streams: 4, concurrent: 2, repeats: 1 },
  claudeCode: { repeats: 1, stops: 1 },
  events: { objectives: 1, tasksPerObjective: 2, delayMs: 20, repeats: 1 },
  delegation: { leads: 2, tasksPerLead: 3, delayMs: 0, repeats: 1 },
};
