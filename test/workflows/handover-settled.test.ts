import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { BatonClient } from '../../src/client/baton-client';
import { AGENT_TASK_QUEUE, WORKFLOW_TASK_QUEUE } from '../../src/shared/messages';
import { bundleWorkflows, runWorkers } from '../../src/workers/worker';
import { testServerInfo } from '../support/test-server';
import { runHistories, settled, uniqueProject, waitForStatus, writeScenario } from '../support/workflow-env';

// The race CI met once: the events publisher's activity completed while the context file was being written before a
// hand-over, so the state carried into the next run was not the one in the file, and the next run's delta found a
// stale file. Here every publish is held until a context write begins, and every write is slow, so the race happens
// at each hand-over instead of once in a hundred runs.

// Two objectives of 24 tasks make about 400 events, so the run hands over mid-session several times even when a loaded
// machine batches completions into fewer workflow tasks (16 tasks made 131 events: under load the one hand-over could
// fall after the session, when the test had already looked).
const PER_PLAN = 24;
const OBJECTIVES = ['Survey the field', 'Survey the shore'];
const TASKS = Array.from({ length: PER_PLAN }, (_, i) => `      - { key: t${i}, role: researcher, mission: "Survey part ${i}", dependsOn: [] }`).join('\n');
const SCENARIO = `name: handover
plans:
  - match: "survey"
    tasks:
${TASKS}
defaults: { delayMs: 0, files: [] }
`;

let connection: Connection;
let nativeConnection: NativeConnection;
let baton: BatonClient;
let running: Promise<void> | undefined;
const abort = new AbortController();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-handover-'));
let releasePublishes: (() => void)[] = [];

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { address, namespace } = testServerInfo();
  connection = await Connection.connect({ address });
  nativeConnection = await NativeConnection.connect({ address });
  baton = new BatonClient(new Client({ connection, namespace }), connection, namespace);
  const { spawnAgent, verifyWork, landWork, sweepWorktrees, publishEvents, persistContext, ...light } = createActivities({ dataDir });
  const heldPublish: typeof publishEvents = async (input) => {
    await new Promise<void>((resolve) => {
      releasePublishes.push(resolve);
      setTimeout(resolve, 4_000);
    });
    return publishEvents(input);
  };
  const slowPersist: typeof persistContext = async (input) => {
    const held = releasePublishes;
    releasePublishes = [];
    held.forEach((release) => release());
    await new Promise((r) => setTimeout(r, 300));
    return persistContext(input);
  };
  const base = { connection: nativeConnection, namespace };
  const workers = [
    await Worker.create({
      ...base,
      taskQueue: WORKFLOW_TASK_QUEUE,
      workflowBundle: await bundleWorkflows(),
      activities: { ...light, publishEvents: heldPublish, persistContext: slowPersist },
    }),
    await Worker.create({ ...base, taskQueue: AGENT_TASK_QUEUE, activities: { spawnAgent, verifyWork, landWork, sweepWorktrees } }),
  ];
  running = runWorkers(workers, abort.signal);
});
afterAll(async () => {
  abort.abort();
  await running?.catch(() => undefined);
  await nativeConnection?.close();
  await connection?.close();
});

test('a state changed while the context file is written before a hand-over is written again, so the next run builds on the file', async () => {
  const project = uniqueProject('handover');
  await baton.start(project, {
    config: { scenario: writeScenario(dataDir, SCENARIO), maxAgents: 2, continueAsNewAfterEvents: 100 },
    objectives: OBJECTIVES,
  });
  await waitForStatus(baton, project, (s) => settled(s) && s.metrics.total_tasks_completed === PER_PLAN * OBJECTIVES.length, 240_000);

  const runs = await runHistories(baton.client, `baton/${project}`);
  expect(runs.length).toBeGreaterThan(2);
  const writes: { delta: boolean; stale?: boolean }[] = [];
  for (const { history } of runs) {
    const events = history.events ?? [];
    const scheduled = new Map<string, { delta: boolean; stale?: boolean }>();
    for (const e of events) {
      const s = e.activityTaskScheduledEventAttributes;
      if (s?.activityType?.name === 'persistContext') {
        const write = { delta: defaultPayloadConverter.fromPayload<{ delta?: unknown }>(s.input!.payloads![0]!).delta !== undefined };
        scheduled.set(String(e.eventId), write);
        writes.push(write);
      }
      const done = e.activityTaskCompletedEventAttributes;
      const write = done && scheduled.get(String(done.scheduledEventId));
      if (write && done.result?.payloads?.[0]) write.stale = defaultPayloadConverter.fromPayload<{ stale?: boolean }>(done.result.payloads[0]).stale;
    }
  }
  // The first write has no file to build on; every later one is a delta the file accepts.
  expect(writes[0]).toEqual({ delta: false });
  expect(writes.slice(1).filter((w) => !w.delta || w.stale)).toEqual([]);
  const file = JSON.parse(fs.readFileSync(path.join(dataDir, project, 'context.json'), 'utf8'));
  expect(file.baton.tasks).toEqual((await baton.context(project)).baton.tasks);
}, 300_000);
