import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { createAnthropicRuntime } from '../../src/agents/anthropic/anthropic-runtime';
import { BatonClient } from '../../src/client/baton-client';
import { AGENT_TASK_QUEUE, WORKFLOW_TASK_QUEUE } from '../../src/shared/messages';
import { bundleWorkflows, runWorkers } from '../../src/workers/worker';
import { call, fault, reply, slow, startFakeAnthropic, submitPlan, submitReport, submitSynthesis, type FakeAnthropic, type FakeReply, type FakeRequest } from '../support/fake-anthropic';
import { TEST_API_KEY } from '../support/fake-anthropic/harness';
import { testServerInfo } from '../support/test-server';
import { settled, uniqueProject, waitForStatus } from '../support/workflow-env';

/** The runtime's per-request timeout here: a reply slower than this is a timeout, retried by Temporal. */
const REQUEST_TIMEOUT_MS = 1500;

const FAULTY = '(faulty-run)';
const UNAUTHORIZED = '(auth-401)';
const BAD_REQUEST = '#bad-400';

/** What the fault injector did to one request. */
interface Injected {
  index: number;
  kind: FaultKind;
  key: string;
}

type FaultKind = 'rate-limited' | 'timeout' | 'malformed' | 'overloaded' | 'mid-stream' | 'server-error';
const KINDS: FaultKind[] = ['rate-limited', 'timeout', 'malformed', 'overloaded', 'mid-stream', 'server-error'];

const TASKS = [
  { key: 'research-menu', role: 'researcher', mission: 'Research what the bakery menu page needs', dependsOn: [] },
  { key: 'research-hours', role: 'researcher', mission: 'Research how bakeries show opening hours', dependsOn: [] },
  { key: 'analyse-traffic', role: 'analyst', mission: 'Analyse which pages visitors open first', dependsOn: [] },
  { key: 'build-menu', role: 'developer', mission: 'Write site/menu.html', dependsOn: ['research-menu'] },
  { key: 'build-home', role: 'developer', mission: 'Write site/index.html', dependsOn: ['research-hours', 'analyse-traffic'] },
  { key: 'review', role: 'reviewer', mission: 'Review site/index.html', dependsOn: ['build-home', 'build-menu'] },
  { key: 'qa', role: 'qa', mission: 'Check the pages link to each other', dependsOn: ['build-home', 'build-menu'] },
  { key: 'advise', role: 'advisor', mission: 'Advise on the launch order', dependsOn: ['review'] },
];

/** The fake model's right answer to `req`: planner, specialists (some with a tool turn first), synthesizer. */
function answer(req: FakeRequest): FakeReply {
  const answered = req.lastToolResults.length > 0;
  const text = req.firstUserText;
  if (req.toolNames.includes('submit_plan')) {
    if (text.includes(UNAUTHORIZED)) return fault.unauthorized();
    if (text.includes('(bad-request-400)')) return submitPlan([{ key: 'send', role: 'executor', mission: `Send the launch request ${BAD_REQUEST}`, dependsOn: [] }]);
    return submitPlan(TASKS.map((t) => ({ ...t, successCriteria: ['done'] })));
  }
  if (req.toolNames.includes('submit_synthesis')) return submitSynthesis({ agreements: ['Hours go first'] });
  if (text.includes(BAD_REQUEST)) return fault.badRequest();
  const write = /Write (site\/\w+\.html)/.exec(text);
  if (write) {
    if (!answered) return reply(call('write_file', { path: write[1], content: '<h1>Crumb &amp; Co.</h1><p>Open 7–15</p>' }));
    return submitReport({ summary: `Wrote ${write[1]}`, artifacts: [write[1]] });
  }
  if (text.includes('Review site/index.html')) {
    if (!answered) return reply(call('read_file', { path: 'site/index.html' }));
    return submitReport({ summary: req.lastToolResults[0]?.content.includes('Open 7–15') ? 'Accepted: hours are on the page' : 'Rejected: no hours' });
  }
  const mission = TASKS.find((t) => text.includes(t.mission));
  return submitReport(mission ? { summary: `Done: ${mission.mission}` } : { status: 'failure', summary: `unexpected request: ${text.slice(0, 80)}` });
}

