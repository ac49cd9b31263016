import { z } from 'zod';
import { freeText, type ImportedHistory, type Metrics, Role } from './schemas';
import { matching } from './zod-rules';

/** The two foreign shapes Baton reads: seed 002's documented context, and what the Atlas tool really writes. */
export type ContextShape = 'seed-002' | 'atlas';

/** A context file read into Baton's terms, before it becomes state. Ids are Baton-style, their numbers kept. */
export interface ImportedContext {
  from: ContextShape;
  projectName?: string;
  created?: string;
  objectives: { id: string; description: string; status: 'completed' | 'failed' | 'open'; created?: string }[];
  tasks: { id: string; description: string; status: 'completed' | 'failed' | 'open'; role: Role; outcome?: string; completed?: string; created?: string }[];
  decisions: { id: string; question: string; rationale: string; created?: string }[];
  insights: { text: string; category?: string; recorded?: string }[];
  metrics: Partial<Metrics>;
  history: ImportedHistory;
}

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

// Both id styles are read: seed 002's OBJ_001 / TASK_025 / AGENT_0001 and Atlas's OBJ001 / TSK001 / AGT001.
const ID_FORMS = {
  OBJ: { re: /^OBJ_?(\d{1,6})$/, example: 'OBJ_001 or OBJ001', width: 3 },
  TASK: { re: /^(?:TASK_|TSK)(\d{1,6})$/, example: 'TASK_001 or TSK001', width: 3 },
  AGENT: { re: /^(?:AGENT_|AGT)(\d{1,6})$/, example: 'AGENT_0001 or AGT001', width: 4 },
  DEC: { re: /^DEC_?(\d{1,6})$/, example: 'DEC_001', width: 3 },
} as const;
type IdKind = keyof typeof ID_FORMS;

const idOf = (kind: IdKind) => matching(z.string({ error: 'id must be a string' }), ID_FORMS[kind].re, `id must look like ${ID_FORMS[kind].example}`);
const idNumber = (kind: IdKind, id: string): number => Number(ID_FORMS[kind].re.exec(id)?.[1] ?? 0);
const date = (what: string) =>
  z.string({ error: `${what} must be a date string` }).refine((s) => !Number.isNaN(Date.parse(s)), `${what} must be a date like 2024-01-01T10:00:00`);
const label = (what: string, max = 100) => freeText(what).pipe(z.string().max(max, `${what} must be at most ${max} characters`));
// Optional prose a file may leave empty (`"outcome": ""`), under the same text rules when it says something.
const maybeText = (what: string) => z.literal('').or(freeText(what));
const count = z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must not be negative');

const OBJECTIVE_STATUS = z.enum(['pending', 'planning', 'confirming', 'active', 'in_progress', 'blocked', 'completed', 'failed'], {
  error: 'status must be one of pending, active, in_progress, blocked, completed, failed',
});
const TASK_STATUS = z.enum(['pending', 'ready', 'running', 'in_progress', 'active', 'blocked', 'stopped', 'completed', 'failed'], {
  error: 'status must be one of pending, ready, running, in_progress, active, blocked, stopped, completed, failed',
});
const settled = (status: string | undefined): 'completed' | 'failed' | 'open' => (status === 'completed' || status === 'failed' ? status : 'open');

/** Seed 002's counters (and Baton's extra ones); anything else is a typo worth naming. */
const MetricsIn = z.strictObject({
  total_sessions: count.optional(),
  total_agents_spawned: count.optional(),
  total_tasks_completed: count.optional(),
  total_tasks_failed: count.optional(),
  total_decisions_made: count.optional(),
  total_reworks: count.optional(),
  total_verifications: count.optional(),
});

/** Seed 002's "Context Structure / Persistent State", plus the few fields Baton's own export adds to its lists. */
const SeedContext = z.strictObject({
  project_name: label('project_name', 200).optional(),
  created_date: date('created_date').optional(),
  last_session: label('last_session').optional(),
  objectives: z.array(z.strictObject({ id: idOf('OBJ').optional(), description: freeText('description'), status: OBJECTIVE_STATUS.optional(), created: date('created').optional() })).default([]),
  completed_tasks: z
    .array(z.strictObject({ id: idOf('TASK').optional(), description: freeText('description'), outcome: maybeText('outcome').optional(), completed: date('completed').optional(), agent: label('agent').optional() }))
    .default([]),
  active_tasks: z.array(z.strictObject({ id: idOf('TASK').optional(), description: freeText('description'), status: TASK_STATUS.optional(), role: Role.optional() })).default([]),
  pending_decisions: z.array(z.strictObject({ id: idOf('DEC').optional(), question: freeText('question'), rationale: maybeText('rationale').default(''), created: date('created').optional() })).default([]),
  key_insights: z.array(freeText('insight')).default([]),
  spawned_agents: z
    .array(z.strictObject({ id: idOf('AGENT'), name: label('name').optional(), type: label('type'), mission: freeText('mission'), spawned: date('spawned').optional(), status: label('status').optional() }))
    .default([]),
  metrics: MetricsIn.default({}),
});

