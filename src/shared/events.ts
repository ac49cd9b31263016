import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { BatonEvent, EVENT_LOG_SIZE, EventsInput, type EventBody } from './event-schemas';
import type { Agent, Decision, Objective, OrchestrationState, Phase, Task } from './schemas';
import { heldForPerson, holdText } from './lifecycle';
import { byId } from './by-id';
import { limitsOf } from './limits';
import { workflowIdFor } from './messages';

export { BatonEvent, EVENT_LOG_SIZE, EVENT_TYPES, EventsInput, type EventBody, type EventType } from './event-schemas';

/** Longest text an event carries (missions, questions, summaries); the full text stays in state. */
const CLIP = 160;

/** Seed 002's five phases by number; the resting states have none. */
export const PHASE_NUMBER: Partial<Record<Phase, number>> = { context: 1, planning: 2, orchestrating: 3, synthesis: 4, preservation: 5 };
const PHASE_BY_NUMBER: Phase[] = ['context', 'planning', 'orchestrating', 'synthesis', 'preservation'];

/** The bounded event log carried in state: the last events (the state's `limitsOf().eventLog`) and the next ordinal to give. */
export interface EventLog {
  next: number;
  events: BatonEvent[];
  /** Ordinals below this were handed to the bus (publishEvents). */
  published: number;
}

/** What `events` answers: the events, where the log stands, and whether some were already gone. */
export interface EventsPage {
  events: BatonEvent[];
  /** The ordinal the next event will get. */
  next: number;
  /** Events after `afterOrdinal` that fell out of the log before they were read. */
  missed: number;
  phase: Phase;
  session: number;
}

/** `events` query: the events after an ordinal, at once. */
export const eventsQuery = defineQuery<EventsPage, [EventsInput]>('events');
/** `waitEvents` update: the events after an ordinal, waiting (long poll) up to `waitMs` until one exists. */
export const waitEventsUpdate = defineUpdate<EventsPage, [EventsInput]>('waitEvents');

/** An empty log; the first event gets ordinal 1. */
export function emptyEventLog(): EventLog {
  return { next: 1, events: [], published: 1 };
}

/**
 * State with an event log; a state without one (new, imported, or from before events) starts it with
 * `orchestration.started` and the objectives still waiting to be planned (the ones it was started with).
 */
export function withEventLog(state: OrchestrationState, at: string): OrchestrationState {
  if (state.events) return state;
  const waiting: EventBody[] = state.objectives.filter((o) => o.status === 'pending').map((o) => ({ type: 'objective.added', objectiveId: o.id, description: clip(o.description) }));
  return { ...state, events: appendEvents(emptyEventLog(), [{ type: 'orchestration.started' }, ...waiting], placeOf(state, at)) };
}

/** Give `bodies` their ordinals and append them, keeping only the last `size`. */
export function appendEvents(log: EventLog, bodies: EventBody[], where: { at: string; project: string; session: number; lead?: string }, size = EVENT_LOG_SIZE): EventLog {
  if (!bodies.length) return log;
  const added = bodies.map((b, i) => ({ ordinal: log.next + i, ...where, ...b }) as BatonEvent);
  return { ...log, next: log.next + added.length, events: [...log.events, ...added].slice(-size) };
}

/** `next` with the events of the change from `prev` appended to its log: what every state change in the workflow goes through. */
export function recordEvents(prev: OrchestrationState, next: OrchestrationState, at: string): OrchestrationState {
  const bodies = eventsBetween(prev, next);
  if (!bodies.length) return next;
  const log = next.events ?? prev.events ?? emptyEventLog();
  return { ...next, events: appendEvents(log, bodies, placeOf(next, at), limitsOf(next).eventLog) };
}

/** Where an event happened: the project and session, and in a lead's child orchestration its lead path, so a bus subscriber tells a child's events from the root's. */
function placeOf(state: OrchestrationState, at: string): { at: string; project: string; session: number; lead?: string } {
  const lead = leadPath(state);
  return { at, project: state.project, session: state.session, ...(lead ? { lead } : {}) };
}

/** A child orchestration's lead tasks from the root down (`TASK_003/TASK_001`), from its parent link; undefined for a root. */
export function leadPath(state: Pick<OrchestrationState, 'project' | 'delegation'>): string | undefined {
  const parent = state.delegation?.parent;
  if (!parent) return undefined;
  const own = `${parent.workflowId}/${parent.taskId}`;
  const root = `${workflowIdFor(state.project)}/`;
  return own.startsWith(root) ? own.slice(root.length) : parent.taskId;
}

