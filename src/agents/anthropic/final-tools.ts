import { z } from 'zod';
import { planProblem } from '../plan-check';
import { PlannedTask, SynthesisResult } from '../../shared/activity-types';
import { Failure } from '../../shared/failures';
import { describeIssues } from '../../shared/zod-errors';
import { ModelReport } from '../report';

/** Result of checking what the model handed to a final tool. */
export type FinalCheck<T> = { ok: true; value: T } | { ok: false; problem: string; failure: Failure };

/** The tool that ends a loop: the model calls it with its report, plan or synthesis, which is checked before it is accepted. */
export interface FinalTool<T> {
  name: string;
  description: string;
  input: z.ZodType;
  check(input: unknown): FinalCheck<T>;
}

function parsed<S extends z.ZodType>(schema: S, input: unknown, what: string): FinalCheck<z.infer<S>> {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problem: `the ${what} is invalid: ${describeIssues(result.error, 5)}`, failure: Failure.LlmInvalidOutput };
}

/** `submit_report`: a specialist's final report. */
export const submitReport: FinalTool<ModelReport> = {
  name: 'submit_report',
  description: 'Submit your final report. Call it once, when the work is done or cannot be done; the run ends with it.',
  input: ModelReport,
  check: (input) => parsed(ModelReport, input, 'report'),
};

/** Most tasks one plan may have (the same bound planObjective enforces). */
const MAX_TASKS = 30;
const PlanInput = z.strictObject({ tasks: z.array(PlannedTask).min(1).max(MAX_TASKS) });

/** `submit_plan`: the planner's task graph, checked for duplicate keys, unknown dependencies and cycles. */
export const submitPlan: FinalTool<PlannedTask[]> = {
  name: 'submit_plan',
  description: 'Submit the task graph for the objective. Keys are unique; dependsOn names keys of this plan; no cycles.',
  input: PlanInput,
  check(input) {
    const result = parsed(PlanInput, input, 'plan');
    if (!result.ok) return result;
    const problem = planProblem(result.value.tasks);
    return problem ? { ok: false, problem: `the plan is invalid: ${problem}`, failure: Failure.PlanInvalid } : { ok: true, value: result.value.tasks };
  },
};

const SynthesisInput = SynthesisResult.omit({ usage: true });

/** `submit_synthesis`: agreements, conflicts, patterns, unknowns, insights and decisions. */
export const submitSynthesis: FinalTool<z.infer<typeof SynthesisInput>> = {
  name: 'submit_synthesis',
  description: 'Submit the synthesis of the session outputs: agreements, conflicts, patterns, unknowns, insights and proposed decisions.',
  input: SynthesisInput,
  check: (input) => parsed(SynthesisInput, input, 'synthesis'),
};
