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
    const line = taskLine(t, next);
    if (line) lines.push(line);
  }
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
  switch (t.status) {
    case 'running':
      return `▶ ${who}${simulated} started ${t.id}: ${t.mission}${t.attempts > 1 ? ` (attempt ${t.attempts})` : ''}`;
    case 'completed':
      return `✓ ${who} completed ${t.id}: ${t.outcome ?? ''}`;
    case 'failed':
      return `✗ ${who} failed ${t.id}: ${t.error ?? ''}`;
    case 'stopped':
      return `■ ${who} stopped on ${t.id}`;
    default:
      return undefined;
  }
}
