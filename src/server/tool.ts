/**
 * A tool is one small definition: name, toolset, a description written for a model, zod
 * input and output schemas, annotations, the exact AWS operations it may call, and a
 * handler. `readOnlyHint: true` is part of the type: a tool that could write does not compile,
 * and the registry checks it again at run time.
 */
import type { z } from 'zod';
import type { ServiceId } from '../aws/clients.js';
import type { ServerSession } from './session.js';

export const TOOLSETS = ['s3', 'iam', 'ec2', 'rds', 'checks', 'terraform', 'data', 'account'] as const;
export type Toolset = (typeof TOOLSETS)[number];

export interface ReadOnlyAnnotations {
  readOnlyHint: true;
  destructiveHint: false;
  idempotentHint: boolean;
  /** True when the tool reaches the live AWS account (an open world); false for local state/config. */
  openWorldHint: boolean;
}

export interface Caller {
  /** Authenticated principal (HTTP) or OS user (stdio). */
  principal: string;
  transport: 'stdio' | 'http' | 'in-process';
  clientName?: string;
  clientVersion?: string;
  sessionId?: string;
  /** Set when the agent calls: its run id. */
  agentRunId?: string;
  /** The client's IP address (HTTP), for the audit log. */
  remoteAddress?: string;
}

export interface ToolContext {
  session: ServerSession;
  caller: Caller;
  /** Unique id of this call; AWS calls made on its behalf carry it. */
  requestId: string;
  signal: AbortSignal;
}

export interface ToolOutput<O> {
  structured: O;
  /** A compact text form for the model; untrusted strings inside are fenced by the server. */
  text: string;
}

export interface ToolDefinition<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: string;
  toolset: Toolset;
  title: string;
  description: string;
  inputSchema: I;
  outputSchema: O;
  annotations: ReadOnlyAnnotations;
  /**
   * Reads data (object contents, rows), not configuration: registered only when the operator
   * enabled the data plane (--data-config or --data-from-state), and its S3 actions are scoped
   * to the allowlisted buckets in the generated IAM policy.
   */
  readsData?: true;
  /** Every AWS operation the handler may call: the IAM policy and the allowlist derive from these. */
  awsOperations: ReadonlyArray<{ service: ServiceId; operation: string }>;
  handler(args: z.infer<I>, ctx: ToolContext): Promise<ToolOutput<z.infer<O>>>;
}

export function defineTool<I extends z.ZodType, O extends z.ZodType>(tool: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return tool;
}

export const READ_ONLY_LIVE: ReadOnlyAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true };
export const READ_ONLY_LOCAL: ReadOnlyAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
