import type { APIError } from '@anthropic-ai/sdk';
import { anthropicSdk } from './sdk';
import { Failure } from '../../shared/failures';
import { AgentRuntimeError } from '../runtime';

/** Anything with a case-insensitive `get`, as the SDK's `Headers` are. */
export interface HeaderLookup {
  get(name: string): string | null | undefined;
}

/** What mapping needs to know besides the error: the clock, the model asked for and the key to keep out of messages. */
export interface ErrorMappingContext {
  now?: number;
  model?: string;
  /** Removed from every message, should a server ever echo it. */
  secret?: string;
}

/** Longest wait taken from a server's retry hint; a larger one is capped, never ignored. */
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

/** `text` with every occurrence of `secret` replaced by `[redacted]`. */
export function redact(text: string, secret: string | undefined): string {
  return secret && secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}

/** The server's retry hint in ms, from `retry-after-ms`, else `retry-after` (seconds or an HTTP date); undefined without one. */
export function retryDelayMs(headers: HeaderLookup | undefined, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.min(Math.round(ms), MAX_RETRY_DELAY_MS);
  const after = headers?.get('retry-after')?.trim();
  if (!after) return undefined;
  const seconds = /^\d+(\.\d+)?$/.test(after) ? Number.parseFloat(after) : undefined;
  const delay = seconds !== undefined ? seconds * 1000 : Date.parse(after) - now;
  return Number.isFinite(delay) ? Math.min(Math.max(0, Math.round(delay)), MAX_RETRY_DELAY_MS) : undefined;
}

/** The fields of an SDK APIError that mapping reads. */
export interface ProviderErrorFields {
  status?: number;
  type?: string | null;
  errorCode?: string | null;
  apiMessage?: string | null;
}

/** Whether an error says money ran out (spend limit, credits, billing) rather than a temporary rate limit. */
export function isSpendLimit(err: ProviderErrorFields): boolean {
  if (err.status === 402 || err.type === 'billing_error') return true;
  if (err.errorCode && /spend_limit|billing|credit/i.test(err.errorCode)) return true;
  return /credit balance|spend(ing)? limit|billing|usage limit|quota exceeded|insufficient (funds|credit)/i.test(err.apiMessage ?? '');
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10}s`;

function detail(err: ProviderErrorFields & { requestID?: string | null }, secret?: string): string {
  const what = [err.status, err.type].filter((x) => x !== undefined && x !== null).join(' ');
  const message = err.apiMessage ? `: ${err.apiMessage}` : '';
  const request = err.requestID ? `; request id ${err.requestID}` : '';
  return redact(`(${what || 'no status'}${message}${request})`, secret);
}

const retryable = (type: Failure, message: string, delay?: number) => new AgentRuntimeError(type, message, true, delay);
const fatal = (type: Failure, message: string) => new AgentRuntimeError(type, message, false);

function fromStatus(err: APIError, ctx: ErrorMappingContext): AgentRuntimeError {
  const d = detail(err, ctx.secret);
  const delay = retryDelayMs(err.headers as HeaderLookup | undefined, ctx.now);
  const wait = delay === undefined ? '' : `; the server asks to wait ${seconds(delay)}`;
  const status = err.status ?? 0;
  if (isSpendLimit(err)) {
    return fatal(Failure.LlmSpendLimit, `Anthropic spend or credit limit reached ${d}. Raise the limit or add credits in the Anthropic Console, then resume.`);
  }
  if (status === 429 || err.type === 'rate_limit_error') return retryable(Failure.LlmRateLimited, `Anthropic rate limit hit ${d}${wait}`, delay);
  if (status === 529 || err.type === 'overloaded_error') return retryable(Failure.LlmOverloaded, `Anthropic API overloaded ${d}${wait}`, delay);
  if (status === 408 || err.type === 'timeout_error') return retryable(Failure.LlmTimeout, `Anthropic API request timed out ${d}`, delay);
  if (status >= 500 || status === 409 || err.type === 'api_error') return retryable(Failure.LlmServerError, `Anthropic API server error ${d}${wait}`, delay);
  if (err.status === undefined) return retryable(Failure.LlmServerError, `Anthropic API stream failed ${d}`, delay);
  if (status === 401) {
    return fatal(Failure.LlmUnauthorized, `ANTHROPIC_API_KEY was rejected ${d}. Set a valid key in the worker's environment, restart the worker and retry the task.`);
  }
  if (status === 403) {
    return fatal(Failure.LlmForbidden, `The API key may not use this model or feature ${d}. Check the key's workspace permissions, or configure another model.`);
  }
  if (status === 404) {
    const model = ctx.model ? ` Check the model name "${ctx.model}" in the role settings and the base URL.` : ' Check the model name and the base URL.';
    return fatal(Failure.LlmNotFound, `The Messages API did not find what was asked for ${d}.${model}`);
  }
  return fatal(Failure.LlmBadRequest, `The Messages API refused the request ${d}. Retrying the same request will not help; check the model settings and the prompt size.`);
}

/** Maps what the SDK threw to an AgentRuntimeError saying retryable or not (with the server's delay); unknown errors pass through unchanged. */
export function mapProviderError(err: unknown, ctx: ErrorMappingContext = {}): unknown {
  if (err instanceof AgentRuntimeError) return err;
  // By name: a SyntaxError from fetch's JSON parsing may come from another realm (jest, vm).
  if ((err as Error | null)?.name === 'SyntaxError') return retryable(Failure.LlmMalformedResponse, `Anthropic API sent a body that is not valid JSON (${(err as Error).message})`);
  // Only the anthropic runtime's calls get here, so the SDK is loaded already.
  const { AnthropicError, APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } = anthropicSdk();
  if (err instanceof APIConnectionTimeoutError) return retryable(Failure.LlmTimeout, 'Anthropic API request timed out (no response within the client timeout)');
  if (err instanceof APIUserAbortError) return retryable(Failure.LlmConnection, 'Anthropic API request was aborted before it finished');
  if (err instanceof APIConnectionError) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return retryable(Failure.LlmConnection, redact(`Cannot reach the Anthropic API${cause}`, ctx.secret));
  }
  if (err instanceof APIError) return fromStatus(err, ctx);
  if (err instanceof AnthropicError) return retryable(Failure.LlmMalformedResponse, redact(`Anthropic API response could not be read: ${err.message}`, ctx.secret));
  return err;
}
