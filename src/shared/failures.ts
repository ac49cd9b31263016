/** Failure types (`Domain.Reason`) carried by every ApplicationFailure Baton throws. */
export const Failure = {
  InputInvalid: 'Input.Invalid',
  PlanInvalid: 'Plan.Invalid',
  ScenarioInvalid: 'Scenario.Invalid',
  /** A target's roadmap has problems (duplicate ids, unknown or cyclic dependencies, unknown values): named by file:line. */
  RoadmapMalformed: 'Roadmap.Malformed',
  AgentFailed: 'Agent.Failed',
  AgentCrashed: 'Agent.Crashed',
  ContextInvalid: 'Context.Invalid',
  StateInvalid: 'State.Invalid',
  /** A runtime's own configuration (API key, command template) is missing or wrong; a person must fix it. */
  ConfigInvalid: 'Config.Invalid',
  LlmRateLimited: 'Llm.RateLimited',
  LlmOverloaded: 'Llm.Overloaded',
  LlmServerError: 'Llm.ServerError',
  LlmConnection: 'Llm.Connection',
  LlmTimeout: 'Llm.Timeout',
  /** The provider answered with something that is not a Messages API response (bad JSON, wrong shape). */
  LlmMalformedResponse: 'Llm.MalformedResponse',
  LlmBadRequest: 'Llm.BadRequest',
  LlmUnauthorized: 'Llm.Unauthorized',
  LlmForbidden: 'Llm.Forbidden',
  LlmNotFound: 'Llm.NotFound',
  LlmSpendLimit: 'Llm.SpendLimit',
  /** The model's report, plan or synthesis stayed invalid after one repair attempt. */
  LlmInvalidOutput: 'Llm.InvalidOutput',
  ToolRefused: 'Tool.Refused',
  BudgetExhausted: 'Budget.Exhausted',
} as const;
export type Failure = (typeof Failure)[keyof typeof Failure];

/** Failures no retry can fix (a bad key, a spend limit, a broken runtime config): they wait for a person. */
export const NEEDS_PERSON: readonly string[] = [
  Failure.ConfigInvalid,
  Failure.LlmUnauthorized,
  Failure.LlmForbidden,
  Failure.LlmSpendLimit,
  Failure.LlmBadRequest,
  Failure.LlmNotFound,
];

/** Whether a failure of this type waits for a person (an escalation) rather than failing the task. */
export function needsPerson(type: string | undefined): boolean {
  return !!type && NEEDS_PERSON.includes(type);
}
