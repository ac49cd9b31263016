import type { StreamStatus, StreamUpdate, TargetHealth, WorkStream } from './stream-types';
import { dependencyIssues } from './dependencies';
import { localRef, waitsOnDependencies } from './fields';
import { compareOffer } from './order';
import type { GardenChange, GardenRoadmap } from './types';

/** What gardening would write, and each target's health afterwards. */
export interface GardenPlan {
  changes: GardenChange[];
  health: TargetHealth[];
}

/** A stream as gardening will leave it. */
interface Working {
  stream: WorkStream;
  frozen: boolean;
  status: StreamStatus;
  owner?: string;
  note?: string;
  reasons: string[];
}

/** Brings roadmaps in line with Baton's state: applies its updates, frees streams whose agent is gone, blocks and unblocks on dependencies. */
export function planGarden(roadmaps: GardenRoadmap[], updates: StreamUpdate[], held: string[]): GardenPlan {
  const crossIssues = dependencyIssues(roadmaps);
  const issuesOf = (roadmap: GardenRoadmap) => [...roadmap.issues, ...crossIssues.filter((issue) => issue.file === roadmap.file)].sort((a, b) => a.line - b.line);
  const work = new Map<string, Working>();
  for (const roadmap of roadmaps) {
    // A roadmap with problems is never written to: its issues are reported instead.
    const frozen = issuesOf(roadmap).length > 0;
    for (const stream of roadmap.streams) {
      if (work.has(stream.ref)) continue;
      work.set(stream.ref, { stream, frozen, status: stream.status, owner: stream.owner, note: stream.note, reasons: [] });
    }
  }

  const updated = new Set<string>();
  for (const update of updates) {
    const w = work.get(update.ref);
    if (!w || w.frozen) continue;
    updated.add(update.ref);
    applyUpdate(w, update);
  }
  const heldRefs = new Set(held);
  for (const w of work.values()) {
    if (w.frozen || w.status !== 'in progress' || heldRefs.has(w.stream.ref) || updated.has(w.stream.ref)) continue;
    set(w, { status: 'available', owner: undefined, note: undefined }, 'its agent is gone');
  }

  // Blocking and unblocking never change which streams are complete, so one pass is already stable.
  const complete = new Set([...work.values()].filter((w) => !w.frozen && w.status === 'complete').map((w) => w.stream.ref));
  const waitingOn = (w: Working) => w.stream.dependsOn.filter((ref) => !complete.has(ref));
  for (const w of work.values()) {
    if (w.frozen) continue;
    const waiting = waitingOn(w);
    const note = waiting.length > 0 ? `waiting on ${waiting.map((ref) => localRef(ref, w.stream.target)).join(', ')}` : undefined;
    const why = `waiting on ${waiting.map((ref) => (work.get(ref)?.frozen ? `${ref} (its roadmap has problems)` : ref)).join(', ')}`;
    // Seed 003's format says "not started" for a stream that waits: its health shows the wait, its line stays as written.
    if (w.status === 'available' && note && w.stream.format !== 'phases') set(w, { status: 'blocked', owner: w.owner, note }, why);
    else if (w.status === 'blocked' && !note && waitsOnDependencies({ note: w.note, format: w.stream.format })) {
      set(w, { status: 'available', owner: w.owner, note: undefined }, w.stream.dependsOn.length > 0 ? 'dependencies complete' : 'nothing left to wait on');
    }
  }

  const changes: GardenChange[] = [];
  for (const w of work.values()) {
    const change = changeOf(w);
    if (change) changes.push(change);
  }
  const health = roadmaps.map((roadmap) => healthOf(roadmap, issuesOf(roadmap), work, changes, waitingOn));
  return { changes, health };
}

function applyUpdate(w: Working, update: StreamUpdate): void {
  const moved = update.status !== w.status;
  // A stream Baton releases or blocks (skipped) has nobody on it any more.
  const owner = update.owner ?? (update.status === 'available' || update.status === 'blocked' ? undefined : w.owner);
  const note = update.note ?? (moved ? undefined : w.note);
  if (!moved && owner === w.owner && (note ?? '') === (w.note ?? '')) return;
  const why = {
    'in progress': `${update.owner ?? 'an agent'} is working on it`,
    complete: 'its task is done',
    blocked: `Baton blocked it${update.note ? `: ${update.note}` : ''}`,
    available: 'Baton released it',
  }[update.status];
  set(w, { status: update.status, owner, note }, why);
}

function set(w: Working, next: { status: StreamStatus; owner: string | undefined; note: string | undefined }, why: string): void {
  w.status = next.status;
  w.owner = next.owner;
  w.note = next.note;
  w.reasons.push(why);
}

function changeOf(w: Working): GardenChange | undefined {
  const { stream } = w;
  const ownerMoved = (w.owner ?? '') !== (stream.owner ?? '');
  const noteMoved = (w.note ?? '') !== (stream.note ?? '');
  if (w.frozen || (w.status === stream.status && !ownerMoved && !noteMoved)) return undefined;
  const change: GardenChange = { ref: stream.ref, target: stream.target, id: stream.id, status: w.status, why: w.reasons.join('; ') };
  if (ownerMoved) change.owner = w.owner ?? null;
  if (noteMoved) change.note = w.note ?? null;
  return change;
}

function healthOf(
  roadmap: GardenRoadmap,
  issues: TargetHealth['issues'],
  work: Map<string, Working>,
  changes: GardenChange[],
  waitingOn: (w: Working) => string[],
): TargetHealth {
  const health: TargetHealth = { target: roadmap.target, file: roadmap.file, issues, available: [], inProgress: [], complete: [], blocked: [], changes: [] };
  // Seed 003's roadmaps list their streams in the order they are offered (bootstrap, priority, batch, id).
  const phases = roadmap.streams.some((s) => s.format === 'phases');
  for (const stream of phases ? [...roadmap.streams].sort(compareOffer) : roadmap.streams) {
    const w = work.get(stream.ref);
    const status = w && !w.frozen ? w.status : stream.status;
    const waiting = w ? waitingOn(w) : [];
    if (status === 'available' && stream.format === 'phases' && waiting.length > 0) {
      health.blocked.push({ ref: stream.ref, why: `not started, waiting on ${waiting.join(', ')}` });
      continue;
    }
    if (status === 'available') health.available.push(stream.ref);
    if (status === 'in progress') health.inProgress.push(stream.ref);
    if (status === 'complete') health.complete.push(stream.ref);
    if (status !== 'blocked') continue;
    const note = w && !w.frozen ? w.note : stream.note;
    health.blocked.push({ ref: stream.ref, why: note || (waiting.length > 0 ? `waiting on ${waiting.join(', ')}` : 'blocked, no reason given') });
  }
  for (const change of changes.filter((c) => c.target === roadmap.target)) {
    const from = work.get(change.ref)!.stream.status;
    const move = from === change.status ? change.status : `${from} → ${change.status}`;
    health.changes.push(`${change.ref} ${move} (${change.why})`);
  }
  return health;
}
