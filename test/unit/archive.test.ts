import { archivable, dropArchived } from '../../src/shared/archive';
import type { OrchestrationState } from '../../src/shared/schemas';
import { agentReport, finishRunning, freshState, minute, planObjective, plannedTask, spawnChosen } from '../support/reducers';

/** `objectives` objectives of `each` tasks; the first `finished` objectives run to completion. */
function build(objectives: number, each: number, finished: number): OrchestrationState {
  let s = freshState({ keepTasks: 20 });
  for (let o = 0; o < objectives; o++) s = planObjective(s, Array.from({ length: each }, (_, i) => plannedTask(`t${i}`)));
  for (const task of s.tasks.filter((t) => Number(t.objectiveId!.slice(4)) <= finished)) {
    s = finishRunning(spawnChosen(s, task.id), task.id, agentReport(`did ${task.id}`), minute(2));
  }
  return s;
}

test('nothing is archived while state holds no more than keepTasks tasks', () => {
  expect(archivable(build(2, 10, 2)).tasks).toEqual([]);
});

test("over keepTasks, completed objectives' tasks go oldest first until half of keepTasks remain", () => {
  const s = build(4, 10, 3);
  const batch = archivable(s);
  expect(batch.tasks.map((t) => t.id)).toEqual(s.tasks.slice(0, 30).map((t) => t.id));
  expect(batch.agents).toHaveLength(30);
  const after = dropArchived(s, batch);
  expect(after.tasks.map((t) => t.objectiveId)).toEqual(Array(10).fill('OBJ_004'));
  expect(after.archived).toEqual({ tasks: 30, agents: 30 });
  // What a person sees as totals is unchanged.
  expect(after.metrics).toEqual(s.metrics);
  expect(after.roster).toEqual(s.roster);
});

test('tasks of objectives still in progress are never archived, whatever the size', () => {
  const s = build(4, 10, 0);
  expect(archivable(s).tasks).toEqual([]);
  expect(dropArchived(s, { tasks: [], agents: [] })).toBe(s);
});
