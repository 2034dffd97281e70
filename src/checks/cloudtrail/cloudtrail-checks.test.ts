import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const CHECKS = [
  'cloudtrail_multi_region_enabled',
  'cloudtrail_log_file_validation',
  'cloudtrail_bucket_access_logging',
  'cloudtrail_kms_encryption',
  'cloudtrail_s3_data_events_write',
  'cloudtrail_s3_data_events_read',
  'config_recorder_enabled',
];
const trail = (Name: string, extra: object = {}) => ({ Name, S3BucketName: 'trail-logs', IsMultiRegionTrail: true, LogFileValidationEnabled: true, KmsKeyId: KEY, IsLogging: true, ...extra });
const recorder = (extra: object = {}, status: object = { recording: true, lastStatus: 'Success' }) => ({ name: 'default', recordingGroup: { allSupported: true }, Status: status, ...extra });
const buckets = [
  { Name: 'trail-logs', CreationDate: '2025-01-01T00:00:00Z', Region: 'us-east-1', LoggingEnabled: { TargetBucket: 'access-logs', TargetPrefix: 'trail-logs/' } },
  { Name: 'plain-bucket', CreationDate: '2025-01-01T00:00:00Z', Region: 'us-east-1' },
  { Name: 'access-logs', CreationDate: '2025-01-01T00:00:00Z', Region: 'us-east-1' },
];

const base = (trails: { 'us-east-1'?: object[]; 'eu-west-1'?: object[] }, config: { 'us-east-1'?: object; 'eu-west-1'?: object } = {}) => ({
  AccountId: ACCOUNT,
  S3: { Buckets: buckets },
  Regions: {
    'us-east-1': { CloudTrail: { Trails: trails['us-east-1'] ?? [] }, Config: config['us-east-1'] ?? {} },
    'eu-west-1': { CloudTrail: { Trails: trails['eu-west-1'] ?? [] }, Config: config['eu-west-1'] ?? {} },
  },
});

describe('CloudTrail and Config checks: a compliant main trail beside near misses', () => {
  const env = useSandbox(
    base(
      {
        'us-east-1': [
          trail('main', {
            // Management events through two selectors (read + write), and S3 writes of every bucket.
            EventSelectors: [
              { ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] },
              { ReadWriteType: 'ReadOnly', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::plain-bucket/'] }] },
            ],
          }),
        ],
        'eu-west-1': [trail('eu-local', { IsMultiRegionTrail: false, LogFileValidationEnabled: false, KmsKeyId: undefined, S3BucketName: 'plain-bucket' })],
      },
      {
        'us-east-1': { ConfigurationRecorders: [recorder()], DeliveryChannels: [{ name: 'default', s3BucketName: 'config' }] },
        // Recording only some types: the near miss of a recorder that is on.
        'eu-west-1': { ConfigurationRecorders: [recorder({ recordingGroup: { allSupported: false, resourceTypes: ['AWS::EC2::Instance'] } })], DeliveryChannels: [{ name: 'default', s3BucketName: 'config' }] },
      },
    ),
  );
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { regions: ['us-east-1', 'eu-west-1'], checks: [CHECKS.join(',')] });
  });

  it('reads everything it needs, each multi-region trail\'s status once', () => {
    expect(audit.errors).toEqual([]);
    expect(audit.stats.byOperation['cloudtrail:DescribeTrails']).toBe(2);
    expect(audit.stats.byOperation['cloudtrail:GetTrailStatus']).toBe(2);
    expect(audit.stats.byOperation['cloudtrail:GetEventSelectors']).toBe(2);
  });

  it('passes 3.1 on a multi-region trail whose two selectors together record all management events', () => {
    const f = audit.verdict('cloudtrail_multi_region_enabled', ACCOUNT);
    expect(f.status).toBe('pass');
    expect(f.message).toContain('main');
    expect(f.cis).toEqual(['3.1']);
  });

  it('judges validation, encryption and the bucket\'s access logging per trail', () => {
    expect(audit.statuses('cloudtrail_log_file_validation')).toEqual({ main: 'pass', 'eu-local': 'fail' });
    expect(audit.statuses('cloudtrail_kms_encryption')).toEqual({ main: 'pass', 'eu-local': 'fail' });
    expect(audit.statuses('cloudtrail_bucket_access_logging')).toEqual({ main: 'pass', 'eu-local': 'fail' });
    expect(audit.verdict('cloudtrail_bucket_access_logging', 'eu-local').message).toContain('plain-bucket');
    expect(audit.verdict('cloudtrail_log_file_validation', 'eu-local').region).toBe('eu-west-1');
  });

  it('passes S3 write data events for every bucket, fails reads logged for one bucket only', () => {
    expect(audit.verdict('cloudtrail_s3_data_events_write', ACCOUNT).status).toBe('pass');
    const read = audit.verdict('cloudtrail_s3_data_events_read', ACCOUNT);
    expect(read.status).toBe('fail');
    expect(JSON.stringify(read.evidence)).toContain('arn:aws:s3:::plain-bucket/ only');
  });

  it('fails a region whose recorder records some resource types only', () => {
    expect(audit.statuses('config_recorder_enabled')).toEqual({ 'AWS Config in us-east-1': 'pass', 'AWS Config in eu-west-1': 'fail' });
    expect(audit.findings.find((f) => f.checkId === 'config_recorder_enabled' && f.region === 'eu-west-1')?.message).toContain('only some resource types');
  });
});

