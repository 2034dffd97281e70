/** A scripted Anthropic Messages API (POST /v1/messages) for the real @anthropic-ai/sdk. */
import { createHash } from 'node:crypto';
import { startScriptedServer, type FakeModelServer, type RecordedRequest, type ScriptedHttpReply, type ScriptStep } from './fake-model-server.js';

export type AnthropicBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown };

export type AnthropicReply =
  | {
      content: AnthropicBlock[];
      stop_reason?: 'end_turn' | 'tool_use' | 'max_tokens';
      usage?: { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number; cache_creation_input_tokens?: number };
      model?: string;
    }
  /** An HTTP error, e.g. 429 rate limit or 529 overloaded. */
  | { status: number; errorType: string; message?: string };

let ids = 0;
/** A tool_use block with a fresh id. */
export function toolUse(name: string, input: unknown, id = `toolu_fake_${++ids}`): AnthropicBlock {
  return { type: 'tool_use', id, name, input };
}

export function text(value: string): AnthropicBlock {
  return { type: 'text', text: value };
}

export interface FakeAnthropicOptions {
  /**
   * Usage from the request itself when a reply gives none, with prompt caching as the API
   * documents it (see simulateUsage); otherwise a flat 1,000 in and 100 out.
   */
  simulateUsage?: boolean;
}

export function startFakeAnthropic(script: ReadonlyArray<ScriptStep<AnthropicReply>>, options: FakeAnthropicOptions = {}): Promise<FakeModelServer> {
  const cache = new Set<string>();
  return startScriptedServer('/v1/messages', '', script, (reply, request): ScriptedHttpReply => {
    if ('status' in reply) {
      // retry-after-ms keeps the SDK's backoff short in tests; the SDK honours it.
      return { status: reply.status, headers: { 'retry-after-ms': '5' }, body: { type: 'error', error: { type: reply.errorType, message: reply.message ?? reply.errorType } } };
    }
    const stop = reply.stop_reason ?? (reply.content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
    return {
      status: 200,
      headers: { 'request-id': `req_fake_${Date.now()}` },
      body: {
        id: `msg_fake_${Math.random().toString(16).slice(2)}`,
        type: 'message',
        role: 'assistant',
        model: reply.model ?? (request.body?.model as string),
        content: reply.content,
        stop_reason: stop,
        stop_sequence: null,
        usage: reply.usage ?? (options.simulateUsage ? simulateUsage(request.body, reply.content, cache) : { input_tokens: 1000, output_tokens: 100 }),
      },
    };
  });
}

/** The tool_result blocks of the last user message of a Messages API request. */
export function lastToolResults(request: RecordedRequest): Array<{ tool_use_id: string; content: string; is_error?: boolean }> {
  const messages = request.body.messages as Array<{ role: string; content: unknown }>;
  const last = messages[messages.length - 1]!;
  return Array.isArray(last.content) ? (last.content as Array<{ type: string }>).filter((b) => b.type === 'tool_result') as never : [];
}

/** Every tool_use id the fake has handed out in the conversation of `request`, by tool name. */
export function toolUseIds(request: RecordedRequest, name?: string): string[] {
  const out: string[] = [];
  for (const m of request.body.messages as Array<{ role: string; content: unknown }>) {
    if (m.role !== 'assistant' || !Array.isArray(m.content)) continue;
    for (const b of m.content as Array<{ type: string; id?: string; name?: string }>) if (b.type === 'tool_use' && (!name || b.name === name)) out.push(b.id!);
  }
  return out;
}

/** A rough token count: about 4 characters a token. No tokenizer runs here. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/** Shortest prefix the API caches (Sonnet and Opus; Haiku needs more). */
export const MIN_CACHEABLE_TOKENS = 1024;
/** How far back from a breakpoint the API looks for an earlier cache entry, in blocks. */
const LOOKBACK_BLOCKS = 20;

/**
 * Usage of a Messages API request as the API's prompt caching documents it: the prefix is
 * tools, then system, then messages, block by block; a cache_control block marks a
 * breakpoint; a breakpoint whose prefix reaches the minimum length writes a cache entry; a
 * request reads the longest earlier entry found at a breakpoint or up to 20 blocks before
 * one. input_tokens is what follows the last breakpoint. Tokens are estimated from characters.
 */
export function simulateUsage(body: any, content: unknown, cache: Set<string>): { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number } {
  const blocks: Array<{ json: string; breakpoint: boolean }> = [];
  const add = (block: unknown, prefix = '') => {
    const { cache_control, ...rest } = (typeof block === 'object' && block !== null ? block : { text: block }) as Record<string, unknown>;
    blocks.push({ json: prefix + JSON.stringify(rest), breakpoint: cache_control !== undefined });
  };
  for (const tool of body.tools ?? []) add(tool);
  for (const block of typeof body.system === 'string' ? [{ type: 'text', text: body.system }] : (body.system ?? [])) add(block);
  for (const message of body.messages ?? []) {
    const parts = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
    parts.forEach((part: unknown, i: number) => add(part, i === 0 ? `${message.role}:` : ''));
  }
  const hashes: string[] = [];
  const prefixTokens: number[] = [];
  let hash = '';
  let tokens = 0;
  for (const b of blocks) {
    hash = createHash('sha256').update(hash).update(b.json).digest('hex');
    tokens += estimateTokens(b.json.length);
    hashes.push(hash);
    prefixTokens.push(tokens);
  }
  const breakpoints = blocks.flatMap((b, i) => (b.breakpoint ? [i] : []));
  let read = -1;
  for (const bp of breakpoints) {
    for (let j = bp; j >= Math.max(0, bp - LOOKBACK_BLOCKS); j--) {
      if (cache.has(hashes[j]!)) {
        read = Math.max(read, j);
        break;
      }
    }
  }
  const last = breakpoints.length ? breakpoints[breakpoints.length - 1]! : -1;
  for (const bp of breakpoints) if (prefixTokens[bp]! >= MIN_CACHEABLE_TOKENS) cache.add(hashes[bp]!);
  const cacheRead = read >= 0 ? prefixTokens[read]! : 0;
  const cacheWrite = last >= 0 && last > read && prefixTokens[last]! >= MIN_CACHEABLE_TOKENS ? prefixTokens[last]! - cacheRead : 0;
  return {
    input_tokens: tokens - cacheRead - cacheWrite,
    output_tokens: estimateTokens(JSON.stringify(content).length),
    cache_read_input_tokens: cacheRead,
    cache_creation_input_tokens: cacheWrite,
  };
}
