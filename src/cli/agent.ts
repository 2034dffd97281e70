/** `infra-audit agent "TASK"`: an LLM tool loop over the read-only MCP server, ending in a findings report. */
import { InfraAuditError } from '../errors.js';
import type { CommandIO } from './io.js';
import { runAgent } from '../agent/run.js';
import type { ServePassThrough } from '../agent/mcp.js';

/** The agent's own options, plus the `serve` options it passes to the server it starts. */
export interface AgentCommandOptions extends ServePassThrough {
  mcpUrl?: string;
  mcpTokenEnv?: string;
  model?: string;
  provider?: string;
  maxTurns?: number;
  maxToolCalls?: number;
  maxTokens?: number;
  timeout?: number;
  output?: string;
}

/** Exit codes: 0 report complete; 1 the run stopped before a valid report (a partial report is written); 2 the command failed. */
export async function runAgentCommand(task: string, opts: AgentCommandOptions, io: CommandIO): Promise<number> {
  if (opts.provider !== undefined && opts.provider !== 'anthropic' && opts.provider !== 'openai') {
    throw new InfraAuditError('USAGE', `--provider must be anthropic or openai, got "${opts.provider}"`);
  }
  if (opts.mcpTokenEnv && !opts.mcpUrl) throw new InfraAuditError('USAGE', '--mcp-token-env goes with --mcp-url', { hint: 'without --mcp-url the agent starts its own server over stdio' });
  const serveOnly = (['endpointUrl', 'state', 'config', 'region', 'profile', 'toolsets', 'auditLog'] as const).filter((k) => opts[k] !== undefined);
  if (opts.mcpUrl && serveOnly.length) {
    const flags = serveOnly.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ');
    throw new InfraAuditError('USAGE', `${flags} configure the server the agent starts itself; with --mcp-url the remote server has its own`, { hint: 'drop them, or drop --mcp-url' });
  }
  const result = await runAgent({
    task,
    ...(opts.provider ? { provider: opts.provider } : {}),
    ...(opts.model ? { model: opts.model } : {}),
    ...(opts.mcpUrl ? { mcpUrl: opts.mcpUrl } : {}),
    ...(opts.mcpTokenEnv ? { mcpTokenEnv: opts.mcpTokenEnv } : {}),
    serve: { endpointUrl: opts.endpointUrl, state: opts.state, config: opts.config, region: opts.region, profile: opts.profile, toolsets: opts.toolsets, auditLog: opts.auditLog },
    budgets: { maxTurns: opts.maxTurns, maxToolCalls: opts.maxToolCalls, maxTokens: opts.maxTokens, timeoutMs: opts.timeout === undefined ? undefined : opts.timeout * 1000 },
    ...(opts.output ? { output: opts.output } : {}),
    cwd: io.cwd,
    env: io.env,
    progress: io.stderr,
    interrupted: io.interrupted,
  });
  io.stdout.write(`${result.outputDir}\n`);
  return result.status === 'complete' ? 0 : 1;
}
