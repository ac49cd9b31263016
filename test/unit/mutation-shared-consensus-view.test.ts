import type { ConsensusRecord } from '../../src/shared/consensus-spec';
import { type ConsensusRow, type ConsensusView, consensusMarkdown, consensusRows, consensusStatusLine, consensusView } from '../../src/shared/consensus-view';
import type { Decision } from '../../src/shared/schemas';
import { minute } from '../support/reducers';
import { agentItem, decisionItem, stateWith, taskItem } from '../support/state-items';

// Every state, view and row is built inside its test: Stryker switches a mutant on only when a test starts.

/** A deterministic consensus record of three agents, two agreeing, with any fields overridden. */
function record(extra: Partial<ConsensusRecord> = {}): ConsensusRecord {
  return {
    agreed: [],
    conflicts: [],
    resolved: 'use SQLite',
    supporters: ['A1', 'A2'],
    agreement: 2 / 3,
    rationale: 'two of three chose SQLite',
    by: 'deterministic',
    quorum: 2,
    answers: [],
    ...extra,
  };
}

/** A consensus decision on TASK_001 with this record. */
function consensusDecision(id: string, consensus: ConsensusRecord | undefined, extra: Partial<Decision> = {}): Decision {
  return decisionItem(id, { kind: 'consensus', taskId: 'TASK_001', status: 'made', ...(consensus ? { consensus } : {}), ...extra });
}

/** A consensus view of three agents with a quorum of two, with any fields overridden. */
function view(extra: Partial<ConsensusView> = {}): ConsensusView {
  return { agents: 3, quorum: 2, members: [], ...extra };
}

/** A report row of a made deterministic decision, with any fields overridden. */
function row(extra: Partial<ConsensusRow> = {}): ConsensusRow {
  return { decision: 'DEC_001', status: 'made', agreement: 1, quorum: 2, agents: ['Ada', 'Bo'], agreed: [], conflicts: [], resolved: '', by: 'deterministic', rationale: 'all agreed', ...extra };
}

/** A cell that shows the width each text was given, so the tests see which limit each part uses. */
const tagCell = (text: string, max?: number): string => `[${text}/${max ?? 'default'}]`;

describe('consensusView', () => {
  it('is undefined for a task without consensus', () => {
    const task = taskItem('TASK_001', { status: 'running', started: minute(1) });
    expect(consensusView(stateWith({ agents: [agentItem('A1', { spawned: minute(2) })] }), task)).toBeUndefined();
  });

  it('lists only the agents of this task spawned since its current attempt started, with their model when they have one', () => {
    const task = taskItem('TASK_001', { status: 'running', started: minute(5), consensus: { agents: 3 } });
    const state = stateWith({
      agents: [
        agentItem('A0', { name: 'Old', spawned: minute(4), status: 'failed' }),
        agentItem('A1', { name: 'Ada', role: 'researcher', spawned: minute(5), model: 'claude-a' }),
        agentItem('A2', { name: 'Bo', role: 'researcher', spawned: minute(6), status: 'completed' }),
        agentItem('A3', { name: 'Other', taskId: 'TASK_002', spawned: minute(6) }),
      ],
    });
    expect(consensusView(state, task)).toStrictEqual({
      agents: 3,
      quorum: 2,
      members: [
        { id: 'A1', name: 'Ada', role: 'researcher', status: 'running', model: 'claude-a' },
        { id: 'A2', name: 'Bo', role: 'researcher', status: 'completed' },
      ],
    });
  });

  it('counts every agent of a task that has no start time', () => {
    const task = taskItem('TASK_001', { consensus: { agents: 2, quorum: 2 } });
    const state = stateWith({ agents: [agentItem('A1', { spawned: minute(0) }), agentItem('A2', { name: 'Bo', spawned: minute(3) })] });
    expect(consensusView(state, task)).toStrictEqual({
      agents: 2,
      quorum: 2,
      members: [
        { id: 'A1', name: 'Ada', role: 'developer', status: 'running' },
        { id: 'A2', name: 'Bo', role: 'developer', status: 'running' },
      ],
    });
  });

  it("takes the agreement and outcome from this task's consensus decision, not another task's or another kind's", () => {
    const task = taskItem('TASK_001', { status: 'running', started: minute(1), consensus: { agents: 3 } });
    const state = stateWith({
      decisions: [
        consensusDecision('DEC_001', record({ agreement: 2 / 3, resolvedBy: 'quorum' })),
        decisionItem('DEC_002', { kind: 'synthesis', taskId: 'TASK_001' }),
        consensusDecision('DEC_003', record({ agreement: 1 / 3 }), { taskId: 'TASK_002', status: 'pending' }),
      ],
    });
    expect(consensusView(state, task)).toStrictEqual({ agents: 3, quorum: 2, members: [], agreement: 2 / 3, decisionId: 'DEC_001', decision: 'made', resolvedBy: 'quorum' });
  });

  it("takes the latest consensus decision of the task (its current attempt's)", () => {
    const task = taskItem('TASK_001', { status: 'running', started: minute(1), consensus: { agents: 4, quorum: 3 } });
    const state = stateWith({
      decisions: [consensusDecision('DEC_001', record({ agreement: 0.25, resolvedBy: 'person' })), consensusDecision('DEC_002', record({ agreement: 0.5 }), { status: 'pending' })],
    });
    expect(consensusView(state, task)).toStrictEqual({ agents: 4, quorum: 3, members: [], agreement: 0.5, decisionId: 'DEC_002', decision: 'pending' });
  });

  it('shows no agreement while the latest decision of the task carries no comparison', () => {
    const task = taskItem('TASK_001', { status: 'running', started: minute(1), consensus: { agents: 2 } });
    const state = stateWith({ decisions: [consensusDecision('DEC_001', undefined, { status: 'pending' })] });
    expect(consensusView(state, task)).toStrictEqual({ agents: 2, quorum: 2, members: [] });
  });
});

