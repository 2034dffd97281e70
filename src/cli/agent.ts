/** `infra-audit agent "TASK"`: an LLM tool loop over the read-only MCP server, ending in a findings report. */
import { InfraAuditError } from '../errors.js';
import type { CommandIO } from './io.js';
import { runAgent, type AgentOptions } from '../agent/run.js';
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
  maxResultChars?: number;
  /** commander's --no-prompt-cache. */
  promptCache?: boolean;
  dryRun?: boolean;
}

/** The exit code of a run, by report status: the CLI's contract with CI. */
export const AGENT_EXIT_CODES = { complete: 0, incomplete: 1, unverified: 3 } as const;

/**
 * Exit codes: 0 a verified report; 3 an unverified report (findings read from the model's
 * text answer); 1 no report (the run stopped before one; a partial report is written);
 * 2 the command failed.
 */
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
  const options: AgentOptions = {
    task,
    ...(opts.provider ? { provider: opts.provider } : {}),
    ...(opts.model ? { model: opts.model } : {}),
    ...(opts.mcpUrl ? { mcpUrl: opts.mcpUrl } : {}),
    ...(opts.mcpTokenEnv ? { mcpTokenEnv: opts.mcpTokenEnv } : {}),
    serve: { endpointUrl: opts.endpointUrl, state: opts.state, config: opts.config, region: opts.region, profile: opts.profile, toolsets: opts.toolsets, auditLog: opts.auditLog },
    budgets: {
      maxTurns: opts.maxTurns,
      maxToolCalls: opts.maxToolCalls,
      maxTokens: opts.maxTokens,
      timeoutMs: opts.timeout === undefined ? undefined : opts.timeout * 1000,
      maxToolResultChars: opts.maxResultChars,
    },
    ...(opts.output ? { output: opts.output } : {}),
    ...(opts.promptCache === false ? { promptCache: false } : {}),
    cwd: io.cwd,
    env: io.env,
    progress: io.stderr,
    interrupted: io.interrupted,
  };
  if (opts.dryRun) {
    const { dryRunAgent, renderDryRun } = await import('../agent/dry-run.js');
    io.stdout.write(renderDryRun(await dryRunAgent(options)));
    return 0;
  }
  const result = await runAgent(options);
  io.stdout.write(`${result.outputDir}\n`);
  return AGENT_EXIT_CODES[result.status];
}
