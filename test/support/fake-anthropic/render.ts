import type { FakeBlock, FakeUsage } from './replies';

/** A complete Messages API message object. */
export function messageBody(id: string, model: string, content: FakeBlock[], stopReason: string, usage: FakeUsage): Record<string, unknown> {
  return {
    id,
    type: 'message',
    role: 'assistant',
    model,
    content: content.map((block, i) => (block.type === 'tool_use' ? { ...block, id: block.id ?? `toolu_${id}_${i}` } : { ...block, citations: null })),
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { ...usage, service_tier: 'standard' },
  };
}

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

const halves = (text: string): string[] => {
  const mid = Math.ceil(text.length / 2);
  return text.length > 1 ? [text.slice(0, mid), text.slice(mid)] : [text];
};

/** The SSE events of `message` streamed: start, each block (deltas in two pieces), message_delta with usage, stop. */
export function streamEvents(message: Record<string, unknown>): string[] {
  const content = message.content as (FakeBlock & { id?: string })[];
  const usage = message.usage as FakeUsage;
  const events = [
    sse('message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } }),
    sse('ping', { type: 'ping' }),
  ];
  content.forEach((block, index) => {
    if (block.type === 'text') {
      events.push(sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '', citations: null } }));
      for (const text of halves(block.text)) events.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text } }));
    } else {
      events.push(sse('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } }));
      for (const partial_json of halves(JSON.stringify(block.input))) {
        events.push(sse('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } }));
      }
    }
    events.push(sse('content_block_stop', { type: 'content_block_stop', index }));
  });
  events.push(
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens, input_tokens: usage.input_tokens, cache_creation_input_tokens: usage.cache_creation_input_tokens, cache_read_input_tokens: usage.cache_read_input_tokens },
    }),
    sse('message_stop', { type: 'message_stop' }),
  );
  return events;
}

/** The first events of a stream, then an SSE `error` event: what a stream that fails midway looks like. */
export function failingStreamEvents(message: Record<string, unknown>, errorType: string, text: string): string[] {
  return [
    sse('message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null } }),
    sse('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '', citations: null } }),
    sse('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Let me start by' } }),
    sse('error', { type: 'error', error: { type: errorType, message: text } }),
  ];
}

/** The Messages API's error body. */
export const errorBody = (errorType: string, message: string, errorCode?: string) => ({
  type: 'error',
  error: { type: errorType, message, ...(errorCode ? { details: { error_code: errorCode } } : {}) },
});
