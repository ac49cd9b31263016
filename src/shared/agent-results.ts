import type { AgentReport } from './activity-types';
import { BUDGET_STOP } from './decisions';
import { applyUsage, raiseBudgetDecisions } from './ledger';
import { taskFailed } from './recovery';
import { rememberWork } from './roster';
import type { OrchestrationState } from './schemas';
import { finishTask } from './state';

/**
 * An agent's report lands: spend is recorded, a budget stop leaves the task stopped (and asks a person),
 * anything else completes or fails the task and the agent remembers the work.
 */
export function recordAgentReport(state: OrchestrationState, taskId: string, agentId: string, report: AgentReport, now: string): OrchestrationState {
  const task = state.tasks.find((t) => t.id === taskId);
  const agent = state.agents.find((a) => a.id === agentId);
  if (!task || !agent || task.status !== 'running' || task.agentId !== agentId) return state;
  let next = applyUsage(state, report.usage, { objectiveId: task.objectiveId, taskId, agentId });
  next = {
    ...next,
    agents: next.agents.map((a) => (a.id === agentId ? { ...a, transcript: report.transcript, model: report.usage?.model ?? a.model } : a)),
  };
  if (report.stopReason === 'budget') {
    next = {
      ...next,
      tasks: next.tasks.map((t) => (t.id === taskId ? { ...t, status: 'stopped', error: BUDGET_STOP } : t)),
      agents: next.agents.map((a) => (a.id === agentId ? { ...a, status: 'stopped', finished: now, summary: report.summary } : a)),
    };
    next = raiseBudgetDecisions(next, now);
    // The ledger does not show the budget spent (the agent saw less room than there was): try the task again later.
    const waiting = next.decisions.some((d) => d.kind === 'budget' && d.status === 'pending');
    return waiting ? next : { ...next, tasks: next.tasks.map((t) => (t.id === taskId ? { ...t, status: 'pending', agentId: undefined, error: undefined } : t)) };
  }
  // A failure report goes to the task's recovery policy (retry with a fresh agent, skip, escalate).
  if (report.status === 'failure') return raiseBudgetDecisions(taskFailed(next, taskId, agentId, report.summary, now), now);
  next = finishTask(next, taskId, agentId, report, now);
  if (report.status === 'success') next = rememberWork(next, agent.name, task, report, now);
  return raiseBudgetDecisions(next, now);
}
