import * as fs from 'node:fs';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { BatonClient } from '../../src/client/baton-client';
import { connectClient, type ConnectedClient } from '../../src/client/connection';
import { workflowIdFor } from '../../src/shared/messages';
import { processTracing } from '../../src/telemetry/otel';
import { bundleWorkflows, createWorkers, runWorkers } from '../../src/workers/worker';
import { reply, startFakeAnthropic, submitPlan, submitReport, submitSynthesis, type FakeAnthropic, type FakeRequest, type FakeReply } from '../support/fake-anthropic';
import { testServerInfo } from '../support/test-server';
import { runCli } from '../support/cli';
import { temporal } from '@temporalio/proto';
import { committedHistories } from '../support/replay-histories';

const EventType = temporal.api.enums.v1.EventType;
import { runHistories, settled, uniqueProject, waitForStatus, writeScenario } from '../support/workflow-env';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver';

// One orchestration, traced end to end: the CLI's client, the workflow (through its interceptor and sink) and the
// activities export OTLP/HTTP JSON to a receiver this test runs on loopback. Model calls go to the fake Messages API.

const KEY = 'sk-' + 'ant-test-0000000000000000000000000000000000';

function model(req: FakeRequest): FakeReply {
  if (req.toolNames.includes('submit_plan')) {
    return submitPlan([{ key: 'research', role: 'researcher', mission: 'Research what the bakery homepage needs', dependsOn: [], successCriteria: ['three needs'] }]);
  }
  if (req.toolNames.includes('submit_synthesis')) return submitSynthesis({ agreements: ['Opening hours go first'], decisions: [] });
  if (req.firstUserText.includes('Research what the bakery')) return submitReport({ summary: 'Visitors want hours first', insights: ['Opening hours go first'] });
  return reply();
}

const saved = { ...process.env };
let receiver: OtlpReceiver;
let fake: FakeAnthropic;
let connected: ConnectedClient;
let native: NativeConnection;
let tracedBundle: WorkflowBundleWithSourceMap;
const abort = new AbortController();
let running: Promise<void> | undefined;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  fake = await startFakeAnthropic(model, { apiKey: KEY });
  Object.assign(process.env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_SERVICE_NAME: 'baton-trace-test',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    ANTHROPIC_BASE_URL: fake.url,
    ANTHROPIC_API_KEY: KEY,
  });
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { address, namespace } = testServerInfo();
  tracedBundle = await bundleWorkflows({ tracing: true });
  connected = await connectClient({ address, namespace, profile: 'test', configFile: 'test' });
  native = await NativeConnection.connect({ address });
  const workers = await createWorkers({ connection: native, namespace, config: { dataDir: fs.mkdtempSync('/tmp/baton-otel-'), queues: 'all', maxConcurrentAgents: 4 }, workflowBundle: tracedBundle });
  running = runWorkers(workers, abort.signal);
});

