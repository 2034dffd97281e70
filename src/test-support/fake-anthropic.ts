/** A scripted Anthropic Messages API (POST /v1/messages) for the real @anthropic-ai/sdk. */
import { startScriptedServer, type FakeModelServer, type RecordedRequest, type ScriptedHttpReply, type ScriptStep } from './fake-model-server.js';

export type AnthropicBlock = { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown };

export type AnthropicReply =
  | { content: AnthropicBlock[]; stop_reason?: 'end_turn' | 'tool_use' | 'max_tokens'; usage?: { input_tokens: number; output_tokens: number }; model?: string }
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

export function startFakeAnthropic(script: ReadonlyArray<ScriptStep<AnthropicReply>>): Promise<FakeModelServer> {
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
        usage: reply.usage ?? { input_tokens: 1000, output_tokens: 100 },
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
