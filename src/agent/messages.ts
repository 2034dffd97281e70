/**
 * The provider-neutral conversation the tool loop keeps. Each provider translates it to
 * its own wire format and back, so the loop, the budgets and the report never depend on
 * which model API is on the other end.
 */

export interface TextBlock {
  type: 'text';
  text: string;
}

export interface ToolCallBlock {
  type: 'tool_call';
  /** The provider's id for this call (Anthropic tool_use id, OpenAI tool_call id). */
  id: string;
  name: string;
  input: unknown;
  /** Set when the provider's arguments could not be parsed as a JSON object. */
  inputError?: string;
}

export interface ToolResultBlock {
  type: 'tool_result';
  callId: string;
  content: string;
  isError: boolean;
  /**
   * The one line that replaces `content` once the model has answered after seeing it, so
   * old results stop filling the context (set only where the digest is shorter).
   */
  digest?: string;
}

/**
 * A provider's own block the loop does not read but must send back unchanged, e.g. an
 * Anthropic thinking block (signed, and required in the turn that precedes tool results).
 */
export interface OpaqueBlock {
  type: 'opaque';
  provider: 'anthropic' | 'openai';
  value: unknown;
}

export type ContentBlock = TextBlock | ToolCallBlock | ToolResultBlock | OpaqueBlock;
export type AssistantBlock = TextBlock | ToolCallBlock | OpaqueBlock;

export interface AgentMessage {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

/** A tool as offered to the model: the MCP server's tools plus the agent-local submit_report. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the input object. */
  inputSchema: Record<string, unknown>;
}

export interface TokenUsage {
  /** Every input token of the request: uncached, written to the cache and read from it. */
  inputTokens: number;
  outputTokens: number;
  /** Of inputTokens, those read from the provider's prompt cache. */
  cacheReadTokens: number;
  /** Of inputTokens, those written to the prompt cache (Anthropic bills them above the base rate). */
  cacheWriteTokens: number;
}

export type StopKind = 'tool_use' | 'end_turn' | 'max_tokens' | 'other';

export interface ModelTurn {
  content: AssistantBlock[];
  stop: StopKind;
  usage: TokenUsage;
  /** The model id the API says answered. */
  model: string;
}

export interface ModelRequest {
  system: string;
  messages: AgentMessage[];
  tools: ToolSpec[];
  maxOutputTokens: number;
  signal: AbortSignal;
  /**
   * Indices of messages whose content will be sent unchanged in every later request: where
   * a provider with prompt caching puts its conversation breakpoints (at most two).
   */
  cacheBreakpoints?: number[];
}

export interface ModelProvider {
  readonly name: 'anthropic' | 'openai';
  readonly model: string;
  complete(request: ModelRequest): Promise<ModelTurn>;
}
