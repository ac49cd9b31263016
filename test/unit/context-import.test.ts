import * as fs from 'node:fs';
import * as path from 'node:path';
import { fromContext, toContext } from '../../src/shared/context';
import { contextShape, readForeignContext } from '../../src/shared/context-import';
import { OrchestrationConfig, type OrchestrationState } from '../../src/shared/schemas';
import { addObjective, applyPlan, beginSession, markPlanning, startTask } from '../../src/shared/state';
import { finishRunning, agentReport } from '../support/reducers';

const NOW = '2025-02-01T00:00:00.000Z';
const config = OrchestrationConfig.parse({});
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/context', name), 'utf8')) as Record<string, unknown>;

const imported = (doc: unknown): OrchestrationState => {
  const r = fromContext(doc, 'alpha', config, NOW);
  if (!r.ok) throw new Error(r.error);
  return r.state;
};
const refused = (doc: unknown): string => {
  const r = fromContext(doc, 'alpha', config, NOW);
  if (r.ok) throw new Error('expected the document to be refused');
  return r.error;
};

/** One more planned-and-finished task on top of an imported state, the way a session would add it. */
function oneMoreTask(state: OrchestrationState): OrchestrationState {
  let s = beginSession(state, NOW);
  const added = addObjective(s, { description: 'Roll out to the first user segment' }, NOW);
  s = applyPlan(markPlanning(added.state, [added.objective.id]), added.objective.id, [
    { key: 'rollout', role: 'executor', mission: 'Roll out', dependsOn: [], successCriteria: ['live'] },
  ], NOW);
  const task = s.tasks.at(-1)!;
  s = startTask(s, task.id, { name: 'Ada', runtime: 'scripted', simulated: true }, NOW).state;
  return finishRunning(s, task.id, agentReport('rolled out'), NOW);
}

describe("seed 002's documented example", () => {
  const doc = fixture('seed-002-example.json');

  it('keeps the active task TASK_025 and the totals, and continues both after one more task', () => {
    const s = imported(doc);
    expect(s.tasks.map((t) => t.id)).toEqual(['TASK_001', 'TASK_025']);
    expect(s.metrics).toEqual({ total_sessions: 12, total_agents_spawned: 47, total_tasks_completed: 23, total_tasks_failed: 0, total_decisions_made: 15 });
    const after = oneMoreTask(s);
    expect(after.objectives.at(-1)?.id).toBe('OBJ_002');
    expect(after.tasks.at(-1)?.id).toBe('TASK_026');
    expect(after.agents.at(-1)?.id).toBe('AGENT_0048');
    expect(after.metrics).toMatchObject({ total_sessions: 13, total_agents_spawned: 48, total_tasks_completed: 24, total_decisions_made: 15 });
  });

  it('keeps the spawned agent and the last session label as imported history', () => {
    expect(imported(doc).imported).toEqual({
      from: 'seed-002',
      lastSession: 'session_20240115_143000',
      assignments: {},
      agents: [{ id: 'AGENT_0001', type: 'researcher', mission: 'Research OAuth providers', spawned: '2024-01-01T11:00:00' }],
      phases: [],
    });
  });

  it('imports pending decisions with their ids, new ones numbered after the highest', () => {
    const s = imported({ ...doc, pending_decisions: [{ id: 'DEC_016', question: 'Phase by segment or region?', rationale: 'Support load', created: '2024-01-15T14:00:00' }] });
    expect(s.decisions).toEqual([
      { id: 'DEC_016', question: 'Phase by segment or region?', rationale: 'Support load', status: 'pending', created: '2024-01-15T14:00:00', session: 0, kind: 'synthesis' },
    ]);
    expect(s.counters.decision).toBe(16);
  });
});

