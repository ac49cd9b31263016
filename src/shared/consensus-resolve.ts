import type { AgentReport, SpawnAgentInput, Usage } from './activity-types';
import { type ConsensusRun, memberInput, runIsLive, voteFailed } from './consensus';
import { type Comparison, type ConsensusAnswer, type ConsensusRecord, quorumOf } from './consensus-spec';
import { agentBudget, applyUsage, raiseBudgetDecisions } from './ledger';
import * as L from './lifecycle';
import { runtimeFor } from './roles';
import { chooseAgent, claimAgent, rememberWork } from './roster';
import type { Agent, Decision, OrchestrationState, Task } from './schemas';
import { formatId, refreshObjectives, updateTask } from './state';

// Compare → Resolve → Decision: what a consensus run's comparison leads to (the run itself is src/shared/consensus.ts).

/** Longest answer, position or rationale a consensus decision keeps (it lives in state and history). */
const MAX_ANSWER = 1500;
const clip = (text: string, n = MAX_ANSWER): string => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

/** What the comparison says against the quorum: `done` (task completed), `tie-break` (one more agent decides) or `escalate` (a person does). */
export type ConsensusNext = 'done' | 'tie-break' | 'escalate';

/** Every answer of the run, for the decision's record (a failed member's error included). */
function answersOf(state: OrchestrationState, run: ConsensusRun): ConsensusRecord['answers'] {
  return run.agentIds.flatMap((id) => {
    const a = state.agents.find((x) => x.id === id);
    if (!a) return [];
    return [{ agentId: a.id, agent: a.name, position: clip(a.summary ?? ''), ...(a.model ? { model: a.model } : {}), ...(a.status === 'completed' ? {} : { failed: true }) }];
  });
}

/** The comparison's record, bounded for state. */
function recordOf(state: OrchestrationState, run: ConsensusRun, c: Comparison, quorum: number): ConsensusRecord {
  const asked = new Set(run.agentIds);
  return {
    agreed: c.agreed.slice(0, 20).map((s) => clip(s, 300)),
    conflicts: c.conflicts.slice(0, 10).map((k) => ({ topic: clip(k.topic, 300), positions: k.positions.slice(0, 5).map((p) => ({ ...p, position: clip(p.position, 500) })) })),
    resolved: clip(c.resolved),
    supporters: c.supporters.filter((id) => asked.has(id)),
    agreement: c.agreement,
    rationale: clip(c.rationale),
    by: c.by,
    quorum,
    answers: answersOf(state, run),
  };
}

/** Supporters among the agents asked. */
const supportCount = (run: ConsensusRun, c: Comparison): number => new Set(c.supporters.filter((id) => run.agentIds.includes(id))).size;

/** The comparison lands: quorum met completes the task with the resolved answer (recorded as a decision); below it, a tie-break or an escalation. */
export function applyComparison(state: OrchestrationState, run: ConsensusRun, c: Comparison, now: string): { state: OrchestrationState; next: ConsensusNext } {
  const task = state.tasks.find((t) => t.id === run.taskId);
  if (!task?.consensus || !runIsLive(state, run)) return { state, next: 'done' };
  const quorum = quorumOf(task.consensus);
  const record = recordOf(state, run, c, quorum);
  const support = supportCount(run, c);
  if (support >= quorum) {
    const rationale = `${record.rationale} — ${support} of ${run.agentIds.length} agents support it (quorum ${quorum}; agreement ${percent(c.agreement)}).`;
    return { state: completeByConsensus(state, task, { ...record, resolvedBy: 'quorum' }, record.resolved, rationale, now), next: 'done' };
  }
  if ((task.consensus.belowQuorum ?? 'tie-break') === 'tie-break') return { state, next: 'tie-break' };
  return { state: askPerson(state, task, record, `only ${support} of ${run.agentIds.length} agents support one answer (quorum ${quorum})`, now), next: 'escalate' };
}

