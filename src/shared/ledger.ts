import { Usage as UsageSchema, type BudgetView, type Usage } from './activity-types';
import type { Budget, Decision, OrchestrationState, Spend, Task } from './schemas';
import { formatId } from './state';
import { byId, replaceById } from './by-id';

/** Add one call's usage to a running total. */
export function addSpend(total: Spend, usage: Usage | undefined): Spend {
  if (!usage) return total;
  const tokens = usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return {
    ...total,
    tokens: total.tokens + tokens,
    costUsd: Math.round((total.costUsd + usage.costUsd) * 1e6) / 1e6,
    unpricedTokens: total.unpricedTokens + (usage.priced ? 0 : tokens),
  };
}

/** `total` plus the usage of an attempt that failed: it counts in the totals and in the failed-attempt part. */
export function addFailedSpend(total: Spend, usage: Usage | undefined): Spend {
  if (!usage) return total;
  const sum = addSpend(total, usage);
  const tokens = usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
  return { ...sum, failedTokens: (total.failedTokens ?? 0) + tokens, failedUsd: Math.round(((total.failedUsd ?? 0) + usage.costUsd) * 1e6) / 1e6 };
}

/** The usage a failed, cancelled or timed-out activity carried in its failure details (`[{ usage }]`), checked; undefined without. */
export function failureUsage(err: unknown): Usage | undefined {
  // Activity errors wrap the runtime's failure; the usage rides on the innermost failure that has details.
  for (let e = err as { details?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const first = Array.isArray(e.details) ? (e.details[0] as { usage?: unknown } | undefined) : undefined;
    const parsed = UsageSchema.safeParse(first?.usage);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}

/** Record usage everywhere it counts: orchestration, objective, task, agent and the named agent's profile. */
export function applyUsage(
  state: OrchestrationState,
  usage: Usage | undefined,
  at: { objectiveId?: string; taskId?: string; agentId?: string },
  add: (total: Spend, usage: Usage | undefined) => Spend = addSpend,
): OrchestrationState {
  if (!usage) return state;
  const agent = byId(state.agents, at.agentId);
  const profile = agent ? state.roster[agent.name] : undefined;
  return {
    ...state,
    spent: add(state.spent, usage),
    objectives: replaceById(state.objectives, at.objectiveId, (o) => ({ ...o, spent: add(o.spent, usage) })),
    tasks: replaceById(state.tasks, at.taskId, (t) => ({ ...t, spent: add(t.spent, usage) })),
    agents: replaceById(state.agents, at.agentId, (a) => ({ ...a, spent: add(a.spent, usage) })),
    roster: profile ? { ...state.roster, [profile.name]: { ...profile, spent: add(profile.spent, usage) } } : state.roster,
  };
}

/** Record what a failed, cancelled or timed-out attempt spent: it counts against budgets like any spend, and shows as failed spend. */
export function applyFailedUsage(state: OrchestrationState, usage: Usage | undefined, at: { objectiveId?: string; taskId?: string; agentId?: string }): OrchestrationState {
  return applyUsage(state, usage, at, addFailedSpend);
}

/** Why a budget is spent, or undefined while there is room. */
export function budgetSpent(budget: Budget | undefined, spent: Spend): string | undefined {
  if (budget?.maxTokens !== undefined && spent.tokens >= budget.maxTokens) return `${spent.tokens} of ${budget.maxTokens} tokens spent`;
  if (budget?.maxUsd !== undefined && spent.costUsd >= budget.maxUsd) return `$${spent.costUsd.toFixed(4)} of $${budget.maxUsd} spent`;
  return undefined;
}

/** The budget scopes a task answers to: the orchestration's, then its objective's. */
function scopes(state: OrchestrationState, task: Pick<Task, 'objectiveId'>): { scope?: string; budget?: Budget; spent: Spend }[] {
  const objective = state.objectives.find((o) => o.id === task.objectiveId);
  return [{ budget: state.config.budget, spent: state.spent }, ...(objective ? [{ scope: objective.id, budget: objective.budget, spent: objective.spent }] : [])];
}

/** Whether a task may be spawned: no budget it answers to is spent, and no budget decision or escalation is waiting. */
export function withinBudget(state: OrchestrationState, task: Pick<Task, 'objectiveId'>): boolean {
  const waiting = state.decisions.some(
    (d) => d.status === 'pending' && (d.kind === 'escalation' || (d.kind === 'budget' && (!d.objectiveId || d.objectiveId === task.objectiveId))),
  );
  return !waiting && scopes(state, task).every((s) => !budgetSpent(s.budget, s.spent));
}

/** What a running agent may spend: the tighter of its orchestration's and objective's remaining budgets. */
export function budgetView(state: OrchestrationState, task: Pick<Task, 'objectiveId'>): BudgetView | undefined {
  let view: BudgetView | undefined;
  for (const s of scopes(state, task)) {
    if (!s.budget || (s.budget.maxTokens === undefined && s.budget.maxUsd === undefined)) continue;
    const room = {
      tokens: s.budget.maxTokens === undefined ? Infinity : s.budget.maxTokens - s.spent.tokens,
      usd: s.budget.maxUsd === undefined ? Infinity : s.budget.maxUsd - s.spent.costUsd,
    };
    const current = view;
    const tokens = Math.min(room.tokens, current?.maxTokens === undefined ? Infinity : current.maxTokens - current.spentTokens);
    const usd = Math.min(room.usd, current?.maxUsd === undefined ? Infinity : current.maxUsd - current.spentUsd);
    view = {
      spentTokens: 0,
      spentUsd: 0,
      ...(Number.isFinite(tokens) ? { maxTokens: Math.max(0, tokens) } : {}),
      ...(Number.isFinite(usd) ? { maxUsd: Math.max(0, usd) } : {}),
    };
  }
  return view;
}

/** Tasks that share a budget scope's room at once: the running ones and the ready ones, at most what the run mode runs together. */
function sharers(state: OrchestrationState): number {
  const done = new Set(state.tasks.filter((t) => t.status === 'completed').map((t) => t.id));
  const running = state.tasks.filter((t) => t.status === 'running').length;
  const ready = state.tasks.filter((t) => t.status === 'pending' && t.dependsOn.every((id) => done.has(id))).length;
  const together = state.config.mode === 'sequential' ? 1 : state.config.maxAgents;
  return Math.max(1, Math.min(together, running + ready));
}

/**
 * What one agent may spend: an equal share of the room (budgetView) among the agents that run at once, so agents spending
 * together stay within the budget except for the turn each is in when its share runs out. A lone agent gets all of it.
 */
export function agentBudget(state: OrchestrationState, task: Pick<Task, 'objectiveId'>): BudgetView | undefined {
  const view = budgetView(state, task);
  const n = sharers(state);
  if (!view || n === 1) return view;
  return {
    ...view,
    ...(view.maxTokens === undefined ? {} : { maxTokens: Math.floor(view.maxTokens / n) }),
    ...(view.maxUsd === undefined ? {} : { maxUsd: Math.floor((view.maxUsd / n) * 1e6) / 1e6 }),
  };
}

/** A spent budget becomes a pending decision for a person (once per scope), never a crash. */
export function raiseBudgetDecisions(state: OrchestrationState, now: string): OrchestrationState {
  const candidates = [
    { scope: undefined as string | undefined, budget: state.config.budget, spent: state.spent },
    ...state.objectives.filter((o) => o.status === 'active' || o.status === 'pending').map((o) => ({ scope: o.id as string | undefined, budget: o.budget, spent: o.spent })),
  ];
  let next = state;
  for (const c of candidates) {
    const why = budgetSpent(c.budget, c.spent);
    if (!why) continue;
    if (next.decisions.some((d) => d.kind === 'budget' && d.status === 'pending' && d.objectiveId === c.scope)) continue;
    const n = next.counters.decision + 1;
    const decision: Decision = {
      id: formatId('DEC', n),
      question: `Budget of ${c.scope ?? 'the orchestration'} is spent (${why}): raise it or stop?`,
      rationale: 'No agent is spawned against a spent budget; answer with `baton decide <id> raise --max-usd N` or `baton decide <id> stop`.',
      status: 'pending',
      created: now,
      session: next.session,
      objectiveId: c.scope,
      kind: 'budget',
    };
    next = { ...next, decisions: [...next.decisions, decision], counters: { ...next.counters, decision: n } };
  }
  return next;
}
