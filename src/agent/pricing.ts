/**
 * A small price table for an estimate of what a run cost, in USD per million tokens
 * (Anthropic's and OpenAI's published list prices for standard, non-batch, uncached use,
 * as of 2026). It is an estimate, not a bill:
 * prompt caching, batch discounts and price changes are not modelled. Unknown models
 * (including local ones) say "unknown" rather than guess.
 */
import type { TokenUsage } from './messages.js';

interface Price {
  input: number;
  output: number;
}

/** Longest prefix wins, so dated ids (claude-sonnet-4-5-20250929) find their family. */
const PRICES: ReadonlyArray<[prefix: string, price: Price]> = [
  ['claude-fable-5', { input: 10, output: 50 }],
  ['claude-opus-5-5', { input: 4, output: 20 }],
  ['claude-opus-5', { input: 5, output: 25 }],
  ['claude-opus-4-5', { input: 5, output: 25 }],
  ['claude-opus-4-1', { input: 15, output: 75 }],
  ['claude-sonnet-5', { input: 2, output: 10 }],
  ['claude-sonnet-4-6', { input: 3, output: 15 }],
  ['claude-sonnet-4-5', { input: 3, output: 15 }],
  ['claude-sonnet-4', { input: 3, output: 15 }],
  ['claude-haiku-4-5', { input: 1, output: 5 }],
  ['gpt-4o-mini', { input: 0.15, output: 0.6 }],
  ['gpt-4o', { input: 2.5, output: 10 }],
  ['gpt-4.1-mini', { input: 0.4, output: 1.6 }],
  ['gpt-4.1', { input: 2, output: 8 }],
];

export interface CostEstimate {
  currency: 'USD';
  estimate: number | 'unknown';
  inputPerMillionTokens?: number;
  outputPerMillionTokens?: number;
}

export function priceOf(model: string): Price | undefined {
  let best: [string, Price] | undefined;
  for (const entry of PRICES) {
    const matches = model === entry[0] || model.startsWith(`${entry[0]}-`);
    if (matches && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}

export function estimateCost(model: string, usage: TokenUsage): CostEstimate {
  const price = priceOf(model);
  if (!price) return { currency: 'USD', estimate: 'unknown' };
  const usd = (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
  return { currency: 'USD', estimate: Math.round(usd * 10_000) / 10_000, inputPerMillionTokens: price.input, outputPerMillionTokens: price.output };
}
