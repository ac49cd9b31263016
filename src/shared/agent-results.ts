import type { AgentReport } from './activity-types';
import { applyUsage, raiseBudgetDecisions } from './ledger';
import { taskFailed } from './recovery';
import { rememberWork } from './roster';
import type { OrchestrationState } from './schemas';
import * as L from './lifecycle';
import { finishTask } from './state';
import { byId, replaceById } from './by-id';

/**
 * An agent's report lands: spend is recorded, a budget stop leaves the task stopped (and asks a person),
 * anything else completes or fails the task and the agent remembers the work.
 */
export function recordAgentReport(state: OrchestrationState, taskId: string, agentId: string, report: AgentReport, now: string): OrchestrationState {
  const task = byId(state.tasks, taskId);
  const agent = byId(state.agents, agentId);
  if (!task || !agent || task.status !== 'running' || task.agentId !== agentId) return state;
  let next = applyUsage(state, report.usage, { objectiveId: task.objectiveId, taskId, agentId });
  next = {
    ...next,
    agents: replaceById(next.agents, agentId, (a) => ({ ...a, transcript: report.transcript, model: report.usage?.model ?? a.model })),
  };
  if (report.stopReason === 'budget') {
    next = {
      ...next,
      agents: replaceById(next.agents, agentId, (a) => ({ ...a, status: 'stopped', finished: now, summary: report.summary })),
    };
    next = raiseBudgetDecisions(next, now);
    // The pending budget decision that covers it: its objective's, else the orchestration's.
    const pending = next.decisions.filter((d) => d.kind === 'budget' && d.status === 'pending');
    const waiting = pending.find((d) => d.objectiveId && d.objectiveId === task.objectiveId) ?? pending.find((d) => !d.objectiveId) ?? pending[0];
    // The ledger does not show the budget spent (the agent saw less room than there was): try the task again later.
    const hold = { kind: 'budget' as const, reason: report.summary.slice(0, 500) || 'the budget ran out', ...(waiting ? { decisionId: waiting.id } : {}) };
    return { ...next, tasks: replaceById(next.tasks, taskId, (t) => (waiting ? L.holdTask(t, hold) : L.releaseTask(t))) };
  }
  // A failure report goes to the task's recovery policy (retry with a fresh agent, skip, escalate).
  if (report.status === 'failure') return raiseBudgetDecisions(taskFailed(next, taskId, agentId, report.summary, now), now);
  next = finishTask(next, taskId, agentId, report, now);
  if (report.status === 'success') next = rememberWork(next, agent.name, task, report, now);
  return raiseBudgetDecisions(next, now);
}