afterAll(async () => {
  abort.abort();
  await running?.catch(() => undefined);
  await connected?.close();
  await native?.close();
  await processTracing()?.shutdown();
  await fake?.close();
  await receiver?.close();
  for (const k of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME', 'OTEL_BSP_SCHEDULE_DELAY', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_API_KEY']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

async function spansUntil(trace: () => ReceivedSpan[], names: RegExp[], timeoutMs = 30_000): Promise<ReceivedSpan[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await processTracing()?.flush();
    const spans = trace();
    const missing = names.filter((n) => !spans.some((s) => n.test(s.name)));
    if (missing.length === 0) return spans;
    if (Date.now() > deadline) throw new Error(`spans never arrived: ${missing.join(", ")}; got ${spans.map((s) => s.name).join(", ")}; all ${receiver.spans.map((s) => `${s.name} ${JSON.stringify(s.attributes)}`).slice(0, 20).join("; ")}; refused ${receiver.refused.join("; ")}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('each session is its own trace: phase spans under the session, its activities under the phases, model calls under the activities', async () => {
  const project = uniqueProject('otel');
  const baton = new BatonClient(connected.client, connected.connection, testServerInfo().namespace);
  await baton.start(project, { config: { runtime: 'anthropic', budget: { maxUsd: 5 } }, objectives: ['Build the bakery homepage'] });
  await waitForStatus(baton, project, (s) => settled(s) && s.objectives.length === 1, 90_000);
  // A second objective after the first session ends starts session 2.
  await baton.addObjective(project, 'Add an order form');
  await waitForStatus(baton, project, (s) => settled(s) && s.objectives.length === 2, 90_000);

  const isRoot = (s: ReceivedSpan) => s.name === 'StartWorkflow:orchestration' && s.attributes.temporalWorkflowId === workflowIdFor(project);
  const root = (await spansUntil(() => receiver.spans.filter(isRoot), [/^StartWorkflow:orchestration$/])).find(isRoot)!;
  expect(root.parentSpanId).toBeUndefined();
  const sessionSpan = (n: number) => (s: ReceivedSpan) => s.name === `session ${n}` && s.attributes['baton.project'] === project;
  const [one, two] = [1, 2].map((n) => receiver.spans.find(sessionSpan(n)));
  const sessions = await spansUntil(() => receiver.spans.filter((s) => sessionSpan(1)(s) || sessionSpan(2)(s)), [/^session 1$/, /^session 2$/]);
  const s1 = one ?? sessions.find(sessionSpan(1))!;
  const s2 = two ?? sessions.find(sessionSpan(2))!;

  // Two sessions, two traces, neither of them the orchestration's: each session span is a root.
  expect(new Set([root.traceId, s1.traceId, s2.traceId]).size).toBe(3);
  for (const s of [s1, s2]) {
    expect(s.parentSpanId).toBeUndefined();
    // Links lead back to the orchestration's trace: the client's StartWorkflow span and the workflow run span under it.
    const startedBy = s.links.find((l) => l.attributes['baton.link'] === 'started by');
    expect(startedBy).toMatchObject({ traceId: root.traceId, spanId: root.spanId });
    // (The run span itself is exported when the run ends, which an entity workflow's run does not do here.)
    const run = s.links.find((l) => l.attributes['baton.link'] === 'workflow run');
    expect(run).toMatchObject({ traceId: root.traceId });
    expect(run!.spanId).not.toBe(root.spanId);
  }

  const names = [
    /^phase 1 context$/,
    /^phase 2 planning$/,
    /^phase 3 orchestrating$/,
    /^phase 4 synthesis$/,
    /^phase 5 preservation$/,
    /^StartActivity:planObjective$/,
    /^RunActivity:planObjective$/,
    /^StartActivity:spawnAgent$/,
    /^RunActivity:spawnAgent$/,
    /^RunActivity:synthesize$/,
    /^RunActivity:persistContext$/,
    /^model call /,
  ];
  for (const [n, session] of [[1, s1], [2, s2]] as const) {
    const spans = await spansUntil(() => receiver.spans.filter((s) => s.traceId === session.traceId), names);
    const byName = (re: RegExp) => spans.filter((s) => re.test(s.name));
    expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['baton-trace-test']));
    // Only this session's spans: one session span, its phases, its activities.
    expect(byName(/^session /).map((s) => s.spanId)).toEqual([session.spanId]);
    expect(session.attributes).toMatchObject({ 'baton.project': project, 'baton.session': n });

    const phases = byName(/^phase \d/);
    expect(phases.map((p) => p.attributes['baton.phase.number'])).toEqual(expect.arrayContaining([1, 2, 3, 4, 5]));
    for (const p of phases) {
      expect(p.parentSpanId).toBe(session.spanId);
      expect(p.attributes).toMatchObject({ 'baton.project': project, 'baton.session': n, 'baton.phase': expect.any(String) });
    }
    // Each activity the session scheduled starts under the phase it was scheduled in; the worker's run is its child.
    const phaseIds = new Set(phases.map((p) => p.spanId));
    const starts = byName(/^StartActivity:/);
    for (const start of starts) expect(phaseIds.has(start.parentSpanId!)).toBe(true);
    const phaseOf = (activity: string) => phases.find((p) => p.spanId === byName(new RegExp(`^StartActivity:${activity}$`))[0]!.parentSpanId)!.name;
    expect(phaseOf('synthesize')).toBe('phase 4 synthesis');
    expect(phaseOf('persistContext')).toBe('phase 5 preservation');
    const startAgent = byName(/^StartActivity:spawnAgent$/)[0]!;
    const runAgent = byName(/^RunActivity:spawnAgent$/)[0]!;
    expect(runAgent.parentSpanId).toBe(startAgent.spanId);
    for (const run of byName(/^RunActivity:/)) expect(starts.map((s) => s.spanId)).toContain(run.parentSpanId);

    // Model calls: children of the activity that made them, with tokens and cost as attributes.
    const calls = byName(/^model call /);
    expect(calls.length).toBeGreaterThanOrEqual(3); // planner, researcher, synthesizer
    expect(calls.some((c) => c.parentSpanId === runAgent.spanId)).toBe(true);
    for (const c of calls) {
      expect(c.attributes['baton.runtime']).toBe('anthropic');
      expect(typeof c.attributes['gen_ai.request.model']).toBe('string');
      expect(c.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
      expect(c.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
      expect(c.attributes['baton.cost_usd']).toBeGreaterThan(0);
    }
  }
  // The orchestration's own trace keeps the client's start (and the run, exported when it ends), and none of the sessions' activities.
  const spine = receiver.spans.filter((s) => s.traceId === root.traceId);
  expect(spine.filter((s) => /^(StartActivity|RunActivity):(planObjective|spawnAgent|synthesize)$/.test(s.name))).toEqual([]);
  // The key never reaches a span.
  expect(JSON.stringify(receiver.spans)).not.toContain(KEY);
  expect(receiver.refused).toEqual([]);
});

const MANY = Array.from({ length: 30 }, (_, i) => `      - { key: part${i}, role: researcher, mission: "Survey part ${i}", dependsOn: [] }`).join('\n');
const LONG_SESSION = `name: long-session
plans:
  - match: "Survey"
    tasks:
${MANY}
defaults: { delayMs: 0, files: [] }
`;

test('a session carried across continue-as-new stays one trace: the next run continues under the first run\'s session root', async () => {
  const project = uniqueProject('otelcan');
  const baton = new BatonClient(connected.client, connected.connection, testServerInfo().namespace);
  const scenario = writeScenario(fs.mkdtempSync('/tmp/baton-otel-can-'), LONG_SESSION);
  // A low threshold: the thirty tasks of session 1 span several runs.
  await baton.start(project, { config: { scenario, maxAgents: 2, continueAsNewAfterEvents: 100 }, objectives: ['Survey the field'] });
  await waitForStatus(baton, project, (s) => settled(s) && s.metrics.total_tasks_completed === 30, 120_000);
  expect((await runHistories(connected.client, workflowIdFor(project))).length).toBeGreaterThan(1);

  const mine = (s: ReceivedSpan) => s.attributes['baton.project'] === project && s.attributes['baton.session'] === 1;
  const spans = await spansUntil(() => receiver.spans.filter(mine), [/^session 1$/, /^session 1 \(continued\)$/, /^phase 4 synthesis$/]);
  const roots = spans.filter((s) => s.name === 'session 1');
  expect(roots).toHaveLength(1);
  const root = roots[0]!;
  expect(root.parentSpanId).toBeUndefined();
  // Every later run's part of the session hangs under the first run's root, in its trace; the phases of all runs too.
  const continued = spans.filter((s) => s.name === 'session 1 (continued)');
  expect(continued.length).toBeGreaterThanOrEqual(1);
  for (const c of continued) expect(c).toMatchObject({ traceId: root.traceId, parentSpanId: root.spanId });
  const parts = new Set([root.spanId, ...continued.map((c) => c.spanId)]);
  for (const p of spans.filter((s) => /^phase /.test(s.name))) {
    expect(p.traceId).toBe(root.traceId);
    expect(parts.has(p.parentSpanId!)).toBe(true);
  }
  // The agents' activities of every run are in the session's trace.
  await spansUntil(() => receiver.spans.filter((s) => s.traceId === root.traceId && s.name === 'RunActivity:spawnAgent'), [/^RunActivity:spawnAgent$/]);
  const agents = receiver.spans.filter((s) => s.traceId === root.traceId && s.name === 'StartActivity:spawnAgent');
  expect(agents.length).toBeGreaterThanOrEqual(30);
}, 180_000);

test('a CLI call exports its span before the process exits', async () => {
  const project = uniqueProject('otelcli');
  const { address } = testServerInfo();
  const base = ['--project', project, '--address', address, '--data-dir', fs.mkdtempSync('/tmp/baton-otel-cli-')];
  const r = await runCli(['new', ...base, '--json'], { OTEL_SERVICE_NAME: 'baton-cli-test' });
  expect(r.stderr).toBe('');
  const cli = (s: ReceivedSpan) => s.service === 'baton-cli-test' && s.name === 'StartWorkflow:orchestration' && s.attributes.temporalWorkflowId === workflowIdFor(project);
  await spansUntil(() => receiver.spans.filter(cli), [/^StartWorkflow:orchestration$/], 10_000);
  // The workflow's own spans (from this process's worker) join the CLI's trace.
  const root = receiver.spans.find(cli)!;
  await spansUntil(() => receiver.spans.filter((s) => s.traceId === root.traceId && s.service === 'baton-trace-test'), [/^session 1$|^phase 1 context$|^StartActivity:/], 30_000);
  await runCli(['stop', ...base]);
});

test('the traced bundle replays every committed history: the interceptors change no workflow command', async () => {
  // A history that starts child workflows or signals other workflows (a delegation tree) and was recorded by an
  // untraced worker is left out: for such histories the SDK's OpenTelemetry interceptor keeps an extra yield before
  // those commands (its OpenTelemetryInterceporsAvoidsExtraYields flag is not in them), which reorders them. README,
  // Observability, says so; traced workers record the flag, so the trees they run replay either way.
  const crossWorkflow = (h: { events?: { eventType?: number | null }[] | null }) =>
    (h.events ?? []).some((e) => e.eventType === EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED || e.eventType === EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED);
  const all = committedHistories();
  const committed = all.filter((c) => !crossWorkflow(c.history));
  // Only the delegation trees are left out.
  expect(all.filter((c) => crossWorkflow(c.history)).every((c) => c.file.startsWith('delegation'))).toBe(true);
  expect(committed.length).toBeGreaterThan(5);
  const histories = committed.map(({ workflowId, history }) => ({ workflowId, history }));
  const files = committed.map((c) => c.file);
  const tracing = processTracing()!;
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: tracedBundle, interceptors: { activity: tracing.activityInterceptors }, sinks: tracing.sinks }, histories)) {
    replayed++;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
});