describe('the Atlas context.json as the tool writes it', () => {
  const doc = fixture('atlas-context.json');

  it('is told apart from seed 002 by its own fields', () => {
    expect(contextShape(doc)).toBe('atlas');
    expect(contextShape(fixture('seed-002-example.json'))).toBe('seed-002');
    expect(contextShape({ objectives: [{ id: 'OBJ001', text: 'x' }] })).toBe('atlas');
  });

  it('maps objectives (text → description, Atlas ids to Baton ids with their numbers), open tasks under the first open objective, the other open one planned afresh', () => {
    const s = imported(doc);
    expect(s.created).toBe('2024-01-08T09:15:12.481203');
    expect(s.objectives.map((o) => [o.id, o.status, o.description.slice(0, 30)])).toEqual([
      ['OBJ_001', 'active', 'Replace the legacy checkout wi'],
      ['OBJ_002', 'pending', 'Keep conversion within 1% of t'],
      ['OBJ_003', 'completed', 'Write the runbook for payment '],
    ]);
    expect(s.tasks.map((t) => [t.id, t.status, t.role, t.objectiveId])).toEqual([
      ['TASK_001', 'completed', 'researcher', undefined],
      ['TASK_002', 'completed', 'developer', undefined],
      ['TASK_003', 'pending', 'developer', 'OBJ_001'],
      ['TASK_004', 'pending', 'qa', 'OBJ_001'],
      ['TASK_005', 'pending', 'executor', 'OBJ_001'],
    ]);
    expect(s.counters).toEqual({ objective: 3, task: 5, agent: 4, decision: 0 });
    expect(s.metrics).toMatchObject({ total_agents_spawned: 4, total_tasks_completed: 2 });
  });

  it('keeps every insight with its category, and a memory-tier entry no insight holds under its tier', () => {
    expect(imported(doc).insights.map((i) => [i.category, i.text.slice(0, 24), i.source])).toEqual([
      ['technical', "Stripe's Payment Element", 'imported'],
      ['critical', 'Never log full card BINs', 'imported'],
      ['process', 'Ship behind the checkout', 'imported'],
      ['general', 'The team prefers short P', 'imported'],
      ['reference', 'Apple Pay domain verific', 'imported'],
    ]);
  });

  it('keeps the agents, completed phases, phase, status and assignments as imported history', () => {
    const h = imported(doc).imported;
    expect(h).toMatchObject({ from: 'atlas', projectId: 'P20240108091512', phase: 'development', status: 'active', lastSession: '2024-01-15T08:02:37.004518' });
    expect(h?.agents.map((a) => [a.id, a.type, a.status])).toEqual([
      ['AGENT_0001', 'Researcher', 'active'],
      ['AGENT_0002', 'Product Strategist', 'active'],
      ['AGENT_0003', 'Developer', 'active'],
      ['AGENT_0004', 'QA Specialist', 'active'],
    ]);
    expect(h?.phases.map((p) => p.phase)).toEqual(['initialization', 'research', 'story_creation']);
    expect(h?.assignments).toEqual({ TASK_001: 'AGENT_0001', TASK_002: 'AGENT_0002', TASK_003: 'AGENT_0003', TASK_004: 'AGENT_0004' });
  });

  it('imports a project the tool has just started: its objective is planned afresh', () => {
    const s = imported(fixture('atlas-new-project.json'));
    expect(s.objectives).toMatchObject([{ id: 'OBJ_001', status: 'pending', description: 'Build authentication system' }]);
    expect(s.imported?.projectId).toBe('P20240115143000');
  });

  it('survives a Baton export of the imported state unchanged (the import is lossless from then on)', () => {
    const s = imported(doc);
    expect(imported(JSON.parse(JSON.stringify(toContext(s))))).toEqual(JSON.parse(JSON.stringify({ ...s, phase: 'context' })));
  });
});

describe('refusals name the field', () => {
  const atlas = fixture('atlas-context.json');
  const seed = fixture('seed-002-example.json');

  it.each([
    ['a typo in an Atlas objective', { ...atlas, objectives: [{ id: 'OBJ001', txt: 'x', text: 'y' }] }, /^objectives\.0\.txt: unknown field .*Atlas/],
    ['an unknown top-level field', { ...atlas, agents: [] }, /^agents: unknown field/],
    ['a seed-002 field inside an Atlas file', { ...atlas, key_insights: ['x'] }, /^key_insights: unknown field/],
    ['an Atlas insight without text', { ...atlas, insights: [{ category: 'general', timestamp: '2024-01-01T00:00:00' }] }, /^insights\.0\.text: text is required/],
    ['a control character in imported text', { ...atlas, insights: [{ text: 'bell \u0007 here' }] }, /^insights\.0\.text: .*control characters/],
    ['text over the length limit', { ...seed, key_insights: ['x'.repeat(2001)] }, /^key_insights\.0: insight must be at most 2000 characters/],
    ['an id in neither style', { ...atlas, tasks: [{ id: 'task-7', description: 'x' }] }, /^tasks\.0\.id: id must look like TASK_001 or TSK001/],
    ['two tasks with one id', { ...seed, active_tasks: [{ id: 'TASK_001', description: 'again' }] }, /^active_tasks\.0\.id: TASK_001 is the same id as completed_tasks\.0\.id/],
    ['a date that is not one', { ...atlas, start_date: 'last tuesday' }, /^start_date: start_date must be a date/],
    ['an unknown status', { ...seed, objectives: [{ description: 'x', status: 'finished' }] }, /^objectives\.0\.status: status must be one of/],
    ['a typo in the metrics', { ...seed, metrics: { total_sesions: 3 } }, /^metrics\.total_sesions: unknown field .*seed 002/],
    ['a negative total', { ...seed, metrics: { total_sessions: -1 } }, /^metrics\.total_sessions: must not be negative/],
    ['a list where an object belongs', [seed], /^document: expected a JSON object/],
    ['an empty document', {}, /^document: nothing to import/],
    ['an Atlas file with nothing in it', { project_id: 'P1', objectives: [], tasks: [] }, /^document: nothing to import/],
  ])('%s', (_what, doc, expected) => {
    expect(refused(doc)).toMatch(expected);
  });

  it('checks documents without building state (what `baton import --check` prints)', () => {
    const r = readForeignContext(atlas);
    expect(r.ok && [r.context.from, r.context.objectives.length, r.context.tasks.length, r.context.insights.length]).toEqual(['atlas', 3, 5, 5]);
  });
});
