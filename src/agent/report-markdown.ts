/** report.md: the same report as report.json, for a person. */
import type { AgentReport } from './report-schema.js';

/** Text from the model or the infrastructure inside a table cell: one line, no pipes, no HTML. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;').trim();
}

function inline(text: string): string {
  return text.replace(/</g, '&lt;');
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'").replace(/\s+/g, ' ')}\``;
}

export function renderReportMarkdown(report: AgentReport): string {
  const out: string[] = [];
  out.push(`# infra-audit agent report`, '');
  out.push(`- Task: ${inline(report.task)}`);
  out.push(`- Run: ${code(report.runId)}, ${report.startedAt} to ${report.finishedAt}`);
  out.push(`- Model: ${code(report.model)} (${report.provider}); MCP server: ${report.mcp.server} over ${report.mcp.transport}`);
  out.push(
    `- Status: **${report.status}**${report.status !== 'complete' ? ` (stopped: ${report.stopReason}${report.stopDetail ? `: ${inline(report.stopDetail)}` : ''})` : ''}`,
  );
  out.push('', 'The agent can only read: every tool is read-only, and remediation below is a proposal for a person to review and apply.', '');
  if (report.textAnswer) {
    const t = report.textAnswer;
    out.push(
      `> **Unverified.** The model never called submit_report; the findings below were read from its ${t.format === 'json' ? 'JSON' : 'Markdown'} text answer (${t.kept} of ${t.found} kept). ` +
        'They were not checked against the tool calls of the run and no evidence links them to audit records: confirm each before acting on it.',
      '',
    );
    for (const p of t.problems.slice(0, 20)) out.push(`- Dropped: ${inline(p)}`);
    if (t.problems.length) out.push('');
  }
  out.push('## Summary', '', inline(report.summary || '(no summary: the run stopped before the model submitted a report)'), '');

  out.push(`## Findings (${report.findings.length})`, '');
  if (report.findings.length) {
    out.push('| # | Severity | Finding | Resource | Terraform | Proposal |', '|---|---|---|---|---|---|');
    report.findings.forEach((f, i) => {
      const tf = f.resource.terraformAddress ?? f.proposal?.terraformAddress;
      const proposal = f.proposal ? (f.proposal.folder ? `[${f.proposal.kind}](${f.proposal.folder}README.md)` : cell(f.proposal.kind)) : '';
      out.push(`| ${i + 1} | ${f.severity} | ${f.verified ? '' : '(unverified) '}${cell(f.title)} | ${cell(f.resource.id)} | ${tf ? cell(tf) : ''} | ${proposal} |`);
    });
    out.push('');
    report.findings.forEach((f, i) => {
      out.push(`### ${i + 1}. ${f.verified ? '' : '(unverified) '}${cell(f.title)}`, '');
      out.push(`- Severity: ${f.severity}${f.checkId ? `; check ${code(f.checkId)}` : ''}${f.verified ? '' : '; **unverified**: read from the model\'s text answer, no evidence linked'}`);
      out.push(`- Resource: ${code(f.resource.id)}${f.resource.type ? ` (${f.resource.type})` : ''}${f.resource.region ? ` in ${f.resource.region}` : ''}`);
      if (f.resource.terraformAddress) out.push(`- Terraform: ${code(f.resource.terraformAddress)}${f.resource.terraformFile ? ` in ${code(f.resource.terraformFile)}` : ''}`);
      out.push('', inline(f.description), '', `**Remediation:** ${inline(f.remediation)}`, '');
      if (f.proposal) out.push(`**Proposal:** ${inline(f.proposal.summary)}${f.proposal.folder ? ` See [${f.proposal.folder}](${f.proposal.folder}README.md).` : ''}`, '');
      if (f.evidence.length) out.push('Evidence:');
      for (const e of f.evidence) {
        out.push(`- ${code(e.tool)} ${code(JSON.stringify(e.arguments ?? {}))} (call ${code(e.callId)}${e.auditRequestId ? `, audit request ${code(e.auditRequestId)}` : ''})${e.note ? `: ${inline(e.note)}` : ''}`);
      }
      out.push('');
    });
  } else {
    out.push('No findings.', '');
  }

  out.push(`## Tool calls (${report.toolCalls.length})`, '', '| Call | Tool | Arguments | Outcome | ms |', '|---|---|---|---|---|');
  for (const c of report.toolCalls) out.push(`| ${cell(c.callId)} | ${cell(c.tool)} | ${cell(JSON.stringify(c.arguments ?? {}))} | ${c.outcome} | ${Math.round(c.durationMs)} |`);
  out.push('');
  const cost = report.cost.estimate === 'unknown' ? 'unknown (no price for this model)' : `about $${report.cost.estimate.toFixed(4)} (an estimate from list prices, not a bill)`;
  const u = report.usage;
  out.push(
    '## Usage',
    '',
    `- Turns: ${u.turns}; tool calls: ${u.toolCalls}`,
    `- Tokens: ${u.inputTokens} in (${u.cacheReadTokens} read from the prompt cache, ${u.cacheWriteTokens} written to it), ${u.outputTokens} out`,
    `- Cost: ${cost}`,
    '',
  );
  if (u.perTurn.length) {
    out.push('| Turn | Context (chars) | Input tokens | Cache read | Cache write | Output tokens |', '|---|---|---|---|---|---|');
    for (const t of u.perTurn) out.push(`| ${t.turn} | ${t.contextChars} | ${t.inputTokens} | ${t.cacheReadTokens} | ${t.cacheWriteTokens} | ${t.outputTokens} |`);
    out.push('');
  }
  return out.join('\n');
}
