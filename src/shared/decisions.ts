import { resolveConsensusDecision } from './consensus-resolve';
import { budgetSpent } from './ledger';
import * as L from './lifecycle';
import { resolveRecovery } from './recovery';
import { resolveConfirmation } from './streams';
import { formatId } from './state';
import type { DecideInput, OrchestrationState, Task } from './schemas';
import { replaceById } from './by-id';

/** Why `decide` cannot apply, or undefined when it can. */
export function decideProblem(state: OrchestrationState, input: DecideInput): string | undefined {
  const decision = state.decisions.find((d) => d.id === input.decisionId);
  if (!decision) return `decisionId: no decision ${input.decisionId} in project ${state.project}`;
  if (decision.status !== 'pending') return `decisionId: ${input.decisionId} was already decided (${decision.choice ?? 'no choice'})`;
  if (decision.kind === 'escalation') {
    return input.choice === 'retry' || input.choice === 'stop' ? undefined : `choice: an escalation is answered "retry" or "stop", not "${input.choice}"`;
  }
  if (decision.kind === 'recovery') {
    return input.choice === 'retry' || input.choice === 'skip' ? undefined : `choice: a recovery decision is answered "retry" or "skip", not "${input.choice}"`;
  }
  if (decision.kind === 'confirm') {
    return input.choice === 'proceed' || input.choice === 'cancel' ? undefined : `choice: a confirmation is answered "proceed" or "cancel", not "${input.choice}"`;
  }
  if (decision.kind !== 'budget') return undefined;
  if (input.choice !== 'raise' && input.choice !== 'stop') return `choice: a budget decision is answered "raise" or "stop", not "${input.choice}"`;
  if (input.choice === 'raise') {
    if (!input.budget || (input.budget.maxTokens === undefined && input.budget.maxUsd === undefined)) {
      return 'budget: "raise" needs a new budget (maxTokens and/or maxUsd)';
    }
    const spent = decision.objectiveId ? state.objectives.find((o) => o.id === decision.objectiveId)?.spent : state.spent;
    const still = spent && budgetSpent(input.budget, spent);
    if (still) return `budget: the new budget is already spent (${still})`;
  }
  return undefined;
}

/** Answer a pending decision; a budget `raise` sets the new limit and frees tasks stopped by the budget, `stop` pauses. */
export function decide(state: OrchestrationState, input: DecideInput, now: string): OrchestrationState {
  const decision = state.decisions.find((d) => d.id === input.decisionId);
  if (!decision) return state;
  let next: OrchestrationState = {
    ...state,
    decisions: state.decisions.map((d) =>
      d.id === decision.id ? { ...d, status: 'made', choice: input.choice, rationale: input.rationale ?? d.rationale, decided: now } : d,
    ),
    metrics: { ...state.metrics, total_decisions_made: state.metrics.total_decisions_made + 1 },
  };
  // A decision routed to a child orchestration is the child's to apply: src/workflows/lead.ts forwards the answer.
  if (decision.kind === 'synthesis' || decision.route) return next;
  if (decision.kind === 'consensus') return resolveConsensusDecision(next, decision, input.choice, now);
  if (decision.kind === 'recovery') return resolveRecovery(next, decision, input.choice, input.rationale ?? 'a person chose to skip it', now);
  if (decision.kind === 'confirm') return resolveConfirmation(next, decision, input.choice, now);
  if (input.choice === 'stop') return { ...next, paused: true, phase: next.phase === 'idle' ? 'paused' : next.phase };
  if (decision.kind === 'escalation') return retryEscalated(next, decision.id);
  const budget = input.budget;
  next = decision.objectiveId
    ? { ...next, objectives: replaceById(next.objectives, decision.objectiveId, (o) => ({ ...o, budget })) }
    : { ...next, config: { ...next.config, budget: budget ?? {} } };
  const inScope = (t: Task) => !decision.objectiveId || t.objectiveId === decision.objectiveId;
  return {
    ...next,
    resumeRequested: next.phase === 'idle' || next.phase === 'paused' ? true : next.resumeRequested,
    tasks: next.tasks.map((t): Task => (L.isHeld(t, 'budget') && inScope(t) ? L.releaseTask(t) : t)),
  };
}

/**
 * A failure no retry can fix (bad key, spend limit): the task waits, and one escalation (per orchestration)
 * asks a person to fix the cause and answer `retry`, or `stop`.
 */
export function escalate(state: OrchestrationState, taskId: string | undefined, message: string, now: string): OrchestrationState {
  const open = state.decisions.find((d) => d.kind === 'escalation' && d.status === 'pending');
  const n = state.counters.decision + 1;
  const hold = { kind: 'escalation' as const, reason: message, decisionId: open?.id ?? formatId('DEC', n) };
  let next: OrchestrationState = taskId
    ? {
        ...state,
        tasks: replaceById(state.tasks, taskId, (t) => L.holdTask(t, hold)),
        agents: state.agents.map((a) => (a.taskId === taskId && a.status === 'running' ? { ...a, status: 'failed' as const, finished: now, summary: message } : a)),
      }
    : state;
  if (open) return next;
  next = {
    ...next,
    decisions: [
      ...next.decisions,
      {
        id: formatId('DEC', n),
        question: `Agents cannot run: ${message.slice(0, 300)}. Fix the cause, then retry, or stop?`,
        rationale: 'Retrying would fail the same way until a person acts; answer with `baton decide <id> retry` or `baton decide <id> stop`.',
        status: 'pending',
        created: now,
        session: next.session,
        kind: 'escalation',
      },
    ],
    counters: { ...next.counters, decision: n },
  };
  return next;
}

function retryEscalated(state: OrchestrationState, decisionId: string): OrchestrationState {
  // Tasks held by another decision (a consensus waiting for its answer) keep waiting.
  const answered = (t: Task) => !t.hold?.decisionId || t.hold.decisionId === decisionId;
  return {
    ...state,
    resumeRequested: state.phase === 'idle' || state.phase === 'paused' ? true : state.resumeRequested,
    tasks: state.tasks.map((t): Task => (L.isHeld(t, 'escalation') && answered(t) ? L.releaseTask(t) : t)),
  };
}

/** Planning hit a failure only a person can fix: the objective waits to be planned again after `retry`. */
export function escalatePlanning(state: OrchestrationState, objectiveId: string, message: string, now: string): OrchestrationState {
  const waiting = { ...state, objectives: replaceById(state.objectives, objectiveId, (o) => ({ ...o, status: 'pending' as const })) };
  return escalate(waiting, undefined, message, now);
}
