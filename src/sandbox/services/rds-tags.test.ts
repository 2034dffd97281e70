/**
 * RDS ListTagsForResource through the real RDSClient: the tags of a DB subnet group (which
 * DescribeDBSubnetGroups does not return), an instance and a cluster by ARN; each kind's
 * not-found fault, InvalidParameterValue for what is not an RDS ARN of the region, AccessDenied
 * by ARN, and tagging refused.
 */
import { describe, expect, it } from 'vitest';
import { AddTagsToResourceCommand, DescribeDBSubnetGroupsCommand, ListTagsForResourceCommand, RDSClient } from '@aws-sdk/client-rds';
import { rejection, useSandbox } from '../../test-support/sandbox.js';

const ACCOUNT = '111122223333';
const T0 = '2026-01-01T00:00:00Z';
const arn = (kind: string, id: string, region = 'us-east-1') => `arn:aws:rds:${region}:${ACCOUNT}:${kind}:${id}`;
const group = (DBSubnetGroupName: string, extra: Record<string, unknown> = {}) => ({ DBSubnetGroupName, DBSubnetGroupDescription: DBSubnetGroupName, VpcId: 'vpc-0a1', SubnetIds: ['subnet-0a1'], ...extra });

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      RDS: {
        DBSubnetGroups: [group('private-db', { TagList: [{ Key: 'team', Value: 'data' }] }), group('bare'), group('locked', { TagList: [{ Key: 'team', Value: 'secret' }] })],
        DBInstances: [
          {
            DBInstanceIdentifier: 'app', DBInstanceArn: arn('db', 'app'), DBInstanceClass: 'db.t4g.micro', Engine: 'postgres', InstanceCreateTime: T0, PubliclyAccessible: false,
            StorageEncrypted: true, BackupRetentionPeriod: 7, DeletionProtection: true, TagList: [{ Key: 'app', Value: 'api' }],
          },
        ],
        DBClusters: [{ DBClusterIdentifier: 'aurora', DBClusterArn: arn('cluster', 'aurora'), Engine: 'aurora-postgresql', ClusterCreateTime: T0, StorageEncrypted: true, BackupRetentionPeriod: 7, DeletionProtection: true }],
      },
    },
    'eu-west-1': {},
  },
};

describe('sandbox RDS ListTagsForResource', () => {
  const env = useSandbox(account, { deny: ['ListTagsForResource:locked'] });
  const rds = (region = 'us-east-1') => new RDSClient(env.config('rds', { region }));
  const tagsOf = async (name: string) => (await rds().send(new ListTagsForResourceCommand({ ResourceName: name }))).TagList;

  it("returns a subnet group's tags, which DescribeDBSubnetGroups leaves out; an instance's and a cluster's too", async () => {
    expect(await tagsOf(arn('subgrp', 'private-db'))).toEqual([{ Key: 'team', Value: 'data' }]);
    expect(await tagsOf(arn('subgrp', 'bare'))).toEqual([]);
    const described = (await rds().send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: 'private-db' }))).DBSubnetGroups![0]!;
    expect([described.DBSubnetGroupArn, 'TagList' in described]).toEqual([arn('subgrp', 'private-db'), false]);
    expect(await tagsOf(arn('db', 'app'))).toEqual([{ Key: 'app', Value: 'api' }]);
    expect(await tagsOf(arn('cluster', 'aurora'))).toEqual([]);
  });

  it("answers each kind's not-found fault, InvalidParameterValue for a name that is not an RDS ARN of the region, AccessDenied by ARN, and refuses tagging", async () => {
    const noGroup = await rejection(tagsOf(arn('subgrp', 'nope')));
    expect([noGroup.name, noGroup.$metadata.httpStatusCode, noGroup.message]).toEqual(['DBSubnetGroupNotFoundFault', 404, "DB subnet group 'nope' not found."]);
    expect((await rejection(tagsOf(arn('db', 'nope')))).name).toBe('DBInstanceNotFoundFault');
    expect((await rejection(tagsOf(arn('cluster', 'nope')))).name).toBe('DBClusterNotFoundFault');
    for (const name of ['private-db', `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/subnet-0a1`, arn('subgrp', 'private-db', 'eu-west-1'), arn('parameter-group', 'x')]) {
      const invalid = await rejection(tagsOf(name));
      expect([invalid.name, invalid.$metadata.httpStatusCode], name).toEqual(['InvalidParameterValue', 400]);
    }
    const denied = await rejection(tagsOf(arn('subgrp', 'locked')));
    expect([denied.name, denied.$metadata.httpStatusCode]).toEqual(['AccessDenied', 403]);
    expect(denied.message).toContain(`rds:ListTagsForResource on resource: ${arn('subgrp', 'locked')}`);
    const write = await rejection(rds().send(new AddTagsToResourceCommand({ ResourceName: arn('subgrp', 'bare'), Tags: [{ Key: 'a', Value: 'b' }] })));
    expect(write.name).toBe('AccessDenied');
  });
});
