/** A scripted OpenAI-compatible chat-completions API (POST /v1/chat/completions) for the real openai SDK. */
import { startScriptedServer, type FakeModelServer, type ScriptStep } from './fake-model-server.js';

export type OpenAiReply =
  | {
      content?: string | null;
      toolCalls?: Array<{ id: string; name: string; arguments: string }>;
      finishReason?: 'stop' | 'tool_calls' | 'length';
      usage?: { prompt_tokens: number; completion_tokens: number; prompt_tokens_details?: { cached_tokens: number } };
    }
  | { status: number; message?: string };

export function startFakeOpenAi(script: ReadonlyArray<ScriptStep<OpenAiReply>>): Promise<FakeModelServer> {
  return startScriptedServer('/v1/chat/completions', '/v1', script, (reply, request) => {
    if ('status' in reply) return { status: reply.status, headers: { 'retry-after-ms': '5' }, body: { error: { message: reply.message ?? `HTTP ${reply.status}`, type: 'server_error' } } };
    const toolCalls = reply.toolCalls?.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    return {
      status: 200,
      body: {
        id: `chatcmpl-fake-${Math.random().toString(16).slice(2)}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: request.body?.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: reply.content ?? null, ...(toolCalls?.length ? { tool_calls: toolCalls } : {}) },
            finish_reason: reply.finishReason ?? (toolCalls?.length ? 'tool_calls' : 'stop'),
          },
        ],
        usage: { ...(reply.usage ?? { prompt_tokens: 800, completion_tokens: 60 }), total_tokens: 0 },
      },
    };
  });
}
