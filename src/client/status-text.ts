import { formatIssues } from '../roadmap/load';
import { childrenLines } from '../shared/delegation-view';
import type { Budget, Spend } from '../shared/schemas';
import { consensusStatusLine } from '../shared/consensus-view';
import { holdText } from '../shared/lifecycle';
import { patternLine } from '../shared/patterns';
import { phaseTitle, type StatusView } from '../shared/status';

/** `12,345 tokens · $0.0421` (and unpriced tokens when a model has no known price). */
export function formatSpend(s: Spend): string {
  const unpriced = s.unpricedTokens ? ` (${s.unpricedTokens.toLocaleString('en-US')} unpriced)` : '';
  const failed = s.failedTokens || s.failedUsd ? ` · $${(s.failedUsd ?? 0).toFixed(4)} spent on failed attempts` : '';
  return `${s.tokens.toLocaleString('en-US')} tokens · $${s.costUsd.toFixed(4)}${unpriced}${failed}`;
}

/** ` of budget 100,000 tokens / $5` or nothing. */
export function formatBudget(b: Budget): string {
  const parts = [b.maxTokens !== undefined ? `${b.maxTokens.toLocaleString('en-US')} tokens` : '', b.maxUsd !== undefined ? `$${b.maxUsd}` : ''].filter(Boolean);
  return parts.length ? ` of budget ${parts.join(' / ')}` : '';
}

/** `baton status` for people: phase, objectives, tasks, running agents, decisions, metrics. */
export function renderStatus(s: StatusView): string {
  const lines = [`Project ${s.project} · session ${s.session} · ${phaseTitle(s.phase)}${s.stopping ? ` · stopping${s.stopping.graceful ? ' gracefully' : ''}` : ''}`];
  lines.push(`Mode ${s.config.mode}, up to ${s.config.maxAgents} agents, runtime ${s.config.runtime}${s.config.runtime === 'scripted' ? ' (simulated agents)' : ''}`);
  lines.push('', `Objectives:${s.archived.objectives ? ` (${s.archived.objectives} earlier finished objectives are in ${s.project}/archive.jsonl)` : ''}`);
  if (!s.objectives.length) lines.push('  (none yet: baton objective "…")');
  for (const o of s.objectives) {
    lines.push(`  ${o.id}  ${o.status.padEnd(9)} ${o.description}${o.error ? ` — ${o.error}` : ''}`);
    if (o.pattern) lines.push(`      pattern: ${patternLine(o.pattern)}`);
  }
  lines.push('', `Tasks:${s.archived.tasks ? ` (${s.archived.tasks} earlier finished tasks are in ${s.project}/archive.jsonl)` : ''}`);
  if (!s.tasks.length) lines.push('  (none)');
  // Seed 003 tracks work per target: tasks are grouped by the repository they run in.
  const groups = [...new Set(s.tasks.map((t) => t.target ?? ''))].sort();
  for (const group of groups) {
    if (groups.length > 1 || group) lines.push(`  ${group ? `target ${group}` : 'no target'}:`);
    for (const t of s.tasks.filter((x) => (x.target ?? '') === group)) {
      const agent = t.agent ? t.agent.name : '';
      const deps = t.dependsOn.length ? ` ← ${t.dependsOn.join(', ')}` : '';
      const rework = t.rework ? ` (rework ${t.rework})` : '';
      const mission = (t.stream ? t.mission.split('\n')[0] ?? '' : t.mission).slice(0, 70);
      lines.push(`  ${t.id}  ${t.status.padEnd(9)} ${t.role.padEnd(10)} ${agent.padEnd(10)} ${mission}${rework}${deps}`);
      // A stopped task says what it waits for (a person's stop, the budget, an escalation, a recovery decision).
      if (t.hold) lines.push(`      ${holdText(t.hold)}`);
      if (t.worktree) lines.push(`      worktree kept: ${t.worktree}`);
      if (t.consensus) lines.push(`      ${consensusStatusLine(t.consensus)}`);
    }
  }
  lines.push('', `Running agents: ${s.runningAgents.length ? s.runningAgents.map((a) => `${a.name} (${a.id}, ${a.role}) on ${a.taskId}`).join('; ') : 'none'}`);
  lines.push(`Pending decisions: ${s.pendingDecisions.length ? s.pendingDecisions.map((d) => `${d.id} ${d.question}`).join('; ') : 'none'}`);
  if (s.team.length) {
    lines.push('', 'Team:');
    for (const a of s.team) lines.push(`  ${a.name.padEnd(12)} ${a.role.padEnd(10)} ${String(a.tasksCompleted).padStart(3)} tasks  ${formatSpend(a.spent)}`);
  }
  if (s.roadmap) {
    lines.push('', `Roadmaps (checked ${s.roadmap.checked}${s.roadmap.error ? `; last gardening failed: ${s.roadmap.error}` : ''}):`);
    for (const h of s.roadmap.targets) {
      const issues = h.issues.length ? ` · ${h.issues.length} problem(s): ${formatIssues(h.issues).join('; ')}` : '';
      lines.push(`  ${h.target}: available ${h.available.join(', ') || 'none'} · in progress ${h.inProgress.join(', ') || 'none'} · blocked ${h.blocked.map((b) => b.ref).join(', ') || 'none'} · complete ${h.complete.length}${issues}`);
    }
  }
  lines.push(...childrenLines(s.children));
  lines.push(...importedLines(s), ...insightLines(s), ...rejectedLines(s));
  lines.push(`Spent: ${formatSpend(s.spent)}${formatBudget(s.budget)}`);
  const m = s.metrics;
  lines.push(
    `Metrics: ${m.total_sessions} sessions · ${m.total_agents_spawned} agents spawned · ${m.total_tasks_completed} tasks completed, ${m.total_tasks_failed} failed · ${m.total_decisions_made} decisions${m.total_verifications ? ` · ${m.total_verifications} verifications, ${m.total_reworks ?? 0} reworks` : ''}`,
  );
  return lines.join('\n');
}

