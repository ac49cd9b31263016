// Reads the list prices Claude Code itself bills with (its built-in price table), by running the bundled binary against
// the local fake Messages API with known token counts: `npx tsx scripts/claude-code-prices.ts claude-sonnet-5-5 …`.
// src/agents/prices.ts cites this as the source of the rows it has for models Anthropic's pricing page postdates here.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadClaudeAgentSdk } from '../src/agents/claude-code/sdk';
import { startFakeAnthropic, structured } from '../test/support/fake-anthropic';

const TOKENS = 100_000;
const KINDS = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const;

async function costFor(model: string, kind: (typeof KINDS)[number]): Promise<number> {
  const usage = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, [kind]: TOKENS };
  const fake = await startFakeAnthropic(() => ({ ...structured({ ok: true }), usage }));
  const sdk = await loadClaudeAgentSdk();
  const cwd = mkdtempSync(path.join(tmpdir(), 'baton-prices-'));
  let cost = NaN;
  try {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: 'sk-ant-price-probe', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', CLAUDE_CONFIG_DIR: cwd };
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    for await (const m of sdk.query({ prompt: 'price probe', options: { cwd, model, tools: [], maxTurns: 2, env, settingSources: [], outputFormat: { type: 'json_schema', schema } } })) {
      if (m.type === 'result') {
        cost = m.total_cost_usd;
        const basis = Object.values(m.modelUsage ?? {}).map((u) => (u as { costBasis?: string }).costBasis);
        if (basis.some((b) => b !== 'list')) throw new Error(`Claude Code has no list price for ${model} (cost basis: ${basis.join(', ')})`);
      }
    }
  } finally {
    await fake.close();
  }
  return (cost * 1_000_000) / TOKENS;
}

async function main(): Promise<void> {
  for (const model of process.argv.slice(2)) {
    const row: number[] = [];
    for (const kind of KINDS) row.push(Math.round((await costFor(model, kind)) * 1000) / 1000);
    process.stdout.write(`${model}: input ${row[0]}, output ${row[1]}, cache write ${row[2]}, cache read ${row[3]} (USD per million tokens)\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
