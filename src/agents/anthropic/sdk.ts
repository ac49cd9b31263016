import type * as AnthropicSdk from '@anthropic-ai/sdk';

let loaded: typeof AnthropicSdk | undefined;

/**
 * The Anthropic SDK, loaded on first use: a worker that runs only scripted, command or Claude Code agents never pays
 * for loading it (0.4–1.5 s of a worker's start on a loaded machine; README, Performance → 6).
 */
export function anthropicSdk(): typeof AnthropicSdk {
  // A plain require keeps the load synchronous for the callers that build a client.
  return (loaded ??= require('@anthropic-ai/sdk') as typeof AnthropicSdk);
}
