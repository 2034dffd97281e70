import { describe, expect, it } from 'vitest';
import { loadReportFixture } from '../test-support/report-fixture.js';
import { escapeMarkdown, markdownFence } from './escape.js';
import { renderReport } from './render.js';

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row.replace(/^\||\|$/g, '').split(/(?<!\\)\|/);
}

describe('markdown report', () => {
  it('opens with status and severity summary tables matching the findings', () => {
    const out = renderReport('markdown', loadReportFixture());
    expect(out).toContain('| ❌ Fail | 7 |\n| ✅ Pass | 3 |\n| ⚠️ Error | 1 |\n| 🔕 Suppressed | 1 |');
    const severityRow = out.split('\n').find((l) => l.startsWith('| Open failures'));
    expect(cells(severityRow ?? '').map((c) => c.trim())).toEqual(['Open failures', '2', '3', '1', '1', '0']);
  });

  it('groups open failures by resource with remediation and the Terraform fix in hcl fences', () => {
    const out = renderReport('markdown', loadReportFixture());
    const section = out.slice(out.indexOf('## Open failures'), out.indexOf('## Suppressed'));
    const resources = [...section.matchAll(/^### (.+)$/gm)].map((m) => m[1]);
    // orders-legacy has three open failures (critical, medium, low) and appears once.
    expect(resources.filter((r) => r?.includes('db:orders-legacy'))).toHaveLength(1);
    expect(resources).toHaveLength(5);
    const rds = section.slice(section.indexOf('db:orders-legacy'));
    expect(rds.indexOf('CRITICAL · RDS instance is publicly accessible')).toBeLessThan(rds.indexOf('MEDIUM · RDS instance storage'));
    expect(section).toContain('```hcl\nresource "aws_db_instance" "orders_legacy" {\n  # ...\n  publicly_accessible = false\n}\n```');
    expect(section).toContain('**Remediation:** Set PubliclyAccessible to false');
    expect(section).toContain('Declared in `terraform/rds.tf:3`');
    expect(section).not.toContain('sg-0fedcba9876543210');
  });

  it('lists suppressed findings with reason and expiry, and errors apart', () => {
    const out = renderReport('markdown', loadReportFixture());
    const suppressed = out.slice(out.indexOf('## Suppressed'), out.indexOf('## Could not check'));
    expect(suppressed).toContain('`arn:aws:ec2:us-east-1:123456789012:security-group/sg-0fedcba9876543210`');
    expect(suppressed).toContain('| Bastion host behind fail2ban; replacement by SSM tracked in SEC-412 | 2026-06-30 |');
    const errors = out.slice(out.indexOf('## Could not check'));
    expect(errors).toContain('analytics-replica');
    expect(errors).toContain('| cloudwatch eu-west-1 | | AccessDenied: not authorized');
  });

  it('escapes untrusted strings: pipes, backticks and HTML cannot break out', () => {
    const report = loadReportFixture();
    const bastion = report.findings.find((f) => f.suppressed)!;
    bastion.suppressed = { reason: 'pipe | `tick` <img src=x onerror=alert(1)> **bold**', expires: '2026-06-30' };
    bastion.resourceId = 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-1|`x`';
    const bucket = report.findings[0]!;
    bucket.resourceName = '<script>alert(1)</script>';
    bucket.message = 'see [link](javascript:alert(1)) and ![img](http://evil/x.png)';
    bucket.evidence = { tag: '```\n</details><script>alert(1)</script>' };
    const out = renderReport('markdown', report);

    const row = out.split('\n').find((l) => l.includes('onerror'))!;
    expect(cells(row)).toHaveLength(5);
    expect(row).toContain('pipe \\| \\`tick\\` &lt;img src=x onerror=alert\\(1\\)&gt; \\*\\*bold\\*\\*');
    // Outside code blocks (where text is literal) no raw HTML survives.
    const prose = out.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '');
    expect(prose).not.toContain('<script>');
    expect(prose).not.toContain('<img');
    expect(prose).toContain('&lt;script&gt;alert\\(1\\)&lt;/script&gt;');
    expect(out).toContain('see \\[link\\]\\(javascript:alert\\(1\\)\\) and \\!\\[img\\]');
    // The evidence fence is longer than the backtick run inside it, so the content stays code.
    expect(out).toContain('````json\n{\n  "tag": "```\\n</details><script>alert(1)</script>"\n}\n````');
  });

  it('shows passed checks only with showPassed, inside a collapsed block', () => {
    const report = loadReportFixture();
    expect(renderReport('markdown', report)).not.toContain('Passed (');
    expect(renderReport('markdown', report, { showPassed: true })).toContain('<details><summary>Passed (3)</summary>');
  });

  it('says so when nothing is open', () => {
    const report = loadReportFixture();
    report.findings = report.findings.filter((f) => f.status !== 'fail');
    expect(renderReport('markdown', report)).toContain('No open failures.');
  });
});

describe('markdown escaping helpers', () => {
  it('neutralises line-start syntax and HTML but leaves plain words alone', () => {
    expect(escapeMarkdown('# not a heading')).toBe('\\# not a heading');
    expect(escapeMarkdown('1. not a list')).toBe('1\\. not a list');
    expect(escapeMarkdown('- not a bullet')).toBe('\\- not a bullet');
    expect(escapeMarkdown('a&b <c>')).toBe('a&amp;b &lt;c&gt;');
    expect(escapeMarkdown('plain words stay')).toBe('plain words stay');
    expect(escapeMarkdown('two\nlines')).toBe('two lines');
  });

  it('picks a fence longer than any backtick run', () => {
    expect(markdownFence('x', 'hcl')).toBe('```hcl\nx\n```');
    expect(markdownFence('a ````` b')).toBe('``````\na ````` b\n``````');
  });
});
