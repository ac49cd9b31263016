import type { Usage } from '../shared/activity-types';
import { costOf, type TokenCounts } from './prices';

/** Every token a call was billed for: input, output and both kinds of cache traffic (what budgets count). */
export function tokensOf(usage: TokenCounts): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
}

/** No tokens yet on `model`. */
export function emptyUsage(model: string): Usage {
  return { model, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, ...costOf(model, zero) };
}

const zero: TokenCounts = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

/** The Messages API's `usage` object, as far as Baton reads it. */
export interface ApiUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** `total` plus one response's `usage`, re-priced on `total.model`. */
export function addApiUsage(total: Usage, api: ApiUsage): Usage {
  const counts: TokenCounts = {
    inputTokens: total.inputTokens + (api.input_tokens ?? 0),
    outputTokens: total.outputTokens + (api.output_tokens ?? 0),
    cacheReadTokens: total.cacheReadTokens + (api.cache_read_input_tokens ?? 0),
    cacheWriteTokens: total.cacheWriteTokens + (api.cache_creation_input_tokens ?? 0),
  };
  return { model: total.model, ...counts, ...costOf(total.model, counts) };
}
