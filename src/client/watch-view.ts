import type { BatonEvent } from '../shared/events';
import type { Phase } from '../shared/schemas';
import { phaseTitle } from '../shared/status';

/** What the narrator remembers between events: which phases each session already announced, which tasks went back for rework. */
export interface Narration {
  announced: Record<number, string[]>;
  reworked: string[];
}

/** A narrator that has said nothing yet. */
export function newNarration(): Narration {
  return { announced: {}, reworked: [] };
}

/**
 * The lines a person reads for one event (none for some). Each phase is announced once per session, in the
 * order the workflow entered them: a phase entered again mid-session (more planning) is not announced twice.
 */
export function narrate(n: Narration, e: BatonEvent): { narration: Narration; lines: string[] } {
  const say = (...lines: string[]) => ({ narration: n, lines });
  switch (e.type) {
    case 'orchestration.started':
    case 'phase.completed':
    case 'agent.progress':
      return say();
    case 'orchestration.resumed':
      return say('▶ orchestration resumed');
    case 'phase.entered': {
      const seen = n.announced[e.session] ?? [];
      if (seen.includes(e.phase)) return say();
      const narration = { ...n, announced: { ...n.announced, [e.session]: [...seen, e.phase] } };
      return { narration, lines: [`>>> ${phaseTitle(e.phase as Phase)} (session ${e.session})${e.skipped ? ' — nothing to do' : ''}`] };
    }
    case 'objective.added':
      return say(`+ objective ${e.objectiveId}: ${e.description}`);
    case 'objective.planned':
      return say(`  planned ${e.objectiveId} into ${e.tasks} tasks`);
    case 'objective.completed':
      return say(`✓ objective ${e.objectiveId} completed`);
    case 'objective.failed':
      return say(`✗ objective ${e.objectiveId} failed${e.error ? `: ${e.error}` : ''}`);
    case 'agent.spawned': {
      const where = e.target && !e.stream ? ` [${e.target}]` : e.stream ? ` (${e.stream})` : '';
      const round = e.rework ? ` (rework ${e.rework})` : e.attempt > 1 ? ` (attempt ${e.attempt})` : '';
      const narration = { ...n, reworked: n.reworked.filter((t) => t !== e.taskId) };
      return { narration, lines: [`▶ ${who(e)}${e.simulated ? ' [simulated]' : ''} started ${e.taskId}${where}: ${e.mission}${round}`] };
    }
    case 'agent.completed':
      if (n.reworked.includes(e.taskId)) return say(`  ${who(e)} handed ${e.taskId} back for rework${cost(e)}`);
      return say(`✓ ${who(e)} completed ${e.taskId}: ${e.summary}${cost(e)}`);
    case 'agent.failed':
      return say(`✗ ${who(e)} failed ${e.taskId}: ${e.error}${cost(e)}`);
    case 'agent.stopped':
      return say(`■ ${who(e)} stopped on ${e.taskId}: ${e.reason}`);
    case 'verification.passed':
      return say(`  ${e.taskId}: verified — gates pass and the claims hold`);
    case 'verification.failed':
      return say(`  ${e.taskId}: verification failed: ${e.reason}`);
    case 'rework':
      return { narration: { ...n, reworked: [...n.reworked, e.taskId] }, lines: [`↺ ${e.taskId} sent back for rework ${e.round}: ${e.reason}`] };
    case 'decision.raised':
      return say(`? decision ${e.decisionId} waits for a person: ${e.question}`);
    case 'decision.answered':
      return say(`  decision ${e.decisionId} (${e.kind}): ${e.choice}${e.waitedMs !== undefined ? ` — answered after ${seconds(e.waitedMs)}` : ''}`);
    case 'blocker':
      return say(`⏸ blocked${e.taskId ? ` ${e.taskId}` : ''}${e.stream ? ` (${e.stream})` : ''}: ${e.reason}`);
    case 'budget':
      return say(`$ budget spent ($${e.costUsd.toFixed(4)}, ${e.tokens} tokens): ${e.decisionId} waits for a person`);
    case 'stop':
      return say(e.graceful ? '■ stopping gracefully: running agents finish, nothing new starts' : '■ orchestration stopped');
  }
}

/** A live picture built from events alone: the session's phases with start and end, running agents, decisions, the last events. */
export interface WatchView {
  project?: string;
  session: number;
  phases: { phase: string; number?: number; started: string; ended?: string; skipped?: boolean }[];
  running: Record<string, { name: string; role: string; taskId: string; mission: string; since: string; simulated: boolean; progress?: string }>;
  finished: { name: string; taskId: string; outcome: 'completed' | 'failed' | 'stopped'; costUsd: number; tokens: number }[];
  pendingDecisions: Record<string, { kind: string; question: string; since: string }>;
  spent: { costUsd: number; tokens: number };
  lastOrdinal: number;
  missed: number;
  recent: string[];
  narration: Narration;
}

/** Lines of recent events the view keeps. */
const RECENT = 12;

