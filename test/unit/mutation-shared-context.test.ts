import { fromContext, importedState, toContext } from '../../src/shared/context';
import type { ImportedContext } from '../../src/shared/context-import';
import { OrchestrationConfig, type OrchestrationState } from '../../src/shared/schemas';
import { MAX_INSIGHTS } from '../../src/shared/state';
import { decisionItem, objectiveItem, stateWith, taskItem } from '../support/state-items';

// Export to and import from context documents on small hand-built states and documents: exactly which items the
// export lists, what an imported task and objective become, which totals carry on, and the error text for a broken
// Baton export. Every state and document is built inside its test.

const NOW = '2025-02-01T00:00:00.000Z';
const config = () => OrchestrationConfig.parse({});

/** An imported context with nothing in it but what the test adds. */
const imported = (over: Partial<ImportedContext> = {}): ImportedContext => ({
  from: 'seed-002',
  objectives: [],
  tasks: [],
  decisions: [],
  insights: [],
  metrics: {},
  history: { from: 'seed-002', assignments: {}, agents: [], phases: [] },
  ...over,
});

/** The state a document imports into; the test fails with the error text when it is refused. */
const restored = (doc: unknown): OrchestrationState => {
  const r = fromContext(doc, 'beta', config(), NOW);
  if (!r.ok) throw new Error(`test: expected the document to import, got: ${r.error}`);
  return r.state;
};

describe('toContext', () => {
  it('writes an empty outcome and completion date for a completed task that has neither', () => {
    const state = stateWith({ tasks: [taskItem('TASK_001', { status: 'completed' })] });
    expect(toContext(state).completed_tasks).toEqual([{ id: 'TASK_001', description: 'do TASK_001', outcome: '', completed: '', agent: undefined }]);
  });

  it('lists only the pending decisions, not the ones already made', () => {
    const state = stateWith({
      decisions: [
        decisionItem('DEC_001', { status: 'made', rationale: 'done already' }),
        decisionItem('DEC_002', { rationale: 'still open' }),
      ],
    });
    expect(toContext(state).pending_decisions).toEqual([{ id: 'DEC_002', question: 'question DEC_002?', rationale: 'still open', created: state.decisions[1]!.created }]);
  });
});

describe('fromContext: a Baton export', () => {
  it("names the first wrong field of a broken export under 'baton.' with zod's message", () => {
    expect(fromContext({ baton: { project: 'alpha' } }, 'beta', config(), NOW)).toEqual({ ok: false, error: 'baton.version: Invalid input: expected 2' });
  });

  it('reads a document whose baton field is undefined as a foreign document, not as a broken export', () => {
    expect(fromContext({ baton: undefined }, 'beta', config(), NOW)).toEqual({ ok: false, error: "baton: unknown field (read as seed 002's context shape)" });
  });

  it('puts an objective that was being planned back to pending, keeping the others as they were', () => {
    const state = stateWith({ objectives: [objectiveItem('OBJ_001', 'planning'), objectiveItem('OBJ_002', 'active')] });
    const back = restored(JSON.parse(JSON.stringify(toContext(state))));
    expect(back.objectives.map((o) => [o.id, o.status])).toEqual([
      ['OBJ_001', 'pending'],
      ['OBJ_002', 'active'],
    ]);
    expect(back.project).toBe('beta');
  });
});

describe('importedState: objectives and the tasks they own', () => {
  it('leaves every open objective pending when no imported task is open', () => {
    const c = imported({
      objectives: [{ id: 'OBJ_001', description: 'Ship it', status: 'open' }],
      tasks: [{ id: 'TASK_001', description: 'Build the API', status: 'completed', role: 'developer', outcome: 'built' }],
    });
    const s = importedState(c, 'beta', config(), NOW);
    expect(s.objectives.map((o) => o.status)).toEqual(['pending']);
    expect(s.tasks[0]!.objectiveId).toBeUndefined();
  });

  it('gives open tasks to the first open objective (skipping a completed one before it), which becomes active', () => {
    const c = imported({
      objectives: [
        { id: 'OBJ_001', description: 'Old goal', status: 'completed' },
        { id: 'OBJ_002', description: 'Ship it', status: 'open' },
        { id: 'OBJ_003', description: 'Later', status: 'open' },
      ],
      tasks: [{ id: 'TASK_001', description: 'Build the API', status: 'open', role: 'developer' }],
    });
    const s = importedState(c, 'beta', config(), NOW);
    expect(s.objectives.map((o) => [o.id, o.status])).toEqual([
      ['OBJ_001', 'completed'],
      ['OBJ_002', 'active'],
      ['OBJ_003', 'pending'],
    ]);
    expect(s.tasks[0]).toMatchObject({ id: 'TASK_001', status: 'pending', objectiveId: 'OBJ_002' });
  });
});

