import type { Usage } from './activity-types';
import { escalate, escalatePlanning } from './decisions';
import { needsPerson } from './failures';
import { applyFailedUsage } from './ledger';
import { taskFailed } from './recovery';
import type { OrchestrationState } from './schemas';
import { failObjective, requestStop } from './state';
import { byId } from './by-id';

/** What the workflow learned from an activity's error, read once (src/workflows/orchestration.ts `failureFacts`). */
export interface FailureFacts {
  /** The attempt was cancelled (a person stopped its agent, or the orchestration stopped). */
  cancelled: boolean;
  /** The root failure's `Domain.Reason` type (src/shared/failures.ts), when it has one. */
  type?: string;
  /** The root failure's message, clipped. */
  message: string;
  /** What the failed attempt spent, carried in the failure's details. */
  usage?: Usage;
}

/** How a failure is classified: what happens to the task or objective it hit. */
export type FailureClass = 'cancelled' | 'needs-person' | 'failed';

/** Cancelled beats everything; a failure no retry can fix (a bad key, a spend limit) needs a person; the rest failed. */
export function classifyFailure(f: Pick<FailureFacts, 'cancelled' | 'type'>): FailureClass {
  if (f.cancelled) return 'cancelled';
  return needsPerson(f.type) ? 'needs-person' : 'failed';
}

/**
 * An agent's attempt (spawn, verify) ended in an error. Its spend is billed as failed spend; then a cancelled
 * attempt stops its agent (if still running), one that needs a person escalates, and any other failure goes to
 * the task's recovery policy.
 */
export function onActivityFailure(
  state: OrchestrationState,
  at: { taskId: string; agentId: string; objectiveId?: string },
  f: FailureFacts,
  now: string,
): OrchestrationState {
  const next = applyFailedUsage(state, f.usage, at);
  switch (classifyFailure(f)) {
    case 'cancelled':
      return byId(next.agents, at.agentId)?.status === 'running' ? requestStop(next, { agentId: at.agentId }, now).state : next;
    case 'needs-person':
      return escalate(next, at.taskId, f.message, now);
    case 'failed':
      return taskFailed(next, at.taskId, at.agentId, f.message, now);
  }
}

/**
 * Planning an objective ended in an error (after its retries). Its spend is billed as failed spend; one that
 * needs a person waits (the objective is planned again after `retry`); any other failure fails the objective.
 * A cancelled plan is treated as failed: planners are not cancelled by Baton.
 */
export function onPlanFailure(state: OrchestrationState, objectiveId: string, f: FailureFacts, now: string): OrchestrationState {
  const next = applyFailedUsage(state, f.usage, { objectiveId });
  return classifyFailure({ type: f.type, cancelled: false }) === 'needs-person' ? escalatePlanning(next, objectiveId, f.message, now) : failObjective(next, objectiveId, f.message);
}
