import type { GardenRoadmapInput, GardenRoadmapResult } from './activity-types';
import type { DevLogEntry, StreamUpdate } from '../roadmap/stream-types';
import type { OrchestrationState, Task } from './schemas';
import { heldStreams } from './streams';

/** Open streams kept in state for status and reports. */
const MAX_OPEN = 50;

/** What each stream's roadmap entry should say, from the tasks working it (applied only where the file differs). */
export function roadmapUpdates(state: OrchestrationState): StreamUpdate[] {
  const names = new Map(state.agents.map((a) => [a.id, a.name]));
  const latest = new Map<string, Task>();
  for (const t of state.tasks) if (t.stream) latest.set(t.stream, t);
  const updates: StreamUpdate[] = [];
  for (const [ref, t] of latest) {
    const owner = t.agentId ? names.get(t.agentId) : undefined;
    if (t.status === 'running') updates.push({ ref, status: 'in progress', ...(owner ? { owner } : {}) });
    else if (t.status === 'completed') updates.push({ ref, status: 'complete', owner: owner ?? 'a person' });
    else if (t.status === 'failed' && t.skipped) updates.push({ ref, status: 'blocked', note: `skipped: ${t.skipped}`.slice(0, 200) });
  }
  return updates;
}

/** Dev-log entries for finished work in a target not logged yet (seed 003's checklist). */
export function devLogEntries(state: OrchestrationState): DevLogEntry[] {
  const names = new Map(state.agents.map((a) => [a.id, a.name]));
  return state.tasks
    .filter((t) => t.target && t.status === 'completed' && !t.logged)
    .map((t) => ({
      target: t.target as string,
      taskId: t.id,
      ...(t.stream ? { ref: t.stream } : {}),
      title: streamTitle(t),
      agent: (t.agentId && names.get(t.agentId)) || 'a person',
      completed: t.completed ?? '',
      verification: t.verification ? (t.verification.passed ? 'verified' : 'not verified') : 'completed by a person',
      rework: t.rework ?? 0,
      summary: (t.outcome ?? '').slice(0, 500),
    }));
}

/** `gardenRoadmap` input: every target, what state says, which streams are held, what to log. */
export function gardenInput(state: OrchestrationState): GardenRoadmapInput {
  return { project: state.project, targets: state.config.targets, updates: roadmapUpdates(state), held: heldStreams(state), devLog: devLogEntries(state) };
}

/** A garden call with this input would change nothing the last one did not already write. */
export function gardenKey(input: GardenRoadmapInput): string {
  // Dev-log entries ride with the update that completes their stream; keying on them would garden again once they are logged.
  return JSON.stringify([input.updates, input.held]);
}

/** Record the health check and mark the dev-log entries that were sent as written. */
export function applyGarden(state: OrchestrationState, sent: GardenRoadmapInput, result: GardenRoadmapResult, now: string): OrchestrationState {
  const logged = new Set(sent.devLog.map((e) => e.taskId));
  return {
    ...state,
    tasks: logged.size ? state.tasks.map((t) => (logged.has(t.id) ? { ...t, logged: true } : t)) : state.tasks,
    roadmap: { checked: now, targets: result.targets, open: result.open.slice(0, MAX_OPEN) },
  };
}

/** Gardening failed (an unreadable file, say): keep the last health check and say why. */
export function gardenFailed(state: OrchestrationState, error: string, now: string): OrchestrationState {
  return { ...state, roadmap: { checked: now, targets: state.roadmap?.targets ?? [], open: state.roadmap?.open ?? [], error: error.slice(0, 500) } };
}

/** Milliseconds until the next idle gardening is due (undefined without targets). */
export function msUntilGarden(state: OrchestrationState, nowMs: number): number | undefined {
  if (!state.config.targets.length) return undefined;
  const last = state.roadmap ? Date.parse(state.roadmap.checked) : 0;
  return Math.max(0, last + state.config.gardenEverySeconds * 1000 - nowMs);
}

/** A stream task's mission starts with its ref (`site:1.2 Menu listing`); the title is the rest of that line. */
function streamTitle(t: Task): string {
  const line = t.mission.split('\n')[0] ?? t.id;
  return (t.stream && line.startsWith(`${t.stream} `) ? line.slice(t.stream.length + 1) : line).slice(0, 120);
}
