import { agentOn, agentReport, freshState, minute, planObjective, plannedTask, planStreams, spawnChosen, target, taskOf, usageOf } from '../support/reducers';
import { recordAgentReport } from '../../src/shared/agent-results';
import { decide, decideProblem } from '../../src/shared/decisions';
import type { Budget, Decision, OrchestrationState, Phase } from '../../src/shared/schemas';
import { taskFailed } from '../../src/shared/recovery';
import { requestStop, setPhase } from '../../src/shared/state';

const stopForBudget = (tokens: number) => agentReport('ran out', { stopReason: 'budget', usage: usageOf({ inputTokens: tokens, outputTokens: 0 }) });

/**
 * Two objectives (TASK_001-2 in OBJ_001, TASK_003 in OBJ_002). TASK_001 and TASK_003 stopped on a budget:
 * the orchestration's (`scope: 'all'`, DEC_001) or OBJ_001's own (DEC_001 with objectiveId OBJ_001).
 */
function budgetStopped(scope: 'all' | 'objective', phase: Phase = 'idle'): OrchestrationState {
  const orchestration: Budget = scope === 'all' ? { maxTokens: 1000 } : {};
  let s = planObjective(freshState({ budget: orchestration }), [plannedTask('a'), plannedTask('b')], scope === 'objective' ? { maxTokens: 500 } : undefined);
  s = planObjective(s, [plannedTask('c')]);
  s = spawnChosen(spawnChosen(s, 'TASK_001'), 'TASK_003');
  s = recordAgentReport(s, 'TASK_001', 'AGENT_0001', stopForBudget(scope === 'all' ? 600 : 500), minute(2));
  if (scope === 'all') s = recordAgentReport(s, 'TASK_003', 'AGENT_0002', stopForBudget(400), minute(2));
  return setPhase(s, phase);
}
const synthesisDecision: Decision = {
  id: 'DEC_001',
  question: 'Which auth provider?',
  rationale: 'both fit',
  status: 'pending',
  created: minute(0),
  session: 1,
  kind: 'synthesis',
};
const withSynthesisDecision = (): OrchestrationState => ({ ...freshState(), decisions: [synthesisDecision], counters: { ...freshState().counters, decision: 1 } });
const statuses = (s: OrchestrationState) => s.tasks.map((t) => [t.id, t.status, t.hold?.kind ?? t.error ?? null]);

describe('decideProblem', () => {
  it('names an unknown decision and one already decided', () => {
    const s = withSynthesisDecision();
    expect(decideProblem(s, { decisionId: 'DEC_009', choice: 'Auth0' })).toBe('decisionId: no decision DEC_009 in project demo');
    const made = decide(s, { decisionId: 'DEC_001', choice: 'Auth0' }, minute(1));
    expect(decideProblem(made, { decisionId: 'DEC_001', choice: 'Okta' })).toBe('decisionId: DEC_001 was already decided (Auth0)');
  });

  it('accepts any choice for a synthesis decision', () => {
    expect(decideProblem(withSynthesisDecision(), { decisionId: 'DEC_001', choice: 'Auth0' })).toBeUndefined();
  });

  it('accepts only raise or stop for a budget decision', () => {
    const s = budgetStopped('all');
    expect(decideProblem(s, { decisionId: 'DEC_001', choice: 'continue' })).toBe('choice: a budget decision is answered "raise" or "stop", not "continue"');
    expect(decideProblem(s, { decisionId: 'DEC_001', choice: 'stop' })).toBeUndefined();
  });

  it('needs a raise to come with a budget above what is already spent', () => {
    const s = budgetStopped('all');
    expect(decideProblem(s, { decisionId: 'DEC_001', choice: 'raise' })).toBe('budget: "raise" needs a new budget (maxTokens and/or maxUsd)');
    expect(decideProblem(s, { decisionId: 'DEC_001', choice: 'raise', budget: { maxTokens: 1000 } })).toBe(
      'budget: the new budget is already spent (1000 of 1000 tokens spent)',
    );
    expect(decideProblem(s, { decisionId: 'DEC_001', choice: 'raise', budget: { maxTokens: 1001 } })).toBeUndefined();
  });

  it("checks a raise of an objective's budget against that objective's spend", () => {
    const s = budgetStopped('objective');
    expect(decideProblem(s, { decisionId: 'DEC_001', choice: 'raise', budget: { maxTokens: 500 } })).toContain('already spent (500 of 500 tokens spent)');
    expect(decideProblem(s, { decisionId: 'DEC_001', choice: 'raise', budget: { maxTokens: 501 } })).toBeUndefined();
  });

  it('refuses a raise whose budget has no limit at all', () => {
    expect(decideProblem(budgetStopped('all'), { decisionId: 'DEC_001', choice: 'raise', budget: {} })).toBe(
      'budget: "raise" needs a new budget (maxTokens and/or maxUsd)',
    );
  });
});