/** What an imported context file brought: the earlier tool's agents and completed phases. */
export function importedLines(s: Pick<StatusView, 'imported'>): string[] {
  const h = s.imported;
  if (!h) return [];
  const tool = h.from === 'atlas' ? 'the Atlas tool' : 'a seed-002 context file';
  const where = [h.projectId, h.phase ? `phase ${h.phase}` : '', h.status].filter(Boolean).join(', ');
  const lines = ['', `Imported from ${tool}${where ? ` (${where})` : ''}: ${h.agents.length} agent(s), ${h.phases.length} completed phase(s)`];
  const assigned = Object.entries(h.assignments);
  for (const a of h.agents) {
    const tasks = assigned.filter(([, who]) => who === a.id || who === a.name).map(([task]) => task);
    lines.push(`  ${a.id}  ${(a.name ?? a.type).padEnd(18)} ${a.status ?? ''} ${a.mission.slice(0, 70)}${tasks.length ? ` (tasks ${tasks.join(', ')})` : ''}`);
  }
  if (h.phases.length) lines.push(`  phases done: ${h.phases.map((p) => p.phase).join(' → ')}`);
  return lines;
}

/** The latest insights, with the category an imported one carried. */
function insightLines(s: StatusView): string[] {
  if (!s.insights.length) return [];
  return ['', 'Insights (latest):', ...s.insights.slice(-5).map((i) => `  ${i.category ? `[${i.category}] ` : ''}${i.text.replace(/\s+/g, ' ').slice(0, 110)} (${i.source})`)];
}

/** Signals that were recorded instead of applied, with the reason. */
export function rejectedLines(s: Pick<StatusView, 'rejectedInputs'>): string[] {
  if (!s.rejectedInputs.length) return [];
  return ['', `Rejected inputs (${s.rejectedInputs.length}, latest last):`, ...s.rejectedInputs.slice(-5).map((r) => `  ${r.received}  ${r.kind} ${r.name}: ${r.reason} — got ${r.input}`)];
}