describe('consensusStatusLine', () => {
  it('says "not started" before any agent runs and no agreement before the comparison', () => {
    expect(consensusStatusLine(view())).toBe('consensus of 3: not started');
  });

  it('names running agents plainly, others with their status, and the advisor as the tie-break', () => {
    const line = consensusStatusLine(
      view({
        members: [
          { id: 'A1', name: 'Ada', role: 'researcher', status: 'running' },
          { id: 'A2', name: 'Bo', role: 'researcher', status: 'failed' },
          { id: 'A3', name: 'Cy', role: 'advisor', status: 'running' },
          { id: 'A4', name: 'Di', role: 'advisor', status: 'completed' },
        ],
      }),
    );
    expect(line).toBe('consensus of 3: Ada, Bo failed, Cy (tie-break), Di (tie-break) completed');
  });

  it('shows the agreement as a whole percentage with the quorum once compared', () => {
    const members = [{ id: 'A1', name: 'Ada', role: 'researcher', status: 'completed' }];
    expect(consensusStatusLine(view({ members, agreement: 2 / 3 }))).toBe('consensus of 3: Ada completed · agreement 67% (quorum 2 of 3)');
  });

  it('says a pending decision waits for a person, naming the decision', () => {
    expect(consensusStatusLine(view({ agreement: 1 / 3, decision: 'pending', decisionId: 'DEC_004' }))).toBe('consensus of 3: not started · agreement 33% (quorum 2 of 3) · waiting for a person (DEC_004)');
  });

  it('says who resolved a made decision: a person, a tie-break agent, or the quorum', () => {
    const made = (resolvedBy: ConsensusView['resolvedBy']): string => consensusStatusLine(view({ agreement: 0.5, decision: 'made', decisionId: 'DEC_002', resolvedBy }));
    expect(made('person')).toBe('consensus of 3: not started · agreement 50% (quorum 2 of 3) · resolved by a person (DEC_002)');
    expect(made('tie-break')).toBe('consensus of 3: not started · agreement 50% (quorum 2 of 3) · resolved by tie-break (DEC_002)');
    expect(made('quorum')).toBe('consensus of 3: not started · agreement 50% (quorum 2 of 3) · resolved by quorum (DEC_002)');
    expect(made(undefined)).toBe('consensus of 3: not started · agreement 50% (quorum 2 of 3)');
  });
});

