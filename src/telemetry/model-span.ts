import { SpanStatusCode, trace } from '@opentelemetry/api';

/** What a model call is known by before it is made. */
export interface ModelCallView {
  runtime: string;
  model: string;
  role?: string;
  turn?: number;
}

/** What a finished model call cost. */
export interface ModelCallCost {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  costUsd: number;
}

/** Span attribute names for model calls (the README lists them). */
export const MODEL_ATTR = {
  runtime: 'baton.runtime',
  model: 'gen_ai.request.model',
  role: 'baton.role',
  turn: 'baton.turn',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadTokens: 'baton.usage.cache_read_tokens',
  cacheWriteTokens: 'baton.usage.cache_write_tokens',
  costUsd: 'baton.cost_usd',
} as const;

/**
 * Run one model call in a `model call` span (a child of the activity's span) and record its tokens and cost
 * from `cost(result)`. Without tracing set up the API's spans are no-ops, so this costs next to nothing.
 */
export async function traceModelCall<T>(view: ModelCallView, call: () => Promise<T>, cost: (result: T) => ModelCallCost): Promise<T> {
  const attributes = {
    [MODEL_ATTR.runtime]: view.runtime,
    [MODEL_ATTR.model]: view.model,
    ...(view.role ? { [MODEL_ATTR.role]: view.role } : {}),
    ...(view.turn !== undefined ? { [MODEL_ATTR.turn]: view.turn } : {}),
  };
  return trace.getTracer('baton-agents').startActiveSpan(`model call ${view.model}`, { attributes }, async (span) => {
    try {
      const result = await call();
      const c = cost(result);
      span.setAttributes({
        [MODEL_ATTR.inputTokens]: c.inputTokens,
        [MODEL_ATTR.outputTokens]: c.outputTokens,
        [MODEL_ATTR.cacheReadTokens]: c.cacheReadTokens ?? 0,
        [MODEL_ATTR.cacheWriteTokens]: c.cacheWriteTokens ?? 0,
        [MODEL_ATTR.costUsd]: c.costUsd,
      });
      return result;
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      span.end();
    }
  });
}
