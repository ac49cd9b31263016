import { freshState, minute, plannedTask, planStreams, target } from '../support/reducers';
import type { PlannedTask } from '../../src/shared/activity-types';
import type { Decision, OrchestrationState } from '../../src/shared/schemas';
import { addObjective, markPlanning, setPhase } from '../../src/shared/state';
import { applyStreamPlan, resolveConfirmation } from '../../src/shared/streams';

const site = (config: Record<string, unknown> = {}) => freshState({ targets: [target('site')], ...config });
const stream = (ref: string) => plannedTask(`s${ref.replace(/\D/g, '')}`, { stream: ref });

/** Add an objective worded `description` and plan it through applyStreamPlan, as the workflow does. */
function planGoal(state: OrchestrationState, description: string, plan: PlannedTask[]): OrchestrationState {
  const added = addObjective(state, { description }, minute(0));
  return applyStreamPlan(markPlanning(added.state, [added.objective.id]), added.objective.id, plan, undefined, minute(0));
}

const confirmOf = (state: OrchestrationState, objectiveId: string): Decision => {
  const found = state.decisions.find((d) => d.kind === 'confirm' && d.objectiveId === objectiveId);
  if (!found) throw new Error(`test: no confirmation for ${objectiveId}`);
  return found;
};
const statuses = <T extends { id: string; status: string }>(items: T[]) => items.map((i) => [i.id, i.status]);

describe('applyStreamPlan', () => {
  it('gives the recovery action only to the new task, not to an older task of the same key', () => {
    let s = planStreams(site(), [plannedTask('build')]);
    s = planStreams(s, [plannedTask('build', { recovery: 'escalate' })]);
    expect(s.tasks.map((t) => [t.id, t.recovery?.policy])).toEqual([
      ['TASK_001', undefined],
      ['TASK_002', 'escalate'],
    ]);
  });

  it('names each held stream with the task holding it, comma-separated', () => {
    let s = planStreams(site(), [stream('site:1.1'), stream('site:1.2')]);
    s = planStreams(s, [stream('site:1.1'), stream('site:1.2')]);
    expect(s.objectives[1]).toMatchObject({ status: 'failed', error: 'nothing new to run: already being worked on: site:1.1 (TASK_001), site:1.2 (TASK_002)' });
  });

  it('cuts a long list of held streams at 500 characters', () => {
    const plan = Array.from({ length: 40 }, (_, i) => stream(`site:1.${i + 1}`));
    let s = planStreams(site({ confirmAbove: 1000 }), plan);
    s = planStreams(s, plan);
    const error = s.objectives[1]!.error ?? '';
    expect(error).toHaveLength(500);
    expect(error.startsWith('nothing new to run: already being worked on: site:1.1 (TASK_001), site:1.2 (TASK_002), ')).toBe(true);
  });
});

describe('asking to confirm a large plan', () => {
  it('quotes the objective being planned, not an earlier one', () => {
    let s = planGoal(site({ confirmAbove: 2 }), 'Fix the footer', [plannedTask('free')]);
    s = planGoal(s, 'Rebuild the menu pages', [stream('site:2.1'), stream('site:2.2'), stream('site:2.3')]);
    expect(confirmOf(s, 'OBJ_002').question).toBe(
      'I found 3 work streams for "Rebuild the menu pages": site:2.1, site:2.2, site:2.3. This spawns 3 agents (at most 3 at a time). Proceed?',
    );
  });

  it('quotes at most 120 characters of the objective', () => {
    const description = `Rebuild every menu page ${'with prices, allergens and photos '.repeat(6)}`;
    expect(description.length).toBeGreaterThan(120);
    const s = planGoal(site({ confirmAbove: 2 }), description, [stream('site:2.1'), stream('site:2.2'), stream('site:2.3')]);
    expect(confirmOf(s, 'OBJ_001').question.startsWith(`I found 3 work streams for "${description.slice(0, 120)}": site:2.1`)).toBe(true);
  });
});

describe('resolveConfirmation', () => {
  /** Two objectives, each waiting for a person to confirm its three streams. */
  function twoWaiting(): OrchestrationState {
    const s = planGoal(site({ confirmAbove: 2 }), 'Rebuild the menu', [stream('site:1.1'), stream('site:1.2'), stream('site:1.3')]);
    return planGoal(s, 'Rebuild the shop', [stream('site:2.1'), stream('site:2.2'), stream('site:2.3')]);
  }

  it('proceeding lets only the confirmed objective go on; the other keeps waiting', () => {
    const s = twoWaiting();
    expect(statuses(s.objectives)).toEqual([['OBJ_001', 'confirming'], ['OBJ_002', 'confirming']]);
    const next = resolveConfirmation(s, confirmOf(s, 'OBJ_002'), 'proceed', minute(3));
    expect(statuses(next.objectives)).toEqual([['OBJ_001', 'confirming'], ['OBJ_002', 'active']]);
  });

  it('proceeding does not revive an objective that ended meanwhile', () => {
    const s = twoWaiting();
    const ended = { ...s, objectives: s.objectives.map((o) => (o.id === 'OBJ_001' ? { ...o, status: 'failed' as const, error: 'stopped by a person' } : o)) };
    const next = resolveConfirmation(ended, confirmOf(s, 'OBJ_001'), 'proceed', minute(3));
    expect(statuses(next.objectives)).toEqual([['OBJ_001', 'failed'], ['OBJ_002', 'confirming']]);
  });

  it('proceeding while paused asks to resume, as while idle', () => {
    const paused = setPhase(twoWaiting(), 'paused');
    expect(paused.resumeRequested).toBeFalsy();
    expect(resolveConfirmation(paused, confirmOf(paused, 'OBJ_001'), 'proceed', minute(3)).resumeRequested).toBe(true);
  });

  it('cancelling drops the waiting tasks of that objective only, and leaves a task that already ended as it was', () => {
    const s = twoWaiting();
    const oneEnded = { ...s, tasks: s.tasks.map((t) => (t.id === 'TASK_001' ? { ...t, status: 'completed' as const, completed: minute(2) } : t)) };
    const next = resolveConfirmation(oneEnded, confirmOf(s, 'OBJ_001'), 'cancel', minute(3));
    expect(next.tasks.map((t) => [t.id, t.status, t.error])).toEqual([
      ['TASK_001', 'completed', undefined],
      ['TASK_002', 'failed', 'cancelled by a person'],
      ['TASK_003', 'failed', 'cancelled by a person'],
      ['TASK_004', 'pending', undefined],
      ['TASK_005', 'pending', undefined],
      ['TASK_006', 'pending', undefined],
    ]);
    expect(next.tasks[0]!.completed).toBe(minute(2));
  });
});
