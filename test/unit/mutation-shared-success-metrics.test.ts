import type { ConsensusRecord } from '../../src/shared/consensus-spec';
import type { Decision, OrchestrationState } from '../../src/shared/schemas';
import { parallelRate, successMetrics } from '../../src/shared/success-metrics';
import { freshState, minute } from '../support/reducers';

/** An answered (or, with `decided` undefined, pending) decision raised at `created` minutes. */
function decision(id: string, created: string, decided?: string, extra: Partial<Decision> = {}): Decision {
  return {
    id, question: 'Spend more?', rationale: 'the budget is spent', session: 1, kind: 'budget', created, status: decided === undefined ? 'pending' : 'made',
    ...(decided === undefined ? {} : { decided, choice: 'approve' }), ...extra,
  };
}

function consensusRecord(resolvedBy: ConsensusRecord['resolvedBy']): ConsensusRecord {
  return { agreed: [], conflicts: [], resolved: 'PostgreSQL', supporters: ['AGT_001', 'AGT_002'], agreement: 0.67, rationale: 'two of three agree', by: 'deterministic', quorum: 2, answers: [], resolvedBy };
}

const withDecisions = (decisions: Decision[]): OrchestrationState => ({ ...freshState(), decisions });

describe('successMetrics: decision time', () => {
  it('counts a decision answered the instant it was raised, as 0 ms', () => {
    const m = successMetrics(withDecisions([decision('DEC_001', minute(4), minute(4)), decision('DEC_002', minute(0), minute(2))]));
    expect(m.decisionTime).toEqual({ answered: 2, meanMs: 60_000, maxMs: 120_000 });
  });

  it('leaves out an answer recorded before its question (a clock that went back, an edited state)', () => {
    const m = successMetrics(withDecisions([decision('DEC_001', minute(5), minute(1)), decision('DEC_002', minute(0), minute(2))]));
    expect(m.decisionTime).toEqual({ answered: 1, meanMs: 120_000, maxMs: 120_000 });
  });

  it('leaves out an answer whose time cannot be read', () => {
    const m = successMetrics(withDecisions([decision('DEC_001', minute(0), 'yesterday'), decision('DEC_002', 'long ago', minute(2))]));
    expect(m.decisionTime).toEqual({ answered: 0, meanMs: null, maxMs: null });
  });

  it('does not count consensus settled by quorum or a tie-break agent, only one a person answered', () => {
    const m = successMetrics(withDecisions([
      decision('DEC_001', minute(1), minute(1), { kind: 'consensus', consensus: consensusRecord('quorum') }),
      decision('DEC_002', minute(2), minute(2), { kind: 'consensus', consensus: consensusRecord('tie-break') }),
      decision('DEC_003', minute(3), minute(6), { kind: 'consensus', consensus: consensusRecord('person') }),
    ]));
    expect(m.decisionTime).toEqual({ answered: 1, meanMs: 180_000, maxMs: 180_000 });
  });
});

describe('successMetrics: context continuity', () => {
  it('is the share of sessions after the first that state carried', () => {
    const s = freshState();
    // Session 3 of which state counted two: the first, and one of the two after it.
    expect(successMetrics({ ...s, session: 3, metrics: { ...s.metrics, total_sessions: 2 } }).contextContinuity).toBe(0.5);
    expect(successMetrics({ ...s, session: 5, metrics: { ...s.metrics, total_sessions: 3 } }).contextContinuity).toBe(0.5);
  });
});

describe('parallelRate', () => {
  it('ignores an interval that ends before it starts', () => {
    expect(parallelRate([[0, 10], [0, 10], [5, 2]])).toBe(1);
  });

  it('ignores an interval with an infinite end, as any broken one', () => {
    expect(parallelRate([[-Infinity, 10], [0, 10], [0, 10]])).toBe(1);
    expect(parallelRate([[0, Infinity], [0, 10], [0, 10]])).toBe(1);
  });
});
