import * as path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { createCommandRuntime } from '../../src/agents/command/command-runtime';
import type { AgentReport } from '../../src/shared/activity-types';
import { processTracing } from '../../src/telemetry/otel';
import { call, reply, say, structuredReport } from '../support/fake-anthropic';
import { claudeAgentInput, claudeCodeHarness, type ClaudeCodeHarness } from '../support/fake-anthropic/claude-code';
import { TEST_API_KEY } from '../support/fake-anthropic/harness';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from './otlp-receiver';

// Model-call spans of the two runtimes that run a program: the real Claude Code binary against the fake Messages API, and a CLI
// agent (a fixture printing `claude -p`'s JSON envelope). Each activity runs under the OpenTelemetry activity interceptor, as on a
// traced worker, and the spans go over OTLP/HTTP JSON to a receiver on loopback.

const CLI_AGENT = path.join(__dirname, '..', 'agents', 'fixtures', 'cli-agent.js');
const saved = { ...process.env };
let receiver: OtlpReceiver;
let h: ClaudeCodeHarness;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  Object.assign(process.env, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: 'baton-model-spans', OTEL_BSP_SCHEDULE_DELAY: '100' });
  h = await claudeCodeHarness({
    scripts: [
      {
        match: 'Role: developer',
        replies: [
          reply(say('Writing the page.'), call('Write', { file_path: 'site/index.html', content: '<h1>Crumb & Co.</h1>\n' })),
          structuredReport({ summary: 'Wrote site/index.html.', artifacts: ['site/index.html'] }),
        ],
      },
    ],
  });
});

afterAll(async () => {
  await processTracing()?.shutdown();
  await h?.fake.close();
  await receiver?.close();
  for (const k of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_SERVICE_NAME', 'OTEL_BSP_SCHEDULE_DELAY']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

/** spawnAgent run as a traced worker runs it: the activity interceptor opens `RunActivity:spawnAgent`. */
async function tracedSpawn(acts: ReturnType<typeof createActivities>, input: Parameters<ReturnType<typeof createActivities>['spawnAgent']>[0]): Promise<AgentReport> {
  const tracing = processTracing()!;
  const mock = new MockActivityEnvironment({ activityType: 'spawnAgent' }, { logger: new DefaultLogger('ERROR'), interceptors: tracing.activityInterceptors });
  return (await mock.run(acts.spawnAgent, input)) as AgentReport;
}

async function spansFor(runtime: string): Promise<{ run: ReceivedSpan; calls: ReceivedSpan[] }> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    await processTracing()!.flush();
    const calls = receiver.spans.filter((s) => s.attributes['baton.runtime'] === runtime);
    const run = receiver.spans.find((s) => s.name === 'RunActivity:spawnAgent' && calls.some((c) => c.parentSpanId === s.spanId));
    if (run) return { run, calls };
    if (Date.now() > deadline) throw new Error(`no ${runtime} model span under a RunActivity span; got ${receiver.spans.map((s) => s.name).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('claude-code: one model-call span per query, under the activity, with the turns, tokens and the cost the CLI billed', async () => {
  const report = await tracedSpawn(h.acts, claudeAgentInput('write-page', 'developer'));
  expect(report.status).toBe('success');
  const { run, calls } = await spansFor('claude-code');
  expect(calls).toHaveLength(1);
  const span = calls[0]!;
  expect(span.traceId).toBe(run.traceId);
  expect(span.name).toBe('model call claude-haiku-4-5');
  expect(span.attributes).toMatchObject({
    'gen_ai.request.model': 'claude-haiku-4-5',
    'baton.label': 'Agent-write-page (developer) on write-page',
    'baton.turns': 2,
    'gen_ai.usage.input_tokens': report.usage!.inputTokens,
    'gen_ai.usage.output_tokens': report.usage!.outputTokens,
    'baton.cost_usd': report.usage!.costUsd,
  });
  expect(report.usage!.costUsd).toBeGreaterThan(0);
  expect(report.usage!.outputTokens).toBeGreaterThan(0);
  expect(JSON.stringify(receiver.spans)).not.toContain(TEST_API_KEY);
}, 60_000);

test('command: one model-call span per CLI run, with the usage the CLI reported', async () => {
  const command = createCommandRuntime({ config: { argv: ['node', CLI_AGENT, 'claude'], input: 'text', timeoutMs: 10_000, model: 'claude-sonnet-4-5' } });
  const acts = createActivities({ dataDir: h.dataDir, runtimes: { command } });
  const report = await tracedSpawn(acts, claudeAgentInput('cli-page', 'developer', { runtime: 'command' }));
  expect(report.usage).toMatchObject({ inputTokens: 10, outputTokens: 20, costUsd: 0.0123 });
  const { run, calls } = await spansFor('command');
  expect(calls).toHaveLength(1);
  expect(calls[0]!.traceId).toBe(run.traceId);
  expect(calls[0]!.attributes).toMatchObject({
    'gen_ai.request.model': 'claude-sonnet-4-5',
    'baton.role': 'developer',
    'gen_ai.usage.input_tokens': 10,
    'gen_ai.usage.output_tokens': 20,
    'baton.usage.cache_write_tokens': 30,
    'baton.usage.cache_read_tokens': 40,
    'baton.cost_usd': 0.0123,
  });
}, 30_000);