describe('CloudTrail and Config checks: the failures', () => {
  const env = useSandbox(
    base(
      {
        'us-east-1': [
          trail('stopped', { IsLogging: false }),
          trail('writes-only', { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] }),
          trail('excludes-kms', { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'] }] }),
          // Reads of every bucket through advanced selectors, but a single-region trail.
          trail('single', {
            IsMultiRegionTrail: false,
            AdvancedEventSelectors: [
              { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
              { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'readOnly', Equals: ['true'] }] },
            ],
          }),
        ],
      },
      {
        'us-east-1': { ConfigurationRecorders: [recorder({}, { recording: false })], DeliveryChannels: [{ name: 'default' }] },
      },
    ),
  );
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { regions: ['us-east-1', 'eu-west-1'], checks: [CHECKS.join(',')] });
  });

  it('fails 3.1 when no trail is at once multi-region, logging and recording all management events', () => {
    const f = audit.verdict('cloudtrail_multi_region_enabled', ACCOUNT);
    expect(f.status).toBe('fail');
    expect(f.evidence?.trails).toEqual([
      expect.objectContaining({ meets: false, why: 'logging is stopped' }),
      expect.objectContaining({ meets: false, why: 'records only write management events in full' }),
      expect.objectContaining({ meets: false, why: 'records no management events in full' }),
      expect.objectContaining({ meets: false, why: 'single-region' }),
    ]);
  });

  it('fails S3 data events recorded by a single-region trail, and writes nobody records', () => {
    expect(audit.verdict('cloudtrail_s3_data_events_read', ACCOUNT).status).toBe('fail');
    expect(JSON.stringify(audit.verdict('cloudtrail_s3_data_events_read', ACCOUNT).evidence)).toContain('single-region: buckets in us-east-1 only');
    expect(audit.verdict('cloudtrail_s3_data_events_write', ACCOUNT).status).toBe('fail');
  });

  it('fails a stopped recorder, and a region with no recorder and no channel', () => {
    const us = audit.findings.find((f) => f.checkId === 'config_recorder_enabled' && f.region === 'us-east-1')!;
    expect(us.status).toBe('fail');
    expect(us.message).toContain('the recorder is stopped');
    const eu = audit.findings.find((f) => f.checkId === 'config_recorder_enabled' && f.region === 'eu-west-1')!;
    expect(eu.status).toBe('fail');
    expect(eu.message).toBe('AWS Config in eu-west-1: no configuration recorder; no delivery channel.');
  });
});

describe('CloudTrail and Config checks: a read that failed is error, never pass', () => {
  const account = base(
    { 'us-east-1': [trail('main')] },
    { 'us-east-1': { ConfigurationRecorders: [recorder()], DeliveryChannels: [{ name: 'default' }] }, 'eu-west-1': { ConfigurationRecorders: [recorder()], DeliveryChannels: [{ name: 'default' }] } },
  );
  const env = useSandbox(account, { deny: ['GetEventSelectors:*', 'DescribeConfigurationRecorderStatus:*', 'GetBucketLogging:trail-logs'] });
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { regions: ['us-east-1', 'eu-west-1'], checks: [CHECKS.join(',')] });
  });

  it('says error for the checks that rest on the denied read, and still judges the others', () => {
    for (const id of ['cloudtrail_multi_region_enabled', 'cloudtrail_s3_data_events_write', 'cloudtrail_s3_data_events_read']) {
      const f = audit.verdict(id, ACCOUNT);
      expect(f.status, id).toBe('error');
      expect(f.message, id).toContain('AccessDeniedException');
    }
    expect(audit.verdict('cloudtrail_bucket_access_logging', 'main').status).toBe('error');
    expect(audit.verdict('cloudtrail_log_file_validation', 'main').status).toBe('pass');
    expect(Object.values(audit.statuses('config_recorder_enabled'))).toEqual(['error', 'error']);
    expect(audit.errors.map((e) => `${e.service}:${e.operation}`).sort()).toEqual([
      'cloudtrail:GetEventSelectors',
      'config:DescribeConfigurationRecorderStatus',
      'config:DescribeConfigurationRecorderStatus',
      's3:GetBucketLogging',
    ]);
  });
});