/** The tie-break agent: an advisor with a fresh name (none of the run's members). */
export function startTieBreak(state: OrchestrationState, run: ConsensusRun, now: string): { state: OrchestrationState; agent: Agent } {
  const task = state.tasks.find((t) => t.id === run.taskId);
  if (!task) throw new Error(`no ${run.taskId} in state`);
  const members = state.agents.filter((a) => a.taskId === task.id).map((a) => a.name);
  const { name } = chooseAgent(state, { ...task, role: 'advisor', preferredAgent: undefined, excludeAgents: [...(task.excludeAgents ?? []), ...members] });
  const { runtime, model } = runtimeFor(state.config, 'advisor');
  let next = claimAgent(state, name, 'advisor', now);
  const n = next.counters.agent + 1;
  const agent: Agent = {
    id: formatId('AGENT', n, 4),
    name,
    role: 'advisor',
    mission: `Break the tie on ${task.id}: ${task.mission}`.slice(0, 2000),
    taskId: task.id,
    runtime,
    simulated: runtime === 'scripted',
    status: 'running',
    spawned: now,
    ...(model ? { model } : {}),
    spent: { tokens: 0, costUsd: 0, unpricedTokens: 0 },
  };
  next = { ...next, agents: [...next.agents, agent], counters: { ...next.counters, agent: n }, metrics: { ...next.metrics, total_agents_spawned: next.metrics.total_agents_spawned + 1 } };
  return { state: next, agent };
}

/** The tie-break agent's input: the mission, and every side of the disagreement to decide between. */
export function tieBreakInput(state: OrchestrationState, agent: Agent, task: Task, c: Comparison): SpawnAgentInput {
  const base = memberInput(state, agent, task);
  const positions = c.conflicts.flatMap((k) => k.positions.map((p) => `- ${p.agent} on ${k.topic}: ${clip(p.position, 400)}`));
  const agreed = c.agreed.length ? `\nThey agree on:\n${c.agreed.map((a) => `- ${clip(a, 200)}`).join('\n')}` : '';
  const mission = [
    `${task.consensus?.agents ?? 'Several'} agents worked on this mission independently and did not reach a quorum (agreement ${percent(c.agreement)}).`,
    `Mission: ${task.mission}`,
    `Their positions:\n${positions.join('\n') || '- (none recorded)'}${agreed}`,
    'Decide: give the answer that is right (one of theirs, or a better one) as your summary, and say why in one sentence.',
  ].join('\n\n');
  return { ...base, ...runtimeFor(state.config, 'advisor'), agent: { id: agent.id, name: agent.name, role: 'advisor' }, task: { ...base.task, mission: clip(mission, 6000) }, budget: agentBudget(state, task) };
}

/** The tie-break agent answered: its answer completes the task and is recorded as the decision; if it failed, a person decides. */
export function applyTieBreak(state: OrchestrationState, run: ConsensusRun, c: Comparison, advisorId: string, report: AgentReport, now: string): OrchestrationState {
  const task = state.tasks.find((t) => t.id === run.taskId);
  const advisor = state.agents.find((a) => a.id === advisorId);
  if (!task?.consensus || !advisor) return state;
  let next = applyUsage(state, report.usage, { objectiveId: task.objectiveId, taskId: task.id, agentId: advisorId });
  const ok = report.status === 'success' && report.stopReason === 'done';
  next = { ...next, agents: next.agents.map((a) => (a.id === advisorId && a.status === 'running' ? { ...a, status: ok ? 'completed' : 'failed', finished: now, summary: report.summary } : a)) };
  if (!runIsLive(next, run)) return next;
  const quorum = quorumOf(task.consensus);
  const record = recordOf(next, run, c, quorum);
  if (!ok) return raiseBudgetDecisions(askPerson(next, task, record, `no quorum, and the tie-break agent ${advisor.name} failed: ${clip(report.summary, 200)}`, now), now);
  const answer = clip(report.summary);
  const rationale = `No quorum (${supportCount(run, c)} of ${run.agentIds.length}, quorum ${quorum}; agreement ${percent(c.agreement)}): ${advisor.name} (advisor) broke the tie. Comparison: ${clip(c.rationale, 600)}`;
  next = rememberWork(next, advisor.name, task, report, now);
  return raiseBudgetDecisions(completeByConsensus(next, task, { ...record, resolved: answer, resolvedBy: 'tie-break', tieBreaker: advisor.name }, answer, rationale, now), now);
}

/** A tie-break agent's attempt ended in an error: a person decides instead. */
export function tieBreakFailed(state: OrchestrationState, run: ConsensusRun, c: Comparison, advisorId: string, f: { cancelled: boolean; message: string; usage?: Usage }, now: string): OrchestrationState {
  const next = voteFailed(state, run, advisorId, f, now);
  const task = next.tasks.find((t) => t.id === run.taskId);
  if (f.cancelled || !task?.consensus || !runIsLive(next, run)) return next;
  return askPerson(next, task, recordOf(next, run, c, quorumOf(task.consensus)), `no quorum, and the tie-break agent failed: ${clip(f.message, 200)}`, now);
}

