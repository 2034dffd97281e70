/**
 * The HTML report: one self-contained file a person can open from a CI artifact or an email.
 * No external fetches (the Content-Security-Policy forbids them), readable without script; the
 * one inline script only adds filtering and is the only script the policy allows, by hash, so
 * markup smuggled in through a resource name could not run even if escaping ever failed.
 */
import type { Finding, Severity } from '../findings/model.js';
import { findingHeadline, SEVERITIES } from '../findings/model.js';
import { compareFindings } from '../findings/summary.js';
import { passesPerCheck, reportSummary } from './findings.js';
import { coverageLines, coverageText } from './coverage.js';
import { escapeHtml as h } from './escape.js';
import { HTML_SCRIPT, HTML_SCRIPT_CSP_HASH, HTML_STYLE } from './html-assets.js';
import type { ComplianceReport, ControlResult } from '../compliance/types.js';
import { frameworkTitle, scoreText } from './compliance-text.js';
import type { AuditReport } from './types.js';

const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };

const CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  `script-src '${HTML_SCRIPT_CSP_HASH}'`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function renderHtml(report: AuditReport): string {
  const s = reportSummary(report);
  const accounts = report.accounts.map((a) => a.accountId);
  const title = `Security audit · ${accounts.join(', ') || 'no account'} · ${report.generatedAt.slice(0, 10)}`;

  const body: string[] = [];
  body.push(`<header class="page-header"><div class="wrap">`);
  body.push(`<div class="brand">${h(report.tool.name)} ${h(report.tool.version)}</div>`);
  body.push(`<h1>AWS security audit</h1>`);
  body.push(`<dl class="meta">`);
  body.push(meta(accounts.length === 1 ? 'Account' : 'Accounts', accounts.join(', ') || '—'));
  // The scope says exactly what was read: the regions, S3 buckets by their region, and what is global.
  body.push(meta('Scope', report.accounts.length === 1 ? coverageText(report.accounts[0]!) : coverageLines(report).join(' · ') || '—'));
  body.push(meta('Generated', formatTime(report.generatedAt), report.generatedAt));
  if (report.durationMs !== undefined) body.push(meta('Duration', `${(report.durationMs / 1000).toFixed(1)} s`));
  body.push(meta('Checks run', String(report.checks.length)));
  body.push(`</dl></div></header>`);

  body.push(`<main>`);
  body.push(`<section class="summary" aria-label="Summary">`);
  body.push(`<div class="cards" id="severity-cards">`);
  for (const sev of SEVERITIES) {
    body.push(
      `<a class="card sev-${sev}${s.bySeverity[sev] === 0 ? ' zero' : ''}" href="#sev-${sev}"><span class="count" data-count="${sev}">${s.bySeverity[sev]}</span><span class="label">${SEVERITY_LABEL[sev]}</span></a>`,
    );
  }
  body.push(`</div><div class="cards" id="status-cards">`);
  body.push(statusCard('fail', 'Open failures', s.fail, '#findings'));
  body.push(statusCard('suppressed', 'Suppressed', s.suppressed, '#suppressed'));
  body.push(statusCard('error', 'Errors', s.error + (report.errors?.length ?? 0), '#errors'));
  body.push(statusCard('pass', 'Passed', s.pass, '#passed'));
  body.push(`</div></section>`);

  // What could not be checked comes first: a gap in the audit matters before its results.
  body.push(errorSection(report));
  if (report.compliance) body.push(complianceSection(report.compliance));

  const open = report.findings.filter((f) => f.status === 'fail' && !f.suppressed);
  const services = [...new Set(open.map((f) => f.service))].sort();
  const regionsSeen = [...new Set(open.map((f) => f.region))].sort();
  body.push(`<nav class="filters" id="filters" aria-label="Filter findings" hidden>`);
  body.push(`<button type="button" data-filter="all" aria-pressed="true">All</button>`);
  for (const sev of SEVERITIES) if (s.bySeverity[sev] > 0) body.push(`<button type="button" data-filter="${sev}" aria-pressed="false">${SEVERITY_LABEL[sev]}</button>`);
  body.push(selectFilter('filter-service', 'service', 'All services', services));
  body.push(selectFilter('filter-region', 'region', 'All regions', regionsSeen));
  body.push(`<input id="filter-text" type="search" placeholder="Filter by resource, check or message" aria-label="Filter by text"></nav>`);

  body.push(`<div id="findings">`);
  if (open.length === 0) body.push(`<p class="all-clear">No open failures: every check passed or is suppressed.</p>`);
  const risk = new Map(report.checks.map((c) => [c.id, c.risk]));
  for (const sev of SEVERITIES) {
    const findings = open.filter((f) => f.severity === sev);
    if (findings.length === 0) continue;
    body.push(`<section class="severity" id="sev-${sev}" data-severity="${sev}">`);
    body.push(`<h2><span class="badge sev-${sev}">${SEVERITY_LABEL[sev]}</span> <span class="sub">${plural(findings.length, 'open finding')}</span></h2>`);
    for (const group of groupByCheck(findings)) body.push(checkArticle(group, risk.get(group[0]!.checkId)));
    body.push(`</section>`);
  }
  body.push(`</div>`);

  body.push(suppressedSection(report.findings.filter((f) => f.status === 'fail' && f.suppressed)));
  body.push(passedSection(report));
  body.push(`</main>`);
  body.push(`<footer>Generated by ${h(report.tool.name)} ${h(report.tool.version)}. The audit is read-only: nothing in the account was changed.</footer>`);

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
${body.join('\n')}
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}

