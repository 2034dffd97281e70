/**
 * runAgent: one audit run. It connects to the MCP server as a real client, runs the tool
 * loop with a model, writes report.json, report.md and the remediation proposals into one
 * output folder, and returns what happened. It writes nowhere else and applies nothing.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { InfraAuditError } from '../errors.js';
import type { OutputStream } from '../cli/io.js';
import type { ModelProvider, ToolSpec } from './messages.js';
import { connectMcp, type McpConnection, type ServePassThrough } from './mcp.js';
import { DEFAULT_BUDGETS, runToolLoop, type LoopBudgets, type ToolCallEvent, type TurnUsage } from './loop.js';
import { extractTextReport } from './text-report.js';
import { systemPrompt } from './prompt.js';
import { AgentReport, REPORT_SCHEMA_VERSION, type ReportFinding, type ToolCallRecord } from './report-schema.js';
import { estimateCost } from './pricing.js';
import { OutputFolder } from './output-folder.js';
import { SUGGEST_REMEDIATION_TOOL, writeProposals } from './proposals.js';
import { renderReportMarkdown } from './report-markdown.js';
import { AnthropicProvider } from './providers/anthropic.js';
import { OpenAiProvider } from './providers/openai.js';

export interface AgentOptions {
  task: string;
  provider?: 'anthropic' | 'openai';
  model?: string;
  /** A remote MCP server (Streamable HTTP); default: spawn `infra-audit serve` over stdio. */
  mcpUrl?: string;
  /** Name of the environment variable holding the bearer token for --mcp-url. */
  mcpTokenEnv?: string;
  serve?: ServePassThrough;
  budgets?: Partial<LoopBudgets>;
  /** Output folder; default ./infra-audit-agent-<run id>/ under cwd. */
  output?: string;
  /** Retries of the model API on 429, 529 and other transient failures (SDK backoff). */
  maxRetries?: number;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Progress lines (one per tool call). */
  progress?: OutputStream;
  interrupted?: Promise<unknown>;
  /** The CLI to spawn for stdio (tests point at the build). */
  cliPath?: string;
  /** Anthropic prompt caching (default on). */
  promptCache?: boolean;
  /** Tool calls of one turn run at once, at most this many (default 4). */
  toolConcurrency?: number;
  /** Replace used tool results with one-line digests (default on). */
  digestUsedResults?: boolean;
}

export interface AgentRunResult {
  runId: string;
  status: AgentReport['status'];
  stopReason: AgentReport['stopReason'];
  outputDir: string;
  report: AgentReport;
  /** Every file written, relative to outputDir. */
  files: string[];
}

export const DEFAULT_MAX_RETRIES = 4;

/** The spawned server's audit log, inside the output folder by default. */
export const AUDIT_LOG_FILE = 'audit.jsonl';

export const NO_MODEL_MESSAGE =
  'the agent needs a model: set ANTHROPIC_API_KEY, or use --provider openai with OPENAI_BASE_URL (and OPENAI_API_KEY if the server needs one); for an audit without an LLM, run `infra-audit audit`';

export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

export function createProvider(options: Pick<AgentOptions, 'provider' | 'model' | 'maxRetries' | 'env' | 'promptCache'>): ModelProvider {
  const env = options.env;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  if ((options.provider ?? 'anthropic') === 'anthropic') {
    const apiKey = env.ANTHROPIC_API_KEY;
    if (!apiKey) throw new InfraAuditError('USAGE', NO_MODEL_MESSAGE);
    return new AnthropicProvider({
      apiKey,
      ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
      ...(options.model ? { model: options.model } : {}),
      maxRetries,
      promptCache: options.promptCache ?? true,
    });
  }
  if (!env.OPENAI_BASE_URL && !env.OPENAI_API_KEY) throw new InfraAuditError('USAGE', NO_MODEL_MESSAGE);
  return new OpenAiProvider({
    ...(env.OPENAI_API_KEY ? { apiKey: env.OPENAI_API_KEY } : {}),
    ...(env.OPENAI_BASE_URL ? { baseURL: env.OPENAI_BASE_URL } : {}),
    ...(options.model ? { model: options.model } : {}),
    maxRetries,
  });
}

