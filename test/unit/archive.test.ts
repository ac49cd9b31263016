import { archivable, archiveEmpty, dropArchived, KEEP_DECISIONS } from '../../src/shared/archive';
import { decide, escalate } from '../../src/shared/decisions';
import { readyTasks } from '../../src/shared/scheduler';
import { agentReport, byId, failRunning, finishRunning, freshState, minute, planObjective, plannedTask, planStreams, spawnChosen } from '../support/reducers';
import { objectivesRun } from '../support/archive-fixture';

test('nothing is archived while state holds no more than keepTasks tasks', () => {
  expect(archivable(objectivesRun(2, 10, 2)).tasks).toEqual([]);
});

test("over keepTasks, completed objectives' tasks go oldest first until 90% of keepTasks remain", () => {
  const s = objectivesRun(4, 10, 3);
  const batch = archivable(s);
  // 40 tasks, keep 20: 22 go, so 18 remain.
  expect(batch.tasks.map((t) => t.id)).toEqual(s.tasks.slice(0, 22).map((t) => t.id));
  expect(batch.agents).toHaveLength(22);
  const after = dropArchived(s, batch);
  expect(after.tasks.map((t) => t.objectiveId)).toEqual([...Array(8).fill('OBJ_003'), ...Array(10).fill('OBJ_004')]);
  expect(after.archived).toEqual({ tasks: 22, agents: 22, objectives: 2, decisions: 0 });
  // The finished objectives whose tasks all went leave with them; OBJ_003 (tasks left) and the live one stay.
  expect(batch.objectives.map((o) => o.id)).toEqual(['OBJ_001', 'OBJ_002']);
  expect(after.objectives.map((o) => o.id)).toEqual(['OBJ_003', 'OBJ_004']);
  // What a person sees as totals is unchanged.
  expect(after.metrics).toEqual(s.metrics);
  expect(after.roster).toEqual(s.roster);
});

test('tasks of objectives still in progress are never archived, whatever the size', () => {
  const s = objectivesRun(4, 10, 0);
  expect(archivable(s).tasks).toEqual([]);
  expect(dropArchived(s, { tasks: [], agents: [] })).toBe(s);
});

// Issue 12: a stream redirect makes a task of a later objective depend on a task of an earlier one. Once the
// earlier objective completes, archiving its tasks must not strand that dependant (it would wait forever).
test('a task of a finished objective that a live task elsewhere depends on (a stream redirect) stays in state', () => {
  let s = freshState({ keepTasks: 20, confirmAbove: 100 });
  s = planStreams(s, [plannedTask('menu', { stream: 'site:1.1' })]);
  const menu = s.tasks[0]!;
  // A second goal asks for the menu again (redirected to the live task) and for the order form that needs it.
  s = planStreams(s, [plannedTask('menu-again', { stream: 'site:1.1' }), plannedTask('order', { stream: 'site:1.2', dependsOn: ['menu-again'] })]);
  const order = s.tasks.find((t) => t.stream === 'site:1.2')!;
  expect(order.dependsOn).toEqual([menu.id]);
  // Filler finished work pushes state past keepTasks.
  s = planObjective(s, Array.from({ length: 25 }, (_, i) => plannedTask(`f${i}`)));
  for (const task of s.tasks.filter((t) => t.status === 'pending' && t.id !== order.id)) {
    s = finishRunning(spawnChosen(s, task.id), task.id, agentReport(`did ${task.id}`), minute(2));
  }
  expect(byId(s.objectives, menu.objectiveId!).status).toBe('completed');
  expect(readyTasks(s).map((t) => t.id)).toEqual([order.id]);

  const batch = archivable(s);
  expect(batch.tasks.length).toBeGreaterThan(0);
  expect(batch.tasks.map((t) => t.id)).not.toContain(menu.id);
  const after = dropArchived(s, batch);
  // The dependant is still ready: never stranded.
  expect(readyTasks(after).map((t) => t.id)).toEqual([order.id]);
});

test('a dependency kept for a live dependant is archived once that dependant has finished', () => {
  let s = freshState({ keepTasks: 20, confirmAbove: 100 });
  s = planStreams(s, [plannedTask('a', { stream: 'site:1.1' }), plannedTask('b', { stream: 'site:1.2', dependsOn: ['a'] })]);
  const [a, b] = s.tasks;
  s = planStreams(s, [plannedTask('b-again', { stream: 'site:1.2' }), plannedTask('c', { stream: 'site:1.3', dependsOn: ['b-again'] })]);
  const c = s.tasks.find((t) => t.stream === 'site:1.3')!;
  s = planObjective(s, Array.from({ length: 25 }, (_, i) => plannedTask(`f${i}`)));
  for (const task of s.tasks.filter((t) => t.status === 'pending' && t.id !== c.id)) {
    s = finishRunning(spawnChosen(s, task.id), task.id, agentReport(`did ${task.id}`), minute(2));
  }
  const kept = archivable(s).tasks.map((t) => t.id);
  expect(kept).not.toContain(b!.id);
  // Once c has run, nothing live depends on a or b any more.
  s = finishRunning(spawnChosen(s, c.id), c.id, agentReport('did c'), minute(3));
  const later = archivable(s).tasks.map((t) => t.id);
  expect(later).toEqual(expect.arrayContaining([a!.id, b!.id]));
});

