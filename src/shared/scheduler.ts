import { fitSlots, slotsFor } from './consensus-spec';
import { withinBudget } from './ledger';
import { msUntilNextDeadline } from './recovery';
import { msUntilGarden } from './roadmap-sync';
import type { OrchestrationState, RunMode, Task } from './schemas';
import { confirmingObjectives } from './streams';

/** Pending tasks whose dependencies have all completed (and whose objective needs no confirmation), oldest first. */
export function readyTasks(state: OrchestrationState): Task[] {
  const status = new Map(state.tasks.map((t) => [t.id, t.status]));
  const waiting = confirmingObjectives(state);
  return state.tasks.filter(
    (t) => t.status === 'pending' && !(t.objectiveId && waiting.has(t.objectiveId)) && t.dependsOn.every((id) => status.get(id) === 'completed'),
  );
}

/** Ready tasks no spent budget (or waiting budget decision) holds back. */
export function spawnableTasks(state: OrchestrationState): Task[] {
  return readyTasks(state).filter((t) => withinBudget(state, t));
}

/** Tasks with an agent working on them now. */
export function runningTasks(state: OrchestrationState): Task[] {
  return state.tasks.filter((t) => t.status === 'running');
}

/** Pending tasks that can never become ready, with the dependency that blocks each. */
export function blockedTasks(state: OrchestrationState): { task: Task; blockedBy: string }[] {
  const byId = new Map(state.tasks.map((t) => [t.id, t]));
  const blocked: { task: Task; blockedBy: string }[] = [];
  for (const task of state.tasks) {
    if (task.status !== 'pending') continue;
    const dead = task.dependsOn.find((id) => {
      const dep = byId.get(id);
      return !dep || dep.status === 'failed';
    });
    if (dead) blocked.push({ task, blockedBy: dead });
  }
  return blocked;
}

/**
 * Which ready tasks to start now. `parallel` keeps up to `maxAgents` running; `sequential` runs one at a
 * time; `batch` starts a wave of up to `maxAgents` and waits for the whole wave before the next.
 */
export function tasksToStart(state: OrchestrationState, mode: RunMode, maxAgents: number): Task[] {
  if (state.paused || state.stop) return [];
  // A consensus task takes a slot per agent (src/shared/consensus-spec.ts).
  const running = runningTasks(state).reduce((n, t) => n + slotsFor(t, maxAgents), 0);
  const ready = spawnableTasks(state);
  switch (mode) {
    case 'parallel':
      return fitSlots(ready, maxAgents - running, maxAgents);
    case 'sequential':
      return running > 0 ? [] : ready.slice(0, 1);
    case 'batch':
      return running > 0 ? [] : fitSlots(ready, maxAgents, maxAgents);
  }
}

/** Objectives that still need a plan (and may get one: not while paused). */
export function objectivesToPlan(state: OrchestrationState): OrchestrationState['objectives'] {
  if (state.paused || state.stop) return [];
  // Planning spends tokens too: an objective waits while a budget it answers to is spent.
  return state.objectives.filter((o) => o.status === 'pending' && withinBudget(state, { objectiveId: o.id }));
}

/** Phase 3 is over when nothing runs and nothing more may start. */
export function orchestrationSettled(state: OrchestrationState): boolean {
  if (runningTasks(state).length > 0) return false;
  if (state.objectives.some((o) => o.status === 'planning')) return false;
  if (state.paused || state.stop) return true;
  return spawnableTasks(state).length === 0 && objectivesToPlan(state).length === 0;
}

/** While idle, a new session starts when a person resumes or there is new work to do. */
export function sessionDue(state: OrchestrationState): boolean {
  if (state.paused) return false;
  return state.resumeRequested || objectivesToPlan(state).length > 0 || spawnableTasks(state).length > 0;
}

/** After a stop, the orchestration rests paused until `resume`; the stop request itself is settled. */
export function settleStop(state: OrchestrationState): OrchestrationState {
  return state.stop ? { ...state, stop: undefined, paused: true } : state;
}

