import type { Task, TaskHold } from './schemas';

/**
 * The task lifecycle, in one place. Every status a task takes is written here; the reducers elsewhere decide
 * *when* and call these. A task is:
 *
 *   pending ──start──▶ running ──complete──▶ completed
 *      ▲                  │  └──fail / skip──▶ failed
 *      │                  └──hold──▶ stopped (with a typed `hold`: person, budget, escalation, recovery)
 *      └──release / requeue (retry, rework)──┘
 *
 * `stopped` always carries a `hold` saying what it waits for; no code reads meaning out of `error` text.
 */

/** The carried state's shape version: 2 added typed holds (version 1 told holds apart by `error` prefixes). */
export const STATE_VERSION = 2;

/** A task starts running under an agent. */
export function runTask(t: Task, agentId: string, now: string): Task {
  return { ...t, status: 'running', agentId, attempts: t.attempts + 1, started: now, error: undefined, hold: undefined, verifying: undefined };
}

/** A task is done (by its agent, or by a person by hand). */
export function completeTask(t: Task, now: string, outcome: string, artifacts?: string[]): Task {
  return { ...t, status: 'completed', completed: now, outcome, hold: undefined, ...(artifacts ? { artifacts } : {}) };
}

/** A task failed for good; `skipped` when its recovery policy skipped it (its stream is then marked blocked). */
export function failTask(t: Task, now: string, error: string, skipped?: string): Task {
  return { ...t, status: 'failed', completed: now, error, hold: undefined, ...(skipped !== undefined ? { skipped, verifying: undefined } : {}) };
}

/** A task waits, stopped, for what its hold names. */
export function holdTask(t: Task, hold: TaskHold, extra: Partial<Task> = {}): Task {
  return { ...t, ...extra, status: 'stopped', error: undefined, hold };
}

/** A held (or cancelled) task goes back to pending for the next agent. */
export function releaseTask(t: Task): Task {
  return { ...t, status: 'pending', agentId: undefined, error: undefined, hold: undefined };
}

/** A task goes back to pending with what the next attempt needs to know (retry with a fresh agent, rework). */
export function requeueTask(t: Task, patch: Partial<Task>): Task {
  return { ...t, ...patch, status: 'pending', agentId: undefined, hold: undefined };
}

/** Whether the task is stopped by a hold of one of these kinds (any kind when none are named). */
export function isHeld(t: Task, ...kinds: TaskHold['kind'][]): boolean {
  return t.status === 'stopped' && !!t.hold && (!kinds.length || kinds.includes(t.hold.kind));
}

/** A task that waits for a person's answer (a recovery decision or an escalation) before anything can run it. */
export function heldForPerson(t: Task): boolean {
  return isHeld(t, 'recovery', 'escalation');
}

/** `resume` frees every stopped task except one waiting for a recovery decision (only `decide` or its timeout frees that). */
export function freedByResume(t: Task): boolean {
  return t.status === 'stopped' && t.hold?.kind !== 'recovery';
}

/** The hold in words, for status and reports. */
export function holdText(h: TaskHold): string {
  const on = h.decisionId ? ` (${h.decisionId})` : '';
  switch (h.kind) {
    case 'person':
      return `stopped: ${h.reason}`;
    case 'budget':
      return `budget spent${on}: ${h.reason}`;
    case 'escalation':
      return `waiting for a person${on}: ${h.reason}`;
    case 'recovery':
      return `waiting for a decision${on}: ${h.reason}`;
  }
}

// Version 1's error-text sentinels, recognised only to migrate old states.
const V1_RECOVERY = 'waiting for a decision: ';
const V1_ESCALATION = 'waiting for a person: ';
const V1_BUDGET = 'budget spent';

type Loose = Record<string, unknown>;
const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A version-1 stopped task's hold, read from its `error` sentinel; any other stopped task was stopped by a person. */
export function holdFromV1(error: string | undefined, pendingDecision: (kind: string) => string | undefined): TaskHold {
  if (error?.startsWith(V1_RECOVERY)) return withDecision({ kind: 'recovery', reason: error.slice(V1_RECOVERY.length) }, pendingDecision('recovery'));
  if (error?.startsWith(V1_ESCALATION)) return withDecision({ kind: 'escalation', reason: error.slice(V1_ESCALATION.length) }, pendingDecision('escalation'));
  if (error === V1_BUDGET) return withDecision({ kind: 'budget', reason: 'the budget ran out while its agent worked' }, pendingDecision('budget'));
  return { kind: 'person', reason: error ?? 'stopped' };
}

function withDecision(h: TaskHold, decisionId: string | undefined): TaskHold {
  return decisionId ? { ...h, decisionId } : h;
}

/**
 * Bring a carried state (continue-as-new input, a persisted context, `resume --from`) to the current version.
 * Anything that does not look like a version-1 state is returned as it is, for the schema to judge.
 */
export function migrateState(raw: unknown): unknown {
  if (!isObject(raw) || raw.version !== 1 || !Array.isArray(raw.tasks)) return raw;
  const decisions = Array.isArray(raw.decisions) ? raw.decisions.filter(isObject) : [];
  const tasks = raw.tasks.map((t) => {
    if (!isObject(t) || t.status !== 'stopped' || t.hold !== undefined) return t;
    const pending = (kind: string): string | undefined => {
      const d = decisions.find((x) => x.status === 'pending' && x.kind === kind && (kind !== 'recovery' || x.taskId === t.id));
      return typeof d?.id === 'string' ? d.id : undefined;
    };
    const { error, ...rest } = t;
    return { ...rest, hold: holdFromV1(typeof error === 'string' ? error : undefined, pending) };
  });
  return { ...raw, version: STATE_VERSION, tasks };
}
