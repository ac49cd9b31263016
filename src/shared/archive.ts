import { limitsOf } from './limits';
import type { Agent, Decision, Objective, OrchestrationState, Task } from './schemas';

/** The rule of runs begun before objectives and decisions were archived: 500 tasks, down to half; kept so they replay. */
export const LEGACY_KEEP_TASKS = 500;

/** Answered decisions kept in state; past twice this many the oldest move to the archive file. */
export const KEEP_DECISIONS = 10;

/** What the workflow hands the `archiveTasks` activity. */
export interface ArchiveBatch {
  project: string;
  tasks: Task[];
  agents: Agent[];
  objectives?: Objective[];
  decisions?: Decision[];
}

/** What leaves state in one archive step. */
export interface Archivable {
  tasks: Task[];
  agents: Agent[];
  objectives: Objective[];
  decisions: Decision[];
}

/**
 * What to archive. Tasks (and their agents): once state holds more than `keep` tasks (`config.keepTasks`, else the
 * state's {@link limitsOf} limit), those of completed objectives,
 * oldest first, until 90% of `keep` remain (a small step, so the carried size stays level rather than a sawtooth). A stream redirect can make a task of another (unfinished) objective
 * depend on one of them: such a task stays while that dependant has not completed, or it would wait forever.
 * Objectives: a completed one goes with its last task (and one with no tasks goes with any batch), unless a pending
 * decision is about it. Decisions: answered ones about archived objectives or tasks go with them; past
 * 2 × KEEP_DECISIONS answered decisions, the oldest go until KEEP_DECISIONS remain.
 */
export function archivable(state: OrchestrationState, keep?: number, legacy = false): Archivable {
  if (legacy) return { ...archivableTasks(state, keep ?? state.config.keepTasks ?? LEGACY_KEEP_TASKS, (k) => Math.floor(k / 2)), objectives: [], decisions: [] };
  const { tasks, agents } = archivableTasks(state, keep ?? state.config.keepTasks ?? limitsOf(state).keepTasks, (k) => k - Math.ceil(k / 10));
  const taskIds = new Set(tasks.map((t) => t.id));
  const objectives = tasks.length ? archivableObjectives(state, taskIds) : [];
  const objectiveIds = new Set(objectives.map((o) => o.id));
  const made = state.decisions.filter((d) => d.status === 'made');
  const excess = made.length > 2 * KEEP_DECISIONS ? made.length - KEEP_DECISIONS : 0;
  const old = new Set(made.slice(0, excess).map((d) => d.id));
  const decisions = made.filter((d) => old.has(d.id) || (d.objectiveId && objectiveIds.has(d.objectiveId)) || (d.taskId && taskIds.has(d.taskId)));
  return { tasks, agents, objectives, decisions };
}

/** `remain(keep)`: how many tasks stay after a step (90% of keep now; half of it in the legacy rule). */
function archivableTasks(state: OrchestrationState, keep: number, remain: (keep: number) => number): { tasks: Task[]; agents: Agent[] } {
  if (state.tasks.length <= keep) return { tasks: [], agents: [] };
  const done = new Set(state.objectives.filter((o) => o.status === 'completed').map((o) => o.id));
  const excess = state.tasks.length - remain(keep);
  const candidates = state.tasks.filter((t) => t.objectiveId && done.has(t.objectiveId));
  // Candidates are completed and never run again, so only unfinished tasks outside them need their dependencies kept.
  const needed = new Set(state.tasks.filter((t) => t.status !== 'completed').flatMap((t) => t.dependsOn));
  const tasks = candidates.filter((t) => !needed.has(t.id)).slice(0, excess);
  const ids = new Set(tasks.map((t) => t.id));
  return { tasks, agents: state.agents.filter((a) => ids.has(a.taskId) && a.status !== 'running') };
}

/** Completed objectives none of whose tasks stay in state once `leaving` is gone, and no pending decision names. */
function archivableObjectives(state: OrchestrationState, leaving: Set<string>): Objective[] {
  const staying = new Set(state.tasks.filter((t) => t.objectiveId && !leaving.has(t.id)).map((t) => t.objectiveId));
  const asked = new Set(state.decisions.filter((d) => d.status === 'pending' && d.objectiveId).map((d) => d.objectiveId));
  return state.objectives.filter((o) => o.status === 'completed' && !staying.has(o.id) && !asked.has(o.id));
}

/** Whether an archive step has anything to move. */
export function archiveEmpty(batch: Archivable): boolean {
  return !batch.tasks.length && !batch.objectives.length && !batch.decisions.length;
}

/** Drop archived tasks, agents, objectives and decisions from state, counting them. */
export function dropArchived(state: OrchestrationState, batch: { tasks: Task[]; agents: Agent[]; objectives?: Objective[]; decisions?: Decision[] }): OrchestrationState {
  const objectives = batch.objectives ?? [];
  const decisions = batch.decisions ?? [];
  if (!batch.tasks.length && !objectives.length && !decisions.length) return state;
  const taskIds = new Set(batch.tasks.map((t) => t.id));
  const agentIds = new Set(batch.agents.map((a) => a.id));
  const objectiveIds = new Set(objectives.map((o) => o.id));
  const decisionIds = new Set(decisions.map((d) => d.id));
  const was = state.archived;
  return {
    ...state,
    tasks: taskIds.size ? state.tasks.filter((t) => !taskIds.has(t.id)) : state.tasks,
    agents: agentIds.size ? state.agents.filter((a) => !agentIds.has(a.id)) : state.agents,
    objectives: objectiveIds.size ? state.objectives.filter((o) => !objectiveIds.has(o.id)) : state.objectives,
    decisions: decisionIds.size ? state.decisions.filter((d) => !decisionIds.has(d.id)) : state.decisions,
    archived: {
      tasks: was.tasks + taskIds.size,
      agents: was.agents + agentIds.size,
      objectives: (was.objectives ?? 0) + objectiveIds.size,
      decisions: (was.decisions ?? 0) + decisionIds.size,
    },
  };
}
