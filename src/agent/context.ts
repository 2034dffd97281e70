/**
 * Keeping the model's context small: a tool result over the size budget reaches the model
 * cut to its head plus the arguments that page through the rest, and a result the model has
 * already answered after is replaced by a one-line digest that keeps its call id and audit
 * request id citable. Text inside the server's <untrusted-data> fence never leaves it: a cut
 * closes the fence, and a digest quotes only the tool's own first line.
 */
import type { AgentMessage, ToolSpec } from './messages.js';

const FENCE_OPEN = '<untrusted-data>';
const FENCE_CLOSE = '</untrusted-data>';

/** Room kept for the note that says what was cut and how to page. */
const NOTE_ROOM = 700;

/** How the result of a call is labelled for the model: what it cites as evidence. */
export function callLabel(callId: string, auditRequestId: string | undefined): string {
  return `[call id: ${callId}]${auditRequestId ? ` [audit request id: ${auditRequestId}]` : ''}`;
}

export interface CutInput {
  tool: string;
  args: unknown;
  text: string;
  /** The result's structuredContent, where page sizes and cursors are read. */
  structured?: unknown;
  inputSchema?: Record<string, unknown>;
  maxChars: number;
}

/** The result as the model gets it: unchanged when it fits, else the head and how to page. */
export function cutToolResult(input: CutInput): { text: string; cut: boolean } {
  const { text, maxChars } = input;
  if (text.length <= maxChars) return { text, cut: false };
  const room = Math.max(Math.floor(maxChars / 2), maxChars - NOTE_ROOM);
  let head = text.slice(0, room);
  const lastNewline = head.lastIndexOf('\n');
  if (lastNewline > room / 2) head = head.slice(0, lastNewline);
  // A cut inside the fence closes it, so nothing after the cut can pose as the agent's note.
  if (head.lastIndexOf(FENCE_OPEN) > head.lastIndexOf(FENCE_CLOSE)) head += `\n${FENCE_CLOSE}`;
  const shownLines = head.split('\n').length;
  const totalLines = text.split('\n').length;
  const note = `[Result cut to fit the context: ${head.length} of ${text.length} characters shown (about ${shownLines} of ${totalLines} lines). ${pagingHint(input, head.length / text.length)}]`;
  return { text: `${head}\n${note}`, cut: true };
}

/** The arguments that page through what was cut: a smaller page, the next cursor, or the filters. */
function pagingHint(input: CutInput, shownFraction: number): string {
  const properties = Object.keys((input.inputSchema?.properties as Record<string, unknown> | undefined) ?? {});
  const args = input.args && typeof input.args === 'object' ? (input.args as Record<string, unknown>) : {};
  const structured = input.structured && typeof input.structured === 'object' ? (input.structured as Record<string, unknown>) : {};
  const items = Object.values(structured).find((v): v is unknown[] => Array.isArray(v));
  const nextCursor = typeof structured.nextCursor === 'string' ? structured.nextCursor : undefined;
  if (properties.includes('limit') && items && items.length > 1) {
    const limit = Math.max(1, Math.floor(items.length * shownFraction * 0.9));
    return `This page held ${items.length} items. To read all of them, call ${input.tool} with ${JSON.stringify({ ...args, limit })} and then again with each nextCursor it returns.`;
  }
  if (properties.includes('cursor') && nextCursor) {
    return `The cut part of this page is not shown. For the items after it, call ${input.tool} with ${JSON.stringify({ ...args, cursor: nextCursor })}.`;
  }
  const filters = properties.filter((p) => !['cursor', 'limit', 'refresh'].includes(p));
  return filters.length
    ? `Narrow the call with its arguments (${filters.join(', ')}) to see a part of the rest.`
    : 'The rest cannot be paged; work with what is shown.';
}

/**
 * One line standing for a result once the model has used it. It quotes nothing from inside
 * the server's fence: the counts and flags of the structured result (its keys are the tool's
 * schema, not infrastructure data), else the tool's own first line before any fence.
 */
export function digestLine(input: { callId: string; auditRequestId?: string; tool: string; args: unknown; text: string; structured?: unknown; isError: boolean }): string {
  let gist = structuredGist(input.structured);
  if (!gist) {
    const fenceAt = input.text.indexOf(FENCE_OPEN);
    const own = fenceAt >= 0 ? input.text.slice(0, fenceAt) : input.text;
    gist = (own.split('\n').find((l) => l.trim() && !l.startsWith('Data from ')) ?? '').replace(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g, '').trim();
  }
  if (gist.length > 120) gist = `${gist.slice(0, 117)}...`;
  let args = JSON.stringify(input.args ?? {});
  if (args.length > 160) args = `${args.slice(0, 157)}...`;
  return `${callLabel(input.callId, input.auditRequestId)} ${input.tool} ${args} -> ${input.isError ? 'error' : 'ok'}${gist ? `: ${gist}` : ''} (full result dropped from the context after use; the ids stay citable as evidence)`;
}

/** "buckets: 3 items, total: 3": sizes, numbers and flags only; strings may be infrastructure data. */
function structuredGist(structured: unknown): string {
  if (!structured || typeof structured !== 'object' || Array.isArray(structured)) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(structured)) {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,40}$/.test(key)) continue;
    if (Array.isArray(value)) parts.push(`${key}: ${value.length} item${value.length === 1 ? '' : 's'}`);
    else if (typeof value === 'number' || typeof value === 'boolean') parts.push(`${key}: ${String(value)}`);
    else if (key === 'nextCursor' && typeof value === 'string') parts.push('more pages');
  }
  return parts.join(', ');
}

/**
 * Swap in the digest of every tool result the model has already answered after: all but
 * those in the last message, which it has not seen yet. Each result is digested once, so
 * the conversation before the last message never changes again (what prompt caching needs).
 */
export function digestUsedResults(messages: AgentMessage[]): number {
  let digested = 0;
  for (const message of messages.slice(0, -1)) {
    for (const block of message.content) {
      if (block.type !== 'tool_result' || block.digest === undefined) continue;
      block.content = block.digest;
      delete block.digest;
      digested++;
    }
  }
  return digested;
}

/**
 * Indices of the messages that will be sent unchanged from now on, for the provider's cache
 * breakpoints: the last such message now, and where that was in the previous request.
 */
export function stablePrefixEnd(messages: ReadonlyArray<AgentMessage>): number {
  const last = messages[messages.length - 1];
  const pending = last?.content.some((b) => b.type === 'tool_result' && b.digest !== undefined) ?? false;
  return pending ? messages.length - 2 : messages.length - 1;
}

/** Characters of what one request sends: system prompt, tool definitions and the conversation. */
export function contextChars(system: string, tools: ReadonlyArray<ToolSpec>, messages: ReadonlyArray<AgentMessage>): number {
  let n = system.length + JSON.stringify(tools).length;
  for (const m of messages) {
    for (const b of m.content) {
      if (b.type === 'text') n += b.text.length;
      else if (b.type === 'tool_result') n += b.content.length;
      else if (b.type === 'tool_call') n += b.name.length + JSON.stringify(b.input ?? {}).length;
      else n += JSON.stringify(b.value ?? null).length;
    }
  }
  return n;
}
