import { SpanStatusCode, trace } from '@opentelemetry/api';

/** What a model call is known by before it is made. */
export interface ModelCallView {
  runtime: string;
  model: string;
  role?: string;
  /** Which call this is, in words (`planner on o-1`); never the prompt. */
  label?: string;
  turn?: number;
}

/** What a finished model call cost. */
export interface ModelCallCost {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  costUsd: number;
  /** Model turns the call took (a Claude Code query runs several). */
  turns?: number;
}

/** Span attribute names for model calls (the README lists them). */
export const MODEL_ATTR = {
  runtime: 'baton.runtime',
  model: 'gen_ai.request.model',
  role: 'baton.role',
  label: 'baton.label',
  turn: 'baton.turn',
  turns: 'baton.turns',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadTokens: 'baton.usage.cache_read_tokens',
  cacheWriteTokens: 'baton.usage.cache_write_tokens',
  costUsd: 'baton.cost_usd',
} as const;

/**
 * Run one model call in a `model call` span (a child of the activity's span) and record its tokens and cost
 * from `cost(result)` (`undefined`: the call reported none). Without tracing set up the API's spans are no-ops and
 * `cost` is not called, so this costs next to nothing.
 */
export async function traceModelCall<T>(view: ModelCallView, call: () => Promise<T>, cost: (result: T) => ModelCallCost | undefined): Promise<T> {
  const attributes = {
    [MODEL_ATTR.runtime]: view.runtime,
    [MODEL_ATTR.model]: view.model,
    ...(view.role ? { [MODEL_ATTR.role]: view.role } : {}),
    ...(view.label ? { [MODEL_ATTR.label]: view.label } : {}),
    ...(view.turn !== undefined ? { [MODEL_ATTR.turn]: view.turn } : {}),
  };
  return trace.getTracer('baton-agents').startActiveSpan(`model call ${view.model}`, { attributes }, async (span) => {
    try {
      const result = await call();
      const c = span.isRecording() ? cost(result) : undefined;
      if (!c) return result;
      span.setAttributes({
        ...(c.turns !== undefined ? { [MODEL_ATTR.turns]: c.turns } : {}),
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