/** Same agent, same turn: the system prompt, the first user message and how many messages came before. */
function faultKey(req: FakeRequest): string {
  return `${req.system.slice(0, 60)}|${req.firstUserText}|${Array.isArray(req.body?.messages) ? req.body.messages.length : 0}`;
}

/** `right` replaced by a fault of `kind`. */
function faulted(kind: FaultKind, req: FakeRequest, right: FakeReply): FakeReply {
  switch (kind) {
    case 'rate-limited':
      return fault.rateLimited({ 'retry-after': req.index % 2 ? '1' : '0' });
    case 'timeout':
      return slow(REQUEST_TIMEOUT_MS + 1500, right);
    case 'malformed':
      return fault.malformed();
    case 'overloaded':
      return fault.overloaded();
    case 'mid-stream':
      return fault.midStream();
    case 'server-error':
      return fault.serverError();
  }
}

/**
 * Every third request of the faulty run gets the next fault in turn, but a given request (same agent, same turn)
 * is faulted at most once, so each activity fails at most once per turn and stays within its retry budget.
 */
function injector() {
  const injected: Injected[] = [];
  const seen = new Set<string>();
  let next = 0;
  const model = (req: FakeRequest): FakeReply => {
    const right = answer(req);
    if (!`${req.system}\n${req.firstUserText}`.includes(FAULTY)) return right;
    const key = faultKey(req);
    if (req.index % 3 !== 2 || seen.has(key)) return right;
    seen.add(key);
    let kind = KINDS[next % KINDS.length]!;
    // A non-streamed request cannot fail midway: it gets a server error and the mid-stream fault waits for a streamed one.
    if (kind === 'mid-stream' && !req.stream) kind = 'server-error';
    else next++;
    injected.push({ index: req.index, kind, key });
    return faulted(kind, req, right);
  };
  return { injected, model };
}

const saved = { url: process.env.ANTHROPIC_BASE_URL, key: process.env.ANTHROPIC_API_KEY };
const faults = injector();
let fake: FakeAnthropic;
let baton: BatonClient;
let connection: Connection;
let nativeConnection: NativeConnection;
const abort = new AbortController();
let running: Promise<void>;

beforeAll(async () => {
  fake = await startFakeAnthropic(faults.model, { apiKey: TEST_API_KEY });
  process.env.ANTHROPIC_BASE_URL = fake.url;
  process.env.ANTHROPIC_API_KEY = TEST_API_KEY;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const { address, namespace } = testServerInfo();
  connection = await Connection.connect({ address });
  nativeConnection = await NativeConnection.connect({ address });
  baton = new BatonClient(new Client({ connection, namespace }), connection, namespace);
  // The worker's own runtime reads the key and base URL from the environment; only its request timeout is shortened.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-llm-faults-'));
  const { spawnAgent, ...light } = createActivities({ dataDir, runtimes: { anthropic: createAnthropicRuntime({ timeoutMs: REQUEST_TIMEOUT_MS, heartbeatEveryMs: 500 }) } });
  const base = { connection: nativeConnection, namespace };
  const workers = [
    await Worker.create({ ...base, taskQueue: WORKFLOW_TASK_QUEUE, workflowBundle: await bundleWorkflows(), activities: light }),
    await Worker.create({ ...base, taskQueue: AGENT_TASK_QUEUE, activities: { spawnAgent }, maxConcurrentActivityTaskExecutions: 20 }),
  ];
  running = runWorkers(workers, abort.signal);
});
afterAll(async () => {
  abort.abort();
  await running?.catch(() => undefined);
  await nativeConnection?.close();
  await connection?.close();
  await fake?.close();
  process.env.ANTHROPIC_BASE_URL = saved.url;
  process.env.ANTHROPIC_API_KEY = saved.key;
});

