import type { AgentReport } from './activity-types';
import { recordAgentReport } from './agent-results';
import { decide } from './decisions';
import { pendingForRoot, syncChildDecisions } from './delegation-decisions';
import { type ChildRecord, type ChildSpendInput, type ChildStart, DEFAULT_MAX_DEPTH, type Delegation, type LeadReport, type ParentHoldInput, type TeamMember } from './delegation-schemas';
import { budgetView, raiseBudgetDecisions } from './ledger';
import { NO_SPEND, type AgentProfile, type Budget, type OrchestrationInput, type OrchestrationState, type Spend, type Task } from './schemas';
import { requestStop, resume } from './state';

export * from './delegation-schemas';
export * from './delegation-decisions';

/** How deep this orchestration sits in a delegation tree: 0 for a root, 1 for its children, … */
export function depthOf(state: OrchestrationState): number {
  return state.delegation?.parent?.depth ?? 0;
}

/** Whether a task runs as a child orchestration: it is a lead task and the tree may grow one level deeper; at the limit it runs as a plain agent task. */
export function delegates(state: OrchestrationState, task: Pick<Task, 'lead'>): boolean {
  return !!task.lead && depthOf(state) + 1 <= (state.config.maxDepth ?? DEFAULT_MAX_DEPTH);
}

/** The child's workflow id: nested under its parent's (`baton/<project>/<task id>`, then `…/<task id>/<sub-task id>`), so ids never collide and the UI shows the tree. */
export function childWorkflowId(parentWorkflowId: string, taskId: string): string {
  return `${parentWorkflowId}/${taskId}`;
}

/** The objective a lead's child orchestration plans: the lead's mission, with the team hint when there is one. */
export function leadObjective(task: Pick<Task, 'mission' | 'lead'>): string {
  const team = task.lead?.team ? ` (team: ${task.lead.team})` : '';
  return `${task.mission.slice(0, 2000 - team.length)}${team}`.trim();
}

/** The hard slice of the parent's remaining budget a child may spend: the tighter of the orchestration's and the objective's room (none when unlimited). */
export function budgetSlice(state: OrchestrationState, task: Pick<Task, 'objectiveId'>): Budget {
  const view = budgetView(state, task);
  if (!view) return {};
  // A budget of 0 is not a budget (the schema wants it positive); a spent scope never starts a child anyway.
  return {
    ...(view.maxTokens !== undefined ? { maxTokens: Math.max(1, Math.floor(view.maxTokens)) } : {}),
    ...(view.maxUsd !== undefined ? { maxUsd: Math.max(1e-6, view.maxUsd) } : {}),
  };
}

/** The budget a released child may spend in all: what it spent so far plus the parent's room now (none when unlimited). */
export function releaseBudget(state: OrchestrationState, task: Pick<Task, 'id' | 'objectiveId'>): Budget {
  const slice = budgetSlice(state, task);
  const spent = state.delegation?.children[task.id]?.spent ?? NO_SPEND;
  return {
    ...(slice.maxTokens !== undefined ? { maxTokens: slice.maxTokens + spent.tokens } : {}),
    ...(slice.maxUsd !== undefined ? { maxUsd: round6(slice.maxUsd + spent.costUsd) } : {}),
  };
}

/** The start input of a lead task's child: same project, inherited config with the budget slice, the lead's mission, the parent link and the roster. */
export function childInput(state: OrchestrationState, task: Task, parentWorkflowId: string): OrchestrationInput & { child: ChildStart } {
  return {
    project: state.project,
    config: { ...state.config, budget: budgetSlice(state, task) },
    objectives: [leadObjective(task)],
    child: { parent: { workflowId: parentWorkflowId, taskId: task.id, depth: depthOf(state) + 1 }, roster: state.roster },
  };
}

/** A child's first state: the roster it shares with its parent and the link it reports to. */
export function asChild(state: OrchestrationState, child: ChildStart): OrchestrationState {
  return { ...state, roster: { ...(child.roster ?? {}) }, delegation: { parent: child.parent, children: {} } };
}

