import type { PlannedTask } from '../../src/shared/activity-types';
import { compareInput, consensusFailed, recordVote, startConsensus, voteFailed } from '../../src/shared/consensus';
import type { OrchestrationState } from '../../src/shared/schemas';
import { addObjective, markPlanning } from '../../src/shared/state';
import { applyStreamPlan } from '../../src/shared/streams';
import { agentReport, byId, freshState, minute, plannedTask, usageOf } from '../support/reducers';

// Mutation tests for src/shared/consensus.ts (issue 13): what a member's vote or failure records (on its own task, objective
// and agent), what the comparison is given, and why a run nobody answered failed.

const research = (key: string, extra: Partial<PlannedTask> = {}) => plannedTask(key, { role: 'researcher', mission: `Which database for ${key}?`, ...extra });

function planned(state: OrchestrationState, tasks: PlannedTask[]): OrchestrationState {
  const added = addObjective(state, { description: `objective ${state.counters.objective + 1}` }, minute(0));
  return applyStreamPlan(markPlanning(added.state, [added.objective.id]), added.objective.id, tasks, undefined, minute(0));
}

/** OBJ_001 with a plain TASK_001, OBJ_002 with a 2-member consensus TASK_002, started at minute 1. */
function secondTaskStarted(config: Record<string, unknown> = {}) {
  const s = planned(planned(freshState({ maxAgents: 5, ...config }), [research('plain')]), [research('pick', { consensus: { agents: 2, models: ['m-1', 'm-2'] } })]);
  return startConsensus(s, 'TASK_002', minute(1));
}

describe('recordVote', () => {
  it('bills the member’s own task, objective and agent, completes it with its answer, and keeps its insights under its name', () => {
    const { state, run, agents } = secondTaskStarted();
    const usage = usageOf({ model: 'claude-x', inputTokens: 100, outputTokens: 50 });
    const s = recordVote(state, run, agents[1]!.id, agentReport('Postgres', { insights: ['Backups matter'], usage }), minute(2));
    expect(s.tasks.map((t) => [t.id, t.spent.tokens])).toEqual([['TASK_001', 0], ['TASK_002', 150]]);
    expect(s.objectives.map((o) => [o.id, o.spent.tokens])).toEqual([['OBJ_001', 0], ['OBJ_002', 150]]);
    expect(s.agents.map((a) => [a.name, a.status, a.spent.tokens])).toEqual([[agents[0]!.name, 'running', 0], [agents[1]!.name, 'completed', 150]]);
    expect(byId(s.agents, agents[1]!.id)).toMatchObject({ finished: minute(2), summary: 'Postgres', model: 'claude-x' });
    expect(s.insights).toEqual([{ text: 'Backups matter', source: agents[1]!.name, recorded: minute(2), taskId: 'TASK_002' }]);
    expect(s.roster[agents[1]!.name]!.history.map((h) => h.taskId)).toEqual(['TASK_002']);
    expect(s.roster[agents[0]!.name]!.history).toEqual([]);
    // The task itself waits for the comparison.
    expect(byId(s.tasks, 'TASK_002').status).toBe('running');
  });

  it('keeps the member’s own model when the report carries no usage', () => {
    const { state, run, agents } = secondTaskStarted();
    const s = recordVote(state, run, agents[1]!.id, agentReport('Postgres'), minute(2));
    expect(byId(s.agents, agents[1]!.id).model).toBe('m-2');
  });

  it('a failure report fails the member and keeps none of its insights or memory, even when its stop reason says done', () => {
    const { state, run, agents } = secondTaskStarted();
    const s = recordVote(state, run, agents[0]!.id, agentReport('could not decide', { status: 'failure', stopReason: 'done', insights: ['half a thought'] }), minute(2));
    expect(byId(s.agents, agents[0]!.id)).toMatchObject({ status: 'failed', finished: minute(2), summary: 'could not decide' });
    expect(s.insights).toEqual([]);
    expect(s.roster[agents[0]!.name]!.history).toEqual([]);
  });

  it('a member that ran out of budget is stopped; one that hit its turn limit failed; neither answer is kept', () => {
    const { state, run, agents } = secondTaskStarted();
    let s = recordVote(state, run, agents[0]!.id, agentReport('partial', { stopReason: 'budget', insights: ['a'] }), minute(2));
    s = recordVote(s, run, agents[1]!.id, agentReport('partial too', { stopReason: 'turn_limit', insights: ['b'] }), minute(2));
    expect(s.agents.map((a) => a.status)).toEqual(['stopped', 'failed']);
    expect(s.insights).toEqual([]);
    expect(Object.values(s.roster).map((p) => p.history.length)).toEqual([0, 0]);
  });

  it('a member stopped before its report keeps its status and finish time', () => {
    const { state, run, agents } = secondTaskStarted();
    const stopped: OrchestrationState = { ...state, agents: state.agents.map((a) => (a.id === agents[0]!.id ? { ...a, status: 'stopped', finished: minute(1) } : a)) };
    const s = recordVote(stopped, run, agents[0]!.id, agentReport('Postgres'), minute(2));
    expect(byId(s.agents, agents[0]!.id)).toMatchObject({ status: 'stopped', finished: minute(1), summary: 'Postgres' });
  });

  it('a vote for a stale run completes its member but neither keeps its insights nor adds to its memory', () => {
    const { state, run, agents } = secondTaskStarted();
    const s = recordVote(state, { ...run, attempt: run.attempt + 1 }, agents[0]!.id, agentReport('Postgres', { insights: ['late'] }), minute(2));
    expect(byId(s.agents, agents[0]!.id).status).toBe('completed');
    expect(s.insights).toEqual([]);
    expect(s.roster[agents[0]!.name]!.history).toEqual([]);
  });
});

