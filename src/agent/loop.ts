/**
 * The tool loop: ask the model, run the tools it calls through MCP, hand back the results,
 * until it submits a valid report or a budget runs out. Every way a model can misbehave
 * (unknown tools, bad arguments, repeating itself, invalid reports, never finishing) ends
 * as an error it can read or a stop with a named reason, never as a crash.
 */
import { describeError } from '../errors.js';
import type { AgentMessage, ModelProvider, TokenUsage, ToolCallBlock, ToolResultBlock, ToolSpec } from './messages.js';
import type { McpConnection } from './mcp.js';
import { SubmittedReport, describeIssues, type StopReason, type ToolCallRecord } from './report-schema.js';
import { SUBMIT_REPORT_TOOL } from './prompt.js';

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
}

export const DEFAULT_BUDGETS: LoopBudgets = {
  maxTurns: 20,
  maxToolCalls: 40,
  maxTokens: 400_000,
  timeoutMs: 600_000,
  repeatLimit: 3,
  maxReportAttempts: 3,
  maxOutputTokensPerTurn: 8_192,
};

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
  onToolCall?: (event: ToolCallEvent) => void;
  onNotice?: (message: string) => void;
}

export interface LoopResult {
  report?: SubmittedReport;
  stopReason: StopReason;
  stopDetail?: string;
  usage: TokenUsage;
  turns: number;
  toolCalls: ToolCallRecord[];
  /** The model id the API reported (falls back to the requested one). */
  model: string;
}

/** Nudges for a model that stops talking without submitting a report. */
const MAX_NUDGES = 2;

