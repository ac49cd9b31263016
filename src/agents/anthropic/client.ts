import type Anthropic from '@anthropic-ai/sdk';
import { Failure } from '../../shared/failures';
import { AgentRuntimeError } from '../runtime';
import { anthropicSdk } from './sdk';

/** How the runtime reaches the Messages API; unset fields come from the worker's environment at call time. */
export interface ClientSettings {
  /** Default: `ANTHROPIC_API_KEY`. */
  apiKey?: string;
  /** Default: `ANTHROPIC_BASE_URL`, else the SDK's (api.anthropic.com). Tests point it at the fake server. */
  baseURL?: string;
  /** Per-request timeout; default 10 minutes. */
  timeoutMs?: number;
  /** Where unset settings are read from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** A client and the key it uses (kept only to redact it from messages). */
export interface ConfiguredClient {
  client: Anthropic;
  secret: string;
}

/** Default per-request timeout. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10 * 60 * 1000;

/** A Messages API client with SDK retries off (Temporal owns retries); a missing key is a non-retryable configuration failure. */
export function createClient(settings: ClientSettings): ConfiguredClient {
  const env = settings.env ?? process.env;
  const apiKey = settings.apiKey ?? env.ANTHROPIC_API_KEY;
  if (!apiKey) {
    throw new AgentRuntimeError(
      Failure.ConfigInvalid,
      "ANTHROPIC_API_KEY is not set in the worker's environment; the anthropic runtime needs it (use the scripted runtime to run without one)",
      false,
    );
  }
  const baseURL = settings.baseURL ?? (env.ANTHROPIC_BASE_URL || undefined);
  const client = new (anthropicSdk().default)({ apiKey, baseURL, maxRetries: 0, timeout: settings.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, logLevel: 'off' });
  return { client, secret: apiKey };
}