describe('voteFailed', () => {
  it('bills the failed spend to the member’s own task, objective and agent, and marks it failed with the message', () => {
    const { state, run, agents } = secondTaskStarted();
    const s = voteFailed(state, run, agents[1]!.id, { cancelled: false, message: 'crashed', usage: usageOf({ inputTokens: 70, outputTokens: 30 }) }, minute(2));
    expect(s.objectives.map((o) => [o.id, o.spent.failedTokens ?? 0])).toEqual([['OBJ_001', 0], ['OBJ_002', 100]]);
    expect(s.tasks.map((t) => [t.id, t.spent.failedTokens ?? 0])).toEqual([['TASK_001', 0], ['TASK_002', 100]]);
    expect(s.agents.map((a) => [a.status, a.spent.failedTokens ?? 0])).toEqual([['running', 0], ['failed', 100]]);
    expect(byId(s.agents, agents[1]!.id)).toMatchObject({ finished: minute(2), summary: 'crashed' });
  });

  it('a cancelled member is stopped; a member that already answered keeps its answer', () => {
    const { state, run, agents } = secondTaskStarted();
    let s = recordVote(state, run, agents[0]!.id, agentReport('Postgres'), minute(2));
    s = voteFailed(s, run, agents[0]!.id, { cancelled: false, message: 'late error' }, minute(3));
    s = voteFailed(s, run, agents[1]!.id, { cancelled: true, message: 'cancelled' }, minute(3));
    expect(s.agents.map((a) => [a.status, a.summary, a.finished])).toEqual([['completed', 'Postgres', minute(2)], ['stopped', 'cancelled', minute(3)]]);
  });
});

describe('compareInput', () => {
  it('is built for the run’s own task, with the budget view and every member counted', () => {
    const { state, run, agents } = secondTaskStarted({ budget: { maxTokens: 9000 } });
    const input = compareInput(state, run, [{ agentId: agents[0]!.id, agent: agents[0]!.name, summary: 'Postgres', claims: [], insights: [] }]);
    expect(input).toMatchObject({ project: 'demo', taskId: 'TASK_002', mission: 'Which database for pick?', agents: 2, budget: { maxTokens: 9000 } });
    expect(input!.answers.map((a) => a.summary)).toEqual(['Postgres']);
    expect(compareInput(state, run, [])).toBeUndefined();
  });

  it('cuts an answer longer than 4000 characters to 3999 and an ellipsis; one of exactly 4000 stays whole', () => {
    const { state, run, agents } = secondTaskStarted();
    const long = `${'a'.repeat(3998)}bcd${'e'.repeat(1000)}`;
    const exact = 'x'.repeat(4000);
    const input = compareInput(state, run, [
      { agentId: agents[0]!.id, agent: agents[0]!.name, summary: long, claims: [], insights: [] },
      { agentId: agents[1]!.id, agent: agents[1]!.name, summary: exact, claims: [], insights: [] },
    ]);
    expect(input!.answers[0]!.summary).toBe(`${'a'.repeat(3998)}b…`);
    expect(input!.answers[1]!.summary).toBe(exact);
  });
});

describe('consensusFailed', () => {
  it('sends the run’s own task to recovery, saying no member answered and why', () => {
    const { state, run, agents } = secondTaskStarted({ recovery: { policy: 'retry', freshAgents: 1 } });
    const failed = agents.reduce((x, a) => voteFailed(x, run, a.id, { cancelled: false, message: 'crashed' }, minute(2)), state);
    const s = consensusFailed(failed, run, 'every member crashed', minute(2));
    expect(byId(s.tasks, 'TASK_002')).toMatchObject({ status: 'pending', error: 'retrying with a fresh agent: no consensus agent answered: every member crashed', feedback: ['no consensus agent answered: every member crashed'] });
    expect(byId(s.tasks, 'TASK_001').status).toBe('pending');
  });

  it('changes nothing for a stale run', () => {
    const { state, run } = secondTaskStarted();
    expect(consensusFailed(state, { ...run, attempt: run.attempt + 1 }, 'crashed', minute(2))).toBe(state);
  });
});
