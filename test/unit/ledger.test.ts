import { freshState, minute, planObjective, plannedTask, spawnChosen, taskOf, usageOf } from '../support/reducers';
import { decide } from '../../src/shared/decisions';
import { addSpend, applyUsage, budgetSpent, budgetView, raiseBudgetDecisions, withinBudget } from '../../src/shared/ledger';
import { orchestrationSettled, sessionDue, tasksToStart } from '../../src/shared/scheduler';
import { NO_SPEND, type Budget, type OrchestrationState } from '../../src/shared/schemas';
import { setPhase } from '../../src/shared/state';

/** Two objectives of two tasks each (TASK_001-2 in OBJ_001, TASK_003-4 in OBJ_002), with optional budgets. */
const twoObjectives = (orchestration: Budget = {}, first?: Budget, second?: Budget): OrchestrationState => {
  const s = freshState({ budget: orchestration });
  return planObjective(planObjective(s, [plannedTask('a'), plannedTask('b')], first), [plannedTask('c'), plannedTask('d')], second);
};
const spend = (s: OrchestrationState, tokens: number, objectiveId = 'OBJ_001', costUsd = 0): OrchestrationState =>
  applyUsage(s, usageOf({ inputTokens: tokens, outputTokens: 0, costUsd }), { objectiveId });
const pendingBudgetDecisions = (s: OrchestrationState) => s.decisions.filter((d) => d.kind === 'budget' && d.status === 'pending');

describe('addSpend', () => {
  it('counts input, output and cache tokens and sums cost without float drift', () => {
    const once = addSpend(NO_SPEND, usageOf({ inputTokens: 10, outputTokens: 20, cacheReadTokens: 300, cacheWriteTokens: 4000, costUsd: 0.1 }));
    expect(addSpend(once, usageOf({ inputTokens: 1, outputTokens: 0, costUsd: 0.2 }))).toEqual({ tokens: 4331, costUsd: 0.3, unpricedTokens: 0 });
  });

  it('counts the tokens of an unpriced model as unpriced, and nothing without usage', () => {
    expect(addSpend(NO_SPEND, usageOf({ inputTokens: 7, outputTokens: 3, cacheReadTokens: 5, costUsd: 0, priced: false }))).toEqual({
      tokens: 15,
      costUsd: 0,
      unpricedTokens: 15,
    });
    expect(addSpend(NO_SPEND, undefined)).toBe(NO_SPEND);
  });
});

describe('applyUsage', () => {
  it("records an agent's usage on the orchestration, objective, task, agent and the agent's profile only", () => {
    const s = applyUsage(spawnChosen(twoObjectives(), 'TASK_001'), usageOf(), { objectiveId: 'OBJ_001', taskId: 'TASK_001', agentId: 'AGENT_0001' });
    const spent = { tokens: 150, costUsd: 0.01, unpricedTokens: 0 };
    expect(s.spent).toEqual(spent);
    expect(s.objectives.map((o) => o.spent)).toEqual([spent, NO_SPEND]);
    expect(s.tasks.map((t) => t.spent)).toEqual([spent, NO_SPEND, NO_SPEND, NO_SPEND]);
    expect(s.agents[0]?.spent).toEqual(spent);
    expect(s.roster.Forge?.spent).toEqual(spent);
  });

  it("records a planner's usage on the orchestration and objective, and ignores missing usage", () => {
    const before = twoObjectives();
    const s = applyUsage(before, usageOf(), { objectiveId: 'OBJ_002' });
    expect(s.spent.tokens).toBe(150);
    expect(s.objectives.map((o) => o.spent.tokens)).toEqual([0, 150]);
    expect(s.tasks.every((t) => t.spent.tokens === 0)).toBe(true);
    expect(applyUsage(before, undefined, { objectiveId: 'OBJ_001' })).toBe(before);
  });
});

describe('budgetSpent', () => {
  it('says why a budget is spent once spend reaches a limit, and nothing while there is room or no limit', () => {
    expect(budgetSpent({ maxTokens: 1000 }, { ...NO_SPEND, tokens: 999 })).toBeUndefined();
    expect(budgetSpent({ maxTokens: 1000 }, { ...NO_SPEND, tokens: 1000 })).toBe('1000 of 1000 tokens spent');
    expect(budgetSpent({ maxUsd: 2 }, { ...NO_SPEND, costUsd: 2.5 })).toBe('$2.5000 of $2 spent');
    expect(budgetSpent({}, { tokens: 1e9, costUsd: 1e6, unpricedTokens: 0 })).toBeUndefined();
    expect(budgetSpent(undefined, { tokens: 1e9, costUsd: 1e6, unpricedTokens: 0 })).toBeUndefined();
  });
});

describe('withinBudget', () => {
  it('holds back every task once the orchestration budget is spent', () => {
    const s = spend(twoObjectives({ maxTokens: 500 }), 500);
    expect(s.tasks.map((t) => withinBudget(s, t))).toEqual([false, false, false, false]);
    expect(withinBudget(spend(twoObjectives({ maxTokens: 500 }), 499), taskOf(s, 'TASK_003'))).toBe(true);
  });

  it("holds back only an objective's own tasks once its budget is spent", () => {
    const s = spend(twoObjectives({}, { maxUsd: 1 }), 10, 'OBJ_001', 1);
    expect(s.tasks.map((t) => withinBudget(s, t))).toEqual([false, false, true, true]);
  });

  it('holds back the scope of a pending budget decision, and nothing once it is decided', () => {
    const base = twoObjectives();
    const pending = { id: 'DEC_001', question: '?', rationale: '', status: 'pending' as const, created: minute(0), session: 1, kind: 'budget' as const };
    const whole: OrchestrationState = { ...base, decisions: [pending] };
    expect(whole.tasks.map((t) => withinBudget(whole, t))).toEqual([false, false, false, false]);
    const second: OrchestrationState = { ...base, decisions: [{ ...pending, objectiveId: 'OBJ_002' }] };
    expect(second.tasks.map((t) => withinBudget(second, t))).toEqual([true, true, false, false]);
    const made: OrchestrationState = { ...base, decisions: [{ ...pending, status: 'made', choice: 'raise' }] };
    expect(made.tasks.map((t) => withinBudget(made, t))).toEqual([true, true, true, true]);
    const synthesis: OrchestrationState = { ...base, decisions: [{ ...pending, kind: 'synthesis' }] };
    expect(synthesis.tasks.map((t) => withinBudget(synthesis, t))).toEqual([true, true, true, true]);
  });
});

