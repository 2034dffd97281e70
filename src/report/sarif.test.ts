import { readFileSync } from 'node:fs';
import ajvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { loadReportFixture } from '../test-support/report-fixture.js';
import { renderReport } from './render.js';
import { FINGERPRINT_KEY, pseudoFileUri, repositoryRelativeUri } from './sarif.js';

// The official OASIS schema (errata01), vendored: see src/test-support/schemas/.
const SARIF_SCHEMA = JSON.parse(readFileSync(new URL('../test-support/schemas/sarif-schema-2.1.0.json', import.meta.url), 'utf8'));

function validator() {
  const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(SARIF_SCHEMA);
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } }; logicalLocations: Array<{ fullyQualifiedName: string }> }>;
  partialFingerprints: Record<string, string>;
  suppressions?: Array<{ kind: string; justification: string }>;
}

function sarif(report = loadReportFixture(), options = {}) {
  const log = JSON.parse(renderReport('sarif', report, options));
  const run = log.runs[0];
  return { log, run, results: run.results as SarifResult[], rules: run.tool.driver.rules as Array<Record<string, any>> };
}

describe('sarif report', () => {
  it('validates against the official SARIF 2.1.0 schema', () => {
    const validate = validator();
    const { log } = sarif();
    const ok = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('the schema check is real: a result without a message is rejected', () => {
    const validate = validator();
    const { log } = sarif();
    delete log.runs[0].results[0].message;
    expect(validate(log)).toBe(false);
  });

  it('has one rule per check in the catalog, with GitHub security-severity and CIS tags', () => {
    const report = loadReportFixture();
    const { rules } = sarif(report);
    expect(rules.map((r) => r.id)).toEqual(report.checks.map((c) => c.id).sort());
    const s3 = rules.find((r) => r.id === 's3_bucket_public_read');
    expect(s3).toMatchObject({
      name: 'S3BucketPublicRead',
      shortDescription: { text: 'S3 bucket allows public read' },
      helpUri: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
      properties: { 'security-severity': '9.5' },
    });
    expect(s3?.properties.tags).toContain('CIS-AWS-3.0.0/2.1.4');
    expect(s3?.help.markdown).toContain('```hcl\nresource "aws_s3_bucket_public_access_block"');
    const bySeverity = Object.fromEntries(rules.map((r) => [r.id, r.properties['security-severity']]));
    expect(bySeverity).toMatchObject({ rds_instance_public: '9.5', iam_user_console_mfa: '8.0', rds_instance_storage_encrypted: '5.5', rds_instance_idle: '3.0' });
    for (const r of rules) expect(Number.isFinite(Number(r.properties['security-severity']))).toBe(true);
  });

  it('reports failures only, each pointing at its rule, with level by severity', () => {
    const report = loadReportFixture();
    const { results, rules } = sarif(report);
    expect(results).toHaveLength(report.findings.filter((f) => f.status === 'fail').length);
    for (const r of results) expect(rules[r.ruleIndex]?.id).toBe(r.ruleId);
    const levels = Object.fromEntries(results.map((r) => [`${r.ruleId} ${r.locations[0]?.logicalLocations[0]?.fullyQualifiedName}`, r.level]));
    expect(levels['rds_instance_public arn:aws:rds:us-east-1:123456789012:db:orders-legacy']).toBe('error');
    expect(levels['rds_instance_storage_encrypted arn:aws:rds:us-east-1:123456789012:db:orders-legacy']).toBe('warning');
    expect(levels['rds_instance_idle arn:aws:rds:us-east-1:123456789012:db:orders-legacy']).toBe('note');
  });

  it('every result has a physical location GitHub accepts: the Terraform file and line when known', () => {
    const { results } = sarif();
    for (const r of results) {
      const physical = r.locations[0]?.physicalLocation;
      expect(physical?.artifactLocation.uri).toMatch(/^[^/:][^:]*$/); // relative, no scheme
      expect(physical?.region.startLine).toBeGreaterThanOrEqual(1);
    }
    const bucket = results.find((r) => r.ruleId === 's3_bucket_public_read');
    expect(bucket?.locations[0]?.physicalLocation).toEqual({ artifactLocation: { uri: 'terraform/s3.tf' }, region: { startLine: 42 } });
    const user = results.find((r) => r.ruleId === 'iam_user_console_mfa');
    expect(user?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: { uri: 'aws/123456789012/global/iam/user/jenkins' },
      region: { startLine: 1 },
    });
    expect(user?.locations[0]?.logicalLocations[0]?.fullyQualifiedName).toBe('arn:aws:iam::123456789012:user/jenkins');
  });

  it('marks the suppressed failure with an external, accepted suppression', () => {
    const { results } = sarif();
    const suppressed = results.filter((r) => r.suppressions);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]?.suppressions?.[0]).toMatchObject({ kind: 'external', status: 'accepted' });
    expect(suppressed[0]?.suppressions?.[0]?.justification).toContain('SEC-412');
  });

  it('fingerprints are stable across runs and reorderings and differ between findings', () => {
    const report = loadReportFixture();
    const first = sarif(report).results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    const later = sarif({
      ...report,
      generatedAt: '2026-05-01T00:00:00Z',
      findings: [...report.findings].reverse().map((f) => ({ ...f, message: `${f.message} (reworded)`, terraformLine: f.terraformLine ? f.terraformLine + 10 : undefined })),
    }).results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(new Set(later)).toEqual(new Set(first));
    expect(new Set(first).size).toBe(first.length);
  });

  it('reports read errors as tool execution notifications, and success when there were none', () => {
    const { run } = sarif();
    expect(run.invocations[0].executionSuccessful).toBe(false);
    const texts = run.invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text);
    expect(texts.some((t: string) => t.includes('analytics-replica'))).toBe(true);
    expect(texts.some((t: string) => t.startsWith('cloudwatch eu-west-1:'))).toBe(true);
    const clean = loadReportFixture();
    clean.findings = clean.findings.filter((f) => f.status !== 'error');
    delete clean.errors;
    expect(sarif(clean).run.invocations[0].executionSuccessful).toBe(true);
  });
});

