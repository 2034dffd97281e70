import { describe, expect, it } from 'vitest';
import { loadReportFixture } from '../test-support/report-fixture.js';
import type { OcsfDetectionFinding } from './ocsf.js';
import { renderReport } from './render.js';

// Required attributes of OCSF 1.1 Detection Finding (base event + finding + cloud profile),
// and the enum ids the schema defines for them.
const REQUIRED = ['activity_id', 'category_uid', 'class_uid', 'finding_info', 'metadata', 'severity_id', 'time', 'type_uid', 'cloud'] as const;
const SEVERITY_IDS = new Set([0, 1, 2, 3, 4, 5, 6, 99]);
const ACTIVITY_IDS = new Set([0, 1, 2, 3, 99]);
const STATUS_IDS = new Set([0, 1, 2, 3, 4, 99]);

function events(report = loadReportFixture()): OcsfDetectionFinding[] {
  return JSON.parse(renderReport('ocsf', report));
}

describe('ocsf report', () => {
  it('every event carries the required attributes with valid enum ids', () => {
    const all = events();
    expect(all.length).toBeGreaterThan(0);
    for (const e of all) {
      for (const key of REQUIRED) expect(e, key).toHaveProperty(key);
      expect(e.class_uid).toBe(2004);
      expect(e.category_uid).toBe(2);
      expect(ACTIVITY_IDS.has(e.activity_id)).toBe(true);
      expect(e.type_uid).toBe(e.class_uid * 100 + e.activity_id);
      expect(e.type_uid).toBe(200401);
      expect(SEVERITY_IDS.has(e.severity_id)).toBe(true);
      expect(STATUS_IDS.has(e.status_id)).toBe(true);
      expect(Number.isInteger(e.time)).toBe(true);
      expect(e.metadata.version).toMatch(/^1\.(1|[2-9])\.\d+$/);
      expect(e.metadata.product).toMatchObject({ name: 'infra-audit', vendor_name: 'infra-audit', version: '0.1.0' });
      expect(e.finding_info.uid).toMatch(/^[0-9a-f]{32}$/);
      expect(e.finding_info.title.length).toBeGreaterThan(0);
      expect(e.cloud.provider).toBe('AWS');
      expect(e.cloud.account.uid).toBe('123456789012');
      expect(e.resources).toHaveLength(1);
      expect(e.remediation.desc.length).toBeGreaterThan(0);
    }
  });

  it('titles a failure with the failure title and a resolved finding with the pass title', () => {
    const titles = events()
      .filter((e) => e.unmapped.check_id === 's3_bucket_public_read')
      .map((e) => [e.status, e.finding_info.title]);
    expect(titles.sort()).toEqual([
      ['New', 'S3 bucket allows public read'],
      ['Resolved', 'S3 bucket is not publicly readable'],
    ]);
  });

  it('maps severities and statuses to OCSF ids', () => {
    const byKey = new Map(events().map((e) => [`${e.unmapped.check_id} ${e.resources[0]?.uid}`, e]));
    const rdsPublic = byKey.get('rds_instance_public arn:aws:rds:us-east-1:123456789012:db:orders-legacy');
    expect(rdsPublic).toMatchObject({ severity_id: 5, severity: 'Critical', status_id: 1, status: 'New', status_code: 'FAIL' });
    expect(byKey.get('rds_instance_storage_encrypted arn:aws:rds:us-east-1:123456789012:db:orders-legacy')?.severity_id).toBe(3);
    expect(byKey.get('rds_instance_idle arn:aws:rds:us-east-1:123456789012:db:orders-legacy')?.severity_id).toBe(2);
    expect(byKey.get('iam_user_console_mfa arn:aws:iam::123456789012:user/jenkins')?.severity_id).toBe(4);
    const bastion = byKey.get('ec2_security_group_ssh_open arn:aws:ec2:us-east-1:123456789012:security-group/sg-0fedcba9876543210');
    expect(bastion).toMatchObject({ status_id: 3, status: 'Suppressed' });
    const alice = byKey.get('iam_user_console_mfa arn:aws:iam::123456789012:user/alice');
    expect(alice).toMatchObject({ status_id: 4, status: 'Resolved', status_code: 'PASS' });
  });

  it('emits failures and passes but not read errors', () => {
    const report = loadReportFixture();
    const all = events(report);
    expect(all).toHaveLength(report.findings.filter((f) => f.status !== 'error').length);
    expect(all.some((e) => e.resources[0]?.uid.includes('analytics-replica'))).toBe(false);
  });

  it('describes the resource in OCSF resource_details terms', () => {
    const bucket = events().find((e) => e.resources[0]?.uid === 'arn:aws:s3:::acme-marketing-assets');
    expect(bucket?.resources[0]).toEqual({
      uid: 'arn:aws:s3:::acme-marketing-assets',
      name: 'acme-marketing-assets',
      type: 'AWS::S3::Bucket',
      region: 'us-east-1',
      cloud_partition: 'aws',
    });
    expect(bucket?.time).toBe(Date.parse('2026-03-14T09:26:53.000Z'));
    expect(bucket?.finding_info.desc).toContain('Anyone on the internet');
  });

  it('carries CIS, evidence and Terraform in unmapped', () => {
    const bucket = events().find((e) => e.resources[0]?.uid === 'arn:aws:s3:::acme-marketing-assets');
    expect(bucket?.unmapped).toMatchObject({
      check_id: 's3_bucket_public_read',
      compliance: { standards: ['CIS AWS Foundations Benchmark v3.0.0'], requirements: ['2.1.4'], status: 'Fail' },
      terraform: { address: 'aws_s3_bucket_policy.marketing_assets', file: 'terraform/s3.tf', line: 42 },
    });
    expect(bucket?.unmapped.evidence).toHaveProperty('bucketPolicy');
    const idle = events().find((e) => e.unmapped.check_id === 'rds_instance_idle');
    expect(idle?.unmapped).not.toHaveProperty('compliance');
  });

  it('derives the partition from the ARN', () => {
    const report = loadReportFixture();
    report.findings[0]!.resourceId = 'arn:aws-us-gov:s3:::gov-bucket';
    const e = events(report).find((x) => x.resources[0]?.uid === 'arn:aws-us-gov:s3:::gov-bucket');
    expect(e?.resources[0]?.cloud_partition).toBe('aws-us-gov');
  });

  it('writes JSON lines when asked: one parseable event per line', () => {
    const report = loadReportFixture();
    const lines = renderReport('ocsf', report, { jsonLines: true }).trimEnd().split('\n');
    expect(lines).toHaveLength(events(report).length);
    expect(lines.map((l) => JSON.parse(l))).toEqual(events(report));
  });
});
