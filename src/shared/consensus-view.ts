import { quorumOf, type ConsensusRecord } from './consensus-spec';
import type { Decision, OrchestrationState, Task } from './schemas';

/** A consensus task as `status` shows it: its members, and the agreement once compared. */
export interface ConsensusView {
  agents: number;
  quorum: number;
  members: { id: string; name: string; role: string; status: string; model?: string }[];
  agreement?: number;
  decisionId?: string;
  decision?: 'pending' | 'made';
  resolvedBy?: ConsensusRecord['resolvedBy'];
}

/** The consensus part of a task's status view (undefined for a task without consensus). */
export function consensusView(state: OrchestrationState, task: Task): ConsensusView | undefined {
  if (!task.consensus) return undefined;
  // The latest decision of the task is its current attempt's.
  const decision = [...state.decisions].reverse().find((d) => d.kind === 'consensus' && d.taskId === task.id);
  const since = task.started ?? '';
  const members = state.agents
    .filter((a) => a.taskId === task.id && a.spawned >= since)
    .map((a) => ({ id: a.id, name: a.name, role: a.role, status: a.status, ...(a.model ? { model: a.model } : {}) }));
  return {
    agents: task.consensus.agents,
    quorum: quorumOf(task.consensus),
    members,
    ...(decision?.consensus ? { agreement: decision.consensus.agreement, decisionId: decision.id, decision: decision.status, ...(decision.consensus.resolvedBy ? { resolvedBy: decision.consensus.resolvedBy } : {}) } : {}),
  };
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** One line under a task in `baton status`: who works it and how far they agree. */
export function consensusStatusLine(c: ConsensusView): string {
  const who = c.members.map((m) => `${m.name}${m.role === 'advisor' ? ' (tie-break)' : ''}${m.status === 'running' ? '' : ` ${m.status}`}`).join(', ') || 'not started';
  const agreement = c.agreement === undefined ? '' : ` · agreement ${pct(c.agreement)} (quorum ${c.quorum} of ${c.agents})`;
  const outcome = c.decision === 'pending' ? ` · waiting for a person (${c.decisionId})` : c.resolvedBy ? ` · resolved by ${c.resolvedBy === 'person' ? 'a person' : c.resolvedBy} (${c.decisionId})` : '';
  return `consensus of ${c.agents}: ${who}${agreement}${outcome}`;
}

/** A consensus decision as the report lists it. */
export interface ConsensusRow {
  decision: string;
  task?: string;
  status: Decision['status'];
  agreement: number;
  quorum: number;
  agents: string[];
  agreed: string[];
  conflicts: { topic: string; positions: string[] }[];
  resolved: string;
  resolvedBy?: ConsensusRecord['resolvedBy'];
  by: ConsensusRecord['by'];
  rationale: string;
}

/** Every consensus decision, for the report. */
export function consensusRows(decisions: readonly Decision[]): ConsensusRow[] {
  return decisions.flatMap((d) => {
    const c = d.consensus;
    if (d.kind !== 'consensus' || !c) return [];
    return [
      {
        decision: d.id,
        ...(d.taskId ? { task: d.taskId } : {}),
        status: d.status,
        agreement: c.agreement,
        quorum: c.quorum,
        agents: c.answers.map((a) => `${a.agent}${a.model ? ` (${a.model})` : ''}${a.failed ? ' (failed)' : ''}`),
        agreed: c.agreed,
        conflicts: c.conflicts.map((k) => ({ topic: k.topic, positions: k.positions.map((p) => `${p.agent}: ${p.position}`) })),
        resolved: c.resolved,
        ...(c.resolvedBy ? { resolvedBy: c.resolvedBy } : {}),
        by: c.by,
        rationale: d.rationale,
      },
    ];
  });
}

/** The report's "Consensus decisions" section in markdown (empty when there are none). */
export function consensusMarkdown(rows: readonly ConsensusRow[], cell: (text: string, max?: number) => string): string[] {
  if (!rows.length) return [];
  const out = ['', '### Consensus decisions'];
  for (const r of rows) {
    const how = r.status === 'pending' ? 'waiting for a person' : r.resolvedBy === 'tie-break' ? 'resolved by a tie-break agent' : r.resolvedBy === 'person' ? 'resolved by a person' : 'quorum met';
    out.push(`- ${r.decision}${r.task ? ` (${r.task})` : ''}: agreement ${pct(r.agreement)}, quorum ${r.quorum} of ${r.agents.length} — ${how}; ${r.by === 'llm' ? 'compared by a model' : 'compared deterministically (scripted)'}`);
    out.push(`  - Agents: ${r.agents.join(', ')}`);
    if (r.agreed.length) out.push(`  - Agreed: ${r.agreed.map((a) => cell(a, 120)).join('; ')}`);
    for (const k of r.conflicts) out.push(`  - Conflict on ${cell(k.topic, 80)}: ${k.positions.map((p) => cell(p, 100)).join(' | ')}`);
    if (r.resolved) out.push(`  - Resolution: ${cell(r.resolved, 200)}`);
    out.push(`  - Rationale: ${cell(r.rationale, 240)}`);
  }
  return out;
}
