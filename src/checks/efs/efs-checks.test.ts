/** EFS over restJson1 through the real SDK client, and efs_encrypted (CIS 2.4.1): positive, near miss, and a denied read as `error`. */
import { beforeAll, describe, expect, it } from 'vitest';
import { DescribeFileSystemsCommand, EFSClient, paginateDescribeFileSystems } from '@aws-sdk/client-efs';
import { rejection, useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
const fs = (n: number, Name: string, Encrypted: boolean, extra: object = {}) => ({
  FileSystemId: `fs-0000000000000000${n}`, Name, CreationTime: '2026-01-01T00:00:00Z', Encrypted, ...(Encrypted ? { KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1` } : {}), Tags: [{ Key: 'Name', Value: Name }], ...extra,
});
const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': { EFS: { FileSystems: [fs(1, 'shared-home', true), fs(2, 'legacy-uploads', false), fs(3, 'going-away', false, { LifeCycleState: 'deleting' })] } },
    'eu-west-1': {},
  },
};

describe('sandbox EFS (restJson1)', () => {
  const env = useSandbox(account);
  const efs = (region = 'us-east-1') => new EFSClient(env.config('efs', { region }));

  it('DescribeFileSystems: every file system with its encryption, ARN and epoch-second CreationTime; pages with MaxItems; an unknown id is FileSystemNotFound (404)', async () => {
    const all = await efs().send(new DescribeFileSystemsCommand({}));
    expect(all.FileSystems?.map((f) => [f.FileSystemId, f.Name, f.Encrypted, f.LifeCycleState])).toEqual([
      ['fs-00000000000000001', 'shared-home', true, 'available'],
      ['fs-00000000000000002', 'legacy-uploads', false, 'available'],
      ['fs-00000000000000003', 'going-away', false, 'deleting'],
    ]);
    expect(all.FileSystems![0]).toMatchObject({ OwnerId: ACCOUNT, FileSystemArn: `arn:aws:elasticfilesystem:us-east-1:${ACCOUNT}:file-system/fs-00000000000000001`, KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1`, Tags: [{ Key: 'Name', Value: 'shared-home' }] });
    expect(all.FileSystems![0]!.CreationTime).toEqual(new Date('2026-01-01T00:00:00Z'));
    const sizes: number[] = [];
    for await (const page of paginateDescribeFileSystems({ client: efs(), pageSize: 2 }, {})) sizes.push(page.FileSystems?.length ?? 0);
    expect(sizes).toEqual([2, 1]);
    const err = await rejection(efs().send(new DescribeFileSystemsCommand({ FileSystemId: 'fs-0000000000000ffff' })));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(['FileSystemNotFound', 404]);
    expect((await efs('eu-west-1').send(new DescribeFileSystemsCommand({}))).FileSystems).toEqual([]);
  });
});

describe('efs_encrypted', () => {
  const env = useSandbox(account);
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { regions: ['us-east-1', 'eu-west-1'], checks: ['efs_encrypted'] });
  });

  it('fails an unencrypted file system, passes an encrypted one, and leaves one being deleted be', () => {
    expect(audit.errors).toEqual([]);
    expect(audit.statuses('efs_encrypted')).toEqual({ 'shared-home': 'pass', 'legacy-uploads': 'fail' });
    expect(audit.verdict('efs_encrypted', 'legacy-uploads').cis).toEqual(['2.4.1']);
  });
});

describe('a denied DescribeFileSystems', () => {
  const env = useSandbox(account, { deny: ['DescribeFileSystems:*'] });
  it('is an error per region, never a pass, recorded as AccessDeniedException', async () => {
    const denied = await rejection(new EFSClient(env.config('efs')).send(new DescribeFileSystemsCommand({})));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDeniedException', 403]);
    const audit = await auditSandbox(env.endpoint, { regions: ['us-east-1'], checks: ['efs_encrypted'] });
    expect(audit.findings.map((f) => `${f.status} ${f.resourceId}`)).toEqual([`error ${ACCOUNT}`]);
    expect(audit.errors.map((e) => `${e.service} ${e.operation} ${e.code}`)).toEqual(['efs DescribeFileSystems AccessDeniedException']);
  });
});
