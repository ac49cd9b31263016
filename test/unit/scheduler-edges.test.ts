import type { Decision, OrchestrationState } from '../../src/shared/schemas';
import { blockedTasks, MIN_EVENTS_PER_RUN, nextWake, objectivesToPlan, orchestrationSettled, readyTasks, rolloverDue, sessionDue } from '../../src/shared/scheduler';
import { addObjective, completeTask, markPlanning, requestStop, setPhase } from '../../src/shared/state';
import { failRunning, freshState, minute, planObjective, plannedTask, spawnChosen, target } from '../support/reducers';

// Edges of the scheduler's decisions that the scenario tests pass through without pinning down.

const withObjective = (s: OrchestrationState): OrchestrationState => addObjective(s, { description: 'a goal' }, minute(0)).state;

describe('rolloverDue: when a run hands over to a fresh one', () => {
  it('never before the run has MIN_EVENTS_PER_RUN events, even when Temporal suggests it', () => {
    expect(rolloverDue({ historyLength: MIN_EVENTS_PER_RUN - 1, suggested: true }, 10)).toBe(false);
    expect(rolloverDue({ historyLength: MIN_EVENTS_PER_RUN, suggested: true }, undefined)).toBe(true);
  });

  it('at the configured size exactly, and not one event before it', () => {
    expect(rolloverDue({ historyLength: 999, suggested: false }, 1000)).toBe(false);
    expect(rolloverDue({ historyLength: 1000, suggested: false }, 1000)).toBe(true);
    expect(rolloverDue({ historyLength: 5000, suggested: false }, undefined)).toBe(false);
  });
});

describe('objectivesToPlan', () => {
  it('plans a pending objective, but none while paused or while a stop is under way', () => {
    const s = withObjective(freshState());
    expect(objectivesToPlan(s).map((o) => o.id)).toEqual(['OBJ_001']);
    expect(objectivesToPlan({ ...s, paused: true })).toEqual([]);
    expect(objectivesToPlan({ ...s, stop: { graceful: true, requested: minute(1) } })).toEqual([]);
    expect(objectivesToPlan(markPlanning(s, ['OBJ_001']))).toEqual([]);
  });

  it('holds back an objective whose own budget is spent', () => {
    const s = addObjective(freshState(), { description: 'cheap', budget: { maxTokens: 10 } }, minute(0)).state;
    const spent = { ...s, objectives: s.objectives.map((o) => ({ ...o, spent: { ...o.spent, tokens: 10 } })) };
    expect(objectivesToPlan(spent)).toEqual([]);
  });
});

describe('orchestrationSettled', () => {
  it('is not settled while an objective is being planned, even with nothing to run', () => {
    const s = withObjective(freshState());
    expect(orchestrationSettled(markPlanning(s, ['OBJ_001']))).toBe(false);
  });

  it('is settled once paused or stopping with nothing running, though work is ready', () => {
    const s = planObjective(freshState(), [plannedTask('a')]);
    expect(readyTasks(s)).toHaveLength(1);
    expect(orchestrationSettled(s)).toBe(false);
    expect(orchestrationSettled({ ...s, paused: true })).toBe(true);
    expect(orchestrationSettled({ ...s, stop: { graceful: true, requested: minute(1) } })).toBe(true);
  });

  it('is not settled while an agent runs, even when paused', () => {
    const s = spawnChosen(planObjective(freshState(), [plannedTask('a')]), 'TASK_001');
    const stopping = requestStop(setPhase(s, 'orchestrating'), { graceful: true }, minute(2)).state;
    expect(orchestrationSettled(stopping)).toBe(false);
  });

  it('is settled when nothing is ready and nothing needs a plan', () => {
    expect(orchestrationSettled(freshState())).toBe(true);
  });
});

describe('sessionDue', () => {
  it('starts a session for a resume, an objective or a ready task, and never while paused', () => {
    expect(sessionDue(freshState())).toBe(false);
    expect(sessionDue({ ...freshState(), resumeRequested: true })).toBe(true);
    expect(sessionDue(withObjective(freshState()))).toBe(true);
    expect(sessionDue({ ...withObjective(freshState()), paused: true, resumeRequested: true })).toBe(false);
  });
});

describe('blockedTasks', () => {
  it('lists only pending tasks, each with the dependency that blocks it', () => {
    let s = planObjective(freshState(), [plannedTask('a'), plannedTask('b', { dependsOn: ['a'] }), plannedTask('c', { dependsOn: ['missing'] })]);
    s = failRunning(spawnChosen(s, 'TASK_001'), 'TASK_001', 'broke', minute(2));
    expect(blockedTasks(s).map((b) => [b.task.id, b.blockedBy])).toEqual([
      ['TASK_002', 'TASK_001'],
      ['TASK_003', 'missing'],
    ]);
    // A person completed the blocked task by hand: it is no longer pending, so no longer blocked.
    const done = completeTask(s, { taskId: 'TASK_002', outcome: 'done by hand' }, minute(3)).state;
    expect(blockedTasks(done).map((b) => b.task.id)).toEqual(['TASK_003']);
  });
});

describe('nextWake on a tie', () => {
  it('gardens when the garden and a recovery deadline fall due at the same moment', () => {
    const decision: Decision = { id: 'DEC_001', question: 'retry or skip?', rationale: '', status: 'pending', created: minute(0), session: 1, kind: 'recovery', taskId: 'TASK_001', deadline: minute(10) };
    const s: OrchestrationState = { ...freshState({ targets: [target('site')], gardenEverySeconds: 600 }), roadmap: { checked: minute(0), targets: [], open: [] }, decisions: [decision] };
    expect(nextWake(s, Date.parse(minute(1)), true)).toEqual({ ms: 9 * 60_000, reason: 'garden' });
    expect(nextWake(s, Date.parse(minute(1)), false)).toEqual({ ms: 9 * 60_000, reason: 'deadline' });
  });
});