describe('sarif locations', () => {
  it('makes Terraform paths repository-relative, or refuses when they cannot be', () => {
    expect(repositoryRelativeUri('./terraform/main.tf')).toBe('terraform/main.tf');
    expect(repositoryRelativeUri('infra\\prod\\db.tf')).toBe('infra/prod/db.tf');
    expect(repositoryRelativeUri('/home/ci/repo/infra/my db.tf', '/home/ci/repo')).toBe('infra/my%20db.tf');
    expect(repositoryRelativeUri('/etc/other/main.tf', '/home/ci/repo')).toBeUndefined();
    expect(repositoryRelativeUri('/home/ci/repo/main.tf')).toBeUndefined();
    expect(repositoryRelativeUri('../outside.tf')).toBeUndefined();
  });

  it('builds the pseudo path from the ARN resource part, encoding what a URI cannot hold', () => {
    const base = { accountId: '123456789012', region: 'us-east-1' };
    expect(pseudoFileUri({ ...base, service: 's3', resourceId: 'arn:aws:s3:::my-bucket' })).toBe('aws/123456789012/us-east-1/s3/my-bucket');
    expect(pseudoFileUri({ ...base, service: 'rds', resourceId: 'arn:aws:rds:us-east-1:123456789012:db:orders' })).toBe('aws/123456789012/us-east-1/rds/db%3Aorders');
    expect(pseudoFileUri({ ...base, service: 'ec2', resourceId: 'sg-0abc' })).toBe('aws/123456789012/us-east-1/ec2/sg-0abc');
    expect(pseudoFileUri({ ...base, service: 's3', resourceId: 'arn:aws:s3:::a b?#' })).toBe('aws/123456789012/us-east-1/s3/a%20b%3F%23');
  });

  it('an absolute Terraform path outside the source root falls back to the pseudo path', () => {
    const report = loadReportFixture();
    for (const f of report.findings) if (f.terraformFile) f.terraformFile = `/builds/acme/${f.terraformFile}`;
    const inside = sarif(report, { sourceRoot: '/builds/acme' }).results.find((r) => r.ruleId === 's3_bucket_public_read');
    expect(inside?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('terraform/s3.tf');
    const outside = sarif(report, { sourceRoot: '/elsewhere' }).results.find((r) => r.ruleId === 's3_bucket_public_read');
    expect(outside?.locations[0]?.physicalLocation.artifactLocation.uri).toBe('aws/123456789012/us-east-1/s3/acme-marketing-assets');
  });
});
