import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { runHistories, settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

const BIG = Array.from({ length: 30 }, (_, i) => `      - { key: big${i}, role: researcher, mission: "Survey part ${i} of the field", dependsOn: [] }`).join('\n');
const SCENARIO = `name: delta
plans:
  - match: "session 1 "
    tasks:
${BIG}
  - match: "session "
    tasks:
      - { key: a, role: developer, mission: "First step", dependsOn: [] }
      - { key: b, role: developer, mission: "Second step", dependsOn: [a] }
defaults: { delayMs: 0, files: [] }
`;

let env: WorkflowEnv;
beforeAll(async () => {
  env = await workflowEnv();
  await env.startWorkers();
});
afterAll(async () => env?.close());

type Persist = { input: { delta?: unknown; state?: unknown }; inputBytes: number; stale?: boolean };

/** Each persistContext call in the history: its input (delta or full state), its size and whether the file was stale. */
function persists(events: temporal.api.history.v1.IHistoryEvent[]): Persist[] {
  const out = new Map<string, Persist>();
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'persistContext') {
      const payload = scheduled.input?.payloads?.[0] ?? {};
      out.set(String(e.eventId), { input: defaultPayloadConverter.fromPayload(payload), inputBytes: payload.data?.length ?? 0 });
    }
    const done = e.activityTaskCompletedEventAttributes;
    const mine = done && out.get(String(done.scheduledEventId));
    if (mine && done.result?.payloads?.[0]) mine.stale = defaultPayloadConverter.fromPayload<{ stale?: boolean }>(done.result.payloads[0]).stale;
  }
  return [...out.values()];
}

test('after the first session the context file is written from a delta, and it matches the state', async () => {
  const project = uniqueProject('delta');
  await env.baton.start(project, { config: { scenario: writeScenario(env.dataDir, SCENARIO), maxAgents: 2 }, objectives: ['Work of session 1 (thirty tasks)'] });
  for (let n = 1; n <= 3; n++) {
    if (n > 1) await env.baton.addObjective(project, `Work of session ${n} (two tasks)`);
    await waitForStatus(env.baton, project, (s) => settled(s) && s.metrics.total_sessions === n && s.metrics.total_tasks_completed === 30 + 2 * (n - 1), 120_000);
  }
  const history = await env.baton.client.workflow.getHandle(`baton/${project}`).fetchHistory();
  const calls = persists(history.events ?? []);
  expect(calls).toHaveLength(3);
  // The first write has no file to build on: the whole state. The later ones carry only what changed.
  expect(calls[0]).toMatchObject({ input: { state: expect.any(Object) } });
  for (const later of calls.slice(1)) {
    expect(later.input.delta).toBeDefined();
    expect(later.input.state).toBeUndefined();
    expect(later.stale).toBeUndefined();
    // Two tasks of change against thirty tasks of state.
    expect(later.inputBytes).toBeLessThan(calls[0]!.inputBytes / 2);
  }
  // The file written from deltas is the document the workflow itself exports.
  const file = JSON.parse(fs.readFileSync(path.join(env.dataDir, project, 'context.json'), 'utf8'));
  const live = await env.baton.context(project);
  expect(file.baton.tasks).toEqual(live.baton.tasks);
  expect(file.baton.metrics).toEqual(live.baton.metrics);
  expect(file.completed_tasks).toEqual(live.completed_tasks);
}, 300_000);

test('across continue-as-new the context keeps being written from deltas: each run catches the file up before it hands over', async () => {
  const project = uniqueProject('delta-can');
  await env.baton.start(project, {
    // A low threshold: the sixty tasks of session 1 (about 400 events) span several runs, even when a loaded machine
    // batches completions into fewer workflow tasks (thirty made too few events to be sure of three runs).
    config: { scenario: writeScenario(env.dataDir, SCENARIO), maxAgents: 2, continueAsNewAfterEvents: 100 },
    objectives: ['Work of session 1 (thirty tasks)', 'More work of session 1 (thirty tasks)'],
  });
  await waitForStatus(env.baton, project, (s) => settled(s) && s.metrics.total_sessions === 1 && s.metrics.total_tasks_completed === 60, 240_000);
  await env.baton.addObjective(project, 'Work of session 2 (two tasks)');
  await waitForStatus(env.baton, project, (s) => settled(s) && s.metrics.total_sessions === 2 && s.metrics.total_tasks_completed === 62, 120_000);

  const runs = await runHistories(env.baton.client, `baton/${project}`);
  expect(runs.length).toBeGreaterThan(2);
  const calls = runs.flatMap(({ history }) => persists(history.events ?? []));
  // One write before each hand-over and one at the end of each session.
  expect(calls.length).toBeGreaterThanOrEqual(runs.length + 1);
  expect(calls[0]).toMatchObject({ input: { state: expect.any(Object) } });
  for (const later of calls.slice(1)) {
    expect(later.input.state).toBeUndefined();
    expect(later.stale).toBeUndefined();
  }
  const file = JSON.parse(fs.readFileSync(path.join(env.dataDir, project, 'context.json'), 'utf8'));
  const live = await env.baton.context(project);
  expect(file.baton.tasks).toEqual(live.baton.tasks);
  expect(file.metrics).toEqual(live.metrics);
}, 420_000);