/** What `.atlas/orchestrator/context.json` holds as the Atlas tool writes it (`orchestrator_context.py`). */
const AtlasContext = z.strictObject({
  project_id: label('project_id').optional(),
  project_name: label('project_name', 200).optional(),
  start_date: date('start_date').optional(),
  last_resumed: date('last_resumed').optional(),
  phase: label('phase').optional(),
  status: label('status').optional(),
  objectives: z.array(z.strictObject({ id: idOf('OBJ').optional(), text: freeText('text'), created: date('created').optional(), status: OBJECTIVE_STATUS.optional() })).default([]),
  insights: z.array(z.strictObject({ text: freeText('text'), category: label('category', 40).optional(), timestamp: date('timestamp').optional() })).default([]),
  active_agents: z
    .array(z.strictObject({ id: idOf('AGENT'), type: label('type'), mission: freeText('mission'), spawned_at: date('spawned_at').optional(), status: label('status').optional() }))
    .default([]),
  completed_phases: z.array(z.strictObject({ phase: label('phase'), completed_at: date('completed_at').optional(), evidence: maybeText('evidence').optional() })).default([]),
  tasks: z
    .array(z.strictObject({ id: idOf('TASK').optional(), description: freeText('description'), assigned_to: label('assigned_to', 200).nullable().optional(), created_at: date('created_at').optional(), status: TASK_STATUS.optional() }))
    .default([]),
  memory_hierarchy: z
    .strictObject({ critical: z.array(freeText('memory')).default([]), contextual: z.array(freeText('memory')).default([]), reference: z.array(freeText('memory')).default([]) })
    .optional(),
});

// Keys only the Atlas tool writes: one of them (or an objective with `text`) tells the shapes apart.
const ATLAS_KEYS = ['project_id', 'start_date', 'last_resumed', 'phase', 'status', 'insights', 'active_agents', 'completed_phases', 'tasks', 'memory_hierarchy'];

/** Which foreign shape `doc` is written in. */
export function contextShape(doc: Record<string, unknown>): ContextShape {
  const firstObjective = Array.isArray(doc.objectives) ? (doc.objectives[0] as Record<string, unknown> | undefined) : undefined;
  return ATLAS_KEYS.some((k) => k in doc) || (typeof firstObjective === 'object' && firstObjective !== null && 'text' in firstObjective) ? 'atlas' : 'seed-002';
}

