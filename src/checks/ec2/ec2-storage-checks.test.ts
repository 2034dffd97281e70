/**
 * Network ACLs (CIS 5.1, rule order), VPC flow logs (CIS 3.7), EBS encryption by default (CIS 2.2.1)
 * and EBS volume encryption: each check's positive, its near misses, and a denied read as `error`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
type Entry = { RuleNumber: number; Protocol: string; RuleAction: 'allow' | 'deny'; Egress: boolean; CidrBlock?: string; Ipv6CidrBlock?: string; PortRange?: { From: number; To: number } };
const rule = (RuleNumber: number, RuleAction: 'allow' | 'deny', Protocol: string, source: string, ports?: [number, number], Egress = false): Entry => ({
  RuleNumber,
  Protocol,
  RuleAction,
  Egress,
  ...(source.includes(':') ? { Ipv6CidrBlock: source } : { CidrBlock: source }),
  ...(ports ? { PortRange: { From: ports[0], To: ports[1] } } : {}),
});
const acl = (n: number, name: string, Entries: Entry[], extra: object = {}) => ({ NetworkAclId: `acl-0000000000000a${String(n).padStart(3, '0')}`, VpcId: 'vpc-00000000000000001', Entries, Tags: [{ Key: 'Name', Value: name }], ...extra });
const vpc = (n: number, name: string) => ({ VpcId: `vpc-0000000000000000${n}`, CidrBlock: `10.${n}.0.0/16`, Tags: [{ Key: 'Name', Value: name }] });
const flowLog = (n: number, vpcN: number, TrafficType: 'ACCEPT' | 'REJECT' | 'ALL') => ({ FlowLogId: `fl-0000000000000000${n}`, ResourceId: `vpc-0000000000000000${vpcN}`, TrafficType, LogDestinationType: 's3' as const, LogDestination: 'arn:aws:s3:::flows', CreationTime: '2026-01-01T00:00:00Z' });
const volume = (n: number, name: string, Encrypted: boolean, extra: object = {}) => ({ VolumeId: `vol-0000000000000000${n}`, Size: 20, AvailabilityZone: 'us-east-1a', Encrypted, CreateTime: '2026-01-01T00:00:00Z', Tags: [{ Key: 'Name', Value: name }], ...extra });

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      EC2: {
        EbsEncryptionByDefault: true,
        Vpcs: [vpc(1, 'all-traffic'), vpc(2, 'rejects-only'), vpc(3, 'accepts-only'), vpc(4, 'no-flow-log')],
        FlowLogs: [flowLog(1, 1, 'ALL'), flowLog(2, 2, 'REJECT'), flowLog(3, 3, 'ACCEPT')],
        NetworkAcls: [
          // AWS's default ACL: allow everything in.
          acl(1, 'default-allow-all', [rule(100, 'allow', '-1', '0.0.0.0/0'), rule(100, 'allow', '-1', '0.0.0.0/0', undefined, true)], { IsDefault: true }),
          // Near miss: the deny for 22 and 3389 comes first, so the later allow-all never applies to them.
          acl(2, 'deny-first', [rule(50, 'deny', '6', '0.0.0.0/0', [22, 22]), rule(60, 'deny', '6', '0.0.0.0/0', [3389, 3389]), rule(100, 'allow', '-1', '0.0.0.0/0')]),
          // The deny comes after the allow: the allow decides.
          acl(3, 'deny-too-late', [rule(100, 'allow', '6', '0.0.0.0/0', [0, 1024]), rule(200, 'deny', '6', '0.0.0.0/0', [22, 22])]),
          // Near miss: SSH from the corporate range only.
          acl(4, 'ssh-from-office', [rule(100, 'allow', '6', '203.0.113.0/24', [22, 22]), rule(110, 'allow', '6', '0.0.0.0/0', [443, 443])]),
          acl(5, 'rdp-ipv6', [rule(100, 'allow', '6', '::/0', [3389, 3389])]),
          // Near misses: UDP 22, and egress to 22.
          acl(6, 'udp-and-egress', [rule(100, 'allow', '17', '0.0.0.0/0', [22, 22]), rule(100, 'allow', '6', '0.0.0.0/0', [22, 22], true)]),
          // Near miss: a narrower deny before the allow does not close the port to the internet.
          acl(7, 'narrow-deny', [rule(50, 'deny', '6', '198.51.100.0/24', [22, 22]), rule(100, 'allow', '6', '0.0.0.0/0', [22, 22])]),
        ],
        Volumes: [volume(1, 'data-encrypted', true, { KmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1` }), volume(2, 'data-plain', false, { Attachments: [{ InstanceId: 'i-00000000000000001', Device: '/dev/sdf' }] }), volume(3, 'going', false, { State: 'deleting' })],
      },
    },
    'eu-west-1': { EC2: { Vpcs: [vpc(5, 'eu')], FlowLogs: [flowLog(5, 5, 'ALL')] } },
  },
};

const CHECKS = 'ec2_nacl_open_admin_ports,vpc_flow_logs_enabled,ec2_ebs_default_encryption,ec2_ebs_volume_encrypted';

describe('network ACL, flow log and EBS checks', () => {
  const env = useSandbox(account);
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { regions: ['us-east-1', 'eu-west-1'], checks: [CHECKS] });
  });

  it('reads everything it needs', () => {
    expect(audit.errors).toEqual([]);
  });

  it('CIS 5.1: judges each ACL in rule-number order, for the whole internet over IPv4 and IPv6', () => {
    expect(audit.statuses('ec2_nacl_open_admin_ports')).toEqual({
      'default-allow-all': 'fail',
      'deny-first': 'pass',
      'deny-too-late': 'fail',
      'ssh-from-office': 'pass',
      'rdp-ipv6': 'fail',
      'udp-and-egress': 'pass',
      'narrow-deny': 'fail',
    });
    expect(audit.verdict('ec2_nacl_open_admin_ports', 'default-allow-all').message).toContain('22 from 0.0.0.0/0 (rule 100), 3389 from 0.0.0.0/0 (rule 100)');
    expect(audit.verdict('ec2_nacl_open_admin_ports', 'rdp-ipv6').message).toContain('3389 from ::/0 (rule 100)');
    const denyFirst = audit.verdict('ec2_nacl_open_admin_ports', 'deny-first');
    expect(denyFirst.evidence).toMatchObject({ verdicts: expect.arrayContaining([{ port: 22, source: '0.0.0.0/0', open: false, decidingRule: { ruleNumber: 50, action: 'deny', protocol: '6', portRange: '22' } }]) });
    expect(audit.verdict('ec2_nacl_open_admin_ports', 'deny-too-late').evidence).toMatchObject({ verdicts: expect.arrayContaining([expect.objectContaining({ port: 22, open: true, decidingRule: expect.objectContaining({ ruleNumber: 100, portRange: '0-1024' }) })]) });
    expect(audit.verdict('ec2_nacl_open_admin_ports', 'deny-first').cis).toEqual(['5.1']);
  });

  it('CIS 3.7: a VPC passes with a flow log of REJECT or ALL traffic, fails with ACCEPT only or none', () => {
    expect(audit.statuses('vpc_flow_logs_enabled')).toEqual({ 'all-traffic': 'pass', 'rejects-only': 'pass', 'accepts-only': 'fail', 'no-flow-log': 'fail', eu: 'pass' });
    expect(audit.verdict('vpc_flow_logs_enabled', 'accepts-only').message).toContain('logs only ACCEPT traffic');
    expect(audit.verdict('vpc_flow_logs_enabled', 'no-flow-log').message).toContain('has no flow log');
  });

  it('CIS 2.2.1: encryption by default per region, on in one and off in the other', () => {
    const verdicts = audit.findings.filter((f) => f.checkId === 'ec2_ebs_default_encryption').map((f) => `${f.region} ${f.status} ${f.resourceId}`).sort();
    expect(verdicts).toEqual([`eu-west-1 fail ${ACCOUNT}`, `us-east-1 pass ${ACCOUNT}`]);
  });

  it('fails an unencrypted volume, passes an encrypted one, and leaves a volume being deleted be', () => {
    expect(audit.statuses('ec2_ebs_volume_encrypted')).toEqual({ 'data-encrypted': 'pass', 'data-plain': 'fail' });
    expect(audit.verdict('ec2_ebs_volume_encrypted', 'data-plain').message).toContain('attached to i-00000000000000001');
  });
});

describe('denied EC2 reads', () => {
  const env = useSandbox(account, { deny: ['DescribeFlowLogs:*', 'GetEbsEncryptionByDefault:*', 'DescribeNetworkAcls:*', 'DescribeVolumes:*'] });
  it('make each check error per region, never pass', async () => {
    const audit = await auditSandbox(env.endpoint, { regions: ['us-east-1'], checks: [CHECKS] });
    expect(audit.findings.map((f) => `${f.checkId} ${f.status}`).sort()).toEqual([
      'ec2_ebs_default_encryption error',
      'ec2_ebs_volume_encrypted error',
      'ec2_nacl_open_admin_ports error',
      // Every VPC, because the flow logs that would clear it could not be read.
      'vpc_flow_logs_enabled error',
      'vpc_flow_logs_enabled error',
      'vpc_flow_logs_enabled error',
      'vpc_flow_logs_enabled error',
    ]);
    expect(new Set(audit.errors.map((e) => `${e.operation} ${e.code}`))).toEqual(
      new Set(['DescribeFlowLogs UnauthorizedOperation', 'GetEbsEncryptionByDefault UnauthorizedOperation', 'DescribeNetworkAcls UnauthorizedOperation', 'DescribeVolumes UnauthorizedOperation']),
    );
  });
});
