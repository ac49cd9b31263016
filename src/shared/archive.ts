import type { Agent, OrchestrationState, Task } from './schemas';

/** Tasks kept in state before finished objectives' tasks move to the archive file; keeps history payloads small for weeks. */
export const DEFAULT_KEEP_TASKS = 500;

/** What the workflow hands the `archiveTasks` activity. */
export interface ArchiveBatch {
  project: string;
  tasks: Task[];
  agents: Agent[];
}

/**
 * Tasks (and their agents) to archive: once state holds more than `keep` tasks, those of completed objectives,
 * oldest first, until half of `keep` remain. A stream redirect can make a task of another (unfinished) objective
 * depend on one of them: such a task stays while that dependant has not completed, or it would wait forever.
 */
export function archivable(state: OrchestrationState, keep = state.config.keepTasks ?? DEFAULT_KEEP_TASKS): { tasks: Task[]; agents: Agent[] } {
  if (state.tasks.length <= keep) return { tasks: [], agents: [] };
  const done = new Set(state.objectives.filter((o) => o.status === 'completed').map((o) => o.id));
  const excess = state.tasks.length - Math.floor(keep / 2);
  const candidates = state.tasks.filter((t) => t.objectiveId && done.has(t.objectiveId));
  // Candidates are completed and never run again, so only unfinished tasks outside them need their dependencies kept.
  const needed = new Set(state.tasks.filter((t) => t.status !== 'completed').flatMap((t) => t.dependsOn));
  const tasks = candidates.filter((t) => !needed.has(t.id)).slice(0, excess);
  const ids = new Set(tasks.map((t) => t.id));
  return { tasks, agents: state.agents.filter((a) => ids.has(a.taskId) && a.status !== 'running') };
}

/** Drop archived tasks and agents from state, counting them. */
export function dropArchived(state: OrchestrationState, batch: { tasks: Task[]; agents: Agent[] }): OrchestrationState {
  if (!batch.tasks.length) return state;
  const taskIds = new Set(batch.tasks.map((t) => t.id));
  const agentIds = new Set(batch.agents.map((a) => a.id));
  return {
    ...state,
    tasks: state.tasks.filter((t) => !taskIds.has(t.id)),
    agents: state.agents.filter((a) => !agentIds.has(a.id)),
    archived: { tasks: state.archived.tasks + taskIds.size, agents: state.archived.agents + agentIds.size },
  };
}
