/**
 * The tool loop: ask the model, run the tools it calls through MCP, hand back the results,
 * until it submits a valid report or a budget runs out. Every way a model can misbehave
 * (unknown tools, bad arguments, repeating itself, invalid reports, never finishing) ends
 * as an error it can read or a stop with a named reason, never as a crash.
 */
import { describeError } from '../errors.js';
import type { AgentMessage, ModelProvider, ModelRequest, TokenUsage, ToolCallBlock, ToolResultBlock, ToolSpec } from './messages.js';
import type { McpConnection } from './mcp.js';
import { SubmittedReport, describeIssues, type StopReason, type ToolCallRecord } from './report-schema.js';
import { SUBMIT_REPORT_TOOL } from './prompt.js';
import { Semaphore } from '../aws/concurrency.js';
import { callLabel, contextChars, cutToolResult, digestLine, digestUsedResults, stablePrefixEnd } from './context.js';

export interface LoopBudgets {
  maxTurns: number;
  maxToolCalls: number;
  /** Cumulative input + output tokens over the run. */
  maxTokens: number;
  /** Wall clock for the whole loop. */
  timeoutMs: number;
  /** The same tool with the same arguments this many times: refused with a warning; once more: the run stops. */
  repeatLimit: number;
  /** Invalid submit_report calls tolerated before the run stops. */
  maxReportAttempts: number;
  /** Largest output one model turn may produce. */
  maxOutputTokensPerTurn: number;
  /** A tool result longer than this reaches the model cut to its head and how to page the rest. */
  maxToolResultChars: number;
}

export const DEFAULT_BUDGETS: LoopBudgets = {
  maxTurns: 20,
  maxToolCalls: 40,
  maxTokens: 400_000,
  timeoutMs: 600_000,
  repeatLimit: 3,
  maxReportAttempts: 3,
  maxOutputTokensPerTurn: 8_192,
  // About 5,000 tokens: a page of a listing, not the whole account.
  maxToolResultChars: 20_000,
};

/** Tool calls of one turn that run at once. */
export const DEFAULT_TOOL_CONCURRENCY = 4;

/** What one model turn cost and carried. */
export interface TurnUsage extends TokenUsage {
  turn: number;
  /** Characters of the request: system prompt, tool definitions and conversation. */
  contextChars: number;
}

export interface ToolCallEvent {
  seq: number;
  callId: string;
  tool: string;
  args: unknown;
  outcome: ToolCallRecord['outcome'];
  durationMs: number;
  /** First line of the error, for an error or refusal. */
  detail?: string;
}

export interface LoopInput {
  provider: ModelProvider;
  mcp: McpConnection;
  system: string;
  task: string;
  /** The server's tools (submit_report is added here). */
  tools: ToolSpec[];
  budgets: LoopBudgets;
  /** Resolves when the user interrupts the run. */
  interrupted?: Promise<unknown>;
  /** Tool calls of one turn run at once, at most this many (default 4). */
  toolConcurrency?: number;
  /** Replace tool results the model has answered after with a one-line digest (default true). */
  digestUsedResults?: boolean;
  onToolCall?: (event: ToolCallEvent) => void;
  onTurn?: (usage: TurnUsage) => void;
  onNotice?: (message: string) => void;
}

export interface LoopResult {
  report?: SubmittedReport;
  stopReason: StopReason;
  stopDetail?: string;
  usage: TokenUsage;
  perTurn: TurnUsage[];
  turns: number;
  toolCalls: ToolCallRecord[];
  /** The model id the API reported (falls back to the requested one). */
  model: string;
  /** The text of the model's last turn without tool calls, where a text answer would be. */
  finalText?: string;
  /** Texts of successful tool results (bounded), for reading a text answer. */
  toolResults: string[];
}

/** Nudges for a model that stops talking without submitting a report. */
const MAX_NUDGES = 2;

/** Successful tool result texts kept for reading a text answer (see text-report.ts), in characters. */
const KEPT_RESULT_CHARS = 4_000_000;