const requestsWith = (marker: string) => fake.requests.filter((r) => r.firstUserText.includes(marker)).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('with ~30% of calls failing (429, 529, 500, timeouts, malformed bodies, mid-stream errors) a full anthropic orchestration completes', async () => {
  const project = uniqueProject('llm-faults');
  const started = Date.now();
  await baton.start(project, { config: { runtime: 'anthropic', maxAgents: 4 }, objectives: [`Build the bakery site ${FAULTY}`] });
  const done = await waitForStatus(baton, project, (s) => settled(s) && s.objectives.length === 1, 90_000);

  expect(done.objectives.map((o) => [o.status, o.error])).toEqual([['completed', undefined]]);
  expect(done.tasks.map((t) => [t.role, t.status])).toEqual(TASKS.map((t) => [t.role, 'completed']));
  expect(done.tasks.find((t) => t.mission === 'Review site/index.html')?.outcome).toContain('Accepted');
  expect(done.pendingDecisions).toEqual([]);
  expect(done.metrics.total_tasks_failed).toBe(0);

  const calls = fake.requests.filter((r) => `${r.system}\n${r.firstUserText}`.includes(FAULTY));
  const share = faults.injected.length / calls.length;
  const kinds = new Set(faults.injected.map((f) => f.kind));
  process.stdout.write(`llm faults: ${faults.injected.length}/${calls.length} calls faulted (${Math.round(share * 100)}%), kinds ${[...kinds].join(', ')}, ${Date.now() - started} ms\n`);
  expect(share).toBeGreaterThanOrEqual(0.2);
  expect(share).toBeLessThanOrEqual(0.4);
  expect([...kinds].sort()).toEqual([...KINDS].sort());
  // Every faulted request was answered on a retry, and nothing retried more than the fault needed.
  for (const f of faults.injected) expect(calls.filter((r) => r.index > f.index && faultKey(r) === f.key).length).toBeGreaterThanOrEqual(1);
  expect(calls.length).toBeLessThanOrEqual(2 * (calls.length - faults.injected.length));
});

test('a rejected key (401) at planning becomes an escalation after one request, not a retry loop', async () => {
  const project = uniqueProject('llm-401');
  await baton.start(project, { config: { runtime: 'anthropic' }, objectives: [`Plan the launch ${UNAUTHORIZED}`] });
  const waiting = await waitForStatus(baton, project, (s) => s.phase === 'idle' && s.pendingDecisions.length === 1, 30_000);
  expect(waiting.pendingDecisions[0]).toMatchObject({ kind: 'escalation', status: 'pending' });
  expect(waiting.pendingDecisions[0]!.question).toMatch(/ANTHROPIC_API_KEY was rejected \(401 authentication_error/);
  expect(waiting.objectives[0]!.status).toBe('pending');
  // Longer than Temporal's first retry interval (1 s): a retry would have arrived by now.
  await sleep(2500);
  expect(requestsWith(UNAUTHORIZED)).toBe(1);
  expect((await baton.status(project)).pendingDecisions).toHaveLength(1);
});

test('a refused request (400) from a specialist becomes an escalation after one request, not a retry loop', async () => {
  const project = uniqueProject('llm-400');
  await baton.start(project, { config: { runtime: 'anthropic' }, objectives: ['Prepare the release (bad-request-400)'] });
  const waiting = await waitForStatus(baton, project, (s) => s.phase === 'idle' && s.pendingDecisions.length === 1, 30_000);
  expect(waiting.pendingDecisions[0]).toMatchObject({ kind: 'escalation', status: 'pending' });
  expect(waiting.pendingDecisions[0]!.question).toMatch(/refused the request \(400 invalid_request_error/);
  const decision = waiting.pendingDecisions[0]!.id;
  expect(waiting.tasks.map((t) => [t.status, t.hold])).toEqual([['stopped', { kind: 'escalation', reason: expect.stringContaining('400 invalid_request_error'), decisionId: decision }]]);
  await sleep(2500);
  expect(requestsWith(BAD_REQUEST)).toBe(1);
});
