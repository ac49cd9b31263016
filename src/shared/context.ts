import { z } from 'zod';
import { NO_SPEND, OrchestrationConfig, OrchestrationState, Role, type Task } from './schemas';
import { formatId, initialState } from './state';

/** The seed-002 context document (`.baton/<project>/context.json`), with Baton's full state under `baton`. */
export interface ContextDocument {
  project_name: string;
  created_date: string;
  last_session: string;
  objectives: { id: string; description: string; status: string; created: string }[];
  completed_tasks: { id: string; description: string; outcome: string; completed: string; agent?: string }[];
  active_tasks: { id: string; description: string; status: string; role: string }[];
  pending_decisions: { id: string; question: string; rationale: string; created: string }[];
  key_insights: string[];
  spawned_agents: { id: string; name: string; type: string; mission: string; spawned: string; status: string }[];
  metrics: OrchestrationState['metrics'];
  baton: OrchestrationState;
}

/** Seed 002's `last_session` label for a session number. */
export function sessionLabel(session: number): string {
  return `session_${String(session).padStart(3, '0')}`;
}

/** Export state as the seed-002 context document. */
export function toContext(state: OrchestrationState): ContextDocument {
  const agentName = new Map(state.agents.map((a) => [a.id, a.name]));
  return {
    project_name: state.project,
    created_date: state.created,
    last_session: sessionLabel(state.session),
    objectives: state.objectives.map((o) => ({ id: o.id, description: o.description, status: o.status, created: o.created })),
    completed_tasks: state.tasks
      .filter((t) => t.status === 'completed')
      .map((t) => ({
        id: t.id,
        description: t.mission,
        outcome: t.outcome ?? '',
        completed: t.completed ?? '',
        agent: t.agentId ? agentName.get(t.agentId) : undefined,
      })),
    active_tasks: state.tasks
      .filter((t) => t.status !== 'completed')
      .map((t) => ({ id: t.id, description: t.mission, status: t.status, role: t.role })),
    pending_decisions: state.decisions
      .filter((d) => d.status === 'pending')
      .map((d) => ({ id: d.id, question: d.question, rationale: d.rationale, created: d.created })),
    key_insights: state.insights.map((i) => i.text),
    spawned_agents: state.agents.map((a) => ({
      id: a.id,
      name: a.name,
      type: a.role,
      mission: a.mission,
      spawned: a.spawned,
      status: a.status,
    })),
    metrics: state.metrics,
    baton: state,
  };
}

const SeedContext = z.object({
  project_name: z.string().optional(),
  created_date: z.string().optional(),
  objectives: z.array(z.object({ id: z.string().optional(), description: z.string().min(1), status: z.string().optional(), created: z.string().optional() })).default([]),
  completed_tasks: z.array(z.object({ id: z.string().optional(), description: z.string().min(1), outcome: z.string().default(''), completed: z.string().optional() })).default([]),
  active_tasks: z.array(z.object({ id: z.string().optional(), description: z.string().min(1), role: z.string().optional() })).default([]),
  key_insights: z.array(z.string()).default([]),
  metrics: z.record(z.string(), z.unknown()).optional(),
  baton: z.unknown().optional(),
});

/** Guess a role for an imported task from its wording (seed 002's delegation hierarchy). */
export function inferRole(description: string): Role {
  const d = description.toLowerCase();
  if (/\b(research|investigate|explore|survey|find)\b/.test(d)) return 'researcher';
  if (/\b(review|audit|critique)\b/.test(d)) return 'reviewer';
  if (/\b(test|qa|verify|validate)\b/.test(d)) return 'qa';
  if (/\b(analy[sz]e|analysis|assess|compare)\b/.test(d)) return 'analyst';
  if (/\b(deploy|run|execute|migrate|release)\b/.test(d)) return 'executor';
  if (/\b(advise|recommend|decide)\b/.test(d)) return 'advisor';
  return 'developer';
}

/**
 * Import a context document into state for a new workflow. A Baton export restores exactly; a plain
 * seed-002 file becomes objectives, completed tasks, pending tasks (roles inferred) and insights.
 */
export function fromContext(
  doc: unknown,
  project: string,
  config: OrchestrationConfig,
  now: string,
): { ok: true; state: OrchestrationState } | { ok: false; error: string } {
  const parsed = SeedContext.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'invalid'}` };
  }
  if (parsed.data.baton !== undefined) {
    const full = OrchestrationState.safeParse(parsed.data.baton);
    if (!full.success) {
      const issue = full.error.issues[0];
      return { ok: false, error: `${['baton', ...(issue?.path ?? [])].join('.')}: ${issue?.message ?? 'invalid'}` };
    }
    return { ok: true, state: restartable({ ...full.data, project }) };
  }
  const seed = parsed.data;
  const base = initialState(project, config, seed.created_date ?? now);
  // Open objectives with imported open tasks are already planned; without any they are planned afresh.
  const openStatus = seed.active_tasks.length ? ('active' as const) : ('pending' as const);
  const objectives = seed.objectives.map((o, i) => ({
    id: formatId('OBJ', i + 1),
    description: o.description,
    status: o.status === 'completed' ? ('completed' as const) : openStatus,
    created: o.created ?? now,
    session: 0,
    spent: NO_SPEND,
  }));
  const owner = objectives.find((o) => o.status === 'active')?.id;
  const completed: Task[] = seed.completed_tasks.map((t, i) => importedTask(formatId('TASK', i + 1), t.description, now, {
    status: 'completed',
    outcome: t.outcome,
    completed: t.completed ?? now,
  }));
  const active: Task[] = seed.active_tasks.map((t, i) => {
    const role = Role.safeParse(t.role);
    return importedTask(formatId('TASK', completed.length + i + 1), t.description, now, {
      status: 'pending',
      role: role.success ? role.data : inferRole(t.description),
      objectiveId: owner,
    });
  });
  const sessions = Number(seed.metrics?.total_sessions ?? 0) || 0;
  return {
    ok: true,
    state: {
      ...base,
      session: sessions,
      objectives,
      tasks: [...completed, ...active],
      insights: seed.key_insights.map((text) => ({ text, source: 'imported', recorded: now })),
      metrics: { ...base.metrics, total_sessions: sessions, total_tasks_completed: completed.length },
      counters: { ...base.counters, objective: objectives.length, task: completed.length + active.length },
    },
  };
}

/** An exported state taken mid-run: work that was running starts over; the new workflow begins fresh. */
function restartable(state: OrchestrationState): OrchestrationState {
  return {
    ...state,
    phase: 'context',
    paused: false,
    stop: undefined,
    tasks: state.tasks.map((t): Task => (t.status === 'running' ? { ...t, status: 'pending', agentId: undefined } : t)),
    agents: state.agents.map((a) => (a.status === 'running' ? { ...a, status: 'stopped' as const } : a)),
    objectives: state.objectives.map((o) => (o.status === 'planning' ? { ...o, status: 'pending' as const } : o)),
  };
}

function importedTask(id: string, mission: string, now: string, extra: Partial<Task>): Task {
  return {
    id,
    key: id.toLowerCase(),
    role: inferRole(mission),
    mission,
    successCriteria: [],
    dependsOn: [],
    status: 'pending',
    attempts: 0,
    created: now,
    source: 'imported',
    artifacts: [],
    spent: NO_SPEND,
    ...extra,
  };
}
