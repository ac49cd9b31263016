import { Failure } from '../../shared/failures';
import { AgentRuntimeError } from '../runtime';

type Loose = Record<string, unknown>;

/** Longest CLI error text kept in a failure message. */
const MAX_DETAIL = 800;

/** What a Claude Code (or `claude -p`) result says went wrong: its subtype, its `errors` and its result text. */
export function resultDetail(result: Loose): string {
  const errors = Array.isArray(result.errors) ? result.errors.filter((e): e is string => typeof e === 'string' && e.trim() !== '') : [];
  const text = typeof result.result === 'string' ? result.result.trim() : '';
  const parts = [typeof result.subtype === 'string' ? result.subtype : 'error', ...errors, ...(text && !errors.includes(text) ? [text] : [])];
  const detail = parts.join(': ');
  return detail.length > MAX_DETAIL ? `${detail.slice(0, MAX_DETAIL - 1)}…` : detail;
}

/** The typed failure an error result stands for (by the API status Claude Code saw), or undefined for a successful result. */
export function resultFailure(result: Loose, label: string): AgentRuntimeError | undefined {
  const failed = result.is_error === true || (typeof result.subtype === 'string' && result.subtype !== 'success');
  if (!failed) return undefined;
  const status = typeof result.api_error_status === 'number' ? result.api_error_status : undefined;
  const message = `${label}: Claude Code reported ${resultDetail(result)}`;
  if (result.subtype === 'error_max_structured_output_retries') return new AgentRuntimeError(Failure.LlmInvalidOutput, message, false);
  if (status === 429) return new AgentRuntimeError(Failure.LlmRateLimited, message, true);
  if (status === 529) return new AgentRuntimeError(Failure.LlmOverloaded, message, true);
  if (status !== undefined && status >= 500) return new AgentRuntimeError(Failure.LlmServerError, message, true);
  if (status === 401) return new AgentRuntimeError(Failure.LlmUnauthorized, `${message}. Set a valid ANTHROPIC_API_KEY in the worker's environment.`, false);
  if (status === 403) return new AgentRuntimeError(Failure.LlmForbidden, message, false);
  if (status === 404) return new AgentRuntimeError(Failure.LlmNotFound, message, false);
  if (status !== undefined && status >= 400) return new AgentRuntimeError(Failure.LlmBadRequest, message, false);
  return new AgentRuntimeError(Failure.AgentCrashed, message, true);
}
