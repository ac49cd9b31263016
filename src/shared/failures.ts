/** Failure types (`Domain.Reason`) carried by every ApplicationFailure Baton throws. */
export const Failure = {
  InputInvalid: 'Input.Invalid',
  PlanInvalid: 'Plan.Invalid',
  ScenarioInvalid: 'Scenario.Invalid',
  AgentFailed: 'Agent.Failed',
  AgentCrashed: 'Agent.Crashed',
  ContextInvalid: 'Context.Invalid',
  StateInvalid: 'State.Invalid',
} as const;
export type Failure = (typeof Failure)[keyof typeof Failure];
