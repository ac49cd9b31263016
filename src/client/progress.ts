import { AWAITING_DECISION } from '../shared/recovery';
import { phaseTitle, type StatusView, type TaskView } from '../shared/status';

/** Lines describing what changed between two `status` snapshots: phases, objectives, agents. */
export function progressLines(prev: StatusView | undefined, next: StatusView): string[] {
  const lines: string[] = [];
  if (!prev || prev.phase !== next.phase || prev.session !== next.session) {
    lines.push(`>>> ${phaseTitle(next.phase)} (session ${next.session})`);
  }
  const before = new Map((prev?.objectives ?? []).map((o) => [o.id, o.status]));
  for (const o of next.objectives) if (!before.has(o.id)) lines.push(`+ objective ${o.id}: ${o.description}`);
  for (const o of next.objectives) {
    if (before.get(o.id) !== o.status && o.status === 'active') {
      lines.push(`  planned ${o.id} into ${next.tasks.filter((t) => t.objectiveId === o.id).length} tasks`);
    }
  }
  const prevTasks = new Map((prev?.tasks ?? []).map((t) => [t.id, t]));
  for (const t of next.tasks) {
    const was = prevTasks.get(t.id);
    if (was?.status === t.status && was.agent?.id === t.agent?.id) continue;
    // A rework can go from verifying to running again between two polls: say why before the restart.
    if ((t.rework ?? 0) > (was?.rework ?? 0)) lines.push(`↺ ${t.id} sent back for rework ${t.rework}: ${reworkReason(t)}`);
    const line = taskLine(t, next);
    if (line) lines.push(line);
  }
  const known = new Set((prev?.pendingDecisions ?? []).map((d) => d.id));
  for (const d of next.pendingDecisions) if (!known.has(d.id)) lines.push(`? decision ${d.id} waits for a person: ${d.question}`);
  for (const o of next.objectives) {
    if (before.get(o.id) !== o.status && (o.status === 'completed' || o.status === 'failed')) {
      lines.push(`${o.status === 'completed' ? '✓' : '✗'} objective ${o.id} ${o.status}${o.error ? `: ${o.error}` : ''}`);
    }
  }
  return lines;
}

function taskLine(t: TaskView, s: StatusView): string | undefined {
  const who = t.agent ? `${t.agent.name} (${t.role})` : `(${t.role})`;
  const simulated = s.runningAgents.find((a) => a.id === t.agent?.id)?.simulated ? ' [simulated]' : '';
  const mission = t.mission.split('\n')[0] ?? '';
  const where = t.target && !t.stream ? ` [${t.target}]` : '';
  switch (t.status) {
    case 'running':
      return `▶ ${who}${simulated} started ${t.id}${where}: ${mission}${t.rework ? ` (rework ${t.rework})` : t.attempts > 1 ? ` (attempt ${t.attempts})` : ''}`;
    case 'verifying':
      return `  ${t.id}: verifying ${who}'s work (quality gates, then the claims)`;
    case 'completed':
      return `✓ ${who} completed ${t.id}: ${t.outcome ?? ''}`;
    case 'failed':
      return `✗ ${who} failed ${t.id}: ${t.error ?? ''}`;
    case 'stopped':
      if (t.error?.startsWith(AWAITING_DECISION)) return `⏸ ${who} ${t.id}${t.stream ? ` (${t.stream})` : ''} failed and waits for a person's decision`;
      return `■ ${who} stopped on ${t.id}`;
    default:
      return undefined;
  }
}

function reworkReason(t: TaskView): string {
  const v = t.verification;
  if (!v) return 'verification failed';
  const gates = v.gates.filter((g) => !g.passed).map((g) => `gate ${g.name} failed`);
  return [...gates, ...v.falseClaims].join('; ').slice(0, 300) || 'verification failed';
}
