/**
 * The ECR checks through the real ECR client against the sandbox: repository exposure on the
 * shared engine (public, cross-account, and the conditions that narrow it, each beside its near
 * miss), scan on push, tag immutability, and denied reads as `error`, never `pass`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchStats, opCount, useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const PULL = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
// Repository policies name no Resource: the repository is implied.
const policy = (statement: object) => ({ Version: '2012-10-17', Statement: [{ Sid: 'Pull', Effect: 'Allow', Action: PULL, ...statement }] });
const repo = (repositoryName: string, extra: object = {}) => ({ repositoryName, createdAt: '2026-01-01T00:00:00Z', imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true }, ...extra });

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      ECR: {
        Repositories: [
          repo('public-base', { Policy: policy({ Principal: '*' }) }),
          repo('aws-star', { Policy: policy({ Principal: { AWS: '*' } }) }),
          repo('partner', { Policy: policy({ Principal: { AWS: `arn:aws:iam::${OTHER}:root` } }) }),
          repo('own-role', { Policy: policy({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ci` } }) }),
          repo('org-pinned', { Policy: policy({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' } } }) }),
          repo('org-wildcard', { Policy: policy({ Principal: '*', Condition: { StringLike: { 'aws:PrincipalOrgID': 'o-*' } } }) }),
          repo('own-account-pinned', { Policy: policy({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } }) }),
          repo('other-account-pinned', { Policy: policy({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': OTHER } } }) }),
          repo('vpce-pinned', { Policy: policy({ Principal: '*', Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } } }) }),
          repo('private-ip', { Policy: policy({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }) }),
          repo('public-ip', { Policy: policy({ Principal: '*', Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }) }),
          repo('lambda-service', { Policy: policy({ Principal: { Service: 'lambda.amazonaws.com' }, Condition: { StringLike: { 'aws:sourceArn': `arn:aws:lambda:us-east-1:${ACCOUNT}:function:*` } } }) }),
          repo('mutable-unscanned', { imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: false } }),
          repo('defaults', { imageTagMutability: undefined, imageScanningConfiguration: undefined }),
          repo('immutable-with-exclusion', { imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' }),
          repo('denied-policy', { Policy: policy({ Principal: '*' }) }),
        ],
      },
    },
    'eu-west-1': {},
  },
};
const CHECKS = ['ecr_repository_public', 'ecr_repository_scan_on_push', 'ecr_repository_tag_immutability'];

describe('ECR checks', () => {
  const env = useSandbox(account, { deny: ['GetRepositoryPolicy:denied-policy'] });
  const listingDenied = useSandbox(account, { deny: ['DescribeRepositories:*'] });
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { checks: CHECKS });
  });

  it('ecr_repository_public: each condition that narrows passes, its near miss fails, on the one exposure engine', () => {
    expect(audit.statuses('ecr_repository_public')).toEqual({
      'public-base': 'fail',
      'aws-star': 'fail',
      partner: 'fail',
      'own-role': 'pass',
      'org-pinned': 'pass',
      'org-wildcard': 'fail',
      'own-account-pinned': 'pass',
      'other-account-pinned': 'fail',
      'vpce-pinned': 'pass',
      'private-ip': 'pass',
      'public-ip': 'fail',
      'lambda-service': 'pass',
      'mutable-unscanned': 'pass',
      defaults: 'pass',
      'immutable-with-exclusion': 'pass',
      'denied-policy': 'error',
    });
    expect(audit.verdict('ecr_repository_public', 'public-base').evidence).toMatchObject({ exposure: 'public' });
    expect(audit.verdict('ecr_repository_public', 'partner').evidence).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER] });
    expect(audit.verdict('ecr_repository_public', 'other-account-pinned').evidence).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER] });
    expect(audit.verdict('ecr_repository_public', 'org-pinned').evidence).toMatchObject({ exposure: 'none', narrowed: [expect.objectContaining({ sid: 'Pull' })] });
    // RepositoryPolicyNotFoundException is "no policy", not a failed read.
    expect(audit.verdict('ecr_repository_public', 'defaults').message).toBe('ECR repository defaults has no resource policy.');
  });

  it('ecr_repository_scan_on_push and ecr_repository_tag_immutability: ECR defaults (MUTABLE, no scan) fail; IMMUTABLE_WITH_EXCLUSION passes', () => {
    const scan = audit.statuses('ecr_repository_scan_on_push');
    expect(Object.entries(scan).filter(([, s]) => s !== 'pass').sort()).toEqual([['defaults', 'fail'], ['mutable-unscanned', 'fail']]);
    const tags = audit.statuses('ecr_repository_tag_immutability');
    expect(Object.entries(tags).filter(([, s]) => s !== 'pass').sort()).toEqual([['defaults', 'fail'], ['mutable-unscanned', 'fail']]);
    expect(audit.verdict('ecr_repository_tag_immutability', 'defaults').message).toBe('ECR repository defaults has mutable image tags (MUTABLE): a pushed tag can be moved to another image.');
    expect(audit.verdict('ecr_repository_tag_immutability', 'immutable-with-exclusion').evidence).toEqual({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' });
  });

  it('a denied GetRepositoryPolicy is error with its resource recorded; the other checks of that repository still judge', () => {
    expect(audit.verdict('ecr_repository_public', 'denied-policy').message).toMatch(/^Could not read the policy of repository denied-policy \(ecr:GetRepositoryPolicy\): AccessDeniedException: /);
    expect(audit.verdict('ecr_repository_scan_on_push', 'denied-policy').status).toBe('pass');
    expect(audit.errors.map((e) => `${e.operation} ${e.code} ${e.resource}`)).toEqual([`GetRepositoryPolicy AccessDeniedException arn:aws:ecr:us-east-1:${ACCOUNT}:repository/denied-policy`]);
  });

  it('a denied DescribeRepositories is one error per region for each check, never a pass', async () => {
    const denied = await auditSandbox(listingDenied.endpoint, { checks: CHECKS });
    expect(denied.findings.map((f) => `${f.checkId} ${f.status} ${f.region}`).sort()).toEqual(
      CHECKS.flatMap((c) => [`${c} error eu-west-1`, `${c} error us-east-1`]).sort(),
    );
  });

  it('reads one DescribeRepositories per region and one GetRepositoryPolicy per repository; tags are not read for checks', async () => {
    const stats = await fetchStats(env.endpoint);
    expect(opCount(stats, 'ecr', 'DescribeRepositories')).toBe(2);
    expect(opCount(stats, 'ecr', 'GetRepositoryPolicy')).toBe(account.Regions['us-east-1'].ECR.Repositories.length);
    expect(opCount(stats, 'ecr', 'ListTagsForResource')).toBe(0);
  });
});