/** The comparison itself failed (after its retries): a person decides between the answers. */
export function comparisonFailed(state: OrchestrationState, run: ConsensusRun, answers: ConsensusAnswer[], message: string, now: string): OrchestrationState {
  const task = state.tasks.find((t) => t.id === run.taskId);
  if (!task?.consensus || !runIsLive(state, run)) return state;
  const c: Comparison = {
    agreed: [],
    conflicts: [{ topic: 'the answer', positions: answers.map((a) => ({ agentId: a.agentId, agent: a.agent, position: a.summary })) }],
    resolved: '',
    supporters: [],
    agreement: 0,
    rationale: `the comparison failed: ${clip(message, 300)}`,
    by: 'llm',
  };
  return askPerson(state, task, recordOf(state, run, c, quorumOf(task.consensus)), 'the comparison of their answers failed', now);
}

/** A person answers a consensus decision: an agent's name (or id) picks that agent's answer; any other text is the answer itself. */
export function resolveConsensusDecision(state: OrchestrationState, decision: Decision, choice: string, now: string): OrchestrationState {
  const task = state.tasks.find((t) => t.id === decision.taskId);
  if (!task || task.status !== 'stopped' || task.hold?.decisionId !== decision.id) return state;
  const picked = decision.consensus?.answers.find((a) => !a.failed && (a.agent.toLowerCase() === choice.trim().toLowerCase() || a.agentId === choice.trim()));
  const answer = picked ? picked.position : choice;
  let next = updateTask(state, task.id, (t) => L.completeTask(t, now, answer));
  next = {
    ...next,
    decisions: next.decisions.map((d) => (d.id === decision.id && d.consensus ? { ...d, consensus: { ...d.consensus, resolved: clip(answer), resolvedBy: 'person' } } : d)),
    metrics: { ...next.metrics, total_tasks_completed: next.metrics.total_tasks_completed + 1 },
    // Dependents of the task can run now, even between sessions.
    resumeRequested: next.phase === 'idle' || next.phase === 'paused' ? true : next.resumeRequested,
  };
  return refreshObjectives(next);
}

function completeByConsensus(state: OrchestrationState, task: Task, record: ConsensusRecord, answer: string, rationale: string, now: string): OrchestrationState {
  const n = state.counters.decision + 1;
  const decision: Decision = {
    id: formatId('DEC', n),
    question: clip(`Consensus on ${task.id}: ${task.mission}`, 400),
    choice: clip(answer),
    rationale: clip(rationale),
    status: 'made',
    created: now,
    decided: now,
    session: state.session,
    ...(task.objectiveId ? { objectiveId: task.objectiveId } : {}),
    kind: 'consensus',
    taskId: task.id,
    consensus: record,
  };
  const next = updateTask(state, task.id, (t) => L.completeTask(t, now, answer));
  return refreshObjectives({
    ...next,
    decisions: [...next.decisions, decision],
    counters: { ...next.counters, decision: n },
    metrics: { ...next.metrics, total_tasks_completed: next.metrics.total_tasks_completed + 1, total_decisions_made: next.metrics.total_decisions_made + 1 },
  });
}

function askPerson(state: OrchestrationState, task: Task, record: ConsensusRecord, why: string, now: string): OrchestrationState {
  const n = state.counters.decision + 1;
  const id = formatId('DEC', n);
  const sides = record.answers.filter((a) => !a.failed).map((a) => `${a.agent}: ${clip(a.position, 160)}`).join(' | ');
  const decision: Decision = {
    id,
    question: clip(`No consensus on ${task.id} (${task.mission.slice(0, 120)}): ${why}. Positions — ${sides}. Which answer?`, MAX_ANSWER),
    rationale: clip(`Answer with \`baton decide ${id} <agent name>\` to take that agent's answer, or \`baton decide ${id} "<your answer>"\`. Comparison: ${record.rationale}`),
    status: 'pending',
    created: now,
    session: state.session,
    ...(task.objectiveId ? { objectiveId: task.objectiveId } : {}),
    kind: 'consensus',
    taskId: task.id,
    consensus: record,
  };
  const next = updateTask(state, task.id, (t) => L.holdTask(t, { kind: 'escalation', reason: clip(`no consensus: ${why}`, 500), decisionId: id }));
  return { ...next, decisions: [...next.decisions, decision], counters: { ...next.counters, decision: n } };
}

const percent = (x: number): string => `${Math.round(x * 100)}%`;
