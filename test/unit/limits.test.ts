import { archivable } from '../../src/shared/archive';
import { appendEvents, emptyEventLog, recordEvents, type EventBody } from '../../src/shared/events';
import { CARRIED_LIMITS, LEGACY_LIMITS, limitsOf } from '../../src/shared/limits';
import { rememberWork } from '../../src/shared/roster';
import { OrchestrationState } from '../../src/shared/schemas';
import { addObjective, recordInsight } from '../../src/shared/state';
import { carriedGrowth, GROWTH_CHECKPOINTS } from '../support/growth-sim';
import { agentReport, finishRunning, freshState, minute, planObjective, plannedTask, spawnChosen } from '../support/reducers';

// Issue 12: runs from the `carried-level` patch on carry less finished work; states without `limits` (and so every
// run replaying an older history) keep the old limits, so their archive steps replay unchanged.

const lean = (s: OrchestrationState): OrchestrationState => ({ ...s, limits: CARRIED_LIMITS });

/** A state with `n` completed tasks of one finished objective, plus one open objective so archiving has a reason. */
function finished(n: number, base = freshState()): OrchestrationState {
  let s = planObjective(base, Array.from({ length: n }, (_, i) => plannedTask(`t${i}`)));
  for (const t of s.tasks) s = finishRunning(spawnChosen(s, t.id), t.id, agentReport(`did ${t.id}`), minute(2));
  return s;
}

test('a state without limits lives by the legacy ones; the lowered ones are smaller in every part', () => {
  expect(limitsOf(freshState())).toBe(LEGACY_LIMITS);
  expect(limitsOf(lean(freshState()))).toBe(CARRIED_LIMITS);
  for (const key of Object.keys(LEGACY_LIMITS) as (keyof typeof LEGACY_LIMITS)[]) expect(CARRIED_LIMITS[key]).toBeLessThan(LEGACY_LIMITS[key]);
});

test('the limits survive the state schema, as a continue-as-new input or context file carries them', () => {
  const parsed = OrchestrationState.parse(JSON.parse(JSON.stringify(lean(freshState()))));
  expect(parsed.limits).toEqual(CARRIED_LIMITS);
  expect(OrchestrationState.parse(JSON.parse(JSON.stringify(freshState()))).limits).toBeUndefined();
});

test('archiving starts past the state’s keepTasks: 150 finished tasks stay under the legacy limit and go under the lowered one', () => {
  const s = finished(150);
  expect(archivable(s).tasks).toEqual([]);
  // Down to 90% of 100: the oldest 60 go.
  expect(archivable(lean(s)).tasks.map((t) => t.id)).toEqual(s.tasks.slice(0, 60).map((t) => t.id));
  // A configured keepTasks still wins over either default.
  expect(archivable(lean({ ...s, config: { ...s.config, keepTasks: 140 } })).tasks).toHaveLength(150 - 126);
});

test('the event log keeps the state’s eventLog events', () => {
  const where = { at: minute(0), project: 'demo', session: 1 };
  const bodies: EventBody[] = Array.from({ length: 250 }, (_, i) => ({ type: 'objective.completed', objectiveId: `OBJ_${i}` }));
  const legacy = { ...freshState(), events: appendEvents(emptyEventLog(), bodies, where) };
  expect(legacy.events.events).toHaveLength(200);
  // recordEvents (what every change goes through) trims to the state's own limit.
  const before = lean({ ...freshState(), events: appendEvents(emptyEventLog(), bodies, where, 250) });
  const after = recordEvents(before, addObjective(before, { description: 'One more goal' }, minute(1)).state, minute(1));
  expect(after.events!.events).toHaveLength(100);
  expect(after.events!.events.at(-1)).toMatchObject({ ordinal: 251, type: 'objective.added', description: 'One more goal' });
  expect(after.events!.next).toBe(252);
});

test('an agent’s work history and the state’s insights keep the lowered counts', () => {
  let s = lean(finished(1));
  const task = s.tasks[0]!;
  const name = Object.keys(s.roster)[0]!;
  for (let i = 0; i < 15; i++) s = rememberWork(s, name, { ...task, id: `TASK_${100 + i}` }, agentReport(`round ${i}`), minute(3));
  expect(s.roster[name]!.history.map((h) => h.outcome)).toEqual(Array.from({ length: 10 }, (_, i) => `round ${i + 5}`));
  for (let i = 0; i < 120; i++) s = recordInsight(s, { text: `insight ${i}` }, minute(4));
  expect(s.insights).toHaveLength(100);
  expect(s.insights.at(-1)!.text).toBe('insight 119');
  expect(s.insights[0]!.text).toBe('insight 20');
});

test('at 10,000 tasks the carried state under the lowered limits is flat and smaller than under the legacy ones', () => {
  const [small, large] = carriedGrowth(GROWTH_CHECKPOINTS, { limits: CARRIED_LIMITS });
  const [, legacy] = carriedGrowth(GROWTH_CHECKPOINTS);
  expect(large!.bytes / small!.bytes).toBeLessThanOrEqual(1.2);
  expect(large!.bytes).toBeLessThan(legacy!.bytes * 0.7);
  expect(large!.state.tasks.length).toBeLessThanOrEqual(100);
  expect(large!.state.events!.events.length).toBe(100);
});
