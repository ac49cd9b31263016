import { voteFailed } from '../../src/shared/consensus';
import { applyComparison } from '../../src/shared/consensus-resolve';
import { comparisonOf, votedRun } from '../support/consensus-runs';
import { minute } from '../support/reducers';

// What a consensus comparison leads to (src/shared/consensus-resolve.ts): the exact decision, record and hold.
// Every run is built inside its test; the consensus task is TASK_002 behind a plain TASK_001.

describe('quorum met', () => {
  it('completes the task with the resolved answer and records DEC_001 exactly: question, rationale, record, objective', () => {
    const { s, run, ids } = votedRun(['Postgres', 'Postgres', 'SQLite'], { consensus: { models: ['m-1', 'm-2', 'm-3'] } });
    const c = comparisonOf({ agreed: ['Backups matter'], supporters: [ids[0]!, ids[1]!], agreement: 2 / 3, rationale: 'two say Postgres' });
    const { state, next } = applyComparison(s, run, c, minute(3));
    expect(next).toBe('done');
    expect(state.tasks.map((t) => [t.id, t.status, t.outcome])).toEqual([['TASK_001', 'pending', undefined], ['TASK_002', 'completed', 'Postgres']]);
    expect(state.decisions).toEqual([
      {
        id: 'DEC_001',
        question: 'Consensus on TASK_002: Which database should the shop use?',
        choice: 'Postgres',
        rationale: 'two say Postgres — 2 of 3 agents support it (quorum 2; agreement 67%).',
        status: 'made',
        created: minute(3),
        decided: minute(3),
        session: 1,
        objectiveId: 'OBJ_001',
        kind: 'consensus',
        taskId: 'TASK_002',
        consensus: {
          agreed: ['Backups matter'],
          conflicts: [],
          resolved: 'Postgres',
          supporters: ['AGENT_0001', 'AGENT_0002'],
          agreement: 2 / 3,
          rationale: 'two say Postgres',
          by: 'deterministic',
          quorum: 2,
          answers: [
            { agentId: 'AGENT_0001', agent: 'Aria', position: 'Postgres', model: 'm-1' },
            { agentId: 'AGENT_0002', agent: 'Sage', position: 'Postgres', model: 'm-2' },
            { agentId: 'AGENT_0003', agent: 'Quinn', position: 'SQLite', model: 'm-3' },
          ],
          resolvedBy: 'quorum',
        },
      },
    ]);
    expect(state.counters.decision).toBe(1);
    expect(state.metrics).toMatchObject({ total_tasks_completed: 1, total_decisions_made: 1 });
  });

  it('numbers the decision after the ones already made', () => {
    const { s, run, ids } = votedRun(['Postgres', 'Postgres', 'Postgres']);
    const before = { ...s, counters: { ...s.counters, decision: 4 } };
    const { state } = applyComparison(before, run, comparisonOf({ supporters: ids, agreement: 1 }), minute(3));
    expect(state.decisions.map((d) => d.id)).toEqual(['DEC_005']);
    expect(state.counters.decision).toBe(5);
  });

  it('keeps at most 20 agreed statements, 10 conflicts and 5 positions each, cut to 300, 300 and 500 characters', () => {
    const { s, run, ids } = votedRun(['Postgres', 'Postgres', 'SQLite']);
    const long = (ch: string, n: number) => ch.repeat(n);
    const positions = Array.from({ length: 7 }, (_, i) => ({ agentId: `AGENT_${i}`, agent: `A${i}`, position: i === 0 ? long('p', 501) : `p${i}` }));
    const c = comparisonOf({
      supporters: [ids[0]!, ids[1]!],
      agreed: [long('a', 301), long('b', 300), ...Array.from({ length: 23 }, (_, i) => `fact ${i}`)],
      conflicts: [{ topic: long('t', 301), positions }, ...Array.from({ length: 11 }, (_, i) => ({ topic: `topic ${i}`, positions: [] }))],
    });
    const record = applyComparison(s, run, c, minute(3)).state.decisions[0]!.consensus!;
    expect(record.agreed).toHaveLength(20);
    expect(record.agreed.slice(0, 3)).toEqual([`${long('a', 299)}…`, long('b', 300), 'fact 0']);
    expect(record.conflicts).toHaveLength(10);
    expect(record.conflicts[0]!.topic).toBe(`${long('t', 299)}…`);
    expect(record.conflicts[0]!.positions.map((p) => p.position)).toEqual([`${long('p', 499)}…`, 'p1', 'p2', 'p3', 'p4']);
    expect(record.conflicts.map((k) => k.topic).slice(1)).toEqual(Array.from({ length: 9 }, (_, i) => `topic ${i}`));
  });

  it('an answer of exactly 1500 characters is kept whole; one of 1501 is cut to 1499 and an ellipsis', () => {
    const exact = 'x'.repeat(1500);
    const over = 'y'.repeat(1501);
    const { s, run, ids } = votedRun([exact, exact, over]);
    const { state } = applyComparison(s, run, comparisonOf({ resolved: exact, supporters: [ids[0]!, ids[1]!] }), minute(3));
    const record = state.decisions[0]!.consensus!;
    expect(record.answers.map((a) => a.position)).toEqual([exact, exact, `${'y'.repeat(1499)}…`]);
    expect(record.resolved).toBe(exact);
    expect(state.decisions[0]!.choice).toBe(exact);
  });

  it('supporters the run did not ask count for nothing and are left out of the record', () => {
    const { s, run, ids } = votedRun(['Postgres', 'SQLite', 'MySQL'], { consensus: { belowQuorum: 'escalate' } });
    const c = comparisonOf({ supporters: [ids[0]!, 'AGENT_0098', 'AGENT_0099'], agreement: 1 / 3 });
    const { state, next } = applyComparison(s, run, c, minute(3));
    expect(next).toBe('escalate');
    expect(state.decisions[0]!.consensus!.supporters).toEqual(['AGENT_0001']);
    expect(state.decisions[0]!.question).toContain('only 1 of 3 agents support one answer (quorum 2)');
  });

  it('below quorum with the default policy asks for a tie-break and leaves the state as it was', () => {
    const { s, run, ids } = votedRun(['Postgres', 'SQLite', 'MySQL']);
    const { state, next } = applyComparison(s, run, comparisonOf({ supporters: [ids[0]!, 'AGENT_0099'] }), minute(3));
    expect(next).toBe('tie-break');
    expect(state).toBe(s);
  });
});

