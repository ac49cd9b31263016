import { z } from 'zod';
import { planProblem } from '../plan-check';
import { GoalInterpretation, PlannedTask, SynthesisResult, type OpenStream } from '../../shared/activity-types';
import { Failure } from '../../shared/failures';
import { describeIssues } from '../../shared/zod-errors';
import { ModelReport } from '../report';
import { PatternChoice } from '../../shared/patterns';

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
const PlanInput = z.strictObject({
  tasks: z.array(PlannedTask).min(1).max(MAX_TASKS),
  interpretation: z
    .strictObject({
      goalType: GoalInterpretation.shape.goalType,
      recommendation: z.string().trim().min(1).max(2000).describe('What to do about the goal, in a sentence or two'),
    })
    .optional()
    .describe('How you read the goal against the open work streams; required when streams are listed'),
  pattern: PatternChoice.optional().describe("Which of the four orchestration patterns the plan follows, and why"),
});

/** A checked plan: its tasks and, when streams were offered, how the planner read the goal. */
export interface SubmittedPlan {
  tasks: PlannedTask[];
  interpretation?: GoalInterpretation;
  pattern?: PatternChoice;
}

/** What is wrong with the tasks' streams against the ones offered (unknown ref, a stream worked twice), or undefined. */
function streamProblem(tasks: readonly PlannedTask[], openStreams: readonly OpenStream[]): string | undefined {
  const open = new Set(openStreams.map((s) => s.ref));
  const workedBy: Record<string, string> = {};
  for (const task of tasks) {
    if (task.stream === undefined) continue;
    if (!open.has(task.stream)) {
      const offered = open.size ? `open streams: ${[...open].join(', ')}` : 'no streams are open';
      return `task "${task.key}" works unknown stream "${task.stream}" (${offered})`;
    }
    const other = workedBy[task.stream];
    if (other !== undefined) return `stream "${task.stream}" is worked by both "${other}" and "${task.key}" (one task per stream)`;
    workedBy[task.stream] = task.key;
  }
  return undefined;
}

/** Checks a submitted plan: the graph (duplicate keys, unknown dependencies, cycles), its streams, and the interpretation streams require. */
export function checkPlan(input: unknown, openStreams: readonly OpenStream[] = []): FinalCheck<SubmittedPlan> {
  const result = parsed(PlanInput, input, 'plan');
  if (!result.ok) return result;
  const { tasks, interpretation, pattern } = result.value;
  const problem = planProblem(tasks) ?? streamProblem(tasks, openStreams);
  if (problem) return { ok: false, problem: `the plan is invalid: ${problem}`, failure: Failure.PlanInvalid };
  if (openStreams.length && !interpretation) {
    return { ok: false, problem: 'the plan is invalid: interpretation: is required when open streams are listed (goalType and recommendation)', failure: Failure.LlmInvalidOutput };
  }
  const stated = pattern ? { pattern } : {};
  if (!interpretation) return { ok: true, value: { tasks, ...stated } };
  const matchingStreams = tasks.flatMap((t) => (t.stream === undefined ? [] : [t.stream]));
  return { ok: true, value: { tasks, interpretation: { ...interpretation, matchingStreams, by: 'llm' }, ...stated } };
}

/** `submit_plan` for a planner offered `openStreams`: the task graph, each stream task's ref checked against them. */
export function submitPlanFor(openStreams: readonly OpenStream[] = []): FinalTool<SubmittedPlan> {
  return {
    name: 'submit_plan',
    description: openStreams.length
      ? 'Submit the task graph and your interpretation of the objective. Keys are unique; dependsOn names keys of this plan; no cycles; stream is the ref of an open stream, one task per stream.'
      : 'Submit the task graph for the objective. Keys are unique; dependsOn names keys of this plan; no cycles.',
    input: PlanInput,
    check: (input) => checkPlan(input, openStreams),
  };
}

/** `submit_plan` without open streams. */
export const submitPlan: FinalTool<SubmittedPlan> = submitPlanFor();

const SynthesisInput = SynthesisResult.omit({ usage: true });

/** `submit_synthesis`: agreements, conflicts, patterns, unknowns, insights and decisions. */
export const submitSynthesis: FinalTool<z.infer<typeof SynthesisInput>> = {
  name: 'submit_synthesis',
  description: 'Submit the synthesis of the session outputs: agreements, conflicts, patterns, unknowns, insights and proposed decisions.',
  input: SynthesisInput,
  check: (input) => parsed(SynthesisInput, input, 'synthesis'),
};