describe('budgetView', () => {
  it('is undefined when no budget applies', () => {
    const s = twoObjectives();
    expect(budgetView(s, taskOf(s, 'TASK_001'))).toBeUndefined();
  });

  it('gives a running agent the tighter remaining of the orchestration and objective budgets', () => {
    let s = twoObjectives({ maxTokens: 1000, maxUsd: 5 }, { maxTokens: 400 }, { maxUsd: 1 });
    s = spend(s, 300, 'OBJ_001', 0.5);
    expect(budgetView(s, taskOf(s, 'TASK_001'))).toEqual({ maxTokens: 100, maxUsd: 4.5, spentTokens: 0, spentUsd: 0 });
    expect(budgetView(s, taskOf(s, 'TASK_003'))).toEqual({ maxTokens: 700, maxUsd: 1, spentTokens: 0, spentUsd: 0 });
  });

  it('never offers a negative remainder', () => {
    const s = spend(twoObjectives({ maxTokens: 100 }), 250);
    expect(budgetView(s, taskOf(s, 'TASK_001'))).toEqual({ maxTokens: 0, spentTokens: 0, spentUsd: 0 });
  });
});

describe('raiseBudgetDecisions', () => {
  it('asks a person once per spent scope, naming the scope and what was spent', () => {
    const s = raiseBudgetDecisions(spend(spend(twoObjectives({ maxTokens: 500 }, undefined, { maxTokens: 100 }), 400), 100, 'OBJ_002'), minute(7));
    expect(s.decisions).toEqual([
      expect.objectContaining({ id: 'DEC_001', kind: 'budget', status: 'pending', objectiveId: undefined, created: minute(7), session: 1 }),
      expect.objectContaining({ id: 'DEC_002', kind: 'budget', status: 'pending', objectiveId: 'OBJ_002' }),
    ]);
    expect(s.decisions[0]?.question).toBe('Budget of the orchestration is spent (500 of 500 tokens spent): raise it or stop?');
    expect(s.decisions[1]?.question).toContain('OBJ_002');
    expect(s.counters.decision).toBe(2);
  });

  it('does not ask again while a decision is pending, and asks anew once it was answered', () => {
    const once = raiseBudgetDecisions(spend(twoObjectives({ maxTokens: 100 }), 100), minute(1));
    expect(raiseBudgetDecisions(once, minute(2))).toBe(once);
    const answered = decide(once, { decisionId: 'DEC_001', choice: 'stop' }, minute(3));
    expect(pendingBudgetDecisions(raiseBudgetDecisions(answered, minute(4))).map((d) => d.id)).toEqual(['DEC_002']);
  });

  it('asks nothing while there is room, nor for an objective that is already over', () => {
    const room = spend(twoObjectives({ maxTokens: 1000 }, { maxTokens: 100 }), 99);
    expect(raiseBudgetDecisions(room, minute(1))).toBe(room);
    const spentAndDone = spend(twoObjectives({}, { maxTokens: 100 }), 100);
    const completed: OrchestrationState = { ...spentAndDone, objectives: spentAndDone.objectives.map((o) => ({ ...o, status: 'completed' })) };
    expect(raiseBudgetDecisions(completed, minute(1)).decisions).toEqual([]);
  });
});

describe('scheduling against a spent budget', () => {
  const spentIdle = () => setPhase(raiseBudgetDecisions(spend(twoObjectives({ maxTokens: 100 }), 100), minute(1)), 'idle');

  it('starts no agent while the orchestration budget is spent, in any mode', () => {
    const s = spentIdle();
    expect(tasksToStart(s, 'parallel', 3)).toEqual([]);
    expect(tasksToStart(s, 'sequential', 3)).toEqual([]);
    expect(tasksToStart(s, 'batch', 3)).toEqual([]);
  });

  it("starts the other objective's tasks when only one objective's budget is spent", () => {
    const s = raiseBudgetDecisions(spend(twoObjectives({}, { maxTokens: 100 }), 100), minute(1));
    expect(tasksToStart(s, 'parallel', 3).map((t) => t.id)).toEqual(['TASK_003', 'TASK_004']);
  });

  it('ends the session when only budget-blocked tasks are ready, and starts none while idle', () => {
    const s = spentIdle();
    expect(orchestrationSettled(setPhase(s, 'orchestrating'))).toBe(true);
    expect(sessionDue(s)).toBe(false);
  });

  it('a raise makes the blocked tasks startable and a session due again', () => {
    const s = decide(spentIdle(), { decisionId: 'DEC_001', choice: 'raise', budget: { maxTokens: 1000 } }, minute(2));
    expect(tasksToStart(s, 'parallel', 3).map((t) => t.id)).toEqual(['TASK_001', 'TASK_002', 'TASK_003']);
    expect(orchestrationSettled(s)).toBe(false);
    expect(sessionDue(s)).toBe(true);
  });
});
