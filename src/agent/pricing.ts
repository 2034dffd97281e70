/**
 * A small price table for an estimate of what a run cost, in USD per million tokens
 * (Anthropic's and OpenAI's published list prices for standard, non-batch use, as of 2026).
 * It is an estimate, not a bill: batch discounts and price changes are not modelled. Prompt
 * caching is: Anthropic bills a 5-minute cache write at 1.25 times the input price and a
 * cache read at 0.1 times; OpenAI bills cached input at its own discounted rate and has no
 * write surcharge. Unknown models (including local ones) say "unknown" rather than guess.
 */
import type { TokenUsage } from './messages.js';

interface Price {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

const anthropic = (input: number, output: number): Price => ({ input, output, cacheRead: input * 0.1, cacheWrite: input * 1.25 });
const openai = (input: number, output: number, cachedInput: number): Price => ({ input, output, cacheRead: cachedInput, cacheWrite: input });

/** Longest prefix wins, so dated ids (claude-sonnet-4-5-20250929) find their family. */
const PRICES: ReadonlyArray<[prefix: string, price: Price]> = [
  ['claude-fable-5', anthropic(10, 50)],
  ['claude-opus-5-5', anthropic(4, 20)],
  ['claude-opus-5', anthropic(5, 25)],
  ['claude-opus-4-5', anthropic(5, 25)],
  ['claude-opus-4-1', anthropic(15, 75)],
  ['claude-sonnet-5', anthropic(2, 10)],
  ['claude-sonnet-4-6', anthropic(3, 15)],
  ['claude-sonnet-4-5', anthropic(3, 15)],
  ['claude-sonnet-4', anthropic(3, 15)],
  ['claude-haiku-4-5', anthropic(1, 5)],
  ['gpt-4o-mini', openai(0.15, 0.6, 0.075)],
  ['gpt-4o', openai(2.5, 10, 1.25)],
  ['gpt-4.1-mini', openai(0.4, 1.6, 0.1)],
  ['gpt-4.1', openai(2, 8, 0.5)],
];

export interface CostEstimate {
  currency: 'USD';
  estimate: number | 'unknown';
  inputPerMillionTokens?: number;
  outputPerMillionTokens?: number;
  cacheReadPerMillionTokens?: number;
  cacheWritePerMillionTokens?: number;
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
  const uncached = Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens);
  const usd = (uncached * price.input + usage.cacheReadTokens * price.cacheRead + usage.cacheWriteTokens * price.cacheWrite + usage.outputTokens * price.output) / 1_000_000;
  return {
    currency: 'USD',
    estimate: Math.round(usd * 10_000) / 10_000,
    inputPerMillionTokens: price.input,
    outputPerMillionTokens: price.output,
    cacheReadPerMillionTokens: round(price.cacheRead),
    cacheWritePerMillionTokens: round(price.cacheWrite),
  };
}

function round(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
