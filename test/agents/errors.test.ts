import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import { isSpendLimit, mapProviderError, redact, retryDelayMs } from '../../src/agents/anthropic/errors';
import { AgentRuntimeError } from '../../src/agents/runtime';

const headers = (h: Record<string, string> = {}) => new Headers({ 'request-id': 'req_123', ...h });
const apiError = (status: number, type: string, message: string, h?: Record<string, string>, errorCode?: string) =>
  APIError.generate(status, { type: 'error', error: { type, message, ...(errorCode ? { details: { error_code: errorCode } } : {}) } }, undefined, headers(h));

const mapped = (err: unknown, ctx = {}) => {
  const out = mapProviderError(err, { now: Date.parse('2025-01-01T00:00:00Z'), ...ctx });
  expect(out).toBeInstanceOf(AgentRuntimeError);
  return out as AgentRuntimeError;
};

describe('retryDelayMs', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it.each([
    [{ 'retry-after-ms': '250' }, 250],
    [{ 'retry-after-ms': '250.6', 'retry-after': '9' }, 251],
    [{ 'retry-after': '7' }, 7000],
    [{ 'retry-after': '1.5' }, 1500],
    [{ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Tue, 31 Dec 2024 23:00:00 GMT' }, 0],
    [{ 'retry-after': '999999' }, 3_600_000],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%j → %s', (h, expected) => {
    expect(retryDelayMs(new Headers(h), now)).toBe(expected);
  });
  it('is undefined without headers', () => expect(retryDelayMs(undefined)).toBeUndefined());
});

describe('isSpendLimit', () => {
  it.each([
    [{ status: 402 }, true],
    [{ status: 429, type: 'billing_error' }, true],
    [{ status: 429, errorCode: 'enforced_spend_limit_reached' }, true],
    [{ status: 400, apiMessage: 'Your credit balance is too low to access the Anthropic API.' }, true],
    [{ status: 429, apiMessage: 'You have reached your specified API usage limits' }, true],
    [{ status: 429, type: 'rate_limit_error', apiMessage: 'Number of request tokens has exceeded your per-minute rate limit' }, false],
  ])('%j → %s', (fields, expected) => expect(isSpendLimit(fields)).toBe(expected));
});

describe('mapProviderError', () => {
  it('429: retryable rate limit with the retry-after delay and the request id', () => {
    const err = mapped(apiError(429, 'rate_limit_error', 'slow down', { 'retry-after': '12' }));
    expect(err).toMatchObject({ type: 'Llm.RateLimited', retryable: true, nextRetryDelayMs: 12_000 });
    expect(err.message).toBe('Anthropic rate limit hit (429 rate_limit_error: slow down; request id req_123); the server asks to wait 12s');
  });

  it.each([
    [529, 'overloaded_error', 'Llm.Overloaded'],
    [500, 'api_error', 'Llm.ServerError'],
    [503, 'api_error', 'Llm.ServerError'],
    [504, 'timeout_error', 'Llm.Timeout'],
    [408, 'timeout_error', 'Llm.Timeout'],
  ])('%i %s: retryable %s', (status, type, failure) => {
    expect(mapped(apiError(status, type, 'x'))).toMatchObject({ type: failure, retryable: true });
  });

  it.each([
    [400, 'invalid_request_error', 'Llm.BadRequest', 'Retrying the same request will not help'],
    [401, 'authentication_error', 'Llm.Unauthorized', 'ANTHROPIC_API_KEY was rejected (401 authentication_error'],
    [403, 'permission_error', 'Llm.Forbidden', "Check the key's workspace permissions"],
    [404, 'not_found_error', 'Llm.NotFound', 'Check the model name "claude-x"'],
    [413, 'request_too_large', 'Llm.BadRequest', 'prompt size'],
    [402, 'billing_error', 'Llm.SpendLimit', 'add credits'],
  ])('%i %s: non-retryable %s', (status, type, failure, words) => {
    const err = mapped(apiError(status, type, 'x'), { model: 'claude-x' });
    expect(err).toMatchObject({ type: failure, retryable: false });
    expect(err.message).toContain(words);
  });

  it('a 429 that says the spend limit is reached is not retried', () => {
    expect(mapped(apiError(429, 'rate_limit_error', 'limit', {}, 'contract_spend_limit_reached'))).toMatchObject({ type: 'Llm.SpendLimit', retryable: false });
  });

  it('an error event in a stream (no status) is typed by its error type', () => {
    const overloaded = new APIError(undefined, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, undefined, headers());
    expect(mapped(overloaded)).toMatchObject({ type: 'Llm.Overloaded', retryable: true });
    const other = new APIError(undefined, { type: 'error', error: { type: 'weird_error', message: '?' } }, undefined, headers());
    expect(mapped(other)).toMatchObject({ type: 'Llm.ServerError', retryable: true });
  });

  it('connection failures, timeouts and aborts are retryable', () => {
    expect(mapped(new APIConnectionError({ message: 'x', cause: new Error('ECONNREFUSED') }))).toMatchObject({ type: 'Llm.Connection', retryable: true });
    expect(mapped(new APIConnectionTimeoutError())).toMatchObject({ type: 'Llm.Timeout', retryable: true });
    expect(mapped(new APIUserAbortError())).toMatchObject({ type: 'Llm.Connection', retryable: true });
  });

  it('a body that is not JSON is a retryable malformed response', () => {
    expect(mapped(new SyntaxError('Unexpected end of JSON input'))).toMatchObject({ type: 'Llm.MalformedResponse', retryable: true });
  });

  it('never puts the key into a message, even when the server echoes it', () => {
    const err = mapped(apiError(401, 'authentication_error', 'bad key sk-ant-secret-123456'), { secret: 'sk-' + 'ant-secret-123456' });
    expect(err.message).not.toContain('sk-' + 'ant-secret-123456');
    expect(err.message).toContain('[redacted]');
  });

  it('leaves errors it does not know alone', () => {
    const odd = new TypeError('boom');
    expect(mapProviderError(odd)).toBe(odd);
  });

  it('redact ignores empty and tiny secrets', () => {
    expect(redact('abc', '')).toBe('abc');
    expect(redact('a key k', 'k')).toBe('a key k');
  });
});