describe('decide', () => {
  it('records the choice, rationale and time, and counts the decision', () => {
    const s = decide(withSynthesisDecision(), { decisionId: 'DEC_001', choice: 'Auth0', rationale: 'cheaper' }, minute(4));
    expect(s.decisions).toEqual([{ ...synthesisDecision, status: 'made', choice: 'Auth0', rationale: 'cheaper', decided: minute(4) }]);
    expect(s.metrics.total_decisions_made).toBe(1);
    expect(s).toMatchObject({ paused: false, resumeRequested: false });
  });

  it('keeps the original rationale when none is given', () => {
    const s = decide(withSynthesisDecision(), { decisionId: 'DEC_001', choice: 'Auth0' }, minute(4));
    expect(s.decisions[0]?.rationale).toBe('both fit');
  });

  it('raising the orchestration budget sets it, frees every task the budget stopped and asks for a session', () => {
    const s = decide(budgetStopped('all'), { decisionId: 'DEC_001', choice: 'raise', budget: { maxTokens: 5000 } }, minute(5));
    expect(s.config.budget).toEqual({ maxTokens: 5000 });
    expect(statuses(s)).toEqual([
      ['TASK_001', 'pending', null],
      ['TASK_002', 'pending', null],
      ['TASK_003', 'pending', null],
    ]);
    expect(s.tasks.map((t) => t.agentId)).toEqual([undefined, undefined, undefined]);
    expect(s.resumeRequested).toBe(true);
    expect(s.metrics.total_decisions_made).toBe(1);
  });

  it("raising an objective's budget sets only that budget and frees only that objective's tasks", () => {
    let s = budgetStopped('objective');
    s = requestStop(setPhase(spawnChosen(s, 'TASK_002'), 'orchestrating'), { agentId: 'AGENT_0003' }, minute(3)).state;
    s = decide(setPhase(s, 'idle'), { decisionId: 'DEC_001', choice: 'raise', budget: { maxTokens: 900 } }, minute(5));
    expect(s.objectives.map((o) => o.budget)).toEqual([{ maxTokens: 900 }, undefined]);
    expect(s.config.budget).toEqual({});
    expect(statuses(s)).toEqual([
      ['TASK_001', 'pending', null],
      ['TASK_002', 'stopped', 'person'],
      ['TASK_003', 'running', null],
    ]);
  });

  it('leaves tasks stopped by the budget of another objective alone', () => {
    let s = budgetStopped('objective');
    s = recordAgentReport(s, 'TASK_003', 'AGENT_0002', agentReport('halfway', { stopReason: 'budget' }), minute(3));
    s = decide(s, { decisionId: 'DEC_001', choice: 'raise', budget: { maxTokens: 900 } }, minute(5));
    expect(statuses(s)).toContainEqual(['TASK_003', 'stopped', 'budget']);
  });

  it('does not ask for a new session when raising during one', () => {
    const s = decide(budgetStopped('all', 'orchestrating'), { decisionId: 'DEC_001', choice: 'raise', budget: { maxTokens: 5000 } }, minute(5));
    expect(s.resumeRequested).toBe(false);
    expect(s.tasks[0]?.status).toBe('pending');
  });

  it('stopping pauses: at rest the orchestration becomes paused, during a session it winds down', () => {
    const idle = decide(budgetStopped('all'), { decisionId: 'DEC_001', choice: 'stop' }, minute(5));
    expect(idle).toMatchObject({ paused: true, phase: 'paused', resumeRequested: false, config: { budget: { maxTokens: 1000 } } });
    // TASK_001 stopped while the ledger still showed room, so it went back to pending; TASK_003 spent the budget.
    expect(idle.tasks.find((t) => t.id === 'TASK_003')).toMatchObject({ status: 'stopped', hold: { kind: 'budget' } });
    expect(idle.decisions[0]).toMatchObject({ status: 'made', choice: 'stop' });
    const during = decide(budgetStopped('all', 'orchestrating'), { decisionId: 'DEC_001', choice: 'stop' }, minute(5));
    expect(during).toMatchObject({ paused: true, phase: 'orchestrating' });
  });

  it('leaves the state alone for an unknown decision', () => {
    const s = withSynthesisDecision();
    expect(decide(s, { decisionId: 'DEC_404', choice: 'x' }, minute(1))).toBe(s);
  });
});

