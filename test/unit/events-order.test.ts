import { recordEvents, withEventLog } from '../../src/shared/events';
import type { OrchestrationState } from '../../src/shared/schemas';
import { agentReport, finishRunning, freshState, minute, plannedTask, planObjective, spawnChosen } from '../support/reducers';

const types = (before: OrchestrationState, after: OrchestrationState) =>
  (recordEvents(before, after, minute(9)).events?.events ?? []).slice(before.events?.events.length ?? 0).map((e) => `${e.type}:${'taskId' in e ? e.taskId : ''}`);

function base(): OrchestrationState {
  return withEventLog(planObjective(freshState(), [plannedTask('a'), plannedTask('b'), plannedTask('c')]), minute(0));
}

test('a change is reported the same whether the tasks kept their order or moved', () => {
  const s = spawnChosen(base(), 'TASK_002');
  const next = finishRunning(s, 'TASK_002', agentReport('b done'), minute(3));
  const inPlace = types(s, next);
  expect(inPlace).toContain('agent.completed:TASK_002');
  // The same change with the task array reordered (and the unchanged items the same objects) gives the same events.
  const moved = { ...next, tasks: [...next.tasks].reverse() };
  expect(types(s, moved).sort()).toEqual([...inPlace].sort());
});

test('items removed tell nothing; items appended tell the same whatever the order of the rest', () => {
  const s = spawnChosen(base(), 'TASK_001');
  expect(types(s, { ...s, tasks: s.tasks.slice(1) })).toEqual([]);
  const grown = finishRunning(planObjective(s, [plannedTask('d')]), 'TASK_001', agentReport('a done'), minute(4));
  const told = types(s, grown);
  expect(told).toContain('agent.completed:TASK_001');
  const shuffled = { ...grown, tasks: [grown.tasks[3]!, grown.tasks[0]!, grown.tasks[2]!, grown.tasks[1]!] };
  expect(types(s, shuffled).sort()).toEqual([...told].sort());
});