/** What a run knows about its own history (wf.workflowInfo()) and the state it would carry over. */
export interface RunHistory {
  historyLength: number;
  suggested: boolean;
  /** Bytes of history so far; absent in runs that predate the history bounds (they keep the old rule). */
  historySize?: number;
  /** About the size of the state now: it crosses history again when the run hands over (and maybe when the context is persisted). */
  stateBytes?: number;
  /** Agents that may still be running when the run decides to hand over (their results still land in this run). */
  maxAgents?: number;
}

/** Whether this run should hand over to a fresh one: Temporal suggests it, history passed the configured size, or it nears the bounds. */
export function rolloverDue(run: RunHistory, threshold: number | undefined): boolean {
  // A run that has barely started never hands over, or a large carried state could loop forever.
  if (run.historyLength < MIN_EVENTS_PER_RUN) return false;
  if (run.suggested || (threshold !== undefined && run.historyLength >= threshold)) return true;
  if (run.historySize === undefined) return false;
  const limits = historyLimits(run.maxAgents ?? 0, run.stateBytes ?? 0);
  return run.historyLength >= limits.events || run.historySize >= limits.bytes;
}

/**
 * Every run's history stays under these: a 1,000-event page of a smaller history is under gRPC's default 4 MiB
 * message, so `fetchHistory()` works with a default client.
 */
export const HISTORY_BOUNDS = { events: 4_096, bytes: 4_000_000 } as const;

/** Events and bytes one in-flight agent may still add after the decision to hand over (start, result, verification, landing). */
const AFTER_ROLLOVER_PER_AGENT = { events: 16, bytes: 24_000 } as const;
/** The rest that may land after the decision: the session's end (synthesis, gardening, persisting) and stray signals. */
const AFTER_ROLLOVER_FIXED = { events: 400, bytes: 400_000 } as const;

/**
 * Where a run hands over by itself, leaving room under {@link HISTORY_BOUNDS} for what still lands afterwards: each
 * in-flight agent's results, the session's end, and the state twice (the continue-as-new input, and the full context
 * persisted when a delta does not fit the file). A state too large for the bounds still hands over after
 * {@link MIN_EVENTS_PER_RUN} events.
 */
export function historyLimits(maxAgents: number, stateBytes: number): { events: number; bytes: number } {
  return {
    events: HISTORY_BOUNDS.events - AFTER_ROLLOVER_FIXED.events - AFTER_ROLLOVER_PER_AGENT.events * maxAgents,
    bytes: HISTORY_BOUNDS.bytes - AFTER_ROLLOVER_FIXED.bytes - AFTER_ROLLOVER_PER_AGENT.bytes * maxAgents - 2 * stateBytes,
  };
}

/** Events a run must have before it may continue-as-new. */
export const MIN_EVENTS_PER_RUN = 50;

/** Why the workflow sets a timer while it waits: the Temporal UI shows this as the timer's summary. */
export const WAKE_SUMMARY = { deadline: 'recovery decision deadline', garden: 'next roadmap gardening' } as const;

/**
 * The timer a wait needs, if any: the earliest recovery-decision deadline (which falls back to skip) and, while
 * idle, the next roadmap gardening. At least 1 ms, since a zero timeout means none.
 */
export function nextWake(state: OrchestrationState, nowMs: number, idle: boolean): { ms: number; reason: keyof typeof WAKE_SUMMARY } | undefined {
  const deadline = msUntilNextDeadline(state, nowMs);
  const garden = idle ? msUntilGarden(state, nowMs) : undefined;
  if (deadline === undefined && garden === undefined) return undefined;
  const reason = garden !== undefined && garden <= (deadline ?? Infinity) ? 'garden' : 'deadline';
  return { ms: Math.max(1, (reason === 'garden' ? garden : deadline) ?? 0), reason };
}
