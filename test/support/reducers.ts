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

/** A successful scripted agent report, with any fields overridden. */
export function agentReport(summary = 'done', extra: Partial<AgentReport> = {}): AgentReport {
  return { status: 'success', summary, artifacts: [], claims: [], insights: [], followUps: [], simulated: true, runtime: 'scripted', durationMs: 1, ...extra };
}
