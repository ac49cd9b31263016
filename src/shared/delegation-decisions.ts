import { decide, decideProblem } from './decisions';
import type { ChildDecision, RoutedDecideInput } from './delegation-schemas';
import type { Decision, OrchestrationState } from './schemas';
import { formatId } from './state';

// Decisions across the delegation tree: a child's waiting decisions go up as mirrors, the root's answers come down.

/** Kinds of decision a child passes up for a person at the root (its budget is the root's ledger's to decide). */
const ROUTED_KINDS: ReadonlySet<string> = new Set(['escalation', 'recovery', 'confirm', 'consensus']);

/** The decisions waiting here (its own and its children's mirrors) that a person must answer. */
export function pendingForRoot(state: OrchestrationState): ChildDecision[] {
  return state.decisions
    .filter((d) => d.status === 'pending' && ROUTED_KINDS.has(d.kind))
    .map((d) => ({ id: d.id, kind: d.kind as ChildDecision['kind'], question: d.question.slice(0, 2000), rationale: d.rationale.slice(0, 2000) }));
}

/**
 * A child's waiting decisions, mirrored here: a new one becomes a pending decision that remembers its route (lead
 * task, the child's id), and a mirror whose decision the child settled itself (a deadline's skip) closes too.
 */
export function syncChildDecisions(state: OrchestrationState, taskId: string, pending: ChildDecision[], now: string): OrchestrationState {
  const record = state.delegation?.children[taskId];
  if (!record) return state;
  // Mirrors of this child's run only: a child started again numbers its decisions from one again.
  const ofThisRun = (d: Decision) => d.route?.taskId === taskId && d.created >= record.started;
  const open = new Set(pending.map((p) => p.id));
  let decisions = closeMirrors(state.decisions, (d) => ofThisRun(d) && !open.has(d.route!.decisionId), 'settled in the child orchestration', now);
  let n = state.counters.decision;
  for (const p of pending) {
    if (decisions.some((d) => ofThisRun(d) && d.route!.decisionId === p.id)) continue;
    decisions = [
      ...decisions,
      { id: formatId('DEC', ++n), question: `${taskId} (${record.workflowId}): ${p.question}`.slice(0, 2000), rationale: p.rationale, status: 'pending', created: now, session: state.session, kind: p.kind, route: { taskId, decisionId: p.id } },
    ];
  }
  const changed = n !== state.counters.decision || decisions.some((d, i) => d !== state.decisions[i]);
  return changed ? { ...state, decisions, counters: { ...state.counters, decision: n } } : state;
}

/** Pending mirrors that `which` picks, closed with `choice` and nothing to send down. */
function closeMirrors(decisions: Decision[], which: (d: Decision) => boolean, choice: string, now: string): Decision[] {
  return decisions.map((d): Decision => (d.route && d.status === 'pending' && which(d) ? { ...d, status: 'made', choice, decided: now, route: { ...d.route, forwarded: true } } : d));
}

/** Whether decisions raised by `taskId`'s child wait here unanswered (mirrors a person has not answered yet). */
export function hasOpenMirrors(state: OrchestrationState, taskId: string): boolean {
  return state.decisions.some((d) => d.route?.taskId === taskId && d.status === 'pending');
}

/**
 * A lead task's child ended (returned, stopped, failed) while decisions it raised waited here: nobody is left to hear
 * the answers, so the mirrors close rather than hold the parent's other subtrees for a question that is gone.
 */
export function closeEndedChildMirrors(state: OrchestrationState, taskId: string, ended: string, now: string): OrchestrationState {
  const decisions = closeMirrors(state.decisions, (d) => d.route!.taskId === taskId, `closed: the child orchestration ${ended} before an answer`, now);
  return decisions.some((d, i) => d !== state.decisions[i]) ? { ...state, decisions } : state;
}

/** Answers given here to mirrored decisions that have not gone down to their child yet. */
export function answersToForward(state: OrchestrationState): { taskId: string; mirrorId: string; input: RoutedDecideInput }[] {
  return state.decisions
    .filter((d) => d.route && !d.route.forwarded && d.status === 'made' && d.choice)
    .map((d) => ({ taskId: d.route!.taskId, mirrorId: d.id, input: { decisionId: d.route!.decisionId, choice: d.choice!, ...(d.rationale ? { rationale: d.rationale.slice(0, 2000) } : {}) } }));
}

/** The answer to a mirrored decision went down to its child. */
export function markForwarded(state: OrchestrationState, mirrorId: string): OrchestrationState {
  return { ...state, decisions: state.decisions.map((d) => (d.id === mirrorId && d.route ? { ...d, route: { ...d.route, forwarded: true } } : d)) };
}

/** Why an answer forwarded from the root cannot apply here, or undefined (the same rules as `decide`). */
export function routedProblem(state: OrchestrationState, input: RoutedDecideInput): string | undefined {
  return decideProblem(state, { decisionId: input.decisionId, choice: input.choice, ...(input.rationale ? { rationale: input.rationale } : {}) });
}

/** A child applies the root's answer to one of its decisions (a mirror of its own child's is forwarded on down in turn). */
export function applyRoutedDecision(state: OrchestrationState, input: RoutedDecideInput, now: string): OrchestrationState {
  return decide(state, { decisionId: input.decisionId, choice: input.choice, ...(input.rationale ? { rationale: input.rationale } : {}) }, now);
}