/** The page of `log` after `afterOrdinal` (at most `limit` events), saying how many were already gone. */
export function eventsAfter(log: EventLog | undefined, afterOrdinal: number, limit = EVENT_LOG_SIZE): Omit<EventsPage, 'phase' | 'session'> {
  const l = log ?? emptyEventLog();
  const events = l.events.filter((e) => e.ordinal > afterOrdinal).slice(0, limit);
  const first = events[0]?.ordinal ?? l.next;
  return { events, next: l.next, missed: Math.max(0, Math.min(first, l.next) - afterOrdinal - 1) };
}

/** The events a change from `prev` to `next` means, in the order a person would tell them. */
export function eventsBetween(prev: OrchestrationState, next: OrchestrationState): EventBody[] {
  if (prev === next) return [];
  const out: EventBody[] = [...phaseEvents(prev, next)];
  if (!prev.paused && next.paused) out.push({ type: 'stop', graceful: next.stop?.graceful ?? false });
  if (prev.paused && !next.paused) out.push({ type: 'orchestration.resumed' });
  const objectives = prev.objectives === next.objectives ? [] : changed(prev.objectives, next.objectives);
  for (const [was, o] of objectives) if (!was) out.push({ type: 'objective.added', objectiveId: o.id, description: clip(o.description) });
  for (const [was, o] of objectives) if (was && planned(was, o)) out.push({ type: 'objective.planned', objectiveId: o.id, tasks: next.tasks.filter((t) => t.objectiveId === o.id).length });
  const decisions = prev.decisions === next.decisions ? [] : changed(prev.decisions, next.decisions);
  for (const [was, d] of decisions) if (!was && d.status === 'pending') out.push(...raised(d, next));
  if (prev.agents !== next.agents) for (const [was, a] of changed(prev.agents, next.agents)) if (!was) out.push(spawned(a, next));
  if (prev.tasks !== next.tasks) for (const [was, t] of changed(prev.tasks, next.tasks)) out.push(...taskEvents(was, t, next));
  if (prev.agents !== next.agents) for (const [was, a] of changed(prev.agents, next.agents)) if (was?.status === 'running' && a.status !== 'running') out.push(finished(a));
  for (const [was, d] of decisions) if (d.status === 'made' && was?.status !== 'made') out.push(answered(d));
  for (const [was, o] of objectives) {
    if (was?.status === o.status) continue;
    if (o.status === 'completed') out.push({ type: 'objective.completed', objectiveId: o.id });
    if (o.status === 'failed') out.push({ type: 'objective.failed', objectiveId: o.id, ...(o.error ? { error: clip(o.error) } : {}) });
  }
  return out;
}

/** Phase changes; a phase the session passed over (nothing to plan) is still told, as skipped, so all five appear in order. */
function phaseEvents(prev: OrchestrationState, next: OrchestrationState): EventBody[] {
  const newSession = prev.session !== next.session;
  if (prev.phase === next.phase && !newSession) return [];
  const out: EventBody[] = [];
  const from = PHASE_NUMBER[prev.phase];
  const to = PHASE_NUMBER[next.phase];
  if (from && prev.session > 0) out.push({ type: 'phase.completed', phase: prev.phase, number: from });
  if (from && to && to > from + 1 && !newSession) {
    for (let n = from + 1; n < to; n++) {
      const phase = PHASE_BY_NUMBER[n - 1] as Phase;
      out.push({ type: 'phase.entered', phase, number: n, skipped: true }, { type: 'phase.completed', phase, number: n, skipped: true });
    }
  }
  out.push({ type: 'phase.entered', phase: next.phase, ...(to ? { number: to } : {}) });
  return out;
}

function planned(was: Objective, o: Objective): boolean {
  return (was.status === 'pending' || was.status === 'planning') && o.status !== 'pending' && o.status !== 'planning' && o.status !== 'failed';
}

function raised(d: Decision, s: OrchestrationState): EventBody[] {
  const out: EventBody[] = [
    { type: 'decision.raised', decisionId: d.id, kind: d.kind, question: clip(d.question), ...(d.taskId ? { taskId: d.taskId } : {}), ...(d.objectiveId ? { objectiveId: d.objectiveId } : {}) },
  ];
  if (d.kind === 'budget') out.push({ type: 'budget', decisionId: d.id, question: clip(d.question), costUsd: s.spent.costUsd, tokens: s.spent.tokens });
  return out;
}

