import type { BatonClient } from '../../src/client/baton-client';
import type { DrillFigures } from './figures';
import { type Budget, projectName } from './harness';
import { objectiveText, tasksPerOrchestration, type WorkShape } from './scenario';
import { checkExactlyOnce } from './verify';

/** Size of a drill that kills a process under running orchestrations (workers or the dev server). */
export interface KillDrillSize {
  runs: number;
  /** Runs are added (up to `maxRuns`) until this many kills happened. */
  minKills: number;
  maxRuns: number;
  killsPerRun: number;
  workers: number;
  orchestrationsPerRun: number;
  shape: WorkShape;
  maxAgents: number;
  /** Pause before each kill, picked at random in this range. */
  killGapMs: [number, number];
  runTimeoutMs: number;
  /** The whole drill ends within this, passed or not. */
  budgetMs: number;
}

/** Whether to start another run: the planned runs, then more (up to `maxRuns`) while kills fall short, all within the budget. */
export function anotherRun(figures: DrillFigures, size: KillDrillSize, time: Budget): boolean {
  return (figures.runs < size.runs || (figures.kills < size.minKills && figures.runs < size.maxRuns)) && time.left() > 30_000;
}

/** A problem when the drill ended with fewer kills than it promised. */
export function checkKills(figures: DrillFigures, size: KillDrillSize): void {
  if (figures.kills < size.minKills) figures.problems.push(`only ${figures.kills} kills happened, not ${size.minKills}: the runs settled first or the time budget ran out`);
}

/** Start one run's orchestrations, adding each to `projects` as it starts so a failure part-way still cleans up. */
export async function startOrchestrations(
  baton: BatonClient,
  figures: DrillFigures,
  size: KillDrillSize,
  where: { prefix: string; run: number; scenario: string },
  projects: string[],
): Promise<void> {
  for (let i = 0; i < size.orchestrationsPerRun; i++) {
    const project = projectName(where.prefix, where.run * 100 + i);
    const objectives = Array.from({ length: size.shape.objectives }, (_, o) => objectiveText(o));
    await baton.start(project, { config: { scenario: where.scenario, maxAgents: size.maxAgents }, objectives });
    projects.push(project);
  }
  figures.orchestrations += projects.length;
}

/** Check every task of each settled orchestration completed exactly once, adding the counts and problems to `figures`. */
export async function tallyExactlyOnce(baton: BatonClient, figures: DrillFigures, size: KillDrillSize, projects: string[]): Promise<void> {
  for (const project of projects) {
    const check = await checkExactlyOnce(baton, project, tasksPerOrchestration(size.shape));
    figures.tasks += check.tasks;
    figures.lost += check.lost;
    figures.duplicated += check.duplicated;
    figures.details['activity retries'] = Number(figures.details['activity retries']) + check.activityRetries;
    figures.problems.push(...check.problems);
  }
}
