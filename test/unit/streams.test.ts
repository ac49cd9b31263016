import { agentOn, agentReport, freshState, minute, plannedTask, planStreams, spawnChosen, target } from '../support/reducers';
import type { GoalInterpretation } from '../../src/shared/activity-types';
import { decide, decideProblem } from '../../src/shared/decisions';
import { taskFailed } from '../../src/shared/recovery';
import { readyTasks, tasksToStart } from '../../src/shared/scheduler';
import type { OrchestrationState } from '../../src/shared/schemas';
import { confirmingObjectives, heldStreams } from '../../src/shared/streams';
import { finishTask, requestStop, setPhase } from '../../src/shared/state';

const site = (config: Record<string, unknown> = {}) => freshState({ targets: [target('site')], ...config });
const stream = (ref: string, extra: Parameters<typeof plannedTask>[1] = {}) => plannedTask(`s${ref.replace(/\D/g, '')}`, { stream: ref, ...extra });
const ids = (tasks: { id: string }[]) => tasks.map((t) => t.id);
const finish = (s: OrchestrationState, taskId: string, now = minute(2)) => finishTask(s, taskId, agentOn(s, taskId), agentReport(), now);

describe('heldStreams', () => {
  it('holds the streams of pending, running and stopped tasks, and frees finished ones', () => {
    let s = planStreams(site(), [stream('site:1.1'), stream('site:1.2'), stream('site:1.3'), stream('site:1.4'), stream('site:1.5'), plannedTask('free')]);
    s = spawnChosen(spawnChosen(spawnChosen(spawnChosen(s, 'TASK_002'), 'TASK_003'), 'TASK_004'), 'TASK_005');
    s = finish(s, 'TASK_003');
    s = taskFailed(s, 'TASK_004', agentOn(s, 'TASK_004'), 'boom', minute(2));
    s = requestStop(s, { agentId: agentOn(s, 'TASK_005') }, minute(2)).state;
    expect(s.tasks.map((t) => t.status)).toEqual(['pending', 'running', 'completed', 'failed', 'stopped', 'pending']);
    expect(heldStreams(s)).toEqual(['site:1.1', 'site:1.2', 'site:1.5']);
  });
});

describe('applyStreamPlan', () => {
  it('sets the stream and its target on each task', () => {
    const s = planStreams(site(), [stream('site:1.1'), plannedTask('free')]);
    expect(s.tasks.map((t) => [t.id, t.stream, t.target])).toEqual([
      ['TASK_001', 'site:1.1', 'site'],
      ['TASK_002', undefined, undefined],
    ]);
  });

  it('never gives a held stream a second task: what depends on it waits for the task that holds it', () => {
    let s = planStreams(site(), [stream('site:1.1')]);
    s = planStreams(s, [stream('site:1.1'), stream('site:1.2', { dependsOn: ['s11'] })]);
    expect(s.tasks.map((t) => [t.id, t.objectiveId, t.stream, t.dependsOn])).toEqual([
      ['TASK_001', 'OBJ_001', 'site:1.1', []],
      ['TASK_002', 'OBJ_002', 'site:1.2', ['TASK_001']],
    ]);
    expect(ids(readyTasks(s))).toEqual(['TASK_001']);
    s = finish(spawnChosen(s, 'TASK_001'), 'TASK_001');
    expect(ids(readyTasks(s))).toEqual(['TASK_002']);
  });

  it('fails an objective whose every stream is already being worked on, naming the task that holds each', () => {
    let s = planStreams(site(), [stream('site:1.1')]);
    s = planStreams(s, [stream('site:1.1')]);
    expect(s.tasks).toHaveLength(1);
    expect(s.objectives[1]).toMatchObject({ status: 'failed', error: 'nothing new to run: already being worked on: site:1.1 (TASK_001)' });
  });

  it('gives a stream one task even when a plan names it twice', () => {
    const s = planStreams(site(), [stream('site:1.1'), plannedTask('again', { stream: 'site:1.1' }), stream('site:1.2', { dependsOn: ['again'] })]);
    expect(s.tasks.map((t) => [t.id, t.key, t.dependsOn])).toEqual([
      ['TASK_001', 's11', []],
      ['TASK_002', 's12', ['TASK_001']],
    ]);
    expect(heldStreams(s)).toEqual(['site:1.1', 'site:1.2']);
  });

  it('plans a stream again once the task that held it is finished', () => {
    let s = spawnChosen(planStreams(site(), [stream('site:1.1')]), 'TASK_001');
    s = taskFailed(s, 'TASK_001', agentOn(s, 'TASK_001'), 'boom', minute(2));
    s = planStreams(s, [stream('site:1.1')]);
    expect(s.tasks.map((t) => [t.id, t.status, t.stream])).toEqual([
      ['TASK_001', 'failed', 'site:1.1'],
      ['TASK_002', 'pending', 'site:1.1'],
    ]);
  });

  it("turns a stream's own recovery action into a policy that keeps its target's other settings", () => {
    const config = { targets: [target('site', { recovery: { policy: 'retry', freshAgents: 3, timeoutSeconds: 60 } })] };
    let s = planStreams(freshState(config), [stream('site:1.1', { recovery: 'escalate' }), stream('site:1.2')]);
    expect(s.tasks.map((t) => t.recovery)).toEqual([{ policy: 'escalate', freshAgents: 3, timeoutSeconds: 60 }, undefined]);
    s = spawnChosen(s, 'TASK_001');
    s = taskFailed(s, 'TASK_001', agentOn(s, 'TASK_001'), 'boom', minute(2));
    expect(s.decisions).toEqual([expect.objectContaining({ kind: 'recovery', taskId: 'TASK_001', deadline: minute(3) })]);
  });

  it('stores how the goal was read on the objective', () => {
    const interpretation: GoalInterpretation = { goalType: 'run-stream', matchingStreams: ['site:1.1'], recommendation: 'run site:1.1', by: 'ranking' };
    expect(planStreams(site(), [stream('site:1.1')], interpretation).objectives[0]?.interpretation).toEqual(interpretation);
    expect(planStreams(site(), [stream('site:1.1')]).objectives[0]?.interpretation).toBeUndefined();
  });
});

