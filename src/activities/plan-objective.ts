import { mkdir } from 'node:fs/promises';
import { z } from 'zod';
import { planProblem } from '../agents/plan-check';
import { AgentRuntimeError, toApplicationFailure } from '../agents/runtime';
import { PlannedTask, type PlanObjectiveInput, type PlanResult } from '../shared/activity-types';
import { Failure } from '../shared/failures';
import { describeIssues } from '../shared/zod-errors';
import { PatternChoice } from '../shared/patterns';
import type { ActivityKit } from '.';
import { planAgainstRoadmaps } from './plan-streams';

/** Most tasks one objective may be planned into. */
export const MAX_PLANNED_TASKS = 30;

const PlannedTasks = z.array(PlannedTask).min(1, 'a plan needs at least one task').max(MAX_PLANNED_TASKS);

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

/** Parses the pattern a runtime stated (absent is fine: it is then derived from the plan); throws Plan.Invalid naming the field. */
export function validatePattern(stated: unknown, objectiveId: string): PatternChoice | undefined {
  if (stated === undefined) return undefined;
  const parsed = PatternChoice.safeParse(stated);
  if (parsed.success) return parsed.data;
  throw new AgentRuntimeError(Failure.PlanInvalid, `plan for ${objectiveId} is invalid: pattern: ${describeIssues(parsed.error)}`, false);
}

/** `planObjective`: objective + compact context → a validated task DAG and what planning cost, from the configured runtime. */
export function makePlanObjective(kit: ActivityKit) {
  return async function planObjective(input: PlanObjectiveInput): Promise<PlanResult> {
    try {
      const runtime = kit.runtimeFor(input.runtime);
      const ctx = kit.runContext(input.project);
      // A CLI or Claude Code planner is started in the workspace: on a fresh project it must exist first.
      await mkdir(ctx.workspace, { recursive: true });
      const planned = (input.targets?.length ? await planAgainstRoadmaps(input, runtime, ctx) : undefined) ?? (await runtime.plan(input, ctx));
      const tasks = validatePlan(planned?.tasks, input.objective.id);
      const pattern = validatePattern(planned?.pattern, input.objective.id);
      return {
        tasks,
        ...(pattern ? { pattern } : {}),
        ...(planned.interpretation ? { interpretation: planned.interpretation } : {}),
        ...(planned.usage ? { usage: planned.usage } : {}),
      };
    } catch (err) {
      throw toApplicationFailure(err);
    }
  };
}