export async function runToolLoop(input: LoopInput): Promise<LoopResult> {
  const { provider, mcp, budgets } = input;
  const tools = offeredTools(input.tools);
  const schemas = new Map(input.tools.map((t) => [t.name, t.inputSchema]));
  const messages = openingMessages(input.task);
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
  const perTurn: TurnUsage[] = [];
  const records: ToolCallRecord[] = [];
  const repeats = new Map<string, number>();
  const toolResults: string[] = [];
  let keptChars = 0;
  let finalText: string | undefined;
  let serverCalls = 0;
  let turns = 0;
  let nudges = 0;
  let reportAttempts = 0;
  let model = provider.model;
  let previousBreakpoint: number | undefined;
  const limiter = new Semaphore(input.toolConcurrency ?? DEFAULT_TOOL_CONCURRENCY);

  const controller = new AbortController();
  let abortReason: StopReason | undefined;
  const timer = setTimeout(() => {
    abortReason = 'timeout';
    controller.abort();
  }, budgets.timeoutMs);
  void input.interrupted?.then(() => {
    abortReason ??= 'interrupted';
    controller.abort();
  });

  const done = (stopReason: StopReason, stopDetail?: string, report?: SubmittedReport): LoopResult => ({
    ...(report ? { report } : {}),
    stopReason,
    ...(stopDetail ? { stopDetail } : {}),
    usage,
    perTurn,
    turns,
    toolCalls: records,
    model,
    ...(finalText !== undefined ? { finalText } : {}),
    toolResults,
  });

  try {
    for (;;) {
      if (turns >= budgets.maxTurns) return done('max_turns', `the model used all ${budgets.maxTurns} turns without submitting a report`);
      const spent = usage.inputTokens + usage.outputTokens;
      if (spent >= budgets.maxTokens) return done('max_tokens', `${spent} tokens used of a budget of ${budgets.maxTokens}`);

      if (input.digestUsedResults ?? true) digestUsedResults(messages);
      const request = modelRequest({ system: input.system, tools, messages, budgets, spent, previousBreakpoint });
      previousBreakpoint = request.cacheBreakpoints?.at(-1);
      const size = contextChars(input.system, tools, messages);

      let turn;
      try {
        turn = await provider.complete({ ...request, signal: controller.signal });
      } catch (err) {
        if (abortReason) return done(abortReason, abortDetail(abortReason, budgets));
        // The model API failed after its own retries: stop, keeping what the run has.
        return done('model_error', describeError(err));
      }
      turns++;
      model = turn.model || model;
      for (const k of ['inputTokens', 'outputTokens', 'cacheReadTokens', 'cacheWriteTokens'] as const) usage[k] += turn.usage[k];
      perTurn.push({ turn: turns, ...turn.usage, contextChars: size });
      input.onTurn?.(perTurn[perTurn.length - 1]!);
      messages.push({ role: 'assistant', content: turn.content });

      const calls = turn.content.filter((b): b is ToolCallBlock => b.type === 'tool_call');
      if (calls.length === 0) {
        const text = turn.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('\n').trim();
        if (text) finalText = text;
        if (nudges >= MAX_NUDGES) return done('no_report', 'the model ended its turn without calling submit_report');
        nudges++;
        messages.push({ role: 'user', content: [{ type: 'text', text: 'Finish by calling the submit_report tool with your findings (an empty list if you found nothing). Do not answer in prose.' }] });
        continue;
      }

      // Plan the turn in call order: refusals, repeats and the call budget are decided here,
      // one call at a time, so budgets count each call however many arrive together.
      const plans: CallPlan[] = [];
      let repeatedStop: string | undefined;
      for (const call of calls) {
        if (call.name === SUBMIT_REPORT_TOOL.name) {
          plans.push({ call, kind: 'report' });
          continue;
        }
        const refusal = (message: string): CallPlan => ({ call, kind: 'refused', message });
        if (!schemas.has(call.name)) {
          plans.push(refusal(`Unknown tool "${call.name}". The available tools are: ${[...schemas.keys(), SUBMIT_REPORT_TOOL.name].sort().join(', ')}.`));
          continue;
        }
        if (call.inputError) {
          plans.push(refusal(`The arguments for ${call.name} could not be read: ${call.inputError}. Send a JSON object matching the tool's input schema.`));
          continue;
        }
        const key = `${call.name} ${canonicalJson(call.input)}`;
        const seen = (repeats.get(key) ?? 0) + 1;
        repeats.set(key, seen);
        if (seen > budgets.repeatLimit) {
          // The calls before it in this turn still run and are recorded; the run then stops.
          repeatedStop = `the model called ${call.name} with the same arguments ${seen} times`;
          break;
        }
        if (seen === budgets.repeatLimit) {
          plans.push(
            refusal(
              `You have called ${call.name} with these exact arguments ${seen} times; results do not change during a run, so it was not run again. ` +
                'Use the result you already have, change the arguments, or call submit_report. Repeating it once more ends the run.',
            ),
          );
          continue;
        }
        if (serverCalls >= budgets.maxToolCalls) {
          plans.push(refusal(`The tool-call budget of ${budgets.maxToolCalls} calls is used up. Call submit_report now with what you have found.`));
          continue;
        }
        serverCalls++;
        plans.push({ call, kind: 'run' });
      }

      // The server calls of the turn run together, at most toolConcurrency at a time.
      const outcomes = await Promise.all(
        plans.map((plan) =>
          plan.kind !== 'run'
            ? undefined
            : limiter.run(async () => {
                const started = Date.now();
                const result = await mcp.callTool(plan.call.name, plan.call.input, controller.signal).catch((err: unknown) => err as Error);
                return { result, durationMs: Date.now() - started };
              }),
        ),
      );
      if (abortReason) return done(abortReason, abortDetail(abortReason, budgets));

      // Results go back in the order of the calls.
      const results: ToolResultBlock[] = [];
      let submitted: SubmittedReport | undefined;
      for (const [i, plan] of plans.entries()) {
        const { call } = plan;
        const answer = (content: string, isError: boolean, digest?: string) => results.push({ type: 'tool_result', callId: call.id, content, isError, ...(digest !== undefined && digest.length < content.length ? { digest } : {}) });
        if (plan.kind === 'refused') {
          records.push({ callId: call.id, tool: call.name, arguments: call.input, outcome: 'refused', durationMs: 0 });
          input.onToolCall?.({ seq: records.length, callId: call.id, tool: call.name, args: call.input, outcome: 'refused', durationMs: 0, detail: firstLine(plan.message) });
          answer(plan.message, true);
          continue;
        }
        if (plan.kind === 'run') {
          const { result, durationMs } = outcomes[i]!;
          if (result instanceof Error) throw result;
          const outcome = result.isError ? 'error' : 'success';
          records.push({ callId: call.id, tool: call.name, arguments: call.input, outcome, durationMs, ...(result.auditRequestId ? { auditRequestId: result.auditRequestId } : {}) });
          input.onToolCall?.({ seq: records.length, callId: call.id, tool: call.name, args: call.input, outcome, durationMs, ...(result.isError ? { detail: firstLine(result.text) } : {}) });
          if (!result.isError && keptChars < KEPT_RESULT_CHARS) {
            toolResults.push(result.text);
            keptChars += result.text.length;
          }
          const shown = cutToolResult({ tool: call.name, args: call.input, text: result.text, structured: result.structured, inputSchema: schemas.get(call.name), maxChars: budgets.maxToolResultChars });
          if (shown.cut) input.onNotice?.(`result of ${call.name} cut from ${result.text.length} to ${shown.text.length} characters for the context`);
          // The call id (and audit request id) is said in the text too, so any model can cite it as evidence.
          answer(`${callLabel(call.id, result.auditRequestId)}\n${shown.text}`, result.isError, digestLine({ callId: call.id, auditRequestId: result.auditRequestId, tool: call.name, args: call.input, text: result.text, structured: result.structured, isError: result.isError }));
          continue;
        }
        // submit_report, checked after the turn's other calls so it may cite them.
        if (submitted) {
          answer('A report was already submitted in this turn.', true);
          continue;
        }
        reportAttempts++;
        const problem: Validation = call.inputError ? { ok: false, message: `the arguments could not be read: ${call.inputError}` } : validateReport(call.input, records);
        if (problem.ok) {
          submitted = problem.report;
          continue;
        }
        if (reportAttempts >= budgets.maxReportAttempts) return done('invalid_report', `submit_report was invalid ${reportAttempts} times; last problem:\n${problem.message}`);
        answer(`The report is invalid; fix these problems and call submit_report again:\n${problem.message}`, true);
      }
      if (submitted) return done('report_submitted', undefined, submitted);
      if (repeatedStop) return done('repeated_call', repeatedStop);

      const content: AgentMessage['content'] = [...results];
      const lastTurn = turns === budgets.maxTurns - 1;
      if (lastTurn || serverCalls >= budgets.maxToolCalls) {
        content.push({ type: 'text', text: 'Budget nearly spent: call submit_report in your next turn with what you have found so far.' });
        input.onNotice?.(`budget nearly spent (turn ${turns}/${budgets.maxTurns}, tool calls ${serverCalls}/${budgets.maxToolCalls}): asking for the report`);
      }
      messages.push({ role: 'user', content });
    }
  } finally {
    clearTimeout(timer);
  }
}