describe('confirmation of a large operation', () => {
  const three = [stream('site:1.1'), stream('site:1.2'), stream('site:1.3'), plannedTask('free')];
  const asking = (phase: OrchestrationState['phase'] = 'idle') => setPhase(planStreams(site({ confirmAbove: 2, maxAgents: 2 }), three, undefined, minute(1)), phase);

  it('asks a person before a goal spawns more agents than confirmAbove, and starts none meanwhile', () => {
    const s = asking();
    expect(s.objectives[0]?.status).toBe('confirming');
    expect([...confirmingObjectives(s)]).toEqual(['OBJ_001']);
    expect(s.decisions).toEqual([
      {
        id: 'DEC_001',
        question: 'I found 3 work streams for "objective 1": site:1.1, site:1.2, site:1.3. This spawns 3 agents (at most 2 at a time). Proceed?',
        rationale: 'More than 2 agents is a large operation; answer with `baton decide <id> proceed` or `baton decide <id> cancel`.',
        status: 'pending',
        created: minute(1),
        session: 1,
        objectiveId: 'OBJ_001',
        kind: 'confirm',
      },
    ]);
    expect(readyTasks(s)).toEqual([]);
    expect(tasksToStart(s, 'parallel', 2)).toEqual([]);
  });

  it('does not ask at confirmAbove or below, nor for a held stream that gets no task', () => {
    expect(planStreams(site({ confirmAbove: 3 }), three).decisions).toEqual([]);
    const held = planStreams(site({ confirmAbove: 2 }), [stream('site:1.1')]);
    const s = planStreams(held, [stream('site:1.1'), stream('site:1.2'), stream('site:1.3')]);
    expect(s.decisions).toEqual([]);
    expect(s.objectives.map((o) => o.status)).toEqual(['active', 'active']);
  });

  it('accepts only proceed or cancel', () => {
    expect(decideProblem(asking(), { decisionId: 'DEC_001', choice: 'yes' })).toBe('choice: a confirmation is answered "proceed" or "cancel", not "yes"');
    expect(decideProblem(asking(), { decisionId: 'DEC_001', choice: 'proceed' })).toBeUndefined();
  });

  it('proceed: the agents may spawn and a new session is asked for', () => {
    const s = decide(asking(), { decisionId: 'DEC_001', choice: 'proceed' }, minute(2));
    expect(s.objectives[0]?.status).toBe('active');
    expect(s.decisions[0]).toMatchObject({ status: 'made', choice: 'proceed', decided: minute(2) });
    expect(s.resumeRequested).toBe(true);
    expect(ids(tasksToStart(s, 'parallel', 2))).toEqual(['TASK_001', 'TASK_002']);
    expect(decide(asking('orchestrating'), { decisionId: 'DEC_001', choice: 'proceed' }, minute(2)).resumeRequested).toBe(false);
  });

  it('cancel: the objective and its tasks fail, and its streams are free again', () => {
    const s = decide(asking(), { decisionId: 'DEC_001', choice: 'cancel' }, minute(2));
    expect(s.objectives[0]).toMatchObject({ status: 'failed', error: 'cancelled by a person' });
    expect(s.tasks.map((t) => [t.status, t.error])).toEqual(Array.from({ length: 4 }, () => ['failed', 'cancelled by a person']));
    expect(heldStreams(s)).toEqual([]);
    expect(s.resumeRequested).toBe(false);
  });
});
