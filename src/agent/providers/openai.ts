/**
 * Any OpenAI-compatible chat-completions endpoint (OpenAI itself, or a local server such
 * as Ollama, vLLM or LM Studio via OPENAI_BASE_URL) as a ModelProvider, with the official
 * `openai` SDK and function tools. 429 and 5xx are retried by the SDK (`maxRetries`).
 */
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { AgentMessage, AssistantBlock, ModelProvider, ModelRequest, ModelTurn, StopKind, ToolCallBlock } from '../messages.js';
import { modelApiError } from './errors.js';

export const DEFAULT_OPENAI_MODEL = 'gpt-4o';

export interface OpenAiProviderOptions {
  /** Optional for local servers that do not check it. */
  apiKey?: string;
  baseURL?: string;
  model?: string;
  maxRetries: number;
  timeoutMs?: number;
}

export class OpenAiProvider implements ModelProvider {
  readonly name = 'openai' as const;
  readonly model: string;
  private readonly client: OpenAI;
  private readonly localServer: boolean;

  constructor(options: OpenAiProviderOptions) {
    this.model = options.model ?? DEFAULT_OPENAI_MODEL;
    this.localServer = isLocalOpenAiServer(options.baseURL);
    this.client = new OpenAI({
      // The SDK refuses to start without a key; a local server ignores whatever is sent.
      apiKey: options.apiKey || 'no-key',
      ...(options.baseURL ? { baseURL: options.baseURL } : {}),
      maxRetries: options.maxRetries,
      ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      logLevel: 'off',
    });
  }

  async complete(request: ModelRequest): Promise<ModelTurn> {
    try {
      const response = await this.client.chat.completions.create(openAiRequestBody(this.model, request, this.localServer), { signal: request.signal });
      const choice = response.choices[0];
      const content: AssistantBlock[] = [];
      if (choice?.message.content) content.push({ type: 'text', text: choice.message.content });
      for (const call of choice?.message.tool_calls ?? []) {
        if (call.type !== 'function') continue;
        content.push(parseToolCall(call.id, call.function.name, call.function.arguments));
      }
      return {
        content,
        stop: stopKind(choice?.finish_reason, content.some((b) => b.type === 'tool_call')),
        // Servers that cache prompt prefixes (OpenAI, vLLM with prefix caching) count the hits
        // inside prompt_tokens and say how many in prompt_tokens_details; there are no writes.
        usage: {
          inputTokens: response.usage?.prompt_tokens ?? 0,
          outputTokens: response.usage?.completion_tokens ?? 0,
          cacheReadTokens: response.usage?.prompt_tokens_details?.cached_tokens ?? 0,
          cacheWriteTokens: 0,
        },
        model: response.model || this.model,
      };
    } catch (err) {
      if (request.signal.aborted) throw err;
      throw modelApiError('openai', err);
    }
  }
}

/** The chat-completions body for a request; caching is the server's own (prefix matching), nothing to mark. */
export function openAiRequestBody(model: string, request: Omit<ModelRequest, 'signal'>, localServer: boolean): ChatCompletionCreateParamsNonStreaming {
  const tools: ChatCompletionTool[] = request.tools.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.inputSchema },
  }));
  return {
    model,
    messages: [{ role: 'system', content: request.system }, ...request.messages.flatMap(toOpenAiMessages)],
    tools,
    ...(localServer ? { max_tokens: request.maxOutputTokens } : { max_completion_tokens: request.maxOutputTokens }),
  };
}

/** OpenAI's own API wants max_completion_tokens; local servers still expect max_tokens. */
export function isLocalOpenAiServer(baseURL: string | undefined): boolean {
  return Boolean(baseURL) && !/^https:\/\/api\.openai\.com\b/.test(baseURL ?? '');
}

function parseToolCall(id: string, name: string, rawArguments: string): ToolCallBlock {
  try {
    const input: unknown = JSON.parse(rawArguments || '{}');
    if (input && typeof input === 'object' && !Array.isArray(input)) return { type: 'tool_call', id, name, input };
    return { type: 'tool_call', id, name, input: {}, inputError: 'the arguments must be a JSON object' };
  } catch {
    return { type: 'tool_call', id, name, input: {}, inputError: `the arguments are not valid JSON: ${rawArguments.slice(0, 200)}` };
  }
}

function stopKind(reason: string | undefined | null, hasToolCalls: boolean): StopKind {
  // Some local servers say "stop" even when they return tool calls.
  if (reason === 'tool_calls' || hasToolCalls) return 'tool_use';
  if (reason === 'stop') return 'end_turn';
  if (reason === 'length') return 'max_tokens';
  return 'other';
}

function toOpenAiMessages(message: AgentMessage): ChatCompletionMessageParam[] {
  if (message.role === 'assistant') {
    const text = message.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n');
    const calls = message.content.flatMap((b) =>
      b.type === 'tool_call' ? [{ id: b.id, type: 'function' as const, function: { name: b.name, arguments: JSON.stringify(b.inputError ? {} : b.input) } }] : [],
    );
    return [{ role: 'assistant', content: text || null, ...(calls.length ? { tool_calls: calls } : {}) }];
  }
  const out: ChatCompletionMessageParam[] = [];
  for (const block of message.content) {
    // Chat completions has no error flag on tool results: say it in the text.
    if (block.type === 'tool_result') out.push({ role: 'tool', tool_call_id: block.callId, content: block.isError ? `ERROR: ${block.content}` : block.content });
    else if (block.type === 'text') out.push({ role: 'user', content: block.text });
  }
  return out;
}