describe('recovery and confirmation decisions', () => {
  /** TASK_001 failed under the escalate policy: DEC_001 asks retry or skip. */
  const recovery = (phase: Phase = 'idle') => {
    const s = spawnChosen(planObjective(freshState({ recovery: { policy: 'escalate' } }), [plannedTask('a')]), 'TASK_001');
    return setPhase(taskFailed(s, 'TASK_001', agentOn(s, 'TASK_001'), 'build broke', minute(2)), phase);
  };
  /** OBJ_001 found two streams with confirmAbove 1: DEC_001 asks proceed or cancel. */
  const confirm = () => setPhase(planStreams(freshState({ targets: [target('site')], confirmAbove: 1 }), [plannedTask('a', { stream: 'site:1.1' }), plannedTask('b', { stream: 'site:1.2' })]), 'idle');

  it('accepts only retry or skip for a recovery decision, and only proceed or cancel for a confirmation', () => {
    expect(decideProblem(recovery(), { decisionId: 'DEC_001', choice: 'stop' })).toBe('choice: a recovery decision is answered "retry" or "skip", not "stop"');
    expect(decideProblem(recovery(), { decisionId: 'DEC_001', choice: 'proceed' })).toContain('"retry" or "skip"');
    for (const choice of ['retry', 'skip']) expect(decideProblem(recovery(), { decisionId: 'DEC_001', choice })).toBeUndefined();
    expect(decideProblem(confirm(), { decisionId: 'DEC_001', choice: 'skip' })).toBe('choice: a confirmation is answered "proceed" or "cancel", not "skip"');
    for (const choice of ['proceed', 'cancel']) expect(decideProblem(confirm(), { decisionId: 'DEC_001', choice })).toBeUndefined();
  });

  it('retry frees the task for a fresh agent and asks for a session; it does not pause like a budget stop', () => {
    const s = decide(recovery(), { decisionId: 'DEC_001', choice: 'retry' }, minute(3));
    expect(taskOf(s, 'TASK_001')).toMatchObject({ status: 'pending', excludeAgents: ['Forge'] });
    expect(s).toMatchObject({ paused: false, resumeRequested: true, metrics: { total_decisions_made: 1 } });
  });

  it('skip skips the task with the rationale given', () => {
    const s = decide(recovery('orchestrating'), { decisionId: 'DEC_001', choice: 'skip', rationale: 'out of scope' }, minute(3));
    expect(taskOf(s, 'TASK_001')).toMatchObject({ status: 'failed', skipped: 'build broke (skipped: out of scope)' });
    expect(s.decisions[0]).toMatchObject({ status: 'made', choice: 'skip', rationale: 'out of scope' });
    expect(s).toMatchObject({ paused: false, resumeRequested: false });
  });

  it('proceed and cancel settle the objective waiting for confirmation', () => {
    expect(decide(confirm(), { decisionId: 'DEC_001', choice: 'proceed' }, minute(3)).objectives[0]?.status).toBe('active');
    const cancelled = decide(confirm(), { decisionId: 'DEC_001', choice: 'cancel' }, minute(3));
    expect(cancelled.objectives[0]?.status).toBe('failed');
    expect(cancelled.tasks.map((t) => t.status)).toEqual(['failed', 'failed']);
  });

  it('a second answer to the same decision is refused', () => {
    const s = decide(recovery(), { decisionId: 'DEC_001', choice: 'skip' }, minute(3));
    expect(decideProblem(s, { decisionId: 'DEC_001', choice: 'retry' })).toBe('decisionId: DEC_001 was already decided (skip)');
  });
});
