import type { SynthesisResult } from './activity-types';
import type { Decision, OrchestrationState } from './schemas';
import { formatId, MAX_SYNTHESES } from './state';

/** Phase 4: record what synthesis concluded; decisions needing a person stay pending. */
export function applySynthesis(state: OrchestrationState, result: SynthesisResult, now: string): OrchestrationState {
  let counter = state.counters.decision;
  const decisions: Decision[] = result.decisions.map((d) => ({
    id: formatId('DEC', ++counter),
    question: d.question,
    choice: d.needsPerson ? undefined : d.choice,
    rationale: d.rationale,
    status: d.needsPerson ? 'pending' : 'made',
    created: now,
    session: state.session,
    objectiveId: d.objectiveId,
    kind: 'synthesis',
  }));
  const made = decisions.filter((d) => d.status === 'made').length;
  const synthesis = {
    session: state.session,
    agreements: result.agreements,
    conflicts: result.conflicts,
    patterns: result.patterns,
    unknowns: result.unknowns,
  };
  return {
    ...state,
    decisions: [...state.decisions, ...decisions],
    insights: [...state.insights, ...result.insights.map((text) => ({ text, source: 'synthesis', recorded: now }))],
    syntheses: [...state.syntheses, synthesis].slice(-MAX_SYNTHESES),
    counters: { ...state.counters, decision: counter },
    metrics: { ...state.metrics, total_decisions_made: state.metrics.total_decisions_made + made },
  };
}

/** Tasks that finished in the current session, for synthesis. */
export function sessionOutputs(state: OrchestrationState): OrchestrationState['tasks'] {
  const since = state.sessionStarted ?? '';
  return state.tasks.filter((t) => (t.status === 'completed' || t.status === 'failed') && (t.completed ?? '') >= since);
}
