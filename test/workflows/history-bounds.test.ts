import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { HISTORY_BOUNDS } from '../../src/shared/scheduler';
import { testServerInfo } from '../support/test-server';
import { runHistories, settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

const OBJECTIVES = 24;
const TASKS_PER_OBJECTIVE = 20;
/** Bulky missions (as pasted specs are): each crosses history in the plan, the agent's input and the persisted context. */
const MISSION_CHARS = 1_900;

function scenario(): string {
  const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(Math.ceil(MISSION_CHARS / 57)).slice(0, MISSION_CHARS);
  const plans = Array.from({ length: OBJECTIVES }, (_, o) => {
    const tasks = Array.from({ length: TASKS_PER_OBJECTIVE }, (_, j) => {
      const deps = j >= 5 ? `[t${j - 5}]` : '[]';
      return `      - { key: t${j}, role: developer, mission: "Step ${j} of batch ${o}: ${filler}", dependsOn: ${deps} }`;
    });
    return `  - match: "batch ${o} "\n    tasks:\n${tasks.join('\n')}`;
  });
  return `name: bulky\nplans:\n${plans.join('\n')}\ndefaults: { delayMs: 0, files: [] }\n`;
}

let env: WorkflowEnv;
beforeAll(async () => {
  env = await workflowEnv();
  await env.startWorkers();
});
afterAll(async () => env?.close());

test('with no threshold configured, every run of a bulky orchestration stays under 4 MB and 4,096 events and a default client fetches it', async () => {
  const project = uniqueProject('bounds');
  await env.baton.start(project, {
    // No continueAsNewAfterEvents: the history bounds alone decide when a run hands over.
    config: { scenario: writeScenario(env.dataDir, scenario()), maxAgents: 20, keepTasks: 60 },
    objectives: Array.from({ length: OBJECTIVES }, (_, o) => `Run batch ${o} of the bulky test`),
  });
  const total = OBJECTIVES * TASKS_PER_OBJECTIVE;
  const done = await waitForStatus(env.baton, project, (s) => settled(s) && s.objectives.length + (s.archived.objectives ?? 0) === OBJECTIVES && s.metrics.total_tasks_completed === total, 600_000);
  expect(done.metrics).toMatchObject({ total_tasks_completed: total, total_tasks_failed: 0 });

  // A client with gRPC's default limits, as `temporal workflow show` or a debugging script would use.
  const { address, namespace } = testServerInfo();
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const runs = await runHistories(client, `baton/${project}`);
    // The bulk forced at least one hand-over on size.
    expect(runs.length).toBeGreaterThan(1);
    let largest = 0;
    for (const { history } of runs) {
      const bytes = temporal.api.history.v1.History.encode(history).finish().length;
      largest = Math.max(largest, bytes);
      expect(history.events?.length ?? 0).toBeLessThan(HISTORY_BOUNDS.events);
      expect(bytes).toBeLessThan(HISTORY_BOUNDS.bytes);
    }
    // The runs were big enough for the byte bound to be what ended them.
    expect(largest).toBeGreaterThan(HISTORY_BOUNDS.bytes / 4);
  } finally {
    await connection.close();
  }
}, 660_000);