/** What the model is offered: the server's tools and the agent-local submit_report. */
export function offeredTools(serverTools: ReadonlyArray<ToolSpec>): ToolSpec[] {
  return [...serverTools, SUBMIT_REPORT_TOOL];
}

export function openingMessages(task: string): AgentMessage[] {
  return [{ role: 'user', content: [{ type: 'text', text: task }] }];
}

/** One turn's request (without the abort signal); the dry run prints the first one. */
export function modelRequest(input: {
  system: string;
  tools: ToolSpec[];
  messages: AgentMessage[];
  budgets: LoopBudgets;
  spent: number;
  previousBreakpoint?: number | undefined;
}): Omit<ModelRequest, 'signal'> {
  const stable = stablePrefixEnd(input.messages);
  const breakpoints = [...(input.previousBreakpoint !== undefined && input.previousBreakpoint !== stable ? [input.previousBreakpoint] : []), ...(stable >= 0 ? [stable] : [])];
  return {
    system: input.system,
    messages: input.messages,
    tools: input.tools,
    maxOutputTokens: Math.max(256, Math.min(input.budgets.maxOutputTokensPerTurn, input.budgets.maxTokens - input.spent)),
    cacheBreakpoints: breakpoints,
  };
}

type CallPlan = { call: ToolCallBlock; kind: 'run' | 'report' } | { call: ToolCallBlock; kind: 'refused'; message: string };

