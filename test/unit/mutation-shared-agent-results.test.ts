import { agentOn, agentReport, byId, freshState, minute, planObjective, plannedTask, spawnChosen, taskOf, usageOf } from '../support/reducers';
import { recordAgentReport } from '../../src/shared/agent-results';
import { decide, escalate } from '../../src/shared/decisions';
import type { Budget, OrchestrationState } from '../../src/shared/schemas';

/** 500 tokens ($0.01) of spend. */
const used = () => usageOf({ inputTokens: 300, outputTokens: 200 });
const ranOut = (summary = 'stopped at turn 4') => agentReport(summary, { stopReason: 'budget', usage: used() });
const report = (s: OrchestrationState, taskId: string, r: ReturnType<typeof agentReport>, now: string) => recordAgentReport(s, taskId, agentOn(s, taskId), r, now);

/**
 * OBJ_001 (TASK_001, TASK_002) and OBJ_002 (TASK_003), the objectives with their own budgets; every task has
 * an agent on it.
 */
function threeRunning(orchestration: Budget, first?: Budget, second?: Budget): OrchestrationState {
  let s = planObjective(freshState({ budget: orchestration }), [plannedTask('menu'), plannedTask('prices')], first);
  s = planObjective(s, [plannedTask('docs')], second);
  s = spawnChosen(s, 'TASK_001', minute(1));
  s = spawnChosen(s, 'TASK_002', minute(1));
  return spawnChosen(s, 'TASK_003', minute(1));
}

describe('which budget decision a budget stop waits for', () => {
  it("its own objective's, though the orchestration's was raised first", () => {
    // The orchestration's budget and OBJ_001's both run out on the same report: DEC_001 is the orchestration's, DEC_002 OBJ_001's.
    const s = report(threeRunning({ maxTokens: 500 }, { maxTokens: 500 }), 'TASK_001', ranOut(), minute(5));
    expect(s.decisions.map((d) => [d.id, d.kind, d.status, d.objectiveId])).toEqual([
      ['DEC_001', 'budget', 'pending', undefined],
      ['DEC_002', 'budget', 'pending', 'OBJ_001'],
    ]);
    expect(taskOf(s, 'TASK_001')).toMatchObject({ status: 'stopped', hold: { kind: 'budget', reason: 'stopped at turn 4', decisionId: 'DEC_002' } });
  });

  it("the orchestration's when another objective's is the one pending", () => {
    // OBJ_001's budget runs out first (DEC_001); then TASK_003 of OBJ_002 takes the orchestration's over its limit (DEC_002).
    let s = report(threeRunning({ maxTokens: 1000 }, { maxTokens: 500 }), 'TASK_001', agentReport('Menu written', { usage: used() }), minute(5));
    expect(s.decisions.map((d) => [d.id, d.objectiveId])).toEqual([['DEC_001', 'OBJ_001']]);
    s = report(s, 'TASK_003', ranOut('out of tokens while writing docs'), minute(6));
    expect(s.decisions.map((d) => [d.id, d.status, d.objectiveId])).toEqual([
      ['DEC_001', 'pending', 'OBJ_001'],
      ['DEC_002', 'pending', undefined],
    ]);
    expect(taskOf(s, 'TASK_003')).toMatchObject({ status: 'stopped', hold: { kind: 'budget', reason: 'out of tokens while writing docs', decisionId: 'DEC_002' } });
  });

  it('none when the ledger shows no budget spent: the task goes back to pending, even with an escalation waiting', () => {
    let s = escalate(threeRunning({}), 'TASK_002', 'invalid API key', minute(3));
    expect(s.decisions.map((d) => [d.id, d.kind, d.status])).toEqual([['DEC_001', 'escalation', 'pending']]);
    s = report(s, 'TASK_001', ranOut(), minute(6));
    const t = taskOf(s, 'TASK_001');
    expect(t.status).toBe('pending');
    expect([t.hold, t.agentId]).toEqual([undefined, undefined]);
    expect(byId(s.agents, 'AGENT_0001')).toMatchObject({ status: 'stopped', summary: 'stopped at turn 4' });
  });

  it('none when the only budget decision was already answered', () => {
    let s = report(threeRunning({ maxTokens: 500 }), 'TASK_001', agentReport('Menu written', { usage: used() }), minute(5));
    s = decide(s, { decisionId: 'DEC_001', choice: 'raise', budget: { maxTokens: 5000 } }, minute(6));
    expect(s.decisions.map((d) => [d.id, d.kind, d.status])).toEqual([['DEC_001', 'budget', 'made']]);
    s = report(s, 'TASK_002', ranOut(), minute(7));
    expect(s.decisions).toHaveLength(1);
    expect(taskOf(s, 'TASK_002')).toMatchObject({ status: 'pending' });
    expect(taskOf(s, 'TASK_002').hold).toBeUndefined();
  });
});

describe('the reason a budget stop is held for', () => {
  it("is the agent's summary cut at 500 characters", () => {
    const summary = 'Stopped: the next step (rendering every menu photo) would not fit in what is left of the budget. '.repeat(8);
    expect(summary.length).toBeGreaterThan(500);
    const s = report(threeRunning({ maxTokens: 500 }), 'TASK_001', ranOut(summary), minute(5));
    expect(taskOf(s, 'TASK_001').hold).toEqual({ kind: 'budget', reason: summary.slice(0, 500), decisionId: 'DEC_001' });
  });

  it('says the budget ran out when the agent said nothing', () => {
    const s = report(threeRunning({ maxTokens: 500 }), 'TASK_001', ranOut(''), minute(5));
    expect(taskOf(s, 'TASK_001').hold).toEqual({ kind: 'budget', reason: 'the budget ran out', decisionId: 'DEC_001' });
  });
});
