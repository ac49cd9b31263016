import { closeNatsConnections } from '../../src/nats/bus';
import { type BatonEvent, type EventsPage, waitEventsUpdate } from '../../src/shared/events';
import { workflowIdFor } from '../../src/shared/messages';
import { natsWithSubscriber } from '../support/nats';
import { settled, uniqueProject, waitForStatus, workflowEnv, writeScenario, type WorkflowEnv } from '../support/workflow-env';

const SCENARIO = `
name: events-test
plans:
  - match: "menu"
    tasks:
      - { key: research, role: researcher, mission: "Research the menu" }
      - { key: build, role: developer, mission: "Build the menu page", dependsOn: [research] }
      - { key: review, role: reviewer, mission: "Review the page", dependsOn: [build] }
  - match: "news"
    tasks:
      - { key: news, role: developer, mission: "Write the news page" }
defaults: { delayMs: 100 }
`;

let env: WorkflowEnv;
let scenario: string;
let nats: Awaited<ReturnType<typeof natsWithSubscriber>>;

beforeAll(async () => {
  nats = await natsWithSubscriber('baton.>');
  // The worker's activities read NATS_URL per call, as a real worker reads it from its environment.
  process.env.NATS_URL = nats.server.url;
  env = await workflowEnv();
  scenario = writeScenario(env.dataDir, SCENARIO);
  await env.startWorkers();
});
afterAll(async () => {
  await env?.close();
  await closeNatsConnections();
  await nats?.close();
  delete process.env.NATS_URL;
});

/** Read every event the way `baton watch` does: long-poll from the last ordinal until `until` holds. */
async function follow(project: string, until: (e: BatonEvent) => boolean): Promise<{ events: BatonEvent[]; missed: number; polls: number }> {
  const handle = env.baton.client.workflow.getHandle(workflowIdFor(project));
  const events: BatonEvent[] = [];
  let after = 0;
  let missed = 0;
  let polls = 0;
  for (;;) {
    const page: EventsPage = await handle.executeUpdate(waitEventsUpdate, { args: [{ afterOrdinal: after, waitMs: 5000 }] });
    polls++;
    missed += page.missed;
    events.push(...page.events);
    after = page.events.at(-1)?.ordinal ?? after;
    if (page.events.some(until)) return { events, missed, polls };
  }
}

test('a session read by long-poll: every phase entered and completed in order, ordinals without a gap, and the same events on NATS', async () => {
  const project = uniqueProject('events');
  await env.baton.start(project, { config: { scenario, maxAgents: 2 }, objectives: ['The menu', 'The news'] });
  const { events, missed } = await follow(project, (e) => e.type === 'phase.entered' && e.phase === 'idle');

  expect(missed).toBe(0);
  expect(events.map((e) => e.ordinal)).toEqual(events.map((_, i) => i + 1));
  expect(events[0]).toMatchObject({ type: 'orchestration.started', project });
  const phases = events.filter((e) => e.type === 'phase.entered' || e.type === 'phase.completed').map((e) => `${e.type === 'phase.entered' ? '>' : '<'}${e.number ?? e.phase}`);
  // Phase 2 or 3 may be entered again mid-session; the first entries are what a reader announces.
  const firstEntries = [...new Set(phases.filter((p) => p.startsWith('>')))];
  expect(firstEntries).toEqual(['>1', '>2', '>3', '>4', '>5', '>idle']);
  expect(phases.filter((p) => p === '<5')).toHaveLength(1);
  const count = (type: string) => events.filter((e) => e.type === type).length;
  expect(count('objective.added')).toBe(2);
  expect(count('objective.planned')).toBe(2);
  expect(count('objective.completed')).toBe(2);
  expect(count('agent.spawned')).toBe(4);
  expect(count('agent.completed')).toBe(4);
  const final = await waitForStatus(env.baton, project, settled);
  expect(final.metrics.total_tasks_completed).toBe(4);

  // Any NATS subscriber sees the same events, in order, on seed-003 subjects.
  const deadline = Date.now() + 20_000;
  const mine = () => nats.received.filter((m) => m.subject.startsWith(`baton.${project}.`));
  while (mine().length < events.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(mine().map((m) => m.data.ordinal)).toEqual(events.map((e) => e.ordinal));
  expect(mine().map((m) => m.data)).toEqual(events);
  const subjects = mine().map((m) => m.subject);
  expect(subjects[0]).toBe(`baton.${project}.orchestration.started`);
  for (const n of [1, 2, 3, 4, 5]) expect(subjects).toContain(`baton.${project}.phase.${n}`);
  const completed = events.find((e) => e.type === 'agent.completed');
  expect(subjects).toContain(`baton.${project}.agent.${completed?.type === 'agent.completed' ? completed.name : '?'}.complete`);
});

test('a bad events request is refused with a reason, and the orchestration carries on', async () => {
  const project = uniqueProject('events-bad');
  await env.baton.start(project, { config: { scenario }, objectives: ['The news'] });
  const handle = env.baton.client.workflow.getHandle(workflowIdFor(project));
  await expect(env.baton.update(project, waitEventsUpdate, { afterOrdinal: -1 })).rejects.toThrow(/waitEvents rejected: afterOrdinal: afterOrdinal must be ≥ 0/);
  await expect(env.baton.update(project, waitEventsUpdate, { afterOrdinal: 0, waitMs: 120_000 })).rejects.toThrow(/waitMs must be at most 60000/);
  await expect(env.baton.update(project, waitEventsUpdate, { afterOrdinal: 0, since: 3 } as never)).rejects.toThrow(/since/);
  const final = await waitForStatus(env.baton, project, settled);
  expect(final.objectives[0]?.status).toBe('completed');
  // A reader that asks from ordinal 0 after the session still gets everything, from the start.
  const page = await handle.executeUpdate(waitEventsUpdate, { args: [{ afterOrdinal: 0 }] });
  expect(page.events[0]?.ordinal).toBe(1);
  expect(page.missed).toBe(0);
  expect(page.phase).toBe('idle');
});