describe('importedState: tasks', () => {
  it('builds a pending imported task with a lower-case key and empty criteria, dependencies and artifacts', () => {
    const c = imported({ tasks: [{ id: 'TASK_007', description: 'Build the API', status: 'open', role: 'developer' }] });
    expect(importedState(c, 'beta', config(), NOW).tasks).toEqual([
      {
        id: 'TASK_007',
        key: 'task_007',
        role: 'developer',
        mission: 'Build the API',
        successCriteria: [],
        dependsOn: [],
        status: 'pending',
        attempts: 0,
        created: NOW,
        source: 'imported',
        artifacts: [],
        spent: expect.objectContaining({ tokens: 0 }),
      },
    ]);
  });

  it('gives a completed task without an outcome an empty outcome, completed now', () => {
    const c = imported({ tasks: [{ id: 'TASK_001', description: 'Build the API', status: 'completed', role: 'developer' }] });
    expect(importedState(c, 'beta', config(), NOW).tasks[0]).toMatchObject({ status: 'completed', outcome: '', completed: NOW });
  });

  it('marks a failed task failed before the import, completed now', () => {
    const c = imported({ tasks: [{ id: 'TASK_001', description: 'Build the API', status: 'failed', role: 'developer' }] });
    const task = importedState(c, 'beta', config(), NOW).tasks[0]!;
    expect(task).toMatchObject({ status: 'failed', error: 'failed before the import', completed: NOW });
  });
});

describe('importedState: totals and insights', () => {
  it("keeps the file's failed total when it is higher than the failed tasks listed, and the count when that is higher", () => {
    const failed = { id: 'TASK_001', description: 'Build the API', status: 'failed' as const, role: 'developer' as const };
    const higher = importedState(imported({ tasks: [failed], metrics: { total_tasks_failed: 5 } }), 'beta', config(), NOW);
    expect(higher.metrics.total_tasks_failed).toBe(5);
    const lower = importedState(imported({ tasks: [failed, { ...failed, id: 'TASK_002' }], metrics: { total_tasks_failed: 1 } }), 'beta', config(), NOW);
    expect(lower.metrics.total_tasks_failed).toBe(2);
  });

  it('carries rework and verification totals only when the file has them', () => {
    const withTotals = importedState(imported({ metrics: { total_reworks: 3, total_verifications: 4 } }), 'beta', config(), NOW);
    expect(withTotals.metrics).toMatchObject({ total_reworks: 3, total_verifications: 4 });
    const without = importedState(imported(), 'beta', config(), NOW);
    expect(Object.keys(without.metrics).sort()).toEqual(['total_agents_spawned', 'total_decisions_made', 'total_sessions', 'total_tasks_completed', 'total_tasks_failed']);
  });

  it(`keeps only the last ${MAX_INSIGHTS} imported insights`, () => {
    const insights = Array.from({ length: MAX_INSIGHTS + 2 }, (_, i) => ({ text: `insight ${i}` }));
    const kept = importedState(imported({ insights }), 'beta', config(), NOW).insights;
    expect(kept).toHaveLength(MAX_INSIGHTS);
    expect(kept[0]).toEqual({ text: 'insight 2', source: 'imported', recorded: NOW });
    expect(kept[MAX_INSIGHTS - 1]!.text).toBe(`insight ${MAX_INSIGHTS + 1}`);
  });
});
