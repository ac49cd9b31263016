import { z } from 'zod';
import { AgentRuntimeError, toApplicationFailure } from '../agents/runtime';
import { PlannedTask, type PlanObjectiveInput } from '../shared/activity-types';
import { Failure } from '../shared/failures';
import { describeIssues } from '../shared/zod-errors';
import type { ActivityKit } from './index';

/** Most tasks one objective may be planned into. */
export const MAX_PLANNED_TASKS = 30;

const PlannedTasks = z.array(PlannedTask).min(1, 'a plan needs at least one task').max(MAX_PLANNED_TASKS);

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
  const cycle = findCycle(tasks);
  return cycle ? `dependency cycle ${cycle}` : undefined;
}

/** Parses and checks what a runtime planned; throws a non-retryable Plan.Invalid naming the problem. */
export function validatePlan(planned: unknown, objectiveId: string): PlannedTask[] {
  const parsed = PlannedTasks.safeParse(planned);
  if (!parsed.success) {
    throw new AgentRuntimeError(Failure.PlanInvalid, `plan for ${objectiveId} is invalid: ${describeIssues(parsed.error)}`, false);
  }
  const problem = planProblem(parsed.data);
  if (problem) throw new AgentRuntimeError(Failure.PlanInvalid, `plan for ${objectiveId} is invalid: ${problem}`, false);
  return parsed.data;
}

/** `planObjective`: objective + compact context → a validated task DAG, from the configured runtime. */
export function makePlanObjective(kit: ActivityKit) {
  return async function planObjective(input: PlanObjectiveInput): Promise<PlannedTask[]> {
    try {
      const runtime = kit.runtimeFor(input.runtime);
      const planned = await runtime.plan(input, kit.runContext(input.project));
      return validatePlan(planned, input.objective.id);
    } catch (err) {
      throw toApplicationFailure(err);
    }
  };
}
