import type { GrowthSizes } from './benchmarks/growth';
import type { BenchSizes } from './sizes';

/**
 * `npm run bench -- --long`: the growth benchmark at 100,000 tasks through one orchestration (33 minutes on two
 * cores). No continue-as-new threshold: the history bounds alone decide when a run hands over.
 */
export const LONG_GROWTH: GrowthSizes = {
  target: 100_000,
  tasksPerObjective: 20,
  openObjectives: 5,
  checkpoints: [1_000, 10_000, 30_000, 100_000],
  budgetMs: 2 * 3_600_000,
  latencySamples: 5,
};

/** The sizes for `--long`: the chosen sizes with the long growth run. */
export function withLongGrowth(sizes: BenchSizes): BenchSizes {
  return { ...sizes, growth: LONG_GROWTH };
}
