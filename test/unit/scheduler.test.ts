import { agentReport, failRunning, finishRunning, freshState, minute, plannedTask, planObjective, planStreams, target } from '../support/reducers';
import { decide } from '../../src/shared/decisions';
import type { PlannedTask } from '../../src/shared/activity-types';
import {
  blockedTasks,
  objectivesToPlan,
  orchestrationSettled,
  readyTasks,
  sessionDue,
  settleStop,
  tasksToStart,
} from '../../src/shared/scheduler';
import { OrchestrationConfig, type OrchestrationState } from '../../src/shared/schemas';
import { addObjective, initialState, markPlanning, requestStop, resume, startTask } from '../../src/shared/state';

const T0 = minute(0);
const planned = (key: string, dependsOn: string[] = []): PlannedTask => plannedTask(key, { dependsOn });
const ok = agentReport();

/** A session-1 state with one objective planned into `plan`. */
const withPlan = (plan: PlannedTask[]): OrchestrationState => planObjective(freshState(), plan);
const start = (s: OrchestrationState, ...ids: string[]) =>
  ids.reduce((acc, id) => startTask(acc, id, { name: 'Ada', runtime: 'scripted', simulated: true }, T0).state, s);
const finish = (s: OrchestrationState, ...ids: string[]) => ids.reduce((acc, id) => finishRunning(acc, id, ok, T0), s);
const ids = (tasks: { id: string }[]) => tasks.map((t) => t.id);
const five = () => withPlan(['a', 'b', 'c', 'd', 'e'].map((k) => planned(k)));

describe('readiness', () => {
  it('makes a task ready only once all of its dependencies completed', () => {
    let s = withPlan([planned('a'), planned('b'), planned('c', ['a', 'b'])]);
    expect(ids(readyTasks(s))).toEqual(['TASK_001', 'TASK_002']);
    s = finish(start(s, 'TASK_001'), 'TASK_001');
    expect(ids(readyTasks(s))).toEqual(['TASK_002']);
    s = start(s, 'TASK_002');
    expect(ids(readyTasks(s))).toEqual([]);
    s = finish(s, 'TASK_002');
    expect(ids(readyTasks(s))).toEqual(['TASK_003']);
  });

  it('blocks a task whose dependency failed, naming that dependency', () => {
    let s = withPlan([planned('a'), planned('b'), planned('c', ['a', 'b']), planned('d', ['b'])]);
    s = failRunning(start(s, 'TASK_002'), 'TASK_002', 'boom', T0);
    expect(blockedTasks(s).map((b) => [b.task.id, b.blockedBy])).toEqual([
      ['TASK_003', 'TASK_002'],
      ['TASK_004', 'TASK_002'],
    ]);
    expect(ids(readyTasks(s))).toEqual(['TASK_001']);
  });
});

describe('readiness while a large operation waits for confirmation', () => {
  /** OBJ_001 (free work) is active; OBJ_002 found three streams with confirmAbove 2 and waits. */
  const waiting = () =>
    planStreams(planObjective(freshState({ targets: [target('site')], confirmAbove: 2 }), [plannedTask('free')]), [
      plannedTask('s1', { stream: 'site:1.1' }),
      plannedTask('s2', { stream: 'site:1.2' }),
      plannedTask('s3', { stream: 'site:1.3' }),
    ]);

  it("holds back the waiting objective's tasks only, and settles rather than waiting on them", () => {
    const s = waiting();
    expect(ids(readyTasks(s))).toEqual(['TASK_001']);
    expect(blockedTasks(s)).toEqual([]);
    const done = finish(start(s, 'TASK_001'), 'TASK_001');
    expect(orchestrationSettled(done)).toBe(true);
    expect(sessionDue(done)).toBe(false);
  });

  it('makes them ready once a person says proceed', () => {
    const s = decide(waiting(), { decisionId: 'DEC_001', choice: 'proceed' }, T0);
    expect(ids(readyTasks(s))).toEqual(['TASK_001', 'TASK_002', 'TASK_003', 'TASK_004']);
  });
});

