import { z } from 'zod';
import type { Usage } from '../../shared/activity-types';
import { resultDetail } from '../claude-code/result-errors';
import { costOf } from '../prices';

/** The result envelope `claude -p --output-format json` prints; other CLIs print the answer directly. */
const Envelope = z.looseObject({
  type: z.literal('result'),
  result: z.string().optional(),
  subtype: z.string().optional(),
  is_error: z.boolean().optional(),
  errors: z.array(z.unknown()).optional(),
  total_cost_usd: z.number().min(0).optional(),
  usage: z
    .looseObject({
      input_tokens: z.number().int().min(0).default(0),
      output_tokens: z.number().int().min(0).default(0),
      cache_creation_input_tokens: z.number().int().min(0).nullish(),
      cache_read_input_tokens: z.number().int().min(0).nullish(),
    })
    .optional(),
});

/** What a CLI printed: the answer JSON it holds (or why there is none), whether the CLI itself reported an error, and its usage. */
export interface CommandOutput {
  value?: unknown;
  problem?: string;
  cliError?: string;
  usage?: Usage;
}

/** The first JSON value in `text`: the whole text, a fenced ```json block, or the outermost {…}. */
export function extractJson(text: string): { value?: unknown; problem?: string } {
  const candidates = [text.trim()];
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n```/.exec(text);
  if (fenced?.[1]) candidates.push(fenced[1]);
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start >= 0 && end > start) candidates.push(text.slice(start, end + 1));
  for (const candidate of candidates) {
    try {
      return { value: JSON.parse(candidate) };
    } catch {
      // Try the next way of finding it.
    }
  }
  return { problem: text.trim() ? 'no JSON object found in the output' : 'the output is empty' };
}

/** Reads a CLI's stdout, unwrapping a `claude -p` envelope (and its usage, priced by the CLI or the price table). */
export function readCommandOutput(stdout: string, model: string): CommandOutput {
  const outer = extractJson(stdout);
  const envelope = Envelope.safeParse(outer.value);
  if (!envelope.success) return outer;
  const e = envelope.data;
  let usage: Usage | undefined;
  if (e.usage) {
    const counts = {
      inputTokens: e.usage.input_tokens,
      outputTokens: e.usage.output_tokens,
      cacheWriteTokens: e.usage.cache_creation_input_tokens ?? 0,
      cacheReadTokens: e.usage.cache_read_input_tokens ?? 0,
    };
    const cost = e.total_cost_usd === undefined ? costOf(model, counts) : { costUsd: e.total_cost_usd, priced: true };
    usage = { model, ...counts, ...cost };
  }
  if (e.is_error || (e.subtype !== undefined && e.subtype !== 'success')) return { cliError: resultDetail(e), usage };
  return { ...extractJson(e.result ?? ''), usage };
}