/** The first problems of a zod error, each naming the field (`objectives.0.titel: unknown field`). */
function describe(error: z.ZodError, from: ContextShape): string {
  const parts = error.issues.slice(0, 3).map((issue) => {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `${[...at, k].join('.')}: unknown field`).join('; ');
    return `${at.length ? at.join('.') : 'document'}: ${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `${parts.join('; ')}${more} (read as ${from === 'atlas' ? 'an Atlas context.json' : "seed 002's context shape"})`;
}

/** Give every item its Baton id: the file's number kept, items without one numbered after the highest; duplicates refused. */
function assignIds<T>(kind: IdKind, items: { item: T; id?: string; field: string }[]): { ids: string[]; error?: string } {
  const highest = Math.max(0, ...items.map((i) => (i.id ? idNumber(kind, i.id) : 0)));
  let next = highest;
  const seen = new Map<string, string>();
  const ids: string[] = [];
  for (const i of items) {
    const id = `${kind}_${String(i.id ? idNumber(kind, i.id) : ++next).padStart(ID_FORMS[kind].width, '0')}`;
    const first = seen.get(id);
    if (first) return { ids, error: `${i.field}: ${i.id} is the same id as ${first}` };
    seen.set(id, i.field);
    ids.push(id);
  }
  return { ids };
}

/** An assignee as Baton names it: an agent id in either style becomes `AGENT_0001`; anything else stays as written. */
const agentRef = (who: string): string => (ID_FORMS.AGENT.re.test(who) ? `AGENT_${String(idNumber('AGENT', who)).padStart(4, '0')}` : who);

type Result = { ok: true; context: ImportedContext } | { ok: false; error: string };

function fromSeed(doc: z.infer<typeof SeedContext>): Result {
  const obj = assignIds('OBJ', doc.objectives.map((o, i) => ({ item: o, id: o.id, field: `objectives.${i}.id` })));
  const tasks = assignIds('TASK', [
    ...doc.completed_tasks.map((t, i) => ({ item: t, id: t.id, field: `completed_tasks.${i}.id` })),
    ...doc.active_tasks.map((t, i) => ({ item: t, id: t.id, field: `active_tasks.${i}.id` })),
  ]);
  const dec = assignIds('DEC', doc.pending_decisions.map((d, i) => ({ item: d, id: d.id, field: `pending_decisions.${i}.id` })));
  const agents = assignIds('AGENT', doc.spawned_agents.map((a, i) => ({ item: a, id: a.id, field: `spawned_agents.${i}.id` })));
  const error = obj.error ?? tasks.error ?? dec.error ?? agents.error;
  if (error) return { ok: false, error };
  const done = doc.completed_tasks.length;
  return {
    ok: true,
    context: {
      from: 'seed-002',
      projectName: doc.project_name,
      created: doc.created_date,
      objectives: doc.objectives.map((o, i) => ({ id: obj.ids[i]!, description: o.description, status: settled(o.status), created: o.created })),
      tasks: [
        ...doc.completed_tasks.map((t, i) => ({ id: tasks.ids[i]!, description: t.description, status: 'completed' as const, role: inferRole(t.description), outcome: t.outcome, completed: t.completed })),
        ...doc.active_tasks.map((t, i) => ({ id: tasks.ids[done + i]!, description: t.description, status: settled(t.status), role: t.role ?? inferRole(t.description) })),
      ],
      decisions: doc.pending_decisions.map((d, i) => ({ id: dec.ids[i]!, question: d.question, rationale: d.rationale, created: d.created })),
      insights: doc.key_insights.map((text) => ({ text })),
      metrics: doc.metrics,
      history: {
        from: 'seed-002',
        ...(doc.last_session ? { lastSession: doc.last_session } : {}),
        assignments: Object.fromEntries(doc.completed_tasks.flatMap((t, i) => (t.agent ? [[tasks.ids[i]!, t.agent]] : []))),
        agents: doc.spawned_agents.map((a, i) => ({ id: agents.ids[i]!, ...(a.name ? { name: a.name } : {}), type: a.type, mission: a.mission, spawned: a.spawned, status: a.status })),
        phases: [],
      },
    },
  };
}

function fromAtlas(doc: z.infer<typeof AtlasContext>): Result {
  const obj = assignIds('OBJ', doc.objectives.map((o, i) => ({ item: o, id: o.id, field: `objectives.${i}.id` })));
  const tasks = assignIds('TASK', doc.tasks.map((t, i) => ({ item: t, id: t.id, field: `tasks.${i}.id` })));
  const agents = assignIds('AGENT', doc.active_agents.map((a, i) => ({ item: a, id: a.id, field: `active_agents.${i}.id` })));
  const error = obj.error ?? tasks.error ?? agents.error;
  if (error) return { ok: false, error };
  const insights: ImportedContext['insights'] = doc.insights.map((i) => ({ text: i.text, category: i.category, recorded: i.timestamp }));
  // The memory tiers repeat insights' texts; a tier entry with no insight behind it is kept under its tier's name.
  const known = new Set(insights.map((i) => i.text));
  for (const [tier, texts] of Object.entries(doc.memory_hierarchy ?? {})) {
    for (const text of texts) if (!known.has(text)) insights.push({ text, category: tier }), known.add(text);
  }
  return {
    ok: true,
    context: {
      from: 'atlas',
      projectName: doc.project_name,
      created: doc.start_date,
      objectives: doc.objectives.map((o, i) => ({ id: obj.ids[i]!, description: o.text, status: settled(o.status), created: o.created })),
      tasks: doc.tasks.map((t, i) => ({ id: tasks.ids[i]!, description: t.description, status: settled(t.status), role: inferRole(t.description), created: t.created_at })),
      decisions: [],
      insights,
      metrics: {},
      history: {
        from: 'atlas',
        ...(doc.project_id ? { projectId: doc.project_id } : {}),
        ...(doc.phase ? { phase: doc.phase } : {}),
        ...(doc.status ? { status: doc.status } : {}),
        ...(doc.last_resumed ? { lastSession: doc.last_resumed } : {}),
        assignments: Object.fromEntries(doc.tasks.flatMap((t, i) => (t.assigned_to ? [[tasks.ids[i]!, agentRef(t.assigned_to)]] : []))),
        agents: doc.active_agents.map((a, i) => ({ id: agents.ids[i]!, type: a.type, mission: a.mission, spawned: a.spawned_at, status: a.status })),
        phases: doc.completed_phases.map((p) => ({ phase: p.phase, completed: p.completed_at, evidence: p.evidence })),
      },
    },
  };
}

/** Read a seed-002 or Atlas context document; refuses anything else naming the field, and a file with nothing in it. */
export function readForeignContext(doc: unknown): Result {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return { ok: false, error: 'document: expected a JSON object' };
  const from = contextShape(doc as Record<string, unknown>);
  const parsed = from === 'atlas' ? AtlasContext.safeParse(doc) : SeedContext.safeParse(doc);
  if (!parsed.success) return { ok: false, error: describe(parsed.error, from) };
  const result = from === 'atlas' ? fromAtlas(parsed.data as z.infer<typeof AtlasContext>) : fromSeed(parsed.data as z.infer<typeof SeedContext>);
  if (!result.ok) return result;
  const c = result.context;
  const held = c.objectives.length + c.tasks.length + c.insights.length + c.decisions.length + c.history.agents.length + c.history.phases.length + Object.keys(c.metrics).length;
  if (!held) return { ok: false, error: 'document: nothing to import (no objectives, tasks, insights, decisions, agents, phases or metrics)' };
  return result;
}
