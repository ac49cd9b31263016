import type { BatonClient } from '../../src/client/baton-client';
import { workflowIdFor } from '../../src/shared/messages';

/** What one finished orchestration looked like after the drill. */
export interface OrchestrationCheck {
  project: string;
  tasks: number;
  /** Tasks expected but not completed (or never planned). */
  lost: number;
  /** Extra completions: a task completed by two agents, counted twice in metrics, or planned twice. */
  duplicated: number;
  /** Activity attempts beyond the first (a killed worker's activities are retried elsewhere). */
  activityRetries: number;
  /** Every broken promise, in words; empty when the orchestration is whole. */
  problems: string[];
}

/** Check that every expected task was completed exactly once, in status, state and metrics. */
export async function checkExactlyOnce(baton: BatonClient, project: string, expectedTasks: number): Promise<OrchestrationCheck> {
  const status = await baton.status(project);
  const state = (await baton.context(project)).baton;
  const problems: string[] = [];
  const notCompleted = state.tasks.filter((t) => t.status !== 'completed');
  for (const t of notCompleted.slice(0, 5)) problems.push(`${t.id} (${t.key}) is ${t.status}${t.error ? `: ${t.error}` : ''}`);
  for (const o of status.objectives.filter((x) => x.status !== 'completed')) problems.push(`${o.id} is ${o.status}`);
  const missing = Math.max(0, expectedTasks - state.tasks.length);
  if (missing) problems.push(`${missing} of ${expectedTasks} tasks were never planned`);
  const extraPlanned = Math.max(0, state.tasks.length - expectedTasks);
  if (extraPlanned) problems.push(`${extraPlanned} more tasks than the ${expectedTasks} planned`);

  let doubleDone = 0;
  for (const task of state.tasks) {
    const done = state.agents.filter((a) => a.taskId === task.id && a.status === 'completed').length;
    if (done > 1) {
      doubleDone += done - 1;
      problems.push(`${task.id} (${task.key}) was completed by ${done} agents`);
    }
  }
  const completed = state.tasks.length - notCompleted.length;
  const metricExtra = state.metrics.total_tasks_completed - completed;
  if (state.metrics.total_tasks_completed !== state.tasks.length) {
    problems.push(`metrics.total_tasks_completed is ${state.metrics.total_tasks_completed}, not ${state.tasks.length}`);
  }
  if (status.runningAgents.length) problems.push(`${status.runningAgents.length} agents still running`);
  if (status.phase !== 'idle') problems.push(`phase is ${status.phase}, not idle`);

  return {
    project,
    tasks: state.tasks.length,
    lost: notCompleted.length + missing,
    duplicated: doubleDone + Math.max(0, metricExtra) + extraPlanned,
    activityRetries: await activityRetries(baton, project),
    problems: problems.map((p) => `${project}: ${p}`),
  };
}

/** Sum of (attempt - 1) over the activities in the current run's history. */
export async function activityRetries(baton: BatonClient, project: string): Promise<number> {
  const history = await baton.client.workflow.getHandle(workflowIdFor(project)).fetchHistory();
  return (history.events ?? []).reduce((sum, e) => sum + Math.max(0, (e.activityTaskStartedEventAttributes?.attempt ?? 1) - 1), 0);
}

/** Terminate drill orchestrations that are still open, so nothing they leave behind outlives the drill. */
export async function terminateAll(baton: BatonClient, projects: string[]): Promise<void> {
  await Promise.all(
    projects.map((p) =>
      baton.client.workflow
        .getHandle(workflowIdFor(p))
        .terminate('chaos drill finished')
        .catch(() => undefined),
    ),
  );
}
