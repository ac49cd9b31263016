import type { OrchestrationState } from '../../src/shared/schemas';
import { agentReport, finishRunning, freshState, minute, planObjective, plannedTask, spawnChosen } from './reducers';

/** `objectives` objectives of `each` tasks (keepTasks 20); the first `finished` objectives run to completion. */
export function objectivesRun(objectives: number, each: number, finished: number): OrchestrationState {
  let s = freshState({ keepTasks: 20 });
  for (let o = 0; o < objectives; o++) s = planObjective(s, Array.from({ length: each }, (_, i) => plannedTask(`t${i}`)));
  for (const task of s.tasks.filter((t) => Number(t.objectiveId!.slice(4)) <= finished)) {
    s = finishRunning(spawnChosen(s, task.id), task.id, agentReport(`did ${task.id}`), minute(2));
  }
  return s;
}