function answered(d: Decision): EventBody {
  const waited = d.decided && d.status === 'made' ? Date.parse(d.decided) - Date.parse(d.created) : NaN;
  return { type: 'decision.answered', decisionId: d.id, kind: d.kind, choice: clip(d.choice ?? ''), ...(Number.isFinite(waited) && waited >= 0 ? { waitedMs: waited } : {}) };
}

function spawned(a: Agent, s: OrchestrationState): EventBody {
  const t = byId(s.tasks, a.taskId);
  return {
    type: 'agent.spawned',
    ...ref(a),
    mission: clip(a.mission.split('\n')[0] ?? ''),
    runtime: a.runtime,
    simulated: a.simulated,
    attempt: t?.attempts ?? 1,
    ...(a.model ? { model: a.model } : {}),
    ...(t?.rework ? { rework: t.rework } : {}),
    ...(t?.target ? { target: t.target } : {}),
    ...(t?.stream ? { stream: t.stream } : {}),
  };
}

function finished(a: Agent): EventBody {
  const common = { ...ref(a), costUsd: a.spent.costUsd, tokens: a.spent.tokens };
  if (a.status === 'completed') return { type: 'agent.completed', ...common, summary: clip(a.summary ?? '') };
  if (a.status === 'failed') return { type: 'agent.failed', ...common, error: clip(a.summary ?? 'failed') };
  return { type: 'agent.stopped', ...common, reason: clip(a.summary ?? 'stopped') };
}

function taskEvents(was: Task | undefined, t: Task, s: OrchestrationState): EventBody[] {
  const out: EventBody[] = [];
  const stream = t.stream ? { stream: t.stream } : {};
  if (t.verification && t.verification !== was?.verification) {
    const agent = t.agentId ? { agentId: t.agentId } : {};
    out.push(t.verification.passed ? { type: 'verification.passed', taskId: t.id, ...agent, ...stream } : { type: 'verification.failed', taskId: t.id, ...agent, ...stream, reason: verdictReason(t) });
  }
  if ((t.rework ?? 0) > (was?.rework ?? 0)) out.push({ type: 'rework', taskId: t.id, round: t.rework ?? 1, reason: verdictReason(t), ...stream });
  if (t.skipped && !was?.skipped) out.push({ type: 'blocker', taskId: t.id, reason: clip(`skipped: ${t.skipped}`), ...stream });
  if (heldForPerson(t) && !(was && heldForPerson(was))) {
    const d = s.decisions.find((x) => x.status === 'pending' && (x.taskId === t.id || (x.kind === 'escalation' && !x.taskId)));
    out.push({ type: 'blocker', taskId: t.id, reason: clip(t.hold ? holdText(t.hold) : 'waits for a person'), ...stream, ...(d ? { decisionId: d.id } : {}) });
  }
  return out;
}

/** What failed in a task's last verification, in a line. */
function verdictReason(t: Task): string {
  const v = t.verification;
  if (!v) return 'verification failed';
  const gates = v.gates.filter((g) => !g.passed).map((g) => `gate ${g.name} failed`);
  return clip([...gates, ...v.falseClaims].join('; ')) || 'verification failed';
}

function ref(a: Agent) {
  return { agentId: a.id, name: a.name, role: a.role, taskId: a.taskId };
}

/** Pairs [before, after] for items of `next` that are new or changed (by reference) since `prev`. */
function changed<T extends { id: string }>(prev: T[], next: T[]): [T | undefined, T][] {
  // Reducers replace items in place and append, so items mostly sit at the same index: compare there first and build
  // the id index only if the order moved (this runs on every state change).
  let before: Map<string, T> | undefined;
  const out: [T | undefined, T][] = [];
  for (let i = 0; i < next.length; i++) {
    const x = next[i] as T;
    const same = prev[i];
    if (same === x) continue;
    const was = same?.id === x.id ? same : (before ??= new Map(prev.map((p) => [p.id, p]))).get(x.id);
    if (was !== x) out.push([was, x]);
  }
  return out;
}

function clip(s: string): string {
  return s.length > CLIP ? `${s.slice(0, CLIP - 1)}…` : s;
}

/** Events not yet handed to the bus, oldest first (at most `max`). */
export function unpublished(log: EventLog | undefined, max: number): BatonEvent[] {
  return (log?.events ?? []).filter((e) => e.ordinal >= (log?.published ?? 1)).slice(0, max);
}

/** State with events up to `ordinal` marked as handed to the bus. */
export function markPublished(state: OrchestrationState, ordinal: number): OrchestrationState {
  const log = state.events;
  if (!log || log.published > ordinal) return state;
  return { ...state, events: { ...log, published: ordinal + 1 } };
}