/** A view that has seen nothing yet. */
export function emptyView(): WatchView {
  return { session: 0, phases: [], running: {}, finished: [], pendingDecisions: {}, spent: { costUsd: 0, tokens: 0 }, lastOrdinal: 0, missed: 0, recent: [], narration: newNarration() };
}

/** Fold one event into the view. */
export function applyEvent(v: WatchView, e: BatonEvent): WatchView {
  const { narration, lines } = narrate(v.narration, e);
  const gap = v.lastOrdinal && e.ordinal > v.lastOrdinal + 1 ? e.ordinal - v.lastOrdinal - 1 : 0;
  let next: WatchView = { ...v, project: e.project, narration, lastOrdinal: e.ordinal, missed: v.missed + gap, recent: [...v.recent, ...lines.map((l) => `${e.at.slice(11, 19)} ${l}`)].slice(-RECENT) };
  if (e.session !== v.session) next = { ...next, session: e.session, phases: [] };
  switch (e.type) {
    case 'phase.entered': {
      const phases = next.phases.map((p) => (p.ended ? p : { ...p, ended: e.at }));
      return { ...next, phases: [...phases.filter((p) => p.phase !== e.phase), { phase: e.phase, ...(e.number ? { number: e.number } : {}), started: e.at, ...(e.skipped ? { skipped: true } : {}) }] };
    }
    case 'phase.completed':
      return { ...next, phases: next.phases.map((p) => (p.phase === e.phase && !p.ended ? { ...p, ended: e.at } : p)) };
    case 'agent.spawned':
      return { ...next, running: { ...next.running, [e.agentId]: { name: e.name, role: e.role, taskId: e.taskId, mission: e.mission, since: e.at, simulated: e.simulated } } };
    case 'agent.completed':
    case 'agent.failed':
    case 'agent.stopped': {
      const { [e.agentId]: _gone, ...running } = next.running;
      const outcome = e.type === 'agent.completed' ? 'completed' : e.type === 'agent.failed' ? 'failed' : 'stopped';
      const finished = [...next.finished, { name: e.name, taskId: e.taskId, outcome, costUsd: e.costUsd, tokens: e.tokens } as const].slice(-RECENT);
      return { ...next, running, finished, spent: { costUsd: next.spent.costUsd + e.costUsd, tokens: next.spent.tokens + e.tokens } };
    }
    case 'decision.raised':
      return { ...next, pendingDecisions: { ...next.pendingDecisions, [e.decisionId]: { kind: e.kind, question: e.question, since: e.at } } };
    case 'decision.answered': {
      const { [e.decisionId]: _done, ...pendingDecisions } = next.pendingDecisions;
      return { ...next, pendingDecisions };
    }
    default:
      return next;
  }
}

/** The view as a screenful of text (what `baton watch` redraws on a terminal). */
export function renderView(v: WatchView, now = Date.now()): string {
  const out = [`Baton watch · ${v.project ?? '…'} · session ${v.session} · event ${v.lastOrdinal}${v.missed ? ` · ${v.missed} missed` : ''}`, ''];
  out.push('Phases');
  for (const p of v.phases) {
    const took = p.ended ? `${seconds(Date.parse(p.ended) - Date.parse(p.started))}` : `running ${seconds(now - Date.parse(p.started))}`;
    out.push(`  ${phaseTitle(p.phase as Phase).padEnd(32)} ${p.started.slice(11, 19)} → ${p.ended ? p.ended.slice(11, 19) : '…      '}  ${p.skipped ? 'nothing to do' : took}`);
  }
  const running = Object.entries(v.running);
  out.push('', `Agents running (${running.length})`);
  for (const [id, a] of running) {
    out.push(`  ${a.name} (${a.role})${a.simulated ? ' [simulated]' : ''} ${id} on ${a.taskId}, ${seconds(now - Date.parse(a.since))}${a.progress ? ` · ${a.progress}` : ''}: ${a.mission.slice(0, 60)}`);
  }
  out.push('', `Agents finished: ${v.finished.length ? v.finished.map((f) => `${f.name} ${f.outcome} ${f.taskId}`).join(', ') : 'none yet'}`);
  out.push(`Spent by finished agents: $${v.spent.costUsd.toFixed(4)}, ${v.spent.tokens} tokens`);
  const decisions = Object.entries(v.pendingDecisions);
  out.push('', `Decisions waiting (${decisions.length})`);
  for (const [id, d] of decisions) out.push(`  ${id} (${d.kind}): ${d.question}`);
  out.push('', 'Last events');
  for (const line of v.recent) out.push(`  ${line}`);
  return out.join('\n');
}

function who(e: { name: string; role: string }): string {
  return `${e.name} (${e.role})`;
}

function cost(e: { costUsd: number; tokens: number }): string {
  return e.tokens ? ` [${e.tokens} tokens, $${e.costUsd.toFixed(4)}]` : '';
}

function seconds(ms: number): string {
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}
