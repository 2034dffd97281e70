/**
 * The Anthropic Messages API as a ModelProvider, with the official SDK. Rate limits (429)
 * and overload (529) are retried by the SDK itself (`maxRetries`, exponential backoff that
 * honours retry-after); what still fails after that ends the run as a MODEL_API error.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, MessageCreateParamsNonStreaming, MessageParam, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { AgentMessage, AssistantBlock, ModelProvider, ModelRequest, ModelTurn, StopKind } from '../messages.js';
import { modelApiError } from './errors.js';

/** The current Sonnet (2026); the SDK warns that claude-sonnet-4-5 is deprecated. */
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';

export interface AnthropicProviderOptions {
  apiKey: string;
  baseURL?: string;
  model?: string;
  maxRetries: number;
  /** Per-request timeout; the run's own wall-clock budget also aborts requests. */
  timeoutMs?: number;
  /** Cache breakpoints on tools, system prompt and conversation (default on). */
  promptCache?: boolean;
}

/**
 * Prompt caching as the Messages API allows it: at most 4 cache_control breakpoints per
 * request, prefixes hashed in the order tools, system, messages. One on the last tool, one on
 * the system prompt, and up to two on the conversation: the end of the part that stays
 * unchanged from now on, and where that end was in the previous request (the API looks back
 * only 20 blocks for an earlier entry, and one turn with many parallel calls adds more than
 * that). A prefix shorter than the model's minimum (1,024 tokens on Sonnet and Opus, more on
 * Haiku) is simply not cached; the API does not fail.
 */
const EPHEMERAL = { type: 'ephemeral' } as const;

export function anthropicRequestBody(model: string, request: Omit<ModelRequest, 'signal'>, promptCache: boolean): MessageCreateParamsNonStreaming {
  const tools: Tool[] = request.tools.map((t, i) => ({
    name: t.name,
    description: t.description,
    input_schema: t.inputSchema as Tool['input_schema'],
    ...(promptCache && i === request.tools.length - 1 ? { cache_control: EPHEMERAL } : {}),
  }));
  const system: TextBlockParam[] = [{ type: 'text', text: request.system, ...(promptCache ? { cache_control: EPHEMERAL } : {}) }];
  const marked = new Set(promptCache ? (request.cacheBreakpoints ?? []).slice(-2) : []);
  return {
    model,
    max_tokens: request.maxOutputTokens,
    system,
    tools,
    messages: request.messages.map((m, i) => toAnthropicMessage(m, marked.has(i))),
  };
}

export class AnthropicProvider implements ModelProvider {
  readonly name = 'anthropic' as const;
  readonly model: string;
  private readonly client: Anthropic;
  private readonly promptCache: boolean;

  constructor(options: AnthropicProviderOptions) {
    this.model = options.model ?? DEFAULT_ANTHROPIC_MODEL;
    this.promptCache = options.promptCache ?? true;
    this.client = new Anthropic({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      maxRetries: options.maxRetries,
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      logLevel: 'off',
    });
  }

  async complete(request: ModelRequest): Promise<ModelTurn> {
    try {
      const response = await this.client.messages.create(anthropicRequestBody(this.model, request, this.promptCache), { signal: request.signal });
      const content: AssistantBlock[] = [];
      for (const block of response.content) {
        if (block.type === 'text') content.push({ type: 'text', text: block.text });
        else if (block.type === 'tool_use') content.push({ type: 'tool_call', id: block.id, name: block.name, input: block.input });
        // Thinking blocks (adaptive thinking is on by default on current models) go back verbatim.
        else content.push({ type: 'opaque', provider: 'anthropic', value: block });
      }
      // input_tokens counts only what came after the last cache breakpoint; the cached parts are reported apart.
      const usage = response.usage;
      const cacheReadTokens = usage.cache_read_input_tokens ?? 0;
      const cacheWriteTokens = usage.cache_creation_input_tokens ?? 0;
      return {
        content,
        stop: stopKind(response.stop_reason),
        usage: { inputTokens: usage.input_tokens + cacheWriteTokens + cacheReadTokens, outputTokens: usage.output_tokens, cacheReadTokens, cacheWriteTokens },
        model: response.model,
      };
    } catch (err) {
      if (request.signal.aborted) throw err;
      throw modelApiError('anthropic', err);
    }
  }
}

function stopKind(reason: string | null): StopKind {
  if (reason === 'tool_use') return 'tool_use';
  if (reason === 'end_turn' || reason === 'stop_sequence') return 'end_turn';
  if (reason === 'max_tokens') return 'max_tokens';
  return 'other';
}

function toAnthropicMessage(message: AgentMessage, breakpoint: boolean): MessageParam {
  const content: ContentBlockParam[] = message.content.flatMap((block): ContentBlockParam[] => {
    switch (block.type) {
      case 'opaque':
        return block.provider === 'anthropic' ? [block.value as ContentBlockParam] : [];
      case 'text':
        return [{ type: 'text', text: block.text }];
      case 'tool_call':
        // An input the provider could not parse is sent back as an empty object: the
        // tool_result that follows tells the model what was wrong with it.
        return [{ type: 'tool_use', id: block.id, name: block.name, input: block.inputError ? {} : (block.input as Record<string, unknown>) }];
      case 'tool_result':
        return [{ type: 'tool_result', tool_use_id: block.callId, content: block.content, is_error: block.isError }];
    }
  });
  if (breakpoint) {
    // Thinking blocks cannot carry cache_control; the last block that can closes the prefix.
    const index = content.findLastIndex((b) => b.type === 'text' || b.type === 'tool_use' || b.type === 'tool_result');
    if (index >= 0) content[index] = { ...content[index], cache_control: EPHEMERAL } as ContentBlockParam;
  }
  return { role: message.role, content };
}
