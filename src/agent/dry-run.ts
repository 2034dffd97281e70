/**
 * `infra-audit agent --dry-run`: what the model would be offered, without a model. It starts
 * (or reaches) the MCP server as a run would, lists its tools, and prints them, the system
 * prompt and the first request body exactly as the provider would send it, with its size and
 * what it would cost at list price. No model API is called and no key is needed; nothing is
 * written (the spawned server's audit log goes to its stderr).
 */
import { InfraAuditError } from '../errors.js';
import type { ToolSpec } from './messages.js';
import { modelRequest, offeredTools, openingMessages } from './loop.js';
import { systemPrompt } from './prompt.js';
import { priceOf } from './pricing.js';
import { anthropicRequestBody, DEFAULT_ANTHROPIC_MODEL } from './providers/anthropic.js';
import { DEFAULT_OPENAI_MODEL, isLocalOpenAiServer, openAiRequestBody } from './providers/openai.js';
import { connectAgentMcp, mcpBearerToken, newRunId, resolveBudgets, type AgentOptions } from './run.js';

export interface DryRun {
  provider: 'anthropic' | 'openai';
  model: string;
  /** POST path of the request, relative to the provider's base URL. */
  endpoint: string;
  tools: ToolSpec[];
  system: string;
  request: unknown;
  requestChars: number;
}

/** Rough, model-independent: English text and JSON average about 4 characters a token. */
const CHARS_PER_TOKEN = 4;

export async function dryRunAgent(options: AgentOptions): Promise<DryRun> {
  if (!options.task.trim()) throw new InfraAuditError('USAGE', 'the agent needs a task', { hint: 'e.g. infra-audit agent --dry-run "Audit all S3 buckets."' });
  const provider = options.provider ?? 'anthropic';
  const model = options.model ?? (provider === 'anthropic' ? DEFAULT_ANTHROPIC_MODEL : DEFAULT_OPENAI_MODEL);
  const budgets = resolveBudgets(options);
  const serve = { ...options.serve };
  if (!options.mcpUrl && !serve.auditLog) serve.auditLog = 'stderr';
  const mcp = await connectAgentMcp(options, newRunId(), serve, mcpBearerToken(options));
  let serverTools: ToolSpec[];
  try {
    serverTools = (await mcp.listTools()).map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
  } finally {
    await mcp.close();
  }
  const system = systemPrompt(budgets);
  const tools = offeredTools(serverTools);
  const first = modelRequest({ system, tools, messages: openingMessages(options.task), budgets, spent: 0 });
  const request =
    provider === 'anthropic' ? anthropicRequestBody(model, first, options.promptCache ?? true) : openAiRequestBody(model, first, isLocalOpenAiServer(options.env.OPENAI_BASE_URL));
  return { provider, model, endpoint: provider === 'anthropic' ? '/v1/messages' : '/chat/completions', tools, system, request, requestChars: JSON.stringify(request).length };
}

export function renderDryRun(d: DryRun): string {
  const out: string[] = [];
  const tokens = Math.ceil(d.requestChars / CHARS_PER_TOKEN);
  out.push(`# infra-audit agent --dry-run: ${d.provider} ${d.model} (no model was called)`, '');
  out.push(`## Tools offered to the model (${d.tools.length})`, '');
  for (const t of d.tools) out.push(`- ${t.name}: ${t.description.split('\n')[0]}`);
  out.push('', '## System prompt', '', d.system, '');
  out.push(`## The first request (POST ${d.endpoint})`, '', JSON.stringify(d.request, null, 2), '');
  out.push('## Size and cost', '');
  out.push(`- The first request is ${d.requestChars} characters, about ${tokens} input tokens (at ${CHARS_PER_TOKEN} characters a token; the API counts exactly).`);
  out.push('- Every later turn sends it again, plus the conversation so far.');
  const price = priceOf(d.model);
  if (price) {
    const usd = (n: number, perMillion: number) => `$${((n * perMillion) / 1_000_000).toFixed(4)}`;
    out.push(`- At list price for ${d.model}: about ${usd(tokens, price.input)} of input per turn uncached; ${usd(tokens, price.cacheRead)} when read from the prompt cache (first write ${usd(tokens, price.cacheWrite)}).`);
  } else {
    out.push(`- No list price is known for ${d.model} (a local model costs what your hardware does).`);
  }
  return `${out.join('\n')}\n`;
}
