import { formatIssues } from '../roadmap/load';
import type { ContextDocument } from '../shared/context';
import { type ConsensusRow, consensusMarkdown, consensusRows } from '../shared/consensus-view';
import { delegationTree, hasDelegated, treeMermaid, treeText } from '../shared/delegation-view';
import { holdText } from '../shared/lifecycle';
import { type ObjectivePattern, patternLine } from '../shared/patterns';
import type { StatusView } from '../shared/status';
import { type SuccessMetrics, successMetrics } from '../shared/success-metrics';
import { reworkRate } from '../shared/verification';
import { formatBudget, formatSpend, importedLines } from './status-text';

/** The orchestration report as data (`baton report --json`). */
export interface Report {
  project: string;
  session: number;
  phase: string;
  generated: string;
  durationMinutes: number;
  simulated: boolean;
  objectives: { id: string; description: string; status: string; pattern?: ObjectivePattern }[];
  workCompleted: WorkRow[];
  /** Seed 003's per-target view: work streams done, their quality, and what can run next. */
  targets: { name: string; title?: string; workCompleted: WorkRow[]; nextAvailable: string[]; blocked: string[]; problems: string[] }[];
  decisions: { id: string; question: string; choice?: string; rationale: string; status: string }[];
  /** Each consensus decision: agreement, agreed points, conflicts and resolution (seed 002 pattern 4). */
  consensus: ConsensusRow[];
  /** The delegation tree (seed 002 pattern 3), as text and as a mermaid diagram, when lead tasks ran child orchestrations. */
  delegation?: { tree: string[]; mermaid: string[] };
  /** The latest insights; an imported one keeps its category (`[critical] …`). */
  insights: string[];
  /** The earlier tool's agents and completed phases, when the orchestration was imported from a context file. */
  imported?: StatusView['imported'];
  /** Bad signals recorded instead of applied. */
  rejectedInputs: StatusView['rejectedInputs'];
  metrics: StatusView['metrics'] & { agents_used: number; rework_rate: number };
  /** Seed 002's success metrics against its targets. */
  success: SuccessMetrics;
  nextAvailable: { task: string; mission: string; role: string; status: string }[];
  pendingDecisions: string[];
  cost: { total: StatusView['spent']; budget: StatusView['budget']; byAgent: StatusView['team']; byObjective: { id: string; spent: StatusView['spent'] }[] };
}

/** One finished (or given-up) task as the report's tables show it. */
export interface WorkRow {
  task: string;
  objective?: string;
  stream?: string;
  mission: string;
  agent?: string;
  role: string;
  status: string;
  /** `Verified`, `Verified after 1 rework`, `Failed gates: test`, `Not verified`, … */
  quality: string;
  outcome?: string;
}

/** How a task's work held up under verification, in a few words. */
export function quality(t: StatusView['tasks'][number]): string {
  const v = t.verification;
  if (!v) return t.target ? 'Not verified' : '—';
  const rework = t.rework ? ` after ${t.rework} rework${t.rework > 1 ? 's' : ''}` : '';
  if (v.passed) return `Verified${rework}`;
  const failed = v.gates.filter((g) => !g.passed).map((g) => g.name);
  return [failed.length ? `Failed gates: ${failed.join(', ')}` : '', v.falseClaims.length ? `${v.falseClaims.length} false claim(s)` : ''].filter(Boolean).join('; ') || 'Not verified';
}

const FINISHED = new Set(['completed', 'failed', 'stopped']);

function workRow(t: StatusView['tasks'][number]): WorkRow {
  return {
    task: t.id,
    objective: t.objectiveId,
    ...(t.stream ? { stream: t.stream } : {}),
    mission: t.mission.split('\n')[0] ?? t.mission,
    agent: t.agent?.name,
    role: t.role,
    status: t.status,
    quality: quality(t),
    outcome: t.outcome ?? t.error ?? (t.hold ? holdText(t.hold) : undefined),
  };
}

function targetSections(status: StatusView): Report['targets'] {
  const health = new Map((status.roadmap?.targets ?? []).map((h) => [h.target, h]));
  const open = new Map((status.roadmap?.open ?? []).map((o) => [o.ref, o]));
  return status.config.targets.map((target) => {
    const h = health.get(target.name);
    return {
      name: target.name,
      ...(target.title ? { title: target.title } : {}),
      workCompleted: status.tasks.filter((t) => t.target === target.name && FINISHED.has(t.status)).map(workRow),
      nextAvailable: (h?.available ?? []).map((ref) => `${ref} ${open.get(ref)?.title ?? ''}${open.get(ref)?.effort ? ` (${open.get(ref)?.effort})` : ''}`.trim()),
      blocked: (h?.blocked ?? []).map((b) => `${b.ref}: ${b.why}`),
      problems: formatIssues(h?.issues ?? []),
    };
  });
}

