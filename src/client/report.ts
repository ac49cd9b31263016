import type { ContextDocument } from '../shared/context';
import type { StatusView } from '../shared/status';
import { formatBudget, formatSpend } from './status-text';

/** The orchestration report as data (`baton report --json`). */
export interface Report {
  project: string;
  session: number;
  phase: string;
  generated: string;
  durationMinutes: number;
  simulated: boolean;
  objectives: { id: string; description: string; status: string }[];
  workCompleted: { task: string; objective?: string; mission: string; agent?: string; role: string; status: string; outcome?: string }[];
  decisions: { id: string; question: string; choice?: string; rationale: string; status: string }[];
  insights: string[];
  metrics: StatusView['metrics'] & { agents_used: number };
  nextAvailable: { task: string; mission: string; role: string; status: string }[];
  pendingDecisions: string[];
  cost: { total: StatusView['spent']; budget: StatusView['budget']; byAgent: StatusView['team']; byObjective: { id: string; spent: StatusView['spent'] }[] };
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
    objectives: status.objectives.map((o) => ({ id: o.id, description: o.description, status: o.status })),
    workCompleted: status.tasks
      .filter((t) => t.status === 'completed' || t.status === 'failed' || t.status === 'stopped')
      .map((t) => ({ task: t.id, objective: t.objectiveId, mission: t.mission, agent: t.agent?.name, role: t.role, status: t.status, outcome: t.outcome ?? t.error })),
    decisions: state.decisions.map((d) => ({ id: d.id, question: d.question, choice: d.choice, rationale: d.rationale, status: d.status })),
    insights: distinct(context.key_insights).slice(-10),
    metrics: { ...status.metrics, agents_used: new Set(state.agents.map((a) => a.name)).size },
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
    '| Objective | Description | Status |',
    '|---|---|---|',
    ...r.objectives.map((o) => `| ${o.id} | ${cell(o.description)} | ${o.status} |`),
    '',
    '### Work Completed',
    '| Task | Mission | Agent | Role | Status | Outcome |',
    '|---|---|---|---|---|---|',
    ...r.workCompleted.map((w) => `| ${w.task} | ${cell(w.mission, 50)} | ${w.agent ?? '—'} | ${w.role} | ${w.status} | ${cell(w.outcome, 60)} |`),
  ];
  if (r.decisions.length) {
    out.push('', '### Decisions', ...r.decisions.map((d) => `- ${d.id} ${d.status === 'pending' ? '(pending) ' : ''}${cell(d.question, 120)}${d.choice ? ` → **${d.choice}**` : ''} — ${cell(d.rationale, 160)}`));
  }
  if (r.insights.length) out.push('', '### Key Insights', ...r.insights.map((i) => `- ${cell(i, 160)}`));
  const m = r.metrics;
  out.push(
    '',
    '### Metrics',
    `- Duration: ${r.durationMinutes} minutes`,
    `- Sessions: ${m.total_sessions}`,
    `- Agents spawned: ${m.total_agents_spawned} (${m.agents_used} named agents)`,
    `- Tasks completed: ${m.total_tasks_completed} · failed: ${m.total_tasks_failed}`,
    `- Decisions made: ${m.total_decisions_made}`,
    `- Cost: ${formatSpend(r.cost.total)}${formatBudget(r.cost.budget)}`,
  );
  if (r.cost.byAgent.length) {
    out.push('', '### Cost by Agent', '| Agent | Role | Tasks | Tokens | USD |', '|---|---|---|---|---|');
    out.push(...r.cost.byAgent.map((a) => `| ${a.name} | ${a.role} | ${a.tasksCompleted} | ${a.spent.tokens} | ${a.spent.costUsd.toFixed(4)} |`));
  }
  out.push('', '### Next Available');
  if (!r.nextAvailable.length && !r.pendingDecisions.length) out.push('- Nothing pending: add an objective with `baton objective "…"`.');
  out.push(...r.nextAvailable.map((n) => `- ${n.task} (${n.role}, ${n.status}): ${cell(n.mission, 100)}`));
  out.push(...r.pendingDecisions.map((d) => `- decision waiting for a person: ${cell(d, 120)}`));
  return out.join('\n');
}