describe('tasksToStart', () => {
  it('parallel fills up to maxAgents, counting tasks already running', () => {
    expect(ids(tasksToStart(five(), 'parallel', 3))).toEqual(['TASK_001', 'TASK_002', 'TASK_003']);
    const two = start(five(), 'TASK_001', 'TASK_002');
    expect(ids(tasksToStart(two, 'parallel', 3))).toEqual(['TASK_003']);
    expect(tasksToStart(start(two, 'TASK_003'), 'parallel', 3)).toEqual([]);
    expect(tasksToStart(two, 'parallel', 1)).toEqual([]);
  });

  it('sequential runs one task at a time whatever maxAgents says', () => {
    expect(ids(tasksToStart(five(), 'sequential', 3))).toEqual(['TASK_001']);
    const one = start(five(), 'TASK_001');
    expect(tasksToStart(one, 'sequential', 3)).toEqual([]);
    expect(ids(tasksToStart(finish(one, 'TASK_001'), 'sequential', 3))).toEqual(['TASK_002']);
  });

  it('batch starts a wave of maxAgents and waits for the whole wave before the next', () => {
    const wave = tasksToStart(five(), 'batch', 2);
    expect(ids(wave)).toEqual(['TASK_001', 'TASK_002']);
    const running = start(five(), ...ids(wave));
    const half = finish(running, 'TASK_001');
    expect(readyTasks(half).length).toBeGreaterThan(0);
    expect(tasksToStart(half, 'batch', 2)).toEqual([]);
    expect(ids(tasksToStart(finish(half, 'TASK_002'), 'batch', 2))).toEqual(['TASK_003', 'TASK_004']);
  });

  it('starts nothing while stopping gracefully or paused, in every mode', () => {
    const graceful = requestStop(start(five(), 'TASK_001'), { graceful: true }, T0).state;
    for (const mode of ['parallel', 'sequential', 'batch'] as const) {
      expect(tasksToStart(graceful, mode, 3)).toEqual([]);
      expect(tasksToStart(settleStop(finish(graceful, 'TASK_001')), mode, 3)).toEqual([]);
    }
  });
});

describe('objectivesToPlan', () => {
  it('plans pending objectives only, and none while paused', () => {
    let s = addObjective(withPlan([planned('a')]), { description: 'Second' }, T0).state;
    expect(objectivesToPlan(s).map((o) => o.id)).toEqual(['OBJ_002']);
    s = requestStop(s, { graceful: true }, T0).state;
    expect(objectivesToPlan(s)).toEqual([]);
  });
});

describe('orchestrationSettled', () => {
  it('is settled only when nothing runs and nothing more may start', () => {
    let s = withPlan([planned('a'), planned('b', ['a'])]);
    expect(orchestrationSettled(s)).toBe(false);
    s = start(s, 'TASK_001');
    expect(orchestrationSettled(s)).toBe(false);
    s = finish(s, 'TASK_001');
    expect(orchestrationSettled(s)).toBe(false);
    s = finish(start(s, 'TASK_002'), 'TASK_002');
    expect(orchestrationSettled(s)).toBe(true);
  });

  it('waits for running agents after a graceful stop, then settles with work left', () => {
    const s = requestStop(start(five(), 'TASK_001'), { graceful: true }, T0).state;
    expect(orchestrationSettled(s)).toBe(false);
    expect(orchestrationSettled(finish(s, 'TASK_001'))).toBe(true);
  });

  it('settles at once after an immediate stop', () => {
    expect(orchestrationSettled(requestStop(start(five(), 'TASK_001', 'TASK_002'), {}, T0).state)).toBe(true);
  });

  it('is not settled while an objective is still being planned', () => {
    const added = addObjective(freshState(), { description: 'Ship it' }, T0);
    const planning = markPlanning(added.state, [added.objective.id]);
    // The workflow re-checks on any change (an insight, another objective's last task) while a planner is in flight.
    expect(orchestrationSettled(planning)).toBe(false);
  });
});

describe('sessions', () => {
  it('a session is due for new objectives, ready tasks or a resume, never while paused', () => {
    const idle = initialState('demo', OrchestrationConfig.parse({}), T0);
    expect(sessionDue(idle)).toBe(false);
    expect(sessionDue(addObjective(idle, { description: 'x' }, T0).state)).toBe(true);
    expect(sessionDue({ ...idle, resumeRequested: true })).toBe(true);
    expect(sessionDue(five())).toBe(true);
    const paused = settleStop(requestStop(five(), {}, T0).state);
    expect(sessionDue(paused)).toBe(false);
  });

  it('settles a stop into a pause that lasts until resume, which makes a session due', () => {
    const stopped = requestStop(start(five(), 'TASK_001'), {}, T0).state;
    const settled = settleStop(stopped);
    expect(settled).toMatchObject({ paused: true, stop: undefined });
    expect(settleStop(settled)).toBe(settled);
    const resumed = resume({ ...settled, phase: 'paused' });
    expect(sessionDue(resumed)).toBe(true);
    expect(ids(tasksToStart(resumed, 'parallel', 3))).toEqual(['TASK_001', 'TASK_002', 'TASK_003']);
  });
});
