import { agentOn, freshState, minute, planObjective, plannedTask, spawnChosen, taskOf } from '../support/reducers';
import type { Usage } from '../../src/shared/activity-types';
import { Failure } from '../../src/shared/failures';
import { classifyFailure, onActivityFailure, onPlanFailure } from '../../src/shared/on-failure';
import type { OrchestrationState } from '../../src/shared/schemas';
import { addObjective, markPlanning, requestStop } from '../../src/shared/state';

const usage: Usage = { model: 'claude-haiku-4-5', inputTokens: 300, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, costUsd: 0.25, priced: true };
const running = (config: Record<string, unknown> = {}) => spawnChosen(planObjective(freshState(config), [plannedTask('a')]), 'TASK_001');
const at = (s: OrchestrationState) => ({ taskId: 'TASK_001', agentId: agentOn(s, 'TASK_001'), objectiveId: 'OBJ_001' });

describe('classifyFailure', () => {
  it('puts cancellation first, then failures only a person can fix, then the rest', () => {
    expect(classifyFailure({ cancelled: true, type: Failure.LlmUnauthorized })).toBe('cancelled');
    expect([Failure.LlmUnauthorized, Failure.ConfigInvalid, Failure.LlmSpendLimit].map((type) => classifyFailure({ cancelled: false, type }))).toEqual(['needs-person', 'needs-person', 'needs-person']);
    expect([Failure.AgentCrashed, Failure.LlmOverloaded, undefined].map((type) => classifyFailure({ cancelled: false, type }))).toEqual(['failed', 'failed', 'failed']);
  });
});

describe('onActivityFailure', () => {
  it('a cancelled attempt stops its running agent, holds the task for the person, and bills what it spent as failed spend', () => {
    const s0 = running();
    const s = onActivityFailure(s0, at(s0), { cancelled: true, message: 'cancelled', usage }, minute(3));
    expect(taskOf(s, 'TASK_001')).toMatchObject({ status: 'stopped', hold: { kind: 'person', reason: 'stopped by a person' } });
    expect(s.agents[0]).toMatchObject({ status: 'stopped', finished: minute(3) });
    expect(s.spent).toMatchObject({ tokens: 320, costUsd: 0.25, failedTokens: 320, failedUsd: 0.25 });
  });

  it('a cancelled attempt whose agent was already stopped changes nothing but the bill', () => {
    const s0 = running();
    const stopped = requestStop(s0, { agentId: agentOn(s0, 'TASK_001') }, minute(2)).state;
    const s = onActivityFailure(stopped, at(s0), { cancelled: true, message: 'cancelled' }, minute(3));
    expect(s).toBe(stopped);
  });

  it('a failure that needs a person escalates: the task is held with the escalation decision', () => {
    const s0 = running();
    const s = onActivityFailure(s0, at(s0), { cancelled: false, type: Failure.LlmUnauthorized, message: 'API key rejected' }, minute(3));
    expect(taskOf(s, 'TASK_001')).toMatchObject({ status: 'stopped', hold: { kind: 'escalation', reason: 'API key rejected', decisionId: 'DEC_001' } });
    expect(s.decisions).toEqual([expect.objectContaining({ id: 'DEC_001', kind: 'escalation', status: 'pending' })]);
    expect(s.agents[0]).toMatchObject({ status: 'failed', summary: 'API key rejected' });
  });

  it('a second escalation while one is pending holds its task under the same decision', () => {
    let s = spawnChosen(spawnChosen(planObjective(freshState({ maxAgents: 2 }), [plannedTask('a'), plannedTask('b')]), 'TASK_001'), 'TASK_002');
    s = onActivityFailure(s, at(s), { cancelled: false, type: Failure.LlmForbidden, message: 'no' }, minute(3));
    s = onActivityFailure(s, { taskId: 'TASK_002', agentId: agentOn(s, 'TASK_002') }, { cancelled: false, type: Failure.LlmForbidden, message: 'no' }, minute(4));
    expect(s.tasks.map((t) => t.hold?.decisionId)).toEqual(['DEC_001', 'DEC_001']);
    expect(s.decisions).toHaveLength(1);
  });

  it('any other failure goes to the recovery policy (escalate: a recovery hold; skip: failed)', () => {
    const e0 = running({ recovery: { policy: 'escalate' } });
    const e = onActivityFailure(e0, at(e0), { cancelled: false, type: Failure.AgentCrashed, message: 'crashed' }, minute(3));
    expect(taskOf(e, 'TASK_001')).toMatchObject({ status: 'stopped', hold: { kind: 'recovery', reason: 'crashed', decisionId: 'DEC_001' } });
    const k0 = running({ recovery: { policy: 'skip' } });
    const k = onActivityFailure(k0, at(k0), { cancelled: false, message: 'crashed', usage }, minute(3));
    expect(taskOf(k, 'TASK_001')).toMatchObject({ status: 'failed', skipped: 'crashed' });
    expect(taskOf(k, 'TASK_001').spent).toMatchObject({ failedTokens: 320 });
  });
});

describe('onPlanFailure', () => {
  const planning = () => markPlanning(addObjective(freshState({}), { description: 'build it' }, minute(0)).state, ['OBJ_001']);

  it('fails the objective with the reason and bills the failed planner call', () => {
    const s = onPlanFailure(planning(), 'OBJ_001', { cancelled: false, type: Failure.PlanInvalid, message: 'no tasks', usage }, minute(2));
    expect(s.objectives[0]).toMatchObject({ status: 'failed', error: 'no tasks', spent: expect.objectContaining({ failedUsd: 0.25 }) });
  });

  it('escalates a failure only a person can fix: the objective waits to be planned again', () => {
    const s = onPlanFailure(planning(), 'OBJ_001', { cancelled: false, type: Failure.LlmSpendLimit, message: 'spend limit' }, minute(2));
    expect(s.objectives[0]?.status).toBe('pending');
    expect(s.decisions).toEqual([expect.objectContaining({ kind: 'escalation', status: 'pending' })]);
  });

  it('treats a cancelled plan as failed, as before', () => {
    const s = onPlanFailure(planning(), 'OBJ_001', { cancelled: true, message: 'cancelled' }, minute(2));
    expect(s.objectives[0]?.status).toBe('failed');
  });
});