test('archives no more than the excess over 90% of keepTasks, even when more tasks are finished', () => {
  const s = objectivesRun(4, 10, 4);
  const batch = archivable(s);
  // 40 tasks, keep 20: 22 go, so 18 (90% of keepTasks) remain.
  expect(batch.tasks.map((t) => t.id)).toEqual(s.tasks.slice(0, 22).map((t) => t.id));
  expect(dropArchived(s, batch).tasks).toHaveLength(18);
});

test('only the archived tasks’ agents go, and never one still marked running', () => {
  let s = objectivesRun(4, 10, 3);
  // An agent of the unfinished objective that failed: it stays with its task.
  s = failRunning(spawnChosen(s, 'TASK_031'), 'TASK_031', 'broke', minute(3));
  const failed = s.agents.find((a) => a.taskId === 'TASK_031')!;
  // A (defensive) running agent on a finished task stays too.
  const runningOnDone = { ...s.agents[0]!, status: 'running' as const };
  s = { ...s, agents: [runningOnDone, ...s.agents.slice(1)] };
  const batch = archivable(s);
  expect(batch.tasks.map((t) => t.id)).toContain(runningOnDone.taskId);
  expect(batch.agents.map((a) => a.id)).not.toContain(runningOnDone.id);
  expect(batch.agents.map((a) => a.id)).not.toContain(failed.id);
  expect(batch.agents).toHaveLength(21);
});

test('a finished objective stays while any of its tasks stays, or while a pending decision is about it', () => {
  const s = objectivesRun(4, 10, 3);
  // keep 20: 22 of the 30 finished tasks go: all of OBJ_001 and OBJ_002, two of OBJ_003's ten.
  const partial = archivable(s);
  expect(partial.tasks).toHaveLength(22);
  expect(partial.objectives.map((o) => o.id)).toEqual(['OBJ_001', 'OBJ_002']);
  const asked = { ...s, decisions: [{ id: 'DEC_001', question: 'raise?', rationale: '', status: 'pending' as const, created: minute(3), session: 1, kind: 'budget' as const, objectiveId: 'OBJ_002' }] };
  expect(archivable(asked).objectives.map((o) => o.id)).toEqual(['OBJ_001']);
});

test("answered decisions go with their objective or task, and past twice KEEP_DECISIONS the oldest go; pending ones never", () => {
  let s = objectivesRun(4, 10, 3);
  // An escalation answered long ago, about no objective: it stays while answered decisions are few.
  s = escalate(s, undefined, 'bad key', minute(3));
  s = decide(s, { decisionId: 'DEC_001', choice: 'retry' }, minute(4));
  const about = { id: 'DEC_002', question: 'q', rationale: '', status: 'made' as const, created: minute(3), session: 1, kind: 'budget' as const, objectiveId: 'OBJ_001', choice: 'raise' };
  s = { ...s, decisions: [...s.decisions, about] };
  expect(archivable(s).decisions.map((d) => d.id)).toEqual(['DEC_002']);

  const many = Array.from({ length: 2 * KEEP_DECISIONS + 1 }, (_, i) => ({ ...about, id: `DEC_${String(i + 10).padStart(3, '0')}`, objectiveId: undefined }));
  const pending = { ...about, id: 'DEC_999', status: 'pending' as const, objectiveId: undefined };
  const crowded = { ...freshState({}), decisions: [pending, ...many] };
  const batch = archivable(crowded);
  expect(batch.tasks).toEqual([]);
  expect(batch.decisions).toHaveLength(KEEP_DECISIONS + 1);
  expect(batch.decisions[0]?.id).toBe('DEC_010');
  const after = dropArchived(crowded, batch);
  expect(after.decisions.map((d) => d.id)).toContain('DEC_999');
  expect(after.decisions).toHaveLength(KEEP_DECISIONS + 1);
  expect(after.archived).toMatchObject({ decisions: KEEP_DECISIONS + 1 });
  expect(archiveEmpty(archivable(after))).toBe(true);
});

test('the legacy rule (runs begun before this change replay with it): tasks alone, down to half of keepTasks', () => {
  const s = objectivesRun(4, 10, 3);
  const batch = archivable(s, undefined, true);
  expect(batch.tasks.map((t) => t.id)).toEqual(s.tasks.slice(0, 30).map((t) => t.id));
  expect([batch.objectives, batch.decisions]).toEqual([[], []]);
  // Its default is the old 500.
  expect(archivable({ ...s, config: { ...s.config, keepTasks: undefined } }, undefined, true).tasks).toEqual([]);
});
