/**
 * After the report: one remediation proposal per finding that names a check, from the
 * server's suggest_remediation tool, written to proposals/<n>-<slug>/ with a README for
 * the human who decides. Nothing here applies a change or runs terraform.
 */
import type { SuggestRemediationOutput } from '../tools/remediation/suggest_remediation.js';
import type { McpConnection } from './mcp.js';
import type { OutputFolder } from './output-folder.js';
import { shortResourceName, slugify } from './output-folder.js';
import type { ReportFinding, SubmittedFinding, ToolCallRecord } from './report-schema.js';

export const SUGGEST_REMEDIATION_TOOL = 'suggest_remediation';

type RemediationResult = SuggestRemediationOutput;

export interface ProposalContext {
  mcp: McpConnection;
  folder: OutputFolder;
  runId: string;
  signal?: AbortSignal;
  /** Each call is recorded like the model's, so the audit trail of the run is complete. */
  record: (call: ToolCallRecord) => void;
  onProposal?: (line: string) => void;
}

type Proposal = NonNullable<ReportFinding['proposal']>;
/** What a proposal needs of a finding: a submitted one, or one read from a text answer. */
type ProposedFinding = Omit<SubmittedFinding, 'evidence'>;

export async function writeProposals(findings: ReadonlyArray<ProposedFinding>, ctx: ProposalContext): Promise<Array<Proposal | undefined>> {
  const out: Array<Proposal | undefined> = [];
  const done = new Map<string, Proposal>();
  let n = 0;
  for (const finding of findings) {
    if (!finding.checkId) {
      out.push(undefined);
      continue;
    }
    const args = { checkId: finding.checkId, resource: finding.resource.id, ...(finding.resource.terraformAddress ? { terraformAddress: finding.resource.terraformAddress } : {}) };
    const key = JSON.stringify(args);
    const earlier = done.get(key);
    if (earlier) {
      out.push(earlier);
      continue;
    }
    const callId = `agent-remediation-${done.size + 1}`;
    const started = Date.now();
    const result = await ctx.mcp.callTool(SUGGEST_REMEDIATION_TOOL, args, ctx.signal);
    ctx.record({
      callId,
      tool: SUGGEST_REMEDIATION_TOOL,
      arguments: args,
      outcome: result.isError ? 'error' : 'success',
      durationMs: Date.now() - started,
      ...(result.auditRequestId ? { auditRequestId: result.auditRequestId } : {}),
    });
    let proposal: Proposal;
    const remediation = result.structured as RemediationResult | undefined;
    if (result.isError || !remediation) {
      proposal = { kind: 'unavailable', summary: firstLine(result.text) || 'suggest_remediation returned nothing' };
    } else if ([remediation.patch, remediation.imports].some((t) => t?.includes('…[truncated'))) {
      // The server caps string sizes; a cut patch would not apply, so none is written.
      proposal = { kind: 'unavailable', summary: 'the proposed change was too large to transfer intact; run suggest_remediation for this resource directly' };
    } else {
      n++;
      const folder = `proposals/${String(n).padStart(2, '0')}-${slugify(`${finding.checkId}-${shortResourceName(finding.resource.id)}`)}`;
      const change = { patch: ['change.patch', remediation.patch], import: ['imports.tf', remediation.imports], snippet: ['snippet.tf', remediation.snippet], none: [undefined, undefined] }[remediation.kind];
      let changePath: string | undefined;
      if (change[0] && change[1]) changePath = ctx.folder.write(`${folder}/${change[0]}`, change[1].replace(/\n?$/, '\n'));
      ctx.folder.write(`${folder}/README.md`, proposalReadme(n, finding, remediation, ctx.runId, changePath));
      proposal = {
        kind: remediation.kind,
        folder: `${folder}/`,
        ...(remediation.terraformAddress ? { terraformAddress: remediation.terraformAddress } : {}),
        ...(remediation.file ? { file: remediation.file } : {}),
        summary: remediation.summary,
      };
    }
    ctx.onProposal?.(`${proposal.kind === 'unavailable' ? 'no proposal' : `proposal ${proposal.folder}`} for ${finding.checkId} on ${finding.resource.id}: ${proposal.summary}`);
    done.set(key, proposal);
    out.push(proposal);
  }
  return out;
}

function proposalReadme(n: number, finding: ProposedFinding, r: RemediationResult, runId: string, changePath: string | undefined): string {
  const where = r.file ? ` (${r.file}${r.line ? `:${r.line}` : ''})` : '';
  const dir = r.configDir ?? '<your Terraform root module>';
  const lines = [
    `# Proposal ${n}: ${oneLine(finding.title)}`,
    '',
    `- Check: \`${finding.checkId}\``,
    `- Resource: \`${oneLine(finding.resource.id)}\``,
    ...(r.terraformAddress ? [`- Terraform: \`${r.terraformAddress}\`${where}`] : []),
    `- Agent run: \`${runId}\``,
    '',
    r.summary,
    '',
    '**Nothing has been applied.** This is a proposal for a person to review; infra-audit never changes infrastructure or runs Terraform.',
    '',
    '## Why',
    '',
    `The agent's finding (${finding.severity}): ${oneLine(finding.description)}`,
    '',
    `Suggested step: ${oneLine(finding.remediation)}`,
    '',
    '## What to review',
    '',
    ...r.review.map((item) => `- ${item}`),
    '',
    '## How to try it',
    '',
  ];
  if (r.kind === 'patch' && changePath) {
    lines.push(
      `In the Terraform root module (\`${dir}\`), on a branch. The patch's paths are relative to that directory (\`git apply\` works too when it is the root of its repository):`,
      '',
      '```sh',
      `cd ${shellQuote(dir)}`,
      `patch -p1 --dry-run < ${shellQuote(changePath)}`,
      `patch -p1 < ${shellQuote(changePath)}`,
      'terraform fmt -check',
      r.planCommand,
      '```',
      '',
      'Read the plan before anything else: it must show only the change described above. Apply it through your usual review process.',
    );
  } else if (r.kind === 'import' && changePath) {
    lines.push(
      `Copy \`imports.tf\` into the Terraform root module (\`${dir}\`), adjust the resource names to your conventions, then:`,
      '',
      '```sh',
      r.planCommand,
      '```',
      '',
      'The plan must import the existing resource and change only what the summary says. Apply it through your usual review process.',
    );
  } else if (r.kind === 'snippet' && changePath) {
    lines.push(
      `\`snippet.tf\` is the check's remediation from the catalog, with placeholders in angle brackets. Adapt it to this resource in the root module (\`${dir}\`), then:`,
      '',
      '```sh',
      r.planCommand,
      '```',
    );
  } else {
    lines.push('The configuration already says the right thing; the live resource has drifted from it. Find out who changed it, then:', '', '```sh', r.planCommand, '```');
  }
  return `${lines.join('\n')}\n`;
}

function shellQuote(path: string): string {
  return /^[A-Za-z0-9_./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim()) ?? '').slice(0, 300);
}
