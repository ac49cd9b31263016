import * as fs from 'node:fs';
import * as path from 'node:path';
import { CARRIED_LIMITS } from '../../src/shared/limits';
import { runHistories, settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

const OBJECTIVES = 50;
const TASKS_PER_OBJECTIVE = 20;
const LANES = 5;
const THRESHOLD = 600;

/** Fifty plans of twenty tasks each: five lanes of four-task chains. */
function scenario(): string {
  const roles = ['researcher', 'analyst', 'developer', 'reviewer', 'qa'];
  const plans = Array.from({ length: OBJECTIVES }, (_, o) => {
    const tasks = Array.from({ length: TASKS_PER_OBJECTIVE }, (_, j) => {
      const deps = j >= LANES ? `[t${j - LANES}]` : '[]';
      return `      - { key: t${j}, role: ${roles[j % roles.length]}, mission: "Step ${j} of batch ${o}", dependsOn: ${deps} }`;
    });
    return `  - match: "batch ${o} "\n    tasks:\n${tasks.join('\n')}`;
  });
  return `name: long\nplans:\n${plans.join('\n')}\ndefaults: { delayMs: 0, files: [] }\n`;
}

let env: WorkflowEnv;
beforeAll(async () => {
  env = await workflowEnv();
  await env.startWorkers();
});
afterAll(async () => env?.close());

test('a thousand tasks run through one orchestration that continues-as-new along the way, losing nothing', async () => {
  const project = uniqueProject('long');
  const objectives = Array.from({ length: OBJECTIVES }, (_, o) => `Run batch ${o} of the long test`);
  await env.baton.start(project, {
    config: { scenario: writeScenario(env.dataDir, scenario()), maxAgents: 20, continueAsNewAfterEvents: THRESHOLD },
    objectives,
  });
  const total = OBJECTIVES * TASKS_PER_OBJECTIVE;
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length + (s.archived.objectives ?? 0) === OBJECTIVES && s.metrics.total_tasks_completed === total, 600_000);

  expect(done.tasks.every((t) => t.status === 'completed')).toBe(true);
  // A new orchestration lives by the lowered carried limits (patch carried-level): 100 kept tasks, 100 events.
  const { baton: state } = await env.baton.context(project);
  expect(state.limits).toEqual(CARRIED_LIMITS);
  expect(state.events!.events.length).toBe(CARRIED_LIMITS.eventLog);
  // Finished objectives' tasks moved to the archive file, so state stays small; together they are all the tasks.
  expect(done.tasks.length).toBeLessThanOrEqual(CARRIED_LIMITS.keepTasks);
  expect(done.archived.tasks + done.tasks.length).toBe(total);
  const archive = fs.readFileSync(path.join(env.dataDir, project, 'archive.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(new Set(archive.filter((l) => l.task).map((l) => l.task.id)).size).toBe(done.archived.tasks);
  expect(done.objectives.every((o) => o.status === 'completed')).toBe(true);
  // Completed objectives left state with their last tasks: in the archive file, once each.
  expect(new Set(archive.filter((l) => l.objective).map((l) => l.objective.id)).size).toBe(done.archived.objectives);
  expect(done.objectives.length).toBeLessThan(OBJECTIVES);
  expect(done.metrics).toMatchObject({ total_sessions: 1, total_tasks_completed: 1000, total_agents_spawned: 1000, total_tasks_failed: 0 });
  // Each agent name belongs to one profile whose history counts its tasks: nothing doubled or lost at a boundary.
  expect(done.team.reduce((n, a) => n + a.tasksCompleted, 0)).toBe(1000);

  const runs = await runHistories(env.baton.client, `baton/${project}`);
  expect(runs.length).toBeGreaterThan(3);
  for (const { history } of runs) {
    // A run hands over at the threshold once its in-flight agents (at most 20) have drained.
    expect(history.events?.length ?? 0).toBeLessThan(THRESHOLD + 20 * 12);
  }
}, 660_000);