type Validation = { ok: true; report: SubmittedReport } | { ok: false; message: string };

/**
 * Schema first, then the evidence: every cited call must be a successful call of this run,
 * named by its call id or its audit request id (which the report then turns into the call id).
 */
export function validateReport(value: unknown, records: ReadonlyArray<ToolCallRecord>): Validation {
  const parsed = SubmittedReport.safeParse(value);
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
  const succeeded = records.filter((r) => r.outcome === 'success');
  const byId = new Map<string, string>();
  for (const r of succeeded) {
    byId.set(r.callId, r.callId);
    if (r.auditRequestId) byId.set(r.auditRequestId, r.callId);
  }
  const problems: string[] = [];
  parsed.data.findings.forEach((finding, i) => {
    finding.evidence.forEach((e, j) => {
      const callId = byId.get(e.callId);
      if (callId) e.callId = callId;
      else problems.push(`- findings.${i}.evidence.${j}.callId: "${e.callId}" is neither the call id nor the audit request id of a successful tool call of this run`);
    });
  });
  if (problems.length) {
    const known = succeeded.slice(0, 50).map((r) => r.callId).join(', ') || '(none yet: call the tools first)';
    return { ok: false, message: `${problems.slice(0, 20).join('\n')}\nCite the ids shown in the tool results. Successful calls of this run: ${known}` };
  }
  return { ok: true, report: parsed.data };
}

function abortDetail(reason: StopReason, budgets: LoopBudgets): string {
  return reason === 'timeout' ? `the run exceeded its wall-clock budget of ${Math.round(budgets.timeoutMs / 1000)}s` : 'the run was interrupted';
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/** JSON with sorted keys, so {a,b} and {b,a} count as the same call. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
