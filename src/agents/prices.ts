// Prices in USD per million tokens. Sources, per row:
// - Claude 4.x rows: Anthropic's public pricing page (https://www.anthropic.com/pricing, "API" section); cache writes
//   (5-minute TTL) cost 1.25 × input and cache reads 0.1 × input.
// - Claude 5.5 rows (the current generation, `Model` of @anthropic-ai/sdk 1.12): the list prices Claude Code 2.1.337 (bundled
//   with @anthropic-ai/claude-agent-sdk 0.3.337) bills with, read by `npx tsx scripts/claude-code-prices.ts <model>`; that
//   script also reproduces every 4.x row below. Their cache reads are not 0.1 × input, so those rows are written out.
// Update this table when prices change or a model is added. A model missing here is reported as unpriced (cost 0,
// `priced: false`), never guessed. claude-haiku-5-5 is left out on purpose: it has a separate price above a prompt-length
// threshold that this table cannot express.

/** USD per million tokens of one model, for each kind of token the Messages API bills. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Writing a prompt-cache entry (5-minute TTL): 1.25 × input for the 4.x models. */
  cacheWrite: number;
  /** Reading a prompt-cache entry: 0.1 × input for the 4.x models. */
  cacheRead: number;
}

const round = (usd: number) => Math.round(usd * 1e6) / 1e6;
const price = (input: number, output: number): ModelPrice => ({ input, output, cacheWrite: round(input * 1.25), cacheRead: round(input * 0.1) });

/** The price table, by model alias; dated snapshots (`claude-opus-4-5-20251101`) use their alias's row. */
export const PRICES: Readonly<Record<string, ModelPrice>> = {
  'claude-opus-5-5': { input: 4, output: 20, cacheWrite: 5, cacheRead: 0.2 },
  'claude-sonnet-5-5': { input: 2, output: 10, cacheWrite: 2.5, cacheRead: 0.1 },
  'claude-opus-4-8': price(5, 25),
  'claude-opus-4-5': price(5, 25),
  'claude-sonnet-4-6': price(3, 15),
  'claude-sonnet-4-5': price(3, 15),
  'claude-haiku-4-5': price(1, 5),
};

/** Token counts as Baton records them (the Messages API's `input_tokens` excludes cached tokens). */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

/** The price row for `model`, trying its alias when it is a dated snapshot; undefined when unknown. */
export function priceOf(model: string): ModelPrice | undefined {
  return PRICES[model] ?? PRICES[model.replace(/-\d{8}$/, '')];
}

/** USD cost of `usage` on `model`, rounded to a millionth of a dollar; an unknown model costs 0 with `priced: false`. */
export function costOf(model: string, usage: TokenCounts): { costUsd: number; priced: boolean } {
  const p = priceOf(model);
  if (!p) return { costUsd: 0, priced: false };
  const micro =
    usage.inputTokens * p.input + usage.outputTokens * p.output + usage.cacheWriteTokens * p.cacheWrite + usage.cacheReadTokens * p.cacheRead;
  // Per-million prices times tokens gives micro-dollars; rounding there keeps sums free of float dust.
  return { costUsd: Math.round(micro) / 1_000_000, priced: true };
}