export async function runAgent(options: AgentOptions): Promise<AgentRunResult> {
  if (!options.task.trim()) throw new InfraAuditError('USAGE', 'the agent needs a task', { hint: 'e.g. infra-audit agent "Audit all S3 buckets. Find any with public read access."' });
  const provider = createProvider(options);
  const budgets = resolveBudgets(options);
  const bearerToken = mcpBearerToken(options);
  const runId = newRunId();
  const folder = new OutputFolder(resolve(options.cwd, options.output ?? `infra-audit-agent-${runId}`));
  folder.check();
  // The spawned server's audit log goes with the report unless the user sends it elsewhere.
  const serve: ServePassThrough = { ...options.serve };
  if (!options.mcpUrl && !serve.auditLog) {
    folder.create();
    serve.auditLog = join(folder.root, AUDIT_LOG_FILE);
  }
  const progress = (line: string) => options.progress?.write(`[agent ${runId}] ${line}\n`);
  const startedAt = new Date();

  const mcp = await connectAgentMcp(options, runId, serve, bearerToken);
  try {
    const serverTools = await mcp.listTools();
    const tools: ToolSpec[] = serverTools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
    progress(`${provider.name} ${provider.model}; MCP ${mcp.serverName} over ${mcp.transport} with ${tools.length} tools; output ${folder.root}`);

    const loop = await runToolLoop({
      provider,
      mcp,
      system: systemPrompt(budgets),
      task: options.task,
      tools,
      budgets,
      ...(options.interrupted ? { interrupted: options.interrupted } : {}),
      ...(options.toolConcurrency ? { toolConcurrency: options.toolConcurrency } : {}),
      ...(options.digestUsedResults !== undefined ? { digestUsedResults: options.digestUsedResults } : {}),
      onToolCall: (e) => progress(describeCall(e)),
      onTurn: (t) => progress(describeTurn(t)),
      onNotice: (message) => progress(message),
    });
    const u = loop.usage;
    progress(
      `stopped: ${loop.stopReason}${loop.stopDetail ? ` (${loop.stopDetail.split('\n')[0]})` : ''}; ${loop.turns} turns, ${u.inputTokens + u.outputTokens} tokens (${u.cacheReadTokens} input read from the prompt cache, ${u.cacheWriteTokens} written to it)`,
    );

    // No submitted report: the model's text answer, if it holds findings, is kept and labelled.
    const textReport = !loop.report && loop.finalText ? extractTextReport(loop.finalText, { toolResults: loop.toolResults }) : undefined;
    if (textReport) progress(`no submit_report; read ${textReport.findings.length} of ${textReport.found} finding(s) from the model's ${textReport.format} text answer, marked unverified`);

    const records: ToolCallRecord[] = [...loop.toolCalls];
    const byId = new Map(records.map((r) => [r.callId, r]));
    const submitted = loop.report?.findings ?? [];
    const reported = [...submitted, ...(textReport?.findings ?? [])];
    const proposals = serverTools.some((t) => t.name === SUGGEST_REMEDIATION_TOOL)
      ? await writeProposals(reported, { mcp, folder, runId, record: (r) => records.push(r), onProposal: progress })
      : reported.map(() => undefined);

    const findings: ReportFinding[] = [
      ...submitted.map((f) => ({
        ...f,
        verified: true,
        evidence: f.evidence.map((e) => {
          const call = byId.get(e.callId)!;
          return { callId: e.callId, tool: call.tool, arguments: call.arguments, ...(call.auditRequestId ? { auditRequestId: call.auditRequestId } : {}), ...(e.note ? { note: e.note } : {}) };
        }),
      })),
      ...(textReport?.findings ?? []).map((f) => ({ ...f, verified: false, evidence: [] })),
    ].map((f, i) => ({ ...f, ...(proposals[i] ? { proposal: proposals[i] } : {}) }));
    const report = AgentReport.parse({
      schemaVersion: REPORT_SCHEMA_VERSION,
      runId,
      task: options.task,
      status: loop.report ? 'complete' : textReport ? 'unverified' : 'incomplete',
      stopReason: loop.stopReason,
      ...(loop.stopDetail ? { stopDetail: loop.stopDetail } : {}),
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      provider: provider.name,
      model: loop.model,
      mcp: { transport: mcp.transport, server: mcp.serverName, tools: tools.map((t) => t.name) },
      summary: loop.report?.summary ?? textReport?.summary ?? '',
      ...(textReport ? { textAnswer: { format: textReport.format, found: textReport.found, kept: textReport.findings.length, problems: textReport.problems } } : {}),
      findings,
      toolCalls: records,
      usage: { ...loop.usage, perTurn: loop.perTurn, turns: loop.turns, toolCalls: records.filter((r) => r.outcome !== 'refused').length },
      cost: estimateCost(loop.model, loop.usage),
    } satisfies AgentReport);
    folder.write('report.json', `${JSON.stringify(report, null, 2)}\n`);
    folder.write('report.md', renderReportMarkdown(report));
    progress(`wrote ${join(folder.root, 'report.json')} and report.md (${findings.length} findings)`);
    return { runId, status: report.status, stopReason: report.stopReason, outputDir: folder.root, report, files: folder.files() };
  } finally {
    await mcp.close();
  }
}

export function resolveBudgets(options: Pick<AgentOptions, 'budgets'>): LoopBudgets {
  return { ...DEFAULT_BUDGETS, ...definedOnly(options.budgets ?? {}) };
}

export function mcpBearerToken(options: Pick<AgentOptions, 'mcpUrl' | 'mcpTokenEnv' | 'env'>): string | undefined {
  if (!options.mcpUrl || !options.mcpTokenEnv) return undefined;
  const token = options.env[options.mcpTokenEnv];
  if (!token) throw new InfraAuditError('USAGE', `--mcp-token-env names ${options.mcpTokenEnv}, which is not set`, { hint: `export ${options.mcpTokenEnv}=<token from \`infra-audit token create\`>` });
  return token;
}

export function connectAgentMcp(options: AgentOptions, runId: string, serve: ServePassThrough, bearerToken: string | undefined): Promise<McpConnection> {
  return connectMcp(
    { runId, ...(options.mcpUrl ? { url: options.mcpUrl } : {}), ...(bearerToken ? { bearerToken } : {}), serve, env: options.env, ...(options.cliPath ? { cliPath: options.cliPath } : {}) },
    options.mcpTokenEnv ? [options.mcpTokenEnv] : [],
  );
}

function describeCall(e: ToolCallEvent): string {
  let args = JSON.stringify(e.args ?? {});
  if (args.length > 80) args = `${args.slice(0, 77)}...`;
  const outcome = e.outcome === 'success' ? 'ok' : `${e.outcome}${e.detail ? `: ${e.detail}` : ''}`;
  return `#${e.seq} ${e.tool} ${args} -> ${outcome} (${e.durationMs} ms)`;
}

function describeTurn(t: TurnUsage): string {
  const cached = t.cacheReadTokens || t.cacheWriteTokens ? ` (cache read ${t.cacheReadTokens}, write ${t.cacheWriteTokens})` : '';
  return `turn ${t.turn}: context ${t.contextChars} chars; ${t.inputTokens} input tokens${cached}, ${t.outputTokens} output`;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
