import type { AgentReport } from '../../src/shared/activity-types';
import type { OrchestrationState } from '../../src/shared/schemas';
import { failTask, finishTask } from '../../src/shared/state';

const currentAgent = (s: OrchestrationState, taskId: string) => s.tasks.find((t) => t.id === taskId)?.agentId ?? '';

/** `finishTask` as reported by the agent currently on the task. */
export function finishRunning(s: OrchestrationState, taskId: string, report: AgentReport, now: string): OrchestrationState {
  return finishTask(s, taskId, currentAgent(s, taskId), report, now);
}

/** `failTask` as reported by the agent currently on the task. */
export function failRunning(s: OrchestrationState, taskId: string, error: string, now: string): OrchestrationState {
  return failTask(s, taskId, currentAgent(s, taskId), error, now);
}
