import { contextShape, type ImportedContext, readForeignContext } from '../../src/shared/context-import';

// readForeignContext on small hand-written documents: exactly what it keeps, how it numbers ids, and the error text
// that names what was wrong. Every document is built inside its test.

const read = (doc: unknown): ImportedContext => {
  const r = readForeignContext(doc);
  if (!r.ok) throw new Error(`test: expected the document to be read, got: ${r.error}`);
  return r.context;
};
const refusal = (doc: unknown): string => {
  const r = readForeignContext(doc);
  if (r.ok) throw new Error('test: expected the document to be refused');
  return r.error;
};

describe('which shape a document is in', () => {
  it("reads a document with neither objectives nor Atlas keys as seed 002's shape", () => {
    expect(contextShape({ key_insights: ['Cache warms in two seconds'] })).toBe('seed-002');
    expect(read({ key_insights: ['Cache warms in two seconds'] })).toMatchObject({ from: 'seed-002', insights: [{ text: 'Cache warms in two seconds' }] });
  });

  it("reads objectives written as plain strings as seed 002's shape (and names them as wrong there)", () => {
    expect(contextShape({ objectives: ['Ship the beta'] })).toBe('seed-002');
    expect(contextShape({ objectives: [] })).toBe('seed-002');
    expect(refusal({ objectives: ['Ship the beta'] })).toMatch(/^objectives\.0: .* \(read as seed 002's context shape\)$/);
  });

  it("reads a null first objective as seed 002's shape and names it as wrong there, without throwing", () => {
    expect(contextShape({ objectives: [null] })).toBe('seed-002');
    expect(refusal({ objectives: [null, { text: 'Ship the beta' }] })).toMatch(/^objectives\.0: .* \(read as seed 002's context shape\)$/);
  });

  it('refuses a document that is not a JSON object, saying so', () => {
    for (const doc of ['{"objectives": []}', 42, true, null, [{ id: 'OBJ_001' }]]) {
      expect(readForeignContext(doc)).toEqual({ ok: false, error: 'document: expected a JSON object' });
    }
  });
});

describe('error text of a document that does not parse', () => {
  it('names one bad field alone, with no count of further problems', () => {
    expect(refusal({ objectives: [{ description: 'Ship', titel: 'x' }] })).toBe("objectives.0.titel: unknown field (read as seed 002's context shape)");
  });

  it('names every unknown field of one object, separated by "; "', () => {
    expect(refusal({ objectives: [{ description: 'Ship', titel: 'x', prio: 1 }] })).toBe(
      "objectives.0.titel: unknown field; objectives.0.prio: unknown field (read as seed 002's context shape)",
    );
  });

  it('names exactly three problems, separated by "; ", with no count of further ones', () => {
    const doc = { objectives: [{ description: 'a', titel: 1 }, { description: 'b', titel: 2 }, { description: 'c', titel: 3 }] };
    expect(refusal(doc)).toBe(
      "objectives.0.titel: unknown field; objectives.1.titel: unknown field; objectives.2.titel: unknown field (read as seed 002's context shape)",
    );
  });

  it('names only the first three of five problems and counts the other two', () => {
    const doc = { tasks: [1, 2, 3, 4, 5].map((n) => ({ description: `task ${n}`, owner: n })) };
    expect(refusal(doc)).toBe(
      'tasks.0.owner: unknown field; tasks.1.owner: unknown field; tasks.2.owner: unknown field (and 2 more) (read as an Atlas context.json)',
    );
  });

  it('names the path of a nested field whose value is wrong, joined by dots', () => {
    expect(refusal({ objectives: [{ description: 'Ship', status: 'done' }] })).toBe(
      "objectives.0.status: status must be one of pending, active, in_progress, blocked, completed, failed (read as seed 002's context shape)",
    );
  });
});

describe('ids of imported items', () => {
  it("numbers items without an id after the highest id in the file", () => {
    const c = read({
      objectives: [{ description: 'first' }, { id: 'OBJ_005', description: 'second' }, { description: 'third' }],
      pending_decisions: [{ id: 'DEC_009', question: 'Which database?' }, { question: 'Which cache?' }],
    });
    expect(c.objectives.map((o) => o.id)).toEqual(['OBJ_006', 'OBJ_005', 'OBJ_007']);
    expect(c.decisions.map((d) => d.id)).toEqual(['DEC_009', 'DEC_010']);
  });

  it('gives active tasks the ids after the completed ones, in file order', () => {
    const c = read({
      completed_tasks: [{ description: 'Set up the repository' }],
      active_tasks: [{ description: 'Build the login form' }, { description: 'Build the signup form' }],
    });
    expect(c.tasks.map((t) => [t.id, t.description, t.status])).toEqual([
      ['TASK_001', 'Set up the repository', 'completed'],
      ['TASK_002', 'Build the login form', 'open'],
      ['TASK_003', 'Build the signup form', 'open'],
    ]);
  });

  it.each([
    ['seed-002 objectives', { objectives: [{ id: 'OBJ_002', description: 'a' }, { id: 'OBJ002', description: 'b' }] }, 'objectives.1.id: OBJ002 is the same id as objectives.0.id'],
    ['seed-002 pending_decisions', { pending_decisions: [{ id: 'DEC_004', question: 'a?' }, { id: 'DEC004', question: 'b?' }] }, 'pending_decisions.1.id: DEC004 is the same id as pending_decisions.0.id'],
    [
      'seed-002 spawned_agents',
      { spawned_agents: [{ id: 'AGENT_0003', type: 'developer', mission: 'a' }, { id: 'AGT003', type: 'qa', mission: 'b' }] },
      'spawned_agents.1.id: AGT003 is the same id as spawned_agents.0.id',
    ],
    ['Atlas objectives', { objectives: [{ id: 'OBJ001', text: 'a' }, { id: 'OBJ_001', text: 'b' }] }, 'objectives.1.id: OBJ_001 is the same id as objectives.0.id'],
    ['Atlas tasks', { tasks: [{ id: 'TSK007', description: 'a' }, { id: 'TASK_007', description: 'b' }] }, 'tasks.1.id: TASK_007 is the same id as tasks.0.id'],
    [
      'Atlas active_agents',
      { active_agents: [{ id: 'AGT002', type: 'developer', mission: 'a' }, { id: 'AGENT_0002', type: 'qa', mission: 'b' }] },
      'active_agents.1.id: AGENT_0002 is the same id as active_agents.0.id',
    ],
  ])('refuses two %s with the same id, naming both fields', (_what, doc, error) => {
    expect(readForeignContext(doc)).toEqual({ ok: false, error });
  });
});

describe('what a seed-002 document keeps', () => {
  it('keeps failed objectives and active tasks as failed, completed as completed, anything else as open', () => {
    const c = read({
      objectives: [{ description: 'a', status: 'failed' }, { description: 'b', status: 'completed' }, { description: 'c', status: 'blocked' }],
      active_tasks: [{ description: 'Build x', status: 'failed' }, { description: 'Build y', status: 'completed' }, { description: 'Build z', status: 'running' }],
    });
    expect(c.objectives.map((o) => o.status)).toEqual(['failed', 'completed', 'open']);
    expect(c.tasks.map((t) => t.status)).toEqual(['failed', 'completed', 'open']);
  });

  it('keeps who did each completed task as an assignment, only for tasks that name an agent', () => {
    const c = read({
      completed_tasks: [{ description: 'Set up CI', agent: 'Ada' }, { description: 'Write docs' }, { id: 'TASK_007', description: 'Fix login', agent: 'AGENT_0002' }],
    });
    expect(c.history.assignments).toEqual({ TASK_008: 'Ada', TASK_007: 'AGENT_0002' });
  });

  it("keeps a spawned agent's name when the file gives one, and leaves it out when it does not", () => {
    const c = read({
      spawned_agents: [
        { id: 'AGENT_0001', name: 'Ada', type: 'developer', mission: 'Build the API' },
        { id: 'AGENT_0002', type: 'qa', mission: 'Test the API' },
      ],
    });
    expect(c.history.agents).toEqual([
      { id: 'AGENT_0001', name: 'Ada', type: 'developer', mission: 'Build the API', spawned: undefined, status: undefined },
      { id: 'AGENT_0002', type: 'qa', mission: 'Test the API', spawned: undefined, status: undefined },
    ]);
  });
});

describe('a document holding exactly two kinds of thing is not empty', () => {
  it.each([
    ['an objective and a task', { objectives: [{ description: 'Ship' }], active_tasks: [{ description: 'Build it' }] }],
    ['a task and an insight', { active_tasks: [{ description: 'Build it' }], key_insights: ['Users want dark mode'] }],
    ['an insight and a decision', { key_insights: ['Users want dark mode'], pending_decisions: [{ question: 'Which theme first?' }] }],
    ['a decision and an agent', { pending_decisions: [{ question: 'Which theme first?' }], spawned_agents: [{ id: 'AGENT_0001', type: 'developer', mission: 'Build it' }] }],
    ['an agent and a metric', { spawned_agents: [{ id: 'AGENT_0001', type: 'developer', mission: 'Build it' }], metrics: { total_sessions: 3 } }],
    ['an Atlas agent and a completed phase', { active_agents: [{ id: 'AGT001', type: 'developer', mission: 'Build it' }], completed_phases: [{ phase: 'discovery' }] }],
  ])('imports %s', (_what, doc) => {
    expect(readForeignContext(doc).ok).toBe(true);
  });

  it('still refuses a document with nothing in it', () => {
    expect(refusal({ project_name: 'alpha' })).toBe('document: nothing to import (no objectives, tasks, insights, decisions, agents, phases or metrics)');
  });
});