describe('below quorum → a person decides', () => {
  it('the pending decision names the task, why, and the answering agents’ positions; the task waits on it', () => {
    const voted = votedRun(['Postgres', 'SQLite'], { consensus: { belowQuorum: 'escalate' } });
    const s = voteFailed(voted.s, voted.run, voted.ids[2]!, { cancelled: false, message: 'crashed' }, minute(2));
    const { state, next } = applyComparison(s, voted.run, comparisonOf({ supporters: [voted.ids[0]!], agreement: 1 / 3 }), minute(3));
    expect(next).toBe('escalate');
    const decision = state.decisions[0]!;
    expect(decision).toMatchObject({ id: 'DEC_001', status: 'pending', created: minute(3), session: 1, objectiveId: 'OBJ_001', kind: 'consensus', taskId: 'TASK_002' });
    expect(decision.decided).toBeUndefined();
    expect(decision.question).toBe(
      'No consensus on TASK_002 (Which database should the shop use?): only 1 of 3 agents support one answer (quorum 2). Positions — Aria: Postgres | Sage: SQLite. Which answer?',
    );
    expect(decision.rationale).toBe(
      'Answer with `baton decide DEC_001 <agent name>` to take that agent\'s answer, or `baton decide DEC_001 "<your answer>"`. Comparison: they differ',
    );
    expect(decision.consensus!.answers.map((a) => [a.agent, a.position, a.failed ?? false])).toEqual([['Aria', 'Postgres', false], ['Sage', 'SQLite', false], ['Quinn', 'crashed', true]]);
    expect(state.tasks[1]).toMatchObject({ status: 'stopped', hold: { kind: 'escalation', reason: 'no consensus: only 1 of 3 agents support one answer (quorum 2)', decisionId: 'DEC_001' } });
    expect(state.counters.decision).toBe(1);
    expect(state.metrics.total_decisions_made).toBe(0);
  });

  it('a member that never answered shows with an empty position, marked failed', () => {
    const { s, run, ids } = votedRun(['Postgres', 'SQLite'], { consensus: { belowQuorum: 'escalate' } });
    const { state } = applyComparison(s, run, comparisonOf({ supporters: [ids[0]!] }), minute(3));
    expect(state.decisions[0]!.consensus!.answers[2]).toEqual({ agentId: 'AGENT_0003', agent: 'Quinn', position: '', failed: true });
  });

  it('the question quotes only the first 120 characters of a long mission', () => {
    const mission = `Which database? ${'Consider every option carefully. '.repeat(8)}`;
    const { s, run } = votedRun(['Postgres', 'SQLite', 'MySQL'], { consensus: { belowQuorum: 'escalate' }, task: { mission } });
    const question = applyComparison(s, run, comparisonOf(), minute(3)).state.decisions[0]!.question;
    expect(question.startsWith(`No consensus on TASK_002 (${mission.slice(0, 120)}): only 0 of 3`)).toBe(true);
    expect(question).not.toContain(mission.slice(0, 121));
  });
});