/** Build the report (seed 003 phase 6): work done, metrics, what can run next. */
export function buildReport(status: StatusView, context: ContextDocument, now: string): Report {
  const state = context.baton;
  const ms = Date.parse(now) - Date.parse(state.created);
  return {
    project: status.project,
    session: status.session,
    phase: status.phase,
    generated: now,
    durationMinutes: Number.isFinite(ms) ? Math.round(ms / 6000) / 10 : 0,
    simulated: state.agents.some((a) => a.simulated),
    objectives: status.objectives.map((o) => ({ id: o.id, description: o.description, status: o.status, ...(o.pattern ? { pattern: o.pattern } : {}) })),
    workCompleted: status.tasks.filter((t) => FINISHED.has(t.status)).map(workRow),
    targets: targetSections(status),
    decisions: state.decisions.map((d) => ({ id: d.id, question: d.question, choice: d.choice, rationale: d.rationale, status: d.status })),
    consensus: consensusRows(state.decisions),
    ...(hasDelegated(state) ? { delegation: { tree: treeText(delegationTree(state)), mermaid: treeMermaid(delegationTree(state)) } } : {}),
    insights: distinct(state.insights.map((i) => (i.category ? `[${i.category}] ${i.text}` : i.text))).slice(-10),
    ...(status.imported ? { imported: status.imported } : {}),
    rejectedInputs: status.rejectedInputs,
    metrics: {
      ...status.metrics,
      agents_used: new Set(state.agents.map((a) => a.name)).size,
      rework_rate: reworkRate(status.metrics),
    },
    success: successMetrics(state),
    nextAvailable: status.tasks
      .filter((t) => t.status === 'ready' || t.status === 'blocked' || t.status === 'stopped' || t.status === 'pending')
      .map((t) => ({ task: t.id, mission: t.mission, role: t.role, status: t.status })),
    pendingDecisions: status.pendingDecisions.map((d) => `${d.id}: ${d.question}`),
    cost: { total: status.spent, budget: status.budget, byAgent: status.team, byObjective: status.objectives.map((o) => ({ id: o.id, spent: o.spent })) },
  };
}

