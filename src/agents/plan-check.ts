import type { PlannedTask } from '../shared/activity-types';
import { consensusRoleProblem } from '../shared/consensus-spec';

/** A dependency cycle among `tasks` as `a → b → a`, or undefined when the graph is acyclic. */
function findCycle(tasks: PlannedTask[]): string | undefined {
  const deps = Object.fromEntries(tasks.map((t) => [t.key, t.dependsOn]));
  const state: Record<string, 'visiting' | 'done'> = {};
  const visit = (key: string, trail: string[]): string | undefined => {
    if (state[key] === 'done') return undefined;
    if (state[key] === 'visiting') return [...trail.slice(trail.indexOf(key)), key].join(' → ');
    state[key] = 'visiting';
    for (const next of deps[key] ?? []) {
      const cycle = visit(next, [...trail, key]);
      if (cycle) return cycle;
    }
    state[key] = 'done';
    return undefined;
  };
  for (const task of tasks) {
    const cycle = visit(task.key, []);
    if (cycle) return cycle;
  }
  return undefined;
}

/** What is wrong with a plan's task graph (duplicate keys, unknown dependencies, cycles), naming the key; undefined when sound. */
export function planProblem(tasks: PlannedTask[]): string | undefined {
  const seen = new Set<string>();
  for (const task of tasks) {
    if (seen.has(task.key)) return `duplicate task key "${task.key}"`;
    seen.add(task.key);
  }
  for (const task of tasks) {
    const unknown = task.dependsOn.find((key) => !seen.has(key));
    if (unknown !== undefined) return `task "${task.key}" depends on unknown key "${unknown}"`;
  }
  const unfit = tasks.find((t) => t.consensus && consensusRoleProblem(t.role));
  if (unfit) return `task "${unfit.key}": ${consensusRoleProblem(unfit.role)}`;
  const both = tasks.find((t) => t.consensus && t.lead);
  if (both) return `task "${both.key}": a task is a lead task or a consensus task, not both`;
  const cycle = findCycle(tasks);
  return cycle ? `dependency cycle ${cycle}` : undefined;
}
