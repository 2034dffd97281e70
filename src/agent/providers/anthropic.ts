/**
 * The Anthropic Messages API as a ModelProvider, with the official SDK. Rate limits (429)
 * and overload (529) are retried by the SDK itself (`maxRetries`, exponential backoff that
 * honours retry-after); what still fails after that ends the run as a MODEL_API error.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlockParam, MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
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
}

export class AnthropicProvider implements ModelProvider {
  readonly name = 'anthropic' as const;
  readonly model: string;
  private readonly client: Anthropic;

  constructor(options: AnthropicProviderOptions) {
    this.model = options.model ?? DEFAULT_ANTHROPIC_MODEL;
    this.client = new Anthropic({
      apiKey: options.apiKey,
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      maxRetries: options.maxRetries,
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      logLevel: 'off',
    });
  }

  async complete(request: ModelRequest): Promise<ModelTurn> {
    const tools: Tool[] = request.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema as Tool['input_schema'] }));
    try {
      const response = await this.client.messages.create(
        {
          model: this.model,
          max_tokens: request.maxOutputTokens,
          system: request.system,
          tools,
          messages: request.messages.map(toAnthropicMessage),
        },
        { signal: request.signal },
      );
      const content: AssistantBlock[] = [];
      for (const block of response.content) {
        if (block.type === 'text') content.push({ type: 'text', text: block.text });
        else if (block.type === 'tool_use') content.push({ type: 'tool_call', id: block.id, name: block.name, input: block.input });
        // Thinking blocks (adaptive thinking is on by default on current models) go back verbatim.
        else content.push({ type: 'opaque', provider: 'anthropic', value: block });
      }
      const usage = response.usage;
      return {
        content,
        stop: stopKind(response.stop_reason),
        usage: {
          inputTokens: usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0),
          outputTokens: usage.output_tokens,
        },
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

function toAnthropicMessage(message: AgentMessage): MessageParam {
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
  return { role: message.role, content };
}