export async function runToolLoop(input: LoopInput): Promise<LoopResult> {
  const { provider, mcp, budgets } = input;
  const tools: ToolSpec[] = [...input.tools, SUBMIT_REPORT_TOOL];
  const toolNames = new Set(input.tools.map((t) => t.name));
  const messages: AgentMessage[] = [{ role: 'user', content: [{ type: 'text', text: input.task }] }];
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  const records: ToolCallRecord[] = [];
  const repeats = new Map<string, number>();
  let serverCalls = 0;
  let turns = 0;
  let nudges = 0;
  let reportAttempts = 0;
  let model = provider.model;

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
    turns,
    toolCalls: records,
    model,
  });

  try {
    for (;;) {
      if (turns >= budgets.maxTurns) return done('max_turns', `the model used all ${budgets.maxTurns} turns without submitting a report`);
      const spent = usage.inputTokens + usage.outputTokens;
      if (spent >= budgets.maxTokens) return done('max_tokens', `${spent} tokens used of a budget of ${budgets.maxTokens}`);

      let turn;
      try {
        turn = await provider.complete({
          system: input.system,
          messages,
          tools,
          maxOutputTokens: Math.max(256, Math.min(budgets.maxOutputTokensPerTurn, budgets.maxTokens - spent)),
          signal: controller.signal,
        });
      } catch (err) {
        if (abortReason) return done(abortReason, abortDetail(abortReason, budgets));
        // The model API failed after its own retries: stop, keeping what the run has.
        return done('model_error', describeError(err));
      }
      turns++;
      model = turn.model || model;
      usage.inputTokens += turn.usage.inputTokens;
      usage.outputTokens += turn.usage.outputTokens;
      messages.push({ role: 'assistant', content: turn.content });

      const calls = turn.content.filter((b): b is ToolCallBlock => b.type === 'tool_call');
      if (calls.length === 0) {
        if (nudges >= MAX_NUDGES) return done('no_report', 'the model ended its turn without calling submit_report');
        nudges++;
        messages.push({ role: 'user', content: [{ type: 'text', text: 'Finish by calling the submit_report tool with your findings (an empty list if you found nothing). Do not answer in prose.' }] });
        continue;
      }

      const results: ToolResultBlock[] = [];
      for (const call of calls) {
        const answer = (content: string, isError: boolean) => results.push({ type: 'tool_result', callId: call.id, content, isError });

        if (call.name === SUBMIT_REPORT_TOOL.name) {
          reportAttempts++;
          const problem: Validation = call.inputError ? { ok: false, message: `the arguments could not be read: ${call.inputError}` } : validateReport(call.input, records);
          if (problem.ok) return done('report_submitted', undefined, problem.report);
          if (reportAttempts >= budgets.maxReportAttempts) return done('invalid_report', `submit_report was invalid ${reportAttempts} times; last problem:\n${problem.message}`);
          answer(`The report is invalid; fix these problems and call submit_report again:\n${problem.message}`, true);
          continue;
        }

        const refuse = (message: string) => {
          records.push({ callId: call.id, tool: call.name, arguments: call.input, outcome: 'refused', durationMs: 0 });
          input.onToolCall?.({ seq: records.length, callId: call.id, tool: call.name, args: call.input, outcome: 'refused', durationMs: 0, detail: firstLine(message) });
          answer(message, true);
        };
        if (!toolNames.has(call.name)) {
          refuse(`Unknown tool "${call.name}". The available tools are: ${[...toolNames, SUBMIT_REPORT_TOOL.name].sort().join(', ')}.`);
          continue;
        }
        if (call.inputError) {
          refuse(`The arguments for ${call.name} could not be read: ${call.inputError}. Send a JSON object matching the tool's input schema.`);
          continue;
        }
        const key = `${call.name} ${canonicalJson(call.input)}`;
        const seen = (repeats.get(key) ?? 0) + 1;
        repeats.set(key, seen);
        if (seen > budgets.repeatLimit) return done('repeated_call', `the model called ${call.name} with the same arguments ${seen} times`);
        if (seen === budgets.repeatLimit) {
          refuse(
            `You have called ${call.name} with these exact arguments ${seen} times; results do not change during a run, so it was not run again. ` +
              'Use the result you already have, change the arguments, or call submit_report. Repeating it once more ends the run.',
          );
          continue;
        }
        if (serverCalls >= budgets.maxToolCalls) {
          refuse(`The tool-call budget of ${budgets.maxToolCalls} calls is used up. Call submit_report now with what you have found.`);
          continue;
        }

        serverCalls++;
        const started = Date.now();
        let result;
        try {
          result = await mcp.callTool(call.name, call.input, controller.signal);
        } catch (err) {
          if (abortReason) return done(abortReason, abortDetail(abortReason, budgets));
          throw err;
        }
        const durationMs = Date.now() - started;
        const outcome = result.isError ? 'error' : 'success';
        records.push({ callId: call.id, tool: call.name, arguments: call.input, outcome, durationMs, ...(result.auditRequestId ? { auditRequestId: result.auditRequestId } : {}) });
        input.onToolCall?.({ seq: records.length, callId: call.id, tool: call.name, args: call.input, outcome, durationMs, ...(result.isError ? { detail: firstLine(result.text) } : {}) });
        // The call id is said in the text too, so any model can cite it as evidence.
        answer(`[call id: ${call.id}]\n${result.text}`, result.isError);
      }

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

type Validation = { ok: true; report: SubmittedReport } | { ok: false; message: string };

/** Schema first, then the evidence: every cited call must be a successful call of this run. */
export function validateReport(value: unknown, records: ReadonlyArray<ToolCallRecord>): Validation {
  const parsed = SubmittedReport.safeParse(value);
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
  const succeeded = new Set(records.filter((r) => r.outcome === 'success').map((r) => r.callId));
  const problems: string[] = [];
  parsed.data.findings.forEach((finding, i) => {
    finding.evidence.forEach((e, j) => {
      if (!succeeded.has(e.callId)) problems.push(`- findings.${i}.evidence.${j}.callId: "${e.callId}" is not a successful tool call of this run`);
    });
  });
  if (problems.length) {
    const known = [...succeeded].slice(0, 50).join(', ') || '(none yet: call the tools first)';
    return { ok: false, message: `${problems.slice(0, 20).join('\n')}\nCite the call ids shown in the tool results. Successful calls of this run: ${known}` };
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
