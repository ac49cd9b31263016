import * as fs from 'node:fs';
import * as path from 'node:path';
import { MAX_PLANNED_TASKS } from '../src/activities/plan-objective';

/** Most tasks one plan may hold (`planObjective` caps it; the scenario schema's own cap is the same today). */
export const MAX_TASKS_PER_PLAN = MAX_PLANNED_TASKS;

/** The word every benchmark objective contains, so each one picks the single plan of its scenario. */
export const PLAN_MATCH = 'bench batch';

const ROLES = ['researcher', 'analyst', 'developer', 'reviewer', 'qa'] as const;

/** A scenario of one plan: `tasks` independent tasks, or a chain where each depends on the one before. */
export function scenarioYaml(opts: { tasks: number; shape: 'independent' | 'chain'; delayMs: number }): string {
  if (opts.tasks < 1 || opts.tasks > MAX_TASKS_PER_PLAN) throw new Error(`a plan holds 1–${MAX_TASKS_PER_PLAN} tasks, not ${opts.tasks}`);
  const lines = Array.from({ length: opts.tasks }, (_, j) => {
    const deps = opts.shape === 'chain' && j > 0 ? `[t${j - 1}]` : '[]';
    return `      - { key: t${j}, role: ${ROLES[j % ROLES.length]}, mission: "Benchmark step ${j}", dependsOn: ${deps} }`;
  });
  // `files: []` still writes the default note: the agent's one file write is part of what is measured.
  return `name: bench\nplans:\n  - match: "${PLAN_MATCH}"\n    tasks:\n${lines.join('\n')}\ndefaults: { delayMs: ${opts.delayMs}, files: [] }\n`;
}

/** Write a scenario into `dir` and return its absolute path (workers read it per activity). */
export function writeScenario(dir: string, name: string, yaml: string): string {
  const file = path.resolve(dir, `scenario-${name}.yaml`);
  fs.writeFileSync(file, yaml);
  return file;
}

/** Objective texts that all match the benchmark plan. */
export function objectiveTexts(count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => `Run ${PLAN_MATCH} ${from + i + 1}`);
}
