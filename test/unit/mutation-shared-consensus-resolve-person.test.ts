import { applyComparison, comparisonFailed, resolveConsensusDecision } from '../../src/shared/consensus-resolve';
import type { Phase } from '../../src/shared/schemas';
import { setPhase } from '../../src/shared/state';
import { comparisonOf, votedRun } from '../support/consensus-runs';
import { minute } from '../support/reducers';
import { decisionItem } from '../support/state-items';

// When a person decides a consensus task (src/shared/consensus-resolve.ts): the comparison failed, or a person answers.
// Every run is built inside its test; the consensus task is TASK_002 behind a plain TASK_001.

/** A consensus run below quorum, escalated to a person: DEC_001 holds TASK_002 (Aria: Postgres, Sage: SQLite, Quinn: MySQL). */
function escalated(phase: Phase = 'orchestrating') {
  const { s, run } = votedRun(['Postgres', 'SQLite', 'MySQL'], { consensus: { belowQuorum: 'escalate' } });
  const state = applyComparison(setPhase(s, phase), run, comparisonOf(), minute(3)).state;
  return { state, decision: state.decisions[0]! };
}

describe('comparisonFailed', () => {
  it('asks a person to choose between the answers, recording each as a position on “the answer” and the comparison’s error', () => {
    const { s, run, ids } = votedRun(['Postgres', 'SQLite', 'MySQL']);
    const answers = ['Postgres', 'SQLite'].map((summary, i) => ({ agentId: ids[i]!, agent: ['Aria', 'Sage'][i]!, summary, claims: [], insights: [] }));
    const after = comparisonFailed(s, run, answers, 'the model is overloaded', minute(3));
    const decision = after.decisions[0]!;
    expect(decision.consensus).toEqual({
      agreed: [],
      conflicts: [{ topic: 'the answer', positions: [{ agentId: 'AGENT_0001', agent: 'Aria', position: 'Postgres' }, { agentId: 'AGENT_0002', agent: 'Sage', position: 'SQLite' }] }],
      resolved: '',
      supporters: [],
      agreement: 0,
      rationale: 'the comparison failed: the model is overloaded',
      by: 'llm',
      quorum: 2,
      answers: [
        { agentId: 'AGENT_0001', agent: 'Aria', position: 'Postgres' },
        { agentId: 'AGENT_0002', agent: 'Sage', position: 'SQLite' },
        { agentId: 'AGENT_0003', agent: 'Quinn', position: 'MySQL' },
      ],
    });
    expect(decision.question).toBe(
      'No consensus on TASK_002 (Which database should the shop use?): the comparison of their answers failed. Positions — Aria: Postgres | Sage: SQLite | Quinn: MySQL. Which answer?',
    );
    expect(decision.rationale.endsWith('Comparison: the comparison failed: the model is overloaded')).toBe(true);
    expect(after.tasks.map((t) => t.status)).toEqual(['pending', 'stopped']);
  });

  it('cuts the comparison’s error to 300 characters', () => {
    const { s, run } = votedRun(['Postgres', 'SQLite', 'MySQL']);
    const after = comparisonFailed(s, run, [], 'e'.repeat(400), minute(3));
    expect(after.decisions[0]!.consensus!.rationale).toBe(`the comparison failed: ${'e'.repeat(299)}…`);
  });

  it('on a stale run changes nothing', () => {
    const { s, run } = votedRun(['Postgres', 'SQLite', 'MySQL']);
    expect(comparisonFailed(s, { ...run, attempt: 2 }, [], 'overloaded', minute(3))).toBe(s);
  });
});

describe('resolveConsensusDecision', () => {
  it('an agent name, in any case and with spaces around it, takes that agent’s answer', () => {
    const { state, decision } = escalated();
    const after = resolveConsensusDecision(state, decision, '  sage ', minute(5));
    expect(after.tasks.map((t) => [t.id, t.status, t.outcome])).toEqual([['TASK_001', 'pending', undefined], ['TASK_002', 'completed', 'SQLite']]);
    expect(after.decisions[0]!.consensus).toMatchObject({ resolved: 'SQLite', resolvedBy: 'person' });
  });

  it('an agent id, with or without spaces around it, takes that agent’s answer', () => {
    const { state, decision } = escalated();
    expect(resolveConsensusDecision(state, decision, 'AGENT_0003', minute(5)).tasks[1]!.outcome).toBe('MySQL');
    expect(resolveConsensusDecision(state, decision, ' AGENT_0002 ', minute(5)).tasks[1]!.outcome).toBe('SQLite');
  });

  it('any other text is the answer itself; the task counts as completed', () => {
    const { state, decision } = escalated();
    const after = resolveConsensusDecision(state, decision, 'CockroachDB', minute(5));
    expect(after.tasks[1]).toMatchObject({ status: 'completed', outcome: 'CockroachDB', completed: minute(5) });
    expect(after.metrics.total_tasks_completed).toBe(state.metrics.total_tasks_completed + 1);
  });

  it('changes only its own decision: another decision keeps its fields', () => {
    const { state, decision } = escalated();
    const other = decisionItem('DEC_007', { kind: 'escalation' });
    const after = resolveConsensusDecision({ ...state, decisions: [...state.decisions, other] }, decision, 'Sage', minute(5));
    expect(after.decisions[1]).toEqual(other);
  });

  it('a decision that no longer holds the task (another one does) changes nothing', () => {
    const { state, decision } = escalated();
    const older = { ...decision, id: 'DEC_000' };
    expect(resolveConsensusDecision(state, older, 'Sage', minute(5))).toBe(state);
  });

  it('between sessions (idle or paused) asks the orchestration to resume, so dependents run; while orchestrating it does not', () => {
    const requested = (phase: Phase) => {
      const { state, decision } = escalated(phase);
      return resolveConsensusDecision(state, decision, 'Sage', minute(5)).resumeRequested;
    };
    expect([requested('idle'), requested('paused'), requested('orchestrating')]).toEqual([true, true, false]);
  });
});