describe('consensusRows', () => {
  it('lists only consensus decisions that carry a comparison, in order', () => {
    const decisions = [
      decisionItem('DEC_001'),
      consensusDecision('DEC_002', undefined),
      consensusDecision('DEC_003', record({ resolvedBy: 'quorum' })),
      consensusDecision('DEC_004', record({ agreement: 0.5 }), { taskId: undefined, status: 'pending' }),
    ];
    expect(consensusRows(decisions).map((r) => r.decision)).toEqual(['DEC_003', 'DEC_004']);
  });

  it('is empty when there are no consensus decisions', () => {
    expect(consensusRows([decisionItem('DEC_001'), decisionItem('DEC_002', { kind: 'budget' })])).toEqual([]);
  });

  it('names each agent with its model and whether it failed, and each conflict position with its agent', () => {
    const c = record({
      agreed: ['SQLite is enough'],
      conflicts: [{ topic: 'storage', positions: [{ agentId: 'A1', agent: 'Ada', position: 'SQLite' }, { agentId: 'A3', agent: 'Cy', position: 'Postgres' }] }],
      answers: [
        { agentId: 'A1', agent: 'Ada', position: 'SQLite', model: 'claude-a' },
        { agentId: 'A2', agent: 'Bo', position: 'SQLite' },
        { agentId: 'A3', agent: 'Cy', position: 'timeout', model: 'claude-c', failed: true },
        { agentId: 'A4', agent: 'Di', position: 'crash', failed: true },
      ],
      resolvedBy: 'tie-break',
      by: 'llm',
    });
    expect(consensusRows([consensusDecision('DEC_001', c, { rationale: 'advisor chose SQLite' })])).toStrictEqual([
      {
        decision: 'DEC_001',
        task: 'TASK_001',
        status: 'made',
        agreement: 2 / 3,
        quorum: 2,
        agents: ['Ada (claude-a)', 'Bo', 'Cy (claude-c) (failed)', 'Di (failed)'],
        agreed: ['SQLite is enough'],
        conflicts: [{ topic: 'storage', positions: ['Ada: SQLite', 'Cy: Postgres'] }],
        resolved: 'use SQLite',
        resolvedBy: 'tie-break',
        by: 'llm',
        rationale: 'advisor chose SQLite',
      },
    ]);
  });

  it('leaves out the task and the resolver when the decision has none', () => {
    const rows = consensusRows([consensusDecision('DEC_001', record(), { taskId: undefined, status: 'pending', rationale: '' })]);
    expect(rows).toStrictEqual([
      { decision: 'DEC_001', status: 'pending', agreement: 2 / 3, quorum: 2, agents: [], agreed: [], conflicts: [], resolved: 'use SQLite', by: 'deterministic', rationale: '' },
    ]);
  });
});

describe('consensusMarkdown', () => {
  it('adds no section when there are no consensus decisions', () => {
    expect(consensusMarkdown([], tagCell)).toEqual([]);
  });

  it('writes a heading and, per decision, its summary, agents, agreed points, conflicts, resolution and rationale', () => {
    const rows = [
      row({
        decision: 'DEC_001',
        task: 'TASK_001',
        agreement: 2 / 3,
        agents: ['Ada (claude-a)', 'Bo', 'Cy (failed)'],
        agreed: ['SQLite is enough', 'no ORM'],
        conflicts: [
          { topic: 'storage', positions: ['Ada: SQLite', 'Cy: Postgres'] },
          { topic: 'backups', positions: ['Bo: nightly'] },
        ],
        resolved: 'use SQLite',
        resolvedBy: 'quorum',
        by: 'llm',
        rationale: 'two of three chose SQLite',
      }),
    ];
    expect(consensusMarkdown(rows, tagCell)).toEqual([
      '',
      '### Consensus decisions',
      '- DEC_001 (TASK_001): agreement 67%, quorum 2 of 3 — quorum met; compared by a model',
      '  - Agents: Ada (claude-a), Bo, Cy (failed)',
      '  - Agreed: [SQLite is enough/120]; [no ORM/120]',
      '  - Conflict on [storage/80]: [Ada: SQLite/100] | [Cy: Postgres/100]',
      '  - Conflict on [backups/80]: [Bo: nightly/100]',
      '  - Resolution: [use SQLite/200]',
      '  - Rationale: [two of three chose SQLite/240]',
    ]);
  });

  it('leaves out the task, agreed points, conflicts and resolution a decision does not have', () => {
    expect(consensusMarkdown([row({ agreement: 1, by: 'deterministic', rationale: 'all agreed' })], tagCell)).toEqual([
      '',
      '### Consensus decisions',
      '- DEC_001: agreement 100%, quorum 2 of 2 — quorum met; compared deterministically (scripted)',
      '  - Agents: Ada, Bo',
      '  - Rationale: [all agreed/240]',
    ]);
  });

  it('says how each decision was settled: waiting for a person, a tie-break agent, a person, or the quorum', () => {
    const rows = [
      row({ decision: 'DEC_001', status: 'pending', resolvedBy: 'tie-break', agreement: 0.5 }),
      row({ decision: 'DEC_002', resolvedBy: 'tie-break', agreement: 0.5 }),
      row({ decision: 'DEC_003', resolvedBy: 'person', agreement: 0 }),
      row({ decision: 'DEC_004', agreement: 0.25 }),
    ];
    const summaries = consensusMarkdown(rows, tagCell).filter((l) => l.startsWith('- '));
    expect(summaries).toEqual([
      '- DEC_001: agreement 50%, quorum 2 of 2 — waiting for a person; compared deterministically (scripted)',
      '- DEC_002: agreement 50%, quorum 2 of 2 — resolved by a tie-break agent; compared deterministically (scripted)',
      '- DEC_003: agreement 0%, quorum 2 of 2 — resolved by a person; compared deterministically (scripted)',
      '- DEC_004: agreement 25%, quorum 2 of 2 — quorum met; compared deterministically (scripted)',
    ]);
  });
});
