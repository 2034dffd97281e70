/**
 * The findings report: what the model submits (`submit_report`'s input) and what the run
 * writes (report.json). One zod source; schemas/agent-report.schema.json is generated from
 * it and a test keeps the committed file current.
 */
import { z } from 'zod';
import { SEVERITIES } from '../findings/model.js';

export const REPORT_SCHEMA_VERSION = 1;

const Resource = z
  .object({
    id: z.string().min(1).max(2048).describe('The ARN where one exists, else the AWS id (e.g. a bucket name)'),
    type: z.string().max(128).optional().describe('AWS resource type in CloudFormation naming, e.g. AWS::S3::Bucket'),
    region: z.string().max(32).optional(),
    terraformAddress: z.string().max(512).optional().describe('Terraform address of the managed resource, when a tool returned one'),
    terraformFile: z.string().max(1024).optional().describe('The .tf file that declares it, when a tool returned one'),
  })
  .strict();

/** A finding as the model submits it: evidence names the calls of this run it rests on. */
export const SubmittedFinding = z
  .object({
    severity: z.enum(SEVERITIES),
    title: z.string().min(3).max(200).describe('One line: what is wrong'),
    checkId: z
      .string()
      .regex(/^[a-z0-9_]+$/)
      .max(80)
      .optional()
      .describe('The check id when the finding matches one (e.g. from run_checks or find_public_buckets); enables a Terraform remediation proposal'),
    resource: Resource,
    description: z.string().min(3).max(4000).describe('What was found, and why it matters'),
    evidence: z
      .array(
        z
          .object({
            callId: z.string().min(1).max(128).describe('The id of a tool call of this run whose result supports the finding (its call id, or the audit request id shown with it)'),
            note: z.string().max(500).optional().describe('What in that result shows it'),
          })
          .strict(),
      )
      .min(1)
      .max(20),
    remediation: z.string().min(3).max(4000).describe('The step a human takes to fix it'),
  })
  .strict();

export const SubmittedReport = z
  .object({
    summary: z.string().min(3).max(8000).describe('A short summary of what was audited and what was found'),
    findings: z.array(SubmittedFinding).max(500).describe('One entry per affected resource and problem; empty when nothing was found'),
  })
  .strict();

export type SubmittedFinding = z.infer<typeof SubmittedFinding>;
export type SubmittedReport = z.infer<typeof SubmittedReport>;

const count = z.number().int().min(0);

const TurnUsage = z
  .object({
    turn: z.number().int().min(1),
    inputTokens: count.describe('Every input token of the request, cached or not'),
    cacheReadTokens: count.describe('Of inputTokens, read from the prompt cache'),
    cacheWriteTokens: count.describe('Of inputTokens, written to the prompt cache'),
    outputTokens: count,
    contextChars: count.describe('Characters the request carried: system prompt, tool definitions and conversation'),
  })
  .strict();

const Usage = z
  .object({
    inputTokens: count,
    outputTokens: count,
    cacheReadTokens: count,
    cacheWriteTokens: count,
    perTurn: z.array(TurnUsage),
  })
  .strict();

export const ToolCallRecord = z
  .object({
    callId: z.string(),
    tool: z.string(),
    arguments: z.unknown(),
    outcome: z.enum(['success', 'error', 'refused']),
    durationMs: z.number().min(0),
    auditRequestId: z.string().optional().describe("The server's request id from the result _meta: the audit record's api.request.uid"),
  })
  .strict();
export type ToolCallRecord = z.infer<typeof ToolCallRecord>;

const Evidence = z
  .object({
    callId: z.string(),
    tool: z.string(),
    arguments: z.unknown(),
    auditRequestId: z.string().optional(),
    note: z.string().optional(),
  })
  .strict();

const Proposal = z
  .object({
    kind: z.enum(['patch', 'import', 'snippet', 'none', 'unavailable']).describe('snippet: the check catalog\'s Terraform with placeholders; none: the config is already right; unavailable: no proposal could be made (summary says why)'),
    folder: z.string().optional().describe('Relative to the report: proposals/<n>-<slug>/'),
    terraformAddress: z.string().optional(),
    file: z.string().optional().describe('The .tf file the patch changes'),
    summary: z.string(),
  })
  .strict();

export const ReportFinding = SubmittedFinding.omit({ evidence: true })
  .extend({
    verified: z
      .boolean()
      .describe('true: submitted through submit_report, its evidence checked against the calls of the run and linked to their audit records. false: read from the model\'s text answer, unchecked, no evidence'),
    evidence: z.array(Evidence),
    proposal: Proposal.optional(),
  })
  .strict()
  .refine((f) => !f.verified || f.evidence.length > 0, { message: 'a verified finding cites at least one tool call', path: ['evidence'] });
export type ReportFinding = z.infer<typeof ReportFinding>;

export const STOP_REASONS = ['report_submitted', 'max_turns', 'max_tokens', 'max_tool_calls', 'timeout', 'repeated_call', 'invalid_report', 'no_report', 'model_error', 'interrupted'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export const AgentReport = z
  .object({
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    runId: z.string(),
    task: z.string(),
    status: z
      .enum(['complete', 'unverified', 'incomplete'])
      .describe('complete: the model submitted a valid report. unverified: it never did, and the findings were read from its text answer. incomplete: no report'),
    stopReason: z.enum(STOP_REASONS),
    stopDetail: z.string().optional(),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime(),
    provider: z.enum(['anthropic', 'openai']),
    model: z.string(),
    mcp: z.object({ transport: z.enum(['stdio', 'http']), server: z.string(), tools: z.array(z.string()) }).strict(),
    summary: z.string(),
    textAnswer: z
      .object({
        format: z.enum(['json', 'markdown']),
        found: count.describe('Findings the text held'),
        kept: count.describe('Of those, the ones that matched the finding schema'),
        problems: z.array(z.string()).describe('Why the others were dropped'),
      })
      .strict()
      .optional()
      .describe('Present when the findings were read from the model\'s text answer (status unverified)'),
    findings: z.array(ReportFinding),
    toolCalls: z.array(ToolCallRecord),
    usage: Usage.extend({ turns: count, toolCalls: count }).strict(),
    cost: z
      .object({
        currency: z.literal('USD'),
        estimate: z.union([z.number().min(0), z.literal('unknown')]).describe('An estimate from a small price table, not a bill'),
        inputPerMillionTokens: z.number().optional(),
        outputPerMillionTokens: z.number().optional(),
        cacheReadPerMillionTokens: z.number().optional(),
        cacheWritePerMillionTokens: z.number().optional(),
      })
      .strict(),
  })
  .strict();
export type AgentReport = z.infer<typeof AgentReport>;

/** The committed JSON Schema of report.json. */
export function agentReportJsonSchema(): Record<string, unknown> {
  const { $schema, ...schema } = z.toJSONSchema(AgentReport, { io: 'output' }) as Record<string, unknown>;
  return { $schema, title: 'infra-audit agent report (report.json)', ...schema };
}

/** The input schema of the agent-local submit_report tool, as the model sees it. */
export function submitReportInputSchema(): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(SubmittedReport, { io: 'input' }) as Record<string, unknown>;
  return schema;
}

/** zod issues as lines a model can act on: path, then what is wrong. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 20)
    .map((issue) => `- ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('\n');
}