/** Insights once each, ignoring case, spacing and a trailing full stop. */
function distinct(items: string[]): string[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = i.toLowerCase().replace(/\s+/g, ' ').replace(/[.!]+$/, '').trim();
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

const cell = (text: string | undefined, max = 80): string => {
  const flat = (text ?? '').replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** The report as markdown. */
export function renderReport(r: Report): string {
  const out = [
    '## Orchestration Report',
    '',
    `**Project**: ${r.project} · **Session**: ${r.session} · **Phase**: ${r.phase}${r.simulated ? ' · **Agents**: scripted runtime (simulated)' : ''}`,
    `**Generated**: ${r.generated}`,
    '',
    '### Objectives',
    '| Objective | Description | Status | Pattern |',
    '|---|---|---|---|',
    ...r.objectives.map((o) => `| ${o.id} | ${cell(o.description)} | ${o.status} | ${o.pattern ? cell(patternLine(o.pattern, 400), 400) : '—'} |`),
    '',
  ];
  const elsewhere = r.workCompleted.filter((w) => !w.stream && !r.targets.some((t) => t.workCompleted.some((x) => x.task === w.task)));
  for (const t of r.targets) {
    out.push(`### Work Completed — ${t.name}${t.title ? ` (${t.title})` : ''}`, ...workTable(t.workCompleted), '');
  }
  if (elsewhere.length || !r.targets.length) out.push('### Work Completed', ...workTable(elsewhere));
  if (r.decisions.length) {
    out.push('', '### Decisions', ...r.decisions.map((d) => `- ${d.id} ${d.status === 'pending' ? '(pending) ' : ''}${cell(d.question, 120)}${d.choice ? ` → **${d.choice}**` : ''} — ${cell(d.rationale, 160)}`));
  }
  out.push(...consensusMarkdown(r.consensus ?? [], cell));
  if (r.delegation) out.push('', '### Delegation Tree', '```', ...r.delegation.tree, '```', '', '```mermaid', ...r.delegation.mermaid, '```');
  if (r.insights.length) out.push('', '### Key Insights', ...r.insights.map((i) => `- ${cell(i, 160)}`));
  if (r.imported) out.push('', '### Imported Context', ...importedLines(r).slice(1).map((l) => (l.startsWith('  ') ? `- ${l.trim()}` : l)));
  if (r.rejectedInputs.length) out.push('', '### Rejected Inputs', ...r.rejectedInputs.map((x) => `- ${x.received} ${x.kind} \`${x.name}\`: ${cell(x.reason, 160)} — got \`${cell(x.input, 100)}\``));
  const m = r.metrics;
  out.push(
    '',
    '### Metrics',
    `- Duration: ${r.durationMinutes} minutes`,
    `- Sessions: ${m.total_sessions}`,
    `- Agents spawned: ${m.total_agents_spawned} (${m.agents_used} named agents)`,
    `- Tasks completed: ${m.total_tasks_completed} · failed: ${m.total_tasks_failed}`,
    `- Verified: ${m.total_verifications ?? 0} · sent back for rework: ${m.total_reworks ?? 0} · rework rate: ${Math.round(m.rework_rate * 100)}%`,
    `- Decisions made: ${m.total_decisions_made}`,
    `- Cost: ${formatSpend(r.cost.total)}${formatBudget(r.cost.budget)}`,
  );
  out.push('', '### Success Metrics (seed 002)', '| Metric | Value | Target |', '|---|---|---|', ...successRows(r.success));
  if (r.cost.byAgent.length) {
    out.push('', '### Cost by Agent', '| Agent | Role | Tasks | Tokens | USD |', '|---|---|---|---|---|');
    out.push(...r.cost.byAgent.map((a) => `| ${a.name} | ${a.role} | ${a.tasksCompleted} | ${a.spent.tokens} | ${a.spent.costUsd.toFixed(4)} |`));
  }
  out.push('', '### Next Available');
  for (const t of r.targets) {
    out.push(...t.nextAvailable.map((n) => `- ${t.name}: ${n}`));
    out.push(...t.blocked.map((b) => `- ${t.name} (blocked): ${cell(b, 120)}`));
    out.push(...t.problems.map((p) => `- ${t.name} roadmap problem: ${p}`));
  }
  if (!r.nextAvailable.length && !r.pendingDecisions.length) out.push('- Nothing pending: add an objective with `baton objective "…"`.');
  out.push(...r.nextAvailable.map((n) => `- ${n.task} (${n.role}, ${n.status}): ${cell(n.mission, 100)}`));
  out.push(...r.pendingDecisions.map((d) => `- decision waiting for a person: ${cell(d, 120)}`));
  return out.join('\n');
}

/** Seed 002's success metrics as table rows: value (n/a before there is anything to measure) and the seed's target. */
function successRows(s: SuccessMetrics): string[] {
  const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);
  const secs = (ms: number | null) => (ms === null ? 'n/a' : ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${(ms / 60_000).toFixed(1)} min`);
  const d = s.decisionTime;
  return [
    `| Agents per task | ${s.agentsPerTask ?? 'n/a'} | 1–3 |`,
    `| Parallel execution rate | ${pct(s.parallelExecutionRate)} | > 60% |`,
    `| Task success rate | ${pct(s.taskSuccessRate)} | > 95% |`,
    `| Rework rate | ${pct(s.reworkRate)} | < 10% |`,
    `| Decision time | ${d.answered ? `mean ${secs(d.meanMs)}, max ${secs(d.maxMs)} (${d.answered} answered)` : 'n/a'} | < 5 min |`,
    `| Context continuity | ${pct(s.contextContinuity)} | 100% |`,
  ];
}

function workTable(rows: WorkRow[]): string[] {
  if (!rows.length) return ['- nothing finished yet'];
  return [
    '| Work | Agent | Role | Status | Quality | Outcome |',
    '|---|---|---|---|---|---|',
    ...rows.map((w) => `| ${w.stream ? w.stream : w.task} ${cell(w.stream ? w.mission.replace(`${w.stream} `, '') : w.mission, 50)} | ${w.agent ?? '—'} | ${w.role} | ${w.status} | ${w.quality} | ${cell(w.outcome, 60)} |`),
  ];
}
