import { z } from 'zod';
import { readForeignContext, inferRole as inferTaskRole, type ImportedContext } from './context-import';
import { type Decision, type Metrics, NO_SPEND, type Objective, type OrchestrationConfig, OrchestrationState, type Task } from './schemas';
import { initialState, MAX_INSIGHTS } from './state';

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

/** A Baton export: the full state under `baton`, restored exactly. */
const BatonExport = z.object({ baton: z.unknown() });

/** Guess a role for an imported task from its wording (seed 002's delegation hierarchy). */
export const inferRole = inferTaskRole;

/**
 * Import a context document into state for a new workflow. A Baton export restores exactly; seed 002's
 * documented shape and the Atlas tool's context.json become objectives, tasks, decisions, insights and the
 * earlier tool's agents and phases, with their ids and totals carried on.
 */
export function fromContext(
  doc: unknown,
  project: string,
  config: OrchestrationConfig,
  now: string,
): { ok: true; state: OrchestrationState } | { ok: false; error: string } {
  const exported = BatonExport.safeParse(doc);
  if (exported.success && exported.data.baton !== undefined) {
    const full = OrchestrationState.safeParse(exported.data.baton);
    if (!full.success) {
      const issue = full.error.issues[0];
      return { ok: false, error: `${['baton', ...(issue?.path ?? [])].join('.')}: ${issue?.message ?? 'invalid'}` };
    }
    return { ok: true, state: restartable({ ...full.data, project }) };
  }
  const read = readForeignContext(doc);
  return read.ok ? { ok: true, state: importedState(read.context, project, config, now) } : read;
}

const highest = (ids: string[]): number => Math.max(0, ...ids.map((id) => Number(/\d+$/.exec(id)?.[0] ?? 0)));

/** State from a foreign context (ids, totals and the earlier tool's agents and phases kept). */
export function importedState(c: ImportedContext, project: string, config: OrchestrationConfig, now: string): OrchestrationState {
  const base = initialState(project, config, c.created ?? now);
  // The files do not say which objective a task serves: open tasks go to the first open objective; the others are planned afresh.
  const owner = c.tasks.some((t) => t.status === 'open') ? c.objectives.find((o) => o.status === 'open')?.id : undefined;
  const objectives: Objective[] = c.objectives.map((o) => ({
    id: o.id,
    description: o.description,
    status: o.status === 'open' ? (o.id === owner ? 'active' : 'pending') : o.status,
    created: o.created ?? now,
    session: 0,
    spent: NO_SPEND,
  }));
  const tasks: Task[] = c.tasks.map((t) =>
    importedTask(t.id, t.description, t.created ?? now, {
      role: t.role,
      ...(t.status === 'completed' ? { status: 'completed', outcome: t.outcome ?? '', completed: t.completed ?? now } : {}),
      ...(t.status === 'failed' ? { status: 'failed', error: 'failed before the import', completed: now } : {}),
      ...(t.status === 'open' && owner ? { objectiveId: owner } : {}),
    }),
  );
  const decisions: Decision[] = c.decisions.map((d) => ({
    id: d.id,
    question: d.question,
    rationale: d.rationale,
    status: 'pending',
    created: d.created ?? now,
    session: 0,
    kind: 'synthesis',
  }));
  const m = c.metrics;
  const count = (status: Task['status']) => tasks.filter((t) => t.status === status).length;
  // Totals carry on: the file's counters win over what its (often partial) lists show.
  const metrics: Metrics = {
    total_sessions: m.total_sessions ?? 0,
    total_agents_spawned: Math.max(m.total_agents_spawned ?? 0, c.history.agents.length),
    total_tasks_completed: Math.max(m.total_tasks_completed ?? 0, count('completed')),
    total_tasks_failed: Math.max(m.total_tasks_failed ?? 0, count('failed')),
    total_decisions_made: m.total_decisions_made ?? 0,
    ...(m.total_reworks !== undefined ? { total_reworks: m.total_reworks } : {}),
    ...(m.total_verifications !== undefined ? { total_verifications: m.total_verifications } : {}),
  };
  return {
    ...base,
    session: metrics.total_sessions,
    objectives,
    tasks,
    decisions,
    insights: c.insights
      .map((i) => ({ text: i.text, source: 'imported', recorded: i.recorded ?? now, ...(i.category ? { category: i.category } : {}) }))
      .slice(-MAX_INSIGHTS),
    metrics,
    // New ids continue after the highest imported one; agents and decisions also after the totals (the lists are often partial).
    counters: {
      objective: highest(objectives.map((o) => o.id)),
      task: highest(tasks.map((t) => t.id)),
      agent: Math.max(highest(c.history.agents.map((a) => a.id)), metrics.total_agents_spawned),
      decision: Math.max(highest(decisions.map((d) => d.id)), metrics.total_decisions_made),
    },
    imported: c.history,
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