const delegationOf = (state: OrchestrationState): Delegation => state.delegation ?? { children: {} };

function withChild(state: OrchestrationState, taskId: string, change: (c: ChildRecord) => ChildRecord): OrchestrationState {
  const d = delegationOf(state);
  const record = d.children[taskId];
  return record ? { ...state, delegation: { ...d, children: { ...d.children, [taskId]: change(record) } } } : state;
}

/** A lead task's child started (again, after a stop: its spend so far is already in the ledger, the new run counts from zero). */
export function childStarted(state: OrchestrationState, taskId: string, workflowId: string, now: string): OrchestrationState {
  const d = delegationOf(state);
  const record: ChildRecord = { workflowId, status: 'running', depth: depthOf(state) + 1, spent: NO_SPEND, agents: 0, running: 0, started: now };
  return { ...state, delegation: { ...d, children: { ...d.children, [taskId]: record } } };
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

/** `a − b` per field, never below zero (a stale report adds nothing). */
export function spendDelta(a: Spend, b: Spend): Spend {
  return {
    tokens: Math.max(0, a.tokens - b.tokens),
    costUsd: Math.max(0, round6(a.costUsd - b.costUsd)),
    unpricedTokens: Math.max(0, a.unpricedTokens - b.unpricedTokens),
    failedTokens: Math.max(0, (a.failedTokens ?? 0) - (b.failedTokens ?? 0)),
    failedUsd: Math.max(0, round6((a.failedUsd ?? 0) - (b.failedUsd ?? 0))),
  };
}

/** `a + d` per field (failed parts appear only once there are some). */
export function spendPlus(a: Spend, d: Spend): Spend {
  const failedTokens = (a.failedTokens ?? 0) + (d.failedTokens ?? 0);
  const failedUsd = round6((a.failedUsd ?? 0) + (d.failedUsd ?? 0));
  return {
    ...a,
    tokens: a.tokens + d.tokens,
    costUsd: round6(a.costUsd + d.costUsd),
    unpricedTokens: a.unpricedTokens + d.unpricedTokens,
    ...(failedTokens || failedUsd || a.failedTokens !== undefined ? { failedTokens, failedUsd } : {}),
  };
}

const isZero = (s: Spend) => !s.tokens && !s.costUsd && !s.unpricedTokens && !s.failedTokens && !s.failedUsd;

/**
 * A child reported its cumulative spend: what is new is booked where the lead's own spend would be (orchestration,
 * objective, lead task, lead agent and its profile), so the root's ledger holds the whole tree; a spent budget
 * becomes the one decision at this level. Reports of an unknown or finished child are ignored.
 */
export function applyChildSpend(state: OrchestrationState, input: ChildSpendInput, now: string): OrchestrationState {
  const record = delegationOf(state).children[input.taskId];
  if (!record || record.status !== 'running') return state;
  const delta = spendDelta(input.spent, record.spent);
  let next = withChild(state, input.taskId, (c) => ({ ...c, spent: spendPlus(c.spent, delta), agents: input.agents, running: input.running, working: input.working ?? [] }));
  if (input.pending) next = syncChildDecisions(next, input.taskId, input.pending, now);
  if (isZero(delta)) return next;
  const task = next.tasks.find((t) => t.id === input.taskId);
  const agent = task?.agentId ? next.agents.find((a) => a.id === task.agentId) : undefined;
  const profile = agent ? next.roster[agent.name] : undefined;
  next = {
    ...next,
    spent: spendPlus(next.spent, delta),
    objectives: next.objectives.map((o) => (task && o.id === task.objectiveId ? { ...o, spent: spendPlus(o.spent, delta) } : o)),
    tasks: next.tasks.map((t) => (t.id === input.taskId ? { ...t, spent: spendPlus(t.spent, delta) } : t)),
    agents: next.agents.map((a) => (a.id === agent?.id ? { ...a, spent: spendPlus(a.spent, delta) } : a)),
    roster: profile ? { ...next.roster, [profile.name]: { ...profile, spent: spendPlus(profile.spent, delta) } } : next.roster,
  };
  return raiseBudgetDecisions(next, now);
}

/** What a child tells its parent as it goes: its cumulative spend and agent counts. */
export function spendReport(state: OrchestrationState): Omit<ChildSpendInput, 'taskId'> {
  const running = state.agents.filter((a) => a.status === 'running');
  const own = running.filter((a) => !state.delegation?.children[a.taskId]).map((a) => `${a.name} (${a.role}) on ${a.taskId}`);
  const below = Object.entries(delegationOf(state).children).flatMap(([taskId, c]) => (c.status === 'running' ? (c.working ?? []).map((w) => `${taskId} › ${w}`) : []));
  return { spent: state.spent, agents: state.agents.length, running: running.length, working: [...own, ...below].slice(0, 64), pending: pendingForRoot(state) };
}

/** Whether a parent holds its subtrees: it is paused or held itself, or a budget or escalation decision waits. */
export function holdWanted(state: OrchestrationState): boolean {
  return state.paused || !!state.delegation?.held || state.decisions.some((d) => d.status === 'pending' && (d.kind === 'budget' || d.kind === 'escalation'));
}

/** Children that should hear a hold or release now: running ones whose last word from this parent differs. */
export function runningChildren(state: OrchestrationState): string[] {
  return Object.entries(delegationOf(state).children)
    .filter(([, c]) => c.status === 'running')
    .map(([taskId]) => taskId);
}

/**
 * A child hears its parent: held, it starts nothing new (it pauses, its running agents finish); released, it takes
 * the new budget slice, its own spent-budget decisions are answered `raise` by the parent, and work resumes.
 */
export function applyParentHold(state: OrchestrationState, input: ParentHoldInput, now: string): OrchestrationState {
  const d = delegationOf(state);
  if (d.stopped) return state;
  if (input.held) return d.held ? state : { ...state, paused: true, delegation: { ...d, held: true } };
  if (!d.held && !input.budget) return state;
  let next: OrchestrationState = { ...state, delegation: { ...d, held: false } };
  const budget = input.budget && (input.budget.maxTokens || input.budget.maxUsd) ? input.budget : undefined;
  if (budget) {
    next = { ...next, config: { ...next.config, budget } };
    for (const decision of next.decisions.filter((x) => x.kind === 'budget' && x.status === 'pending')) {
      next = decide(next, { decisionId: decision.id, choice: 'raise', rationale: 'the parent orchestration gave a new budget slice', budget }, now);
    }
  }
  return d.held ? resume(next) : next;
}

/** A child's parent cancelled it: an immediate stop of its agents (returned to cancel) that no later hold undoes. */
export function stopChild(state: OrchestrationState, now: string): { state: OrchestrationState; cancel: string[] } {
  const r = requestStop(state, {}, now);
  return { state: { ...r.state, delegation: { ...delegationOf(r.state), held: false, stopped: true } }, cancel: r.cancel };
}

/** A child's session ended: `return` with its report (done, or stopped), or `wait` (held by its parent, or a decision pending that only the root can answer). */
export function childOutcome(state: OrchestrationState): 'return' | 'wait' {
  if (state.delegation?.stopped) return 'return';
  if (state.delegation?.held) return 'wait';
  // Stopped (its parent stopped it): it returns what it has, whatever waits.
  if (state.paused) return 'return';
  if (state.decisions.some((d) => d.status === 'pending' && d.kind !== 'synthesis')) return 'wait';
  return 'return';
}

/** The delegation tree below this orchestration, one member per task. */
export function teamOf(state: OrchestrationState): TeamMember[] {
  const agents = new Map(state.agents.map((a) => [a.id, a.name]));
  const children = delegationOf(state).children;
  return state.tasks.map((t) => ({
    taskId: t.id,
    role: t.role,
    mission: t.mission.slice(0, 160),
    status: t.status,
    ...(t.agentId && agents.get(t.agentId) ? { agent: agents.get(t.agentId) } : {}),
    ...(children[t.id] ? { child: children[t.id] } : {}),
  }));
}

/** The lead's report a child returns: its tasks' outcomes and its synthesis, the team, and the memory of the agents it used. */
export function leadReport(state: OrchestrationState): LeadReport {
  const completed = state.tasks.filter((t) => t.status === 'completed');
  const failed = state.tasks.filter((t) => t.status === 'failed');
  const stopped = !!state.delegation?.stopped || (state.paused && !state.delegation?.held);
  const ok = !stopped && state.objectives.length > 0 && state.objectives.every((o) => o.status === 'completed');
  const synthesis = state.syntheses[state.syntheses.length - 1];
  const lines = [
    `Lead's team of ${state.tasks.length}: ${completed.length} completed, ${failed.length} failed${stopped ? ', stopped before the work settled' : ''}.`,
    ...completed.map((t) => `- ${t.id} (${t.role}): ${(t.outcome ?? '').slice(0, 200)}`),
    ...failed.map((t) => `- ${t.id} (${t.role}) failed: ${(t.error ?? '').slice(0, 200)}`),
    ...(synthesis?.agreements.length ? [`Agreements: ${synthesis.agreements.join('; ')}`] : []),
    ...(synthesis?.conflicts.length ? [`Conflicts: ${synthesis.conflicts.join('; ')}`] : []),
  ];
  const used = new Set(state.agents.map((a) => a.name));
  const roster: Record<string, AgentProfile> = {};
  for (const [name, profile] of Object.entries(state.roster)) if (used.has(name)) roster[name] = profile;
  return {
    status: ok ? 'success' : 'failure',
    ...(stopped ? { stopped: true } : {}),
    summary: lines.join('\n').slice(0, 2000),
    artifacts: [...new Set(completed.flatMap((t) => t.artifacts))].slice(0, 200),
    insights: [...(synthesis?.patterns ?? []), ...state.insights.filter((i) => i.source === 'synthesis').map((i) => i.text)].slice(-20),
    claims: [],
    team: teamOf(state),
    roster,
    spent: state.spent,
    agents: state.agents.length,
  };
}

/**
 * A child returned the lead's report: the sub-agents' memory comes back to the roster (the lead's own profile keeps
 * the parent's), the child is recorded, and the report lands like an agent's (its spend is already booked through
 * `childSpend`); a stopped child leaves the lead task stopped for `resume`.
 */
export function recordLeadReport(state: OrchestrationState, taskId: string, agentId: string, report: LeadReport, now: string): OrchestrationState {
  const agent = state.agents.find((a) => a.id === agentId);
  if (!agent) return state;
  const roster = { ...state.roster };
  for (const [name, profile] of Object.entries(report.roster)) if (name !== agent.name) roster[name] = profile;
  const status: ChildRecord['status'] = report.stopped ? 'stopped' : report.status === 'success' ? 'completed' : 'failed';
  let next = withChild({ ...state, roster }, taskId, (c) => ({ ...c, status, finished: now, team: report.team, agents: report.agents, running: 0, working: [] }));
  if (report.stopped) return requestStop(next, { agentId }, now).state;
  const asAgent: AgentReport = {
    status: report.status,
    summary: report.summary,
    artifacts: report.artifacts,
    claims: report.claims,
    insights: report.insights,
    followUps: [],
    simulated: agent.simulated,
    runtime: agent.runtime,
    durationMs: Date.parse(now) - Date.parse(agent.spawned) || 0,
    stopReason: 'done',
    reflections: [],
  };
  next = recordAgentReport(next, taskId, agentId, asAgent, now);
  return next;
}

/** A child ended without a report (failed, cancelled, terminated): its record says so; the task's fate is the failure reducers'. */
export function childEnded(state: OrchestrationState, taskId: string, status: 'failed' | 'stopped', now: string): OrchestrationState {
  return withChild(state, taskId, (c) => (c.status === 'running' ? { ...c, status, finished: now, running: 0, working: [] } : c));
}
