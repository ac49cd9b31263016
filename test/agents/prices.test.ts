import { budgetProblem } from '../../src/agents/budget';
import { readFileSync } from 'node:fs';
import { costOf, priceOf, PRICES } from '../../src/agents/prices';
import { ROLE_PROFILES } from '../../src/agents/roles';
import { addApiUsage, emptyUsage, tokensOf } from '../../src/agents/usage';

const million = (over: Partial<Record<'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens', number>>) => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  ...over,
});

describe('price table', () => {
  it.each([
    ['claude-opus-4-5', 5, 25],
    ['claude-sonnet-4-5', 3, 15],
    ['claude-haiku-4-5', 1, 5],
  ])('%s costs $%d in / $%d out per million tokens', (model, input, output) => {
    expect(costOf(model, million({ inputTokens: 1_000_000 }))).toEqual({ costUsd: input, priced: true });
    expect(costOf(model, million({ outputTokens: 1_000_000 }))).toEqual({ costUsd: output, priced: true });
    expect(costOf(model, million({ cacheWriteTokens: 1_000_000 }))).toEqual({ costUsd: input * 1.25, priced: true });
    expect(costOf(model, million({ cacheReadTokens: 1_000_000 }))).toEqual({ costUsd: Math.round(input * 0.1 * 1e6) / 1e6, priced: true });
  });

  it.each([
    ['claude-opus-5-5', 4, 20, 5, 0.2],
    ['claude-sonnet-5-5', 2, 10, 2.5, 0.1],
  ])('%s costs what Claude Code bills for it (in, out, cache write, cache read)', (model, input, output, write, read) => {
    expect(costOf(model, million({ inputTokens: 1_000_000 })).costUsd).toBe(input);
    expect(costOf(model, million({ outputTokens: 1_000_000 })).costUsd).toBe(output);
    expect(costOf(model, million({ cacheWriteTokens: 1_000_000 })).costUsd).toBe(write);
    expect(costOf(model, million({ cacheReadTokens: 1_000_000 })).costUsd).toBe(read);
  });

  it('prices every default model, and no model the SDK marks deprecated is a default', () => {
    for (const profile of Object.values(ROLE_PROFILES)) expect(priceOf(profile.model)).toBeDefined();
    const deprecated = readFileSync(require.resolve('@anthropic-ai/sdk/resources/messages/messages.js'), 'utf8');
    const list = /DEPRECATED_MODELS = \{([\s\S]*?)\}/.exec(deprecated)?.[1] ?? '';
    expect(list).toContain('claude-sonnet-4-5');
    for (const profile of Object.values(ROLE_PROFILES)) expect(list).not.toContain(`'${profile.model}'`);
  });

  it('prices a dated snapshot like its alias', () => {
    expect(priceOf('claude-opus-4-5-20251101')).toBe(PRICES['claude-opus-4-5']);
  });

  it('never guesses the price of an unknown model', () => {
    expect(costOf('claude-unknown-9', million({ inputTokens: 5_000_000 }))).toEqual({ costUsd: 0, priced: false });
  });

  it('sums a mixed call without float dust', () => {
    // 1234 × $3 + 567 × $15 + 2000 × $3.75 + 10000 × $0.30, per million.
    expect(costOf('claude-sonnet-4-5', million({ inputTokens: 1234, outputTokens: 567, cacheWriteTokens: 2000, cacheReadTokens: 10_000 })).costUsd).toBe(0.022707);
  });
});

describe('usage accounting', () => {
  it('adds API usage turn by turn and re-prices the total', () => {
    let usage = emptyUsage('claude-haiku-4-5');
    usage = addApiUsage(usage, { input_tokens: 100, output_tokens: 50, cache_creation_input_tokens: 1000, cache_read_input_tokens: null });
    usage = addApiUsage(usage, { input_tokens: 200, output_tokens: 25, cache_read_input_tokens: 1000 });
    expect(usage).toEqual({ model: 'claude-haiku-4-5', inputTokens: 300, outputTokens: 75, cacheWriteTokens: 1000, cacheReadTokens: 1000, costUsd: 0.002025, priced: true });
    expect(tokensOf(usage)).toBe(2375);
  });
});

describe('budgetProblem', () => {
  const usage = { ...emptyUsage('claude-haiku-4-5'), inputTokens: 500, costUsd: 0.5 };
  it('is undefined without a budget or below both limits', () => {
    expect(budgetProblem(undefined, usage)).toBeUndefined();
    expect(budgetProblem({ maxTokens: 1000, maxUsd: 1, spentTokens: 100, spentUsd: 0.1 }, usage)).toBeUndefined();
  });
  it('names the limit reached, counting what was spent before this run', () => {
    expect(budgetProblem({ maxTokens: 1000, spentTokens: 500, spentUsd: 0 }, usage)).toBe('1000 of 1000 tokens spent');
    expect(budgetProblem({ maxUsd: 0.75, spentTokens: 0, spentUsd: 0.25 }, usage)).toBe('$0.7500 of $0.75 spent');
  });
});
