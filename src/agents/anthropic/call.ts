import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { CancelledFailure } from '@temporalio/common';
import { z } from 'zod';
import { Failure } from '../../shared/failures';
import { describeIssues } from '../../shared/zod-errors';
import { AgentRuntimeError } from '../runtime';
import { mapProviderError, type ErrorMappingContext } from './errors';

const TextBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const ToolUseBlock = z.looseObject({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.unknown() });
const OtherBlock = z.looseObject({ type: z.string() });

/** A Messages API response, as far as Baton relies on it (checked: the provider is a trust boundary). */
export const ModelReply = z.looseObject({
  content: z.array(z.union([TextBlock, ToolUseBlock, OtherBlock])),
  stop_reason: z.string().nullable(),
  usage: z.looseObject({
    input_tokens: z.number().int().min(0),
    output_tokens: z.number().int().min(0),
    cache_creation_input_tokens: z.number().int().min(0).nullish(),
    cache_read_input_tokens: z.number().int().min(0).nullish(),
  }),
});
export type ModelReply = z.infer<typeof ModelReply>;

/** A tool call the model made. */
export type ToolUse = z.infer<typeof ToolUseBlock>;

/** The tool calls in `reply`, in order. */
export function toolUses(reply: ModelReply): ToolUse[] {
  return reply.content.filter((b): b is ToolUse => b.type === 'tool_use' && ToolUseBlock.safeParse(b).success);
}

/** One request: its parameters, whether to stream, and how to stay alive and be cancelled meanwhile. */
export interface ModelCall {
  client: Anthropic;
  params: MessageCreateParamsNonStreaming;
  stream: boolean;
  signal: AbortSignal;
  /** Called every `heartbeatEveryMs` while the request is in flight, so a long generation is not mistaken for a hang. */
  heartbeat: () => void;
  heartbeatEveryMs: number;
  errors: ErrorMappingContext;
}

/** The cancellation the signal carries, as the CancelledFailure activities must throw. */
export function cancellation(signal: AbortSignal): CancelledFailure {
  return signal.reason instanceof CancelledFailure ? signal.reason : new CancelledFailure(String(signal.reason ?? 'cancelled'));
}

/** `raw` as plain JSON; tool inputs of streamed messages are lazy getters that parse (and may fail) when read. */
function plainCopy(raw: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(raw ?? null));
  } catch (err) {
    throw new AgentRuntimeError(Failure.LlmMalformedResponse, `Anthropic API response could not be read: ${(err as Error).message}`, true);
  }
}

async function send(call: ModelCall): Promise<unknown> {
  const options = { signal: call.signal };
  if (!call.stream) return call.client.messages.create({ ...call.params, stream: false }, options);
  const stream = call.client.messages.stream(call.params, options);
  return stream.finalMessage();
}

/** Sends one Messages API request (streamed or not) and returns its checked reply; provider errors become typed failures, cancellation a CancelledFailure. */
export async function callModel(call: ModelCall): Promise<ModelReply> {
  if (call.signal.aborted) throw cancellation(call.signal);
  const beat = setInterval(call.heartbeat, call.heartbeatEveryMs);
  let raw: unknown;
  try {
    raw = await send(call);
  } catch (err) {
    if (call.signal.aborted) throw cancellation(call.signal);
    throw mapProviderError(err, call.errors);
  } finally {
    clearInterval(beat);
  }
  const reply = ModelReply.safeParse(plainCopy(raw));
  if (!reply.success) {
    throw new AgentRuntimeError(Failure.LlmMalformedResponse, `Anthropic API response is not a message: ${describeIssues(reply.error)}`, true);
  }
  return reply.data;
}
