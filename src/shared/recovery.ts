import type { Decision, OrchestrationState, Task } from './schemas';
import * as L from './lifecycle';
import { formatId, refreshObjectives, updateTask } from './state';
import { taskTarget, type RecoveryPolicy } from './targets';
import { byId, replaceById } from './by-id';

/** The policy that applies to a task: its own (from its stream), else its target's, else the orchestration's. */
export function recoveryPolicyFor(state: OrchestrationState, task: Task): RecoveryPolicy {
  const base = taskTarget(state.config, task)?.recovery ?? state.config.recovery;
  return task.recovery ? { ...base, ...task.recovery } : base;
}

/**
 * An agent's work failed for good (retries spent, a failure report, or verification failing past the rework
 * limit). A stale failure (the task moved on) is ignored. The recovery policy decides what happens next.
 */
export function taskFailed(state: OrchestrationState, taskId: string, agentId: string, reason: string, now: string): OrchestrationState {
  const task = byId(state.tasks, taskId);
  if (!task || task.status !== 'running' || task.agentId !== agentId) return state;
  const next = {
    ...state,
    agents: replaceById(state.agents, agentId, (a) => ({ ...a, status: 'failed' as const, finished: now, summary: reason })),
  };
  return recover(next, taskId, reason, now);
}

/** Apply the task's recovery policy: retry with a fresh agent, skip, or escalate to a person. */
export function recover(state: OrchestrationState, taskId: string, reason: string, now: string): OrchestrationState {
  const task = byId(state.tasks, taskId);
  if (!task) return state;
  const policy = recoveryPolicyFor(state, task);
  switch (policy.policy) {
    case 'retry':
      return (task.freshAgents ?? 0) < policy.freshAgents
        ? retryWithFreshAgent(state, taskId, reason)
        : skipTask(state, taskId, `${reason} (after ${task.freshAgents ?? 0} fresh agent(s))`, now);
    case 'skip':
      return skipTask(state, taskId, reason, now);
    case 'escalate':
      return escalateTask(state, taskId, reason, policy, now);
  }
}

/** The task goes back to pending for an agent that has not worked on it yet. */
export function retryWithFreshAgent(state: OrchestrationState, taskId: string, reason: string): OrchestrationState {
  const worked = new Set(state.agents.filter((a) => a.taskId === taskId).map((a) => a.name));
  return updateTask(state, taskId, (t) =>
    L.requeueTask(t, {
      error: `retrying with a fresh agent: ${reason}`,
      freshAgents: (t.freshAgents ?? 0) + 1,
      excludeAgents: [...new Set([...(t.excludeAgents ?? []), ...worked])],
      preferredAgent: undefined,
      rework: 0,
      feedback: [reason],
      verifying: undefined,
    }),
  );
}

/** Skip: the task fails with the reason (its stream is marked blocked), dependents wait, the rest goes on. */
export function skipTask(state: OrchestrationState, taskId: string, reason: string, now: string): OrchestrationState {
  const next = updateTask(state, taskId, (t) => L.failTask(t, now, reason, reason));
  return refreshObjectives({ ...next, metrics: { ...next.metrics, total_tasks_failed: next.metrics.total_tasks_failed + 1 } });
}

/** Escalate: the task waits (stopped) and a pending decision asks a person to retry or skip, optionally until a deadline. */
export function escalateTask(state: OrchestrationState, taskId: string, reason: string, policy: RecoveryPolicy, now: string): OrchestrationState {
  const task = byId(state.tasks, taskId);
  if (!task) return state;
  const n = state.counters.decision + 1;
  const deadline = policy.timeoutSeconds === undefined ? undefined : new Date(Date.parse(now) + policy.timeoutSeconds * 1000).toISOString();
  const label = task.stream ? `${task.id} (${task.stream})` : task.id;
  const decision: Decision = {
    id: formatId('DEC', n),
    question: `${label} failed: ${reason.slice(0, 300)}. Retry with a fresh agent, or skip it?`,
    rationale: deadline
      ? `Answer with \`baton decide <id> retry\` or \`baton decide <id> skip\`; with no answer by ${deadline} it is skipped.`
      : 'Answer with `baton decide <id> retry` or `baton decide <id> skip`.',
    status: 'pending',
    created: now,
    session: state.session,
    objectiveId: task.objectiveId,
    kind: 'recovery',
    taskId,
    deadline,
  };
  const next = updateTask(state, taskId, (t) => L.holdTask(t, { kind: 'recovery', reason, decisionId: decision.id }, { verifying: undefined }));
  return { ...next, decisions: [...next.decisions, decision], counters: { ...next.counters, decision: n } };
}

/** Answer a recovery decision: `retry` frees the task for a fresh agent, `skip` skips it. */
export function resolveRecovery(state: OrchestrationState, decision: Decision, choice: string, why: string, now: string): OrchestrationState {
  const task = byId(state.tasks, decision.taskId);
  if (!task || task.status !== 'stopped') return state;
  const reason = task.hold?.reason ?? task.error ?? 'failed';
  if (choice === 'skip') return skipTask(state, task.id, `${reason} (skipped: ${why})`, now);
  const retried = retryWithFreshAgent(state, task.id, reason);
  const resting = retried.phase === 'idle' || retried.phase === 'paused';
  return { ...retried, resumeRequested: resting ? true : retried.resumeRequested };
}

/** Recovery decisions whose deadline has passed fall back to skip, recorded as decided by the timeout. */
export function expireDecisions(state: OrchestrationState, now: string): OrchestrationState {
  const due = state.decisions.filter((d) => d.status === 'pending' && d.deadline !== undefined && d.deadline <= now);
  let next = state;
  for (const d of due) {
    const rationale = `no answer by ${d.deadline}: skipped by the recovery policy's timeout`;
    next = {
      ...next,
      decisions: next.decisions.map((x) => (x.id === d.id ? { ...x, status: 'made', choice: 'skip', rationale, decided: now } : x)),
      metrics: { ...next.metrics, total_decisions_made: next.metrics.total_decisions_made + 1 },
    };
    next = resolveRecovery(next, d, 'skip', `no answer by ${d.deadline}`, now);
  }
  return next;
}

/** Milliseconds until the earliest pending decision deadline, if any. */
export function msUntilNextDeadline(state: OrchestrationState, nowMs: number): number | undefined {
  const deadlines = state.decisions.filter((d) => d.status === 'pending' && d.deadline).map((d) => Date.parse(d.deadline as string));
  return deadlines.length ? Math.max(0, Math.min(...deadlines) - nowMs) : undefined;
}