function meta(label: string, value: string, datetime?: string): string {
  const inner = datetime ? `<time datetime="${h(datetime)}">${h(value)}</time>` : h(value);
  return `<div><dt>${h(label)}</dt><dd>${inner}</dd></div>`;
}

function statusCard(status: string, label: string, count: number, href: string): string {
  return `<a class="card st-${status}${count === 0 ? ' zero' : ''}" href="${href}"><span class="count" data-count="${status}">${count}</span><span class="label">${label}</span></a>`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function formatTime(iso: string): string {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? iso : `${t.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function selectFilter(id: string, key: string, all: string, values: string[]): string {
  const options = values.map((v) => `<option value="${h(v)}">${h(v)}</option>`).join('');
  return `<select id="${id}" data-key="${key}" aria-label="${h(all)}"><option value="">${h(all)}</option>${options}</select>`;
}

/** Findings of one check, worst first, the checks in catalog-independent order (most resources first, then id). */
function groupByCheck(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of [...findings].sort(compareFindings)) {
    const group = groups.get(f.checkId);
    if (group) group.push(f);
    else groups.set(f.checkId, [f]);
  }
  return [...groups.values()].sort((a, b) => b.length - a.length || (a[0]!.checkId < b[0]!.checkId ? -1 : 1));
}

/**
 * One check with its failing resources: the headline, risk and fix once, then the resources as
 * a table the page's script can sort and filter (every row is readable without it).
 */
function checkArticle(findings: Finding[], risk: string | undefined): string {
  const first = findings[0]!;
  const parts: string[] = [];
  parts.push(`<article class="check" data-check="${h(first.checkId)}" data-severity="${first.severity}">`);
  parts.push(
    `<header><div class="finding-head"><span class="badge sev-${first.severity}">${SEVERITY_LABEL[first.severity]}</span>${statusBadge(first)}<h3>${h(findingHeadline(first))}</h3><code class="check-id">${h(first.checkId)}</code><span class="resource-count" data-total="${findings.length}">${plural(findings.length, 'resource')}</span></div>`,
  );
  if (risk) parts.push(`<p class="risk">${h(risk)}</p>`);
  if (first.cis && first.cis.length > 0) parts.push(`<p class="where">CIS AWS Foundations v3.0.0 ${first.cis.map(h).join(', ')}</p>`);
  parts.push(`<div class="remediation"><h5>Remediation</h5><p>${h(first.remediation)}</p>`);
  if (first.remediationTerraform) parts.push(`<pre class="terraform"><code>${h(first.remediationTerraform)}</code></pre>`);
  parts.push(`</div></header>`);
  parts.push(
    // A long list scrolls inside its check, so one check's thousand buckets do not push the others a page-metre down.
    `<div class="table-scroll"><table class="resources"><thead><tr><th data-sort="text" aria-sort="none">Resource</th><th data-sort="text" aria-sort="none">Region</th><th data-sort="text" aria-sort="none">Account</th><th data-sort="text" aria-sort="none">Terraform</th><th data-sort="text" aria-sort="none">Finding</th></tr></thead><tbody>`,
  );
  for (const f of findings) parts.push(resourceRow(f));
  parts.push(`</tbody></table></div></article>`);
  return parts.join('');
}

function resourceRow(f: Finding): string {
  const search = [f.resourceId, f.resourceName ?? '', f.checkId, findingHeadline(f), f.message, f.terraformAddress ?? ''].join(' ').toLowerCase();
  const name = f.resourceName && !f.resourceId.endsWith(f.resourceName) ? `<span class="name">${h(f.resourceName)}</span> ` : '';
  const terraform = [f.terraformAddress ? `<code>${h(f.terraformAddress)}</code>` : '', f.terraformFile ? `<span class="file">${h(f.terraformFile)}${f.terraformLine ? `:${f.terraformLine}` : ''}</span>` : ''].filter(Boolean).join(' ');
  const suppressed = f.suppressed ? `<p class="where">Suppressed until ${h(f.suppressed.expires)}: ${h(f.suppressed.reason)}</p>` : '';
  // Compact JSON: at ten thousand rows, pretty-printing alone doubles the file.
  const evidence = f.evidence ? `<details class="evidence"><summary>Evidence</summary><pre><code>${h(JSON.stringify(f.evidence))}</code></pre></details>` : '';
  return `<tr class="finding" data-severity="${f.severity}" data-status="${f.status}" data-service="${h(f.service)}" data-region="${h(f.region)}" data-search="${h(search)}"><td>${name}<code class="arn">${h(f.resourceId)}</code></td><td>${h(f.region)}</td><td>${h(f.accountId)}</td><td>${terraform}</td><td>${h(f.message)}${suppressed}${evidence}</td></tr>`;
}

function statusBadge(finding: Finding): string {
  const status = finding.status === 'fail' && finding.suppressed ? 'suppressed' : finding.status;
  return `<span class="status status-${status}">${status}</span>`;
}

function suppressedSection(findings: Finding[]): string {
  if (findings.length === 0) return '';
  return `<details class="section" id="suppressed"><summary>Suppressed (${findings.length})</summary>${groupByCheck(findings).map((g) => checkArticle(g, undefined)).join('')}</details>`;
}

function errorSection(report: AuditReport): string {
  const errors = report.findings.filter((f) => f.status === 'error').sort(compareFindings);
  const scopes = report.errors ?? [];
  if (errors.length === 0 && scopes.length === 0) return '';
  const rows = [
    ...errors.map((f) => `<tr><td><code class="check">${h(f.checkId)}</code></td><td><code>${h(f.resourceId)}</code></td><td>${h(f.message)}</td></tr>`),
    ...scopes.map((e) => `<tr><td>${h(e.scope)}</td><td></td><td>${h(e.message)}</td></tr>`),
  ];
  return `<details class="section errors" id="errors" open><summary>Could not check (${errors.length + scopes.length})</summary><p class="where">These verdicts are missing: a read was denied or failed. Nothing here passed.</p><table><thead><tr><th>Check or scope</th><th>Resource</th><th>Reason</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}

/** Passes, one row per check: at scale, a row per passing resource would be most of the file. */
function passedSection(report: AuditReport): string {
  // Counted per check from held passes and aggregated ones alike, without a finding per passing resource.
  const groups = passesPerCheck(report);
  if (groups.length === 0) return '';
  const total = groups.reduce((n, g) => n + g.count, 0);
  const rows = groups.map(
    (g) => `<tr><td>${SEVERITY_LABEL[g.first.severity]}</td><td><code class="check">${h(g.first.checkId)}</code></td><td>${h(g.first.title)}</td><td class="num">${g.count}</td></tr>`,
  );
  return `<details class="section" id="passed"><summary>Passed (${total})</summary><table><thead><tr><th>Severity</th><th>Check</th><th>Title</th><th>Resources</th></tr></thead><tbody>${rows.join('')}</tbody></table><p class="where">Each passing resource is listed in the JSON report.</p></details>`;
}

/** Failing resources listed per control in the page; the findings below list every one. */
const CONTROL_RESOURCES_SHOWN = 20;

/** The control table of `--compliance`: status, the checks behind each control and what fails them. */
function complianceSection(report: ComplianceReport): string {
  const counts = report.controls.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.status]: (acc[c.status] ?? 0) + 1 }), {});
  const summary = Object.entries(counts)
    .map(([status, n]) => `<span class="ctl ctl-${status.replace(' ', '-')}">${n} ${h(status)}</span>`)
    .join(' ');
  const rows = report.controls.map(controlRow).join('');
  return `<section class="section compliance" id="compliance" aria-label="Compliance"><h2>${h(frameworkTitle(report))} <span class="sub" id="compliance-score" data-passed="${report.score.passed}" data-total="${report.score.total}">${h(scoreText(report))}</span></h2><p class="where">${summary}. Manual controls are for a person to assess; an automated control no check implements yet is <em>not covered</em>, never passed.</p><table class="controls"><thead><tr><th>Control</th><th>Status</th><th>Title</th><th>Checks</th><th>Failing resources</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function controlRow(c: ControlResult): string {
  const checks = c.checks.length === 0 ? '—' : c.checks.map((k) => `<code class="check-id">${h(k.checkId)}</code>${k.ran ? ` <span class="where">${k.fail} fail · ${k.error} error · ${k.pass} pass</span>` : ' <span class="where">not run</span>'}`).join('<br>');
  const listed = [...c.failing, ...c.errors];
  const resources = listed.slice(0, CONTROL_RESOURCES_SHOWN).map((r) => `<li><code class="arn">${h(r.resourceId)}</code></li>`).join('');
  const more = listed.length > CONTROL_RESOURCES_SHOWN ? `<li class="where">and ${listed.length - CONTROL_RESOURCES_SHOWN} more</li>` : '';
  const counterparts = c.counterparts.length > 0 ? `<span class="where">(also ${c.counterparts.map(h).join(', ')})</span>` : '';
  return `<tr class="control" data-control="${h(c.id)}" data-status="${h(c.status)}"><td><strong>${h(c.id)}</strong> ${counterparts}</td><td><span class="ctl ctl-${c.status.replace(' ', '-')}">${h(c.status)}</span>${c.reason ? `<div class="where">${h(c.reason)}</div>` : ''}</td><td>${h(c.title)} <span class="where">${c.type}</span></td><td>${checks}</td><td>${listed.length ? `<ul class="control-resources">${resources}${more}</ul>` : ''}</td></tr>`;
}
