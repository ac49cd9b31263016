import { ApplicationFailure } from '@temporalio/common';
import { createActivities } from '../../src/activities';
import { createAnthropicRuntime } from '../../src/agents/anthropic/anthropic-runtime';
import { fault, slow, submitReport, type FakeReply } from '../support/fake-anthropic';
import { agentInput, anthropicHarness, mockEnv, runActivity, TEST_API_KEY, thrown, type AnthropicHarness } from '../support/fake-anthropic/harness';

let h: AnthropicHarness | undefined;
afterEach(async () => {
  await h?.fake.close();
  h = undefined;
});

/** The failure spawnAgent throws when the fake answers its first request with `first` (then would succeed). */
async function failureFor(first: FakeReply, streaming: 'always' | 'never' = 'never', timeoutMs?: number): Promise<ApplicationFailure> {
  h = await anthropicHarness({ scripts: [{ match: 'Role: analyst', replies: [first, submitReport()] }] }, { streaming, ...(timeoutMs ? { timeoutMs } : {}) });
  const err = await thrown(runActivity(mockEnv(), h.acts.spawnAgent, agentInput('a', 'analyst')));
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect(err.message).not.toContain(TEST_API_KEY);
  return err as unknown as ApplicationFailure;
}

describe('provider faults become typed activity failures', () => {
  it('429 with retry-after: retryable Llm.RateLimited with the server-given delay', async () => {
    const err = await failureFor(fault.rateLimited({ 'retry-after': '7' }));
    expect(err).toMatchObject({ type: 'Llm.RateLimited', nonRetryable: false, nextRetryDelay: 7000 });
    expect(err.message).toContain('request id req_fake_0');
  });

  it('429 with retry-after-ms takes precedence', async () => {
    const err = await failureFor(fault.rateLimited({ 'retry-after-ms': '1500', 'retry-after': '9' }));
    expect(err).toMatchObject({ type: 'Llm.RateLimited', nextRetryDelay: 1500 });
  });

  it('529: retryable Llm.Overloaded', async () => {
    expect(await failureFor(fault.overloaded())).toMatchObject({ type: 'Llm.Overloaded', nonRetryable: false });
  });

  it('500: retryable Llm.ServerError', async () => {
    expect(await failureFor(fault.serverError())).toMatchObject({ type: 'Llm.ServerError', nonRetryable: false });
  });

  it.each(['never', 'always'] as const)('a malformed body (streaming: %s): retryable Llm.MalformedResponse', async (streaming) => {
    expect(await failureFor(fault.malformed(), streaming)).toMatchObject({ type: 'Llm.MalformedResponse', nonRetryable: false });
  });

  it('an error event mid-stream: retryable, typed by the event', async () => {
    expect(await failureFor(fault.midStream('overloaded_error'), 'always')).toMatchObject({ type: 'Llm.Overloaded', nonRetryable: false });
    await h?.fake.close();
    expect(await failureFor(fault.midStream('api_error', 'Internal error'), 'always')).toMatchObject({ type: 'Llm.ServerError', nonRetryable: false });
  });

  it('a reply slower than the client timeout: retryable Llm.Timeout', async () => {
    expect(await failureFor(slow(2000, submitReport()), 'never', 200)).toMatchObject({ type: 'Llm.Timeout', nonRetryable: false });
  });

  it('nothing listening: retryable Llm.Connection', async () => {
    const acts = createActivities({
      dataDir: require('node:os').tmpdir(),
      runtimes: { anthropic: createAnthropicRuntime({ baseURL: 'http://127.0.0.1:9', apiKey: TEST_API_KEY, timeoutMs: 2000 }) },
    });
    const err = await thrown(runActivity(mockEnv(), acts.spawnAgent, agentInput('a', 'analyst')));
    expect(err).toMatchObject({ type: 'Llm.Connection', nonRetryable: false });
  });

  it('401: non-retryable Llm.Unauthorized saying the key was rejected, without the key', async () => {
    const err = await failureFor(fault.unauthorized());
    expect(err).toMatchObject({ type: 'Llm.Unauthorized', nonRetryable: true });
    expect(err.message).toContain('ANTHROPIC_API_KEY was rejected (401 authentication_error: invalid x-api-key; request id req_fake_0)');
  });

  it('a wrong key configured: the fake rejects it and the failure is non-retryable', async () => {
    h = await anthropicHarness({ scripts: [] }, { apiKey: 'sk-' + 'ant-wrong-key-000' });
    const err = await thrown(runActivity(mockEnv(), h.acts.spawnAgent, agentInput('a', 'analyst')));
    expect(err).toMatchObject({ type: 'Llm.Unauthorized', nonRetryable: true });
    expect(err.message).not.toContain('sk-' + 'ant-wrong-key-000');
  });

  it.each([
    ['400', 'Llm.BadRequest', fault.badRequest(), 'Retrying the same request will not help'],
    ['403', 'Llm.Forbidden', fault.forbidden(), 'permission'],
    ['404', 'Llm.NotFound', fault.notFound(), 'Check the model name "claude-haiku-4-5"'],
    ['429 spend limit', 'Llm.SpendLimit', fault.spendLimit(), 'Raise the limit or add credits'],
    ['400 credit balance', 'Llm.SpendLimit', fault.creditBalance(), 'Raise the limit or add credits'],
  ])('%s: non-retryable %s with an actionable message', async (_what, type, reply, words) => {
    const err = await failureFor(reply);
    expect(err).toMatchObject({ type, nonRetryable: true });
    expect(err.message).toContain(words);
  });

  it('no API key in the environment: non-retryable Config.Invalid naming the variable', async () => {
    const acts = createActivities({ dataDir: require('node:os').tmpdir(), runtimes: { anthropic: createAnthropicRuntime({ env: {} }) } });
    const err = await thrown(runActivity(mockEnv(), acts.spawnAgent, agentInput('a', 'analyst')));
    expect(err).toMatchObject({ type: 'Config.Invalid', nonRetryable: true });
    expect(err.message).toContain('ANTHROPIC_API_KEY is not set');
  });

  it('reads ANTHROPIC_BASE_URL and ANTHROPIC_API_KEY from the environment it is given', async () => {
    h = await anthropicHarness({ scripts: [{ match: 'Role: analyst', replies: [submitReport({ summary: 'via env' })] }] });
    const acts = createActivities({ dataDir: h.dataDir, runtimes: { anthropic: createAnthropicRuntime({ env: { ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: h.fake.url } }) } });
    const report = await runActivity(mockEnv(), acts.spawnAgent, agentInput('a', 'analyst'));
    expect(report.summary).toBe('via env');
    expect(h.fake.requests[0]?.apiKey).toBe(TEST_API_KEY);
  });
});
