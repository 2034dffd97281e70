/** The Lambda exposure checks through the real Lambda client against the sandbox: verdicts, near misses, denied reads, and no environment value anywhere. */
import { beforeAll, describe, expect, it } from 'vitest';
import { fetchStats, opCount, useSandbox } from '../../test-support/sandbox.js';
import { auditSandbox } from '../../test-support/audit.js';

const ACCOUNT = '111122223333';
const OTHER = '444455556666';
const SECRET = 'super-secret-value-9d2f';
const arn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const policy = (name: string, statement: object) => ({ Version: '2012-10-17', Statement: [{ Sid: 'Grant', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: arn(name), ...statement }] });
const fn = (FunctionName: string, extra: object = {}) => ({
  FunctionName,
  Role: `arn:aws:iam::${ACCOUNT}:role/exec`,
  LastModified: '2026-05-01T10:00:00Z',
  Environment: { Variables: { API_TOKEN: SECRET, STAGE: 'prod' } },
  ...extra,
});

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      Lambda: {
        Functions: [
          fn('url-open', {
            FunctionUrl: { AuthType: 'NONE' },
            Policy: { Version: '2012-10-17', Statement: [{ Sid: 'FunctionURLAllowPublicAccess', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl', Resource: arn('url-open'), Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } } }] },
          }),
          fn('url-iam', { FunctionUrl: { AuthType: 'AWS_IAM' } }),
          fn('partner', { Policy: policy('partner', { Principal: { AWS: `arn:aws:iam::${OTHER}:root` } }) }),
          fn('from-own-bucket', { Policy: policy('from-own-bucket', { Principal: { Service: 's3.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::uploads' } } }) }),
          fn('star-own-account', { Policy: policy('star-own-account', { Principal: '*', Condition: { StringEquals: { 'aws:PrincipalAccount': ACCOUNT } } }) }),
          fn('star-other-account', { Policy: policy('star-other-account', { Principal: '*', Condition: { StringEquals: { 'aws:SourceAccount': OTHER } } }) }),
          fn('no-policy', { Environment: undefined }),
          fn('denied-reads', { FunctionUrl: { AuthType: 'NONE' }, Policy: policy('denied-reads', { Principal: '*' }) }),
        ],
      },
    },
  },
};

describe('Lambda exposure checks', () => {
  const env = useSandbox(account, { deny: ['GetPolicy:denied-reads', 'ListFunctionUrlConfigs:denied-reads'] });
  const listingDenied = useSandbox(account, { deny: ['ListFunctions:*'] });
  let audit: Awaited<ReturnType<typeof auditSandbox>>;
  beforeAll(async () => {
    audit = await auditSandbox(env.endpoint, { checks: ['lambda_function_public', 'lambda_function_url_public'] });
  });

  it('lambda_function_public: public, cross-account, narrowed and service-principal verdicts on the one engine', () => {
    expect(audit.statuses('lambda_function_public')).toEqual({
      'url-open': 'fail',
      'url-iam': 'pass',
      partner: 'fail',
      'from-own-bucket': 'pass',
      'star-own-account': 'pass',
      'star-other-account': 'fail',
      'no-policy': 'pass',
      'denied-reads': 'error',
    });
    expect(audit.verdict('lambda_function_public', 'url-open').evidence).toMatchObject({ exposure: 'public' });
    expect(audit.verdict('lambda_function_public', 'partner').evidence).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER] });
    expect(audit.verdict('lambda_function_public', 'star-other-account').evidence).toMatchObject({ exposure: 'cross-account', externalAccounts: [OTHER] });
    expect(audit.verdict('lambda_function_public', 'no-policy').message).toBe('Lambda function no-policy has no resource policy.');
  });

  it('lambda_function_url_public: AuthType NONE fails, AWS_IAM and no URL pass', () => {
    expect(audit.statuses('lambda_function_url_public')).toEqual({
      'url-open': 'fail',
      'url-iam': 'pass',
      partner: 'pass',
      'from-own-bucket': 'pass',
      'star-own-account': 'pass',
      'star-other-account': 'pass',
      'no-policy': 'pass',
      'denied-reads': 'error',
    });
    expect(audit.verdict('lambda_function_url_public', 'url-open').message).toMatch(/has a function URL with AuthType NONE \(https:\/\/[0-9a-f]+\.lambda-url\.us-east-1\.on\.aws\/\): anyone on the internet can invoke it\.$/);
    expect(audit.verdict('lambda_function_url_public', 'url-iam').message).toBe("Lambda function url-iam's function URL requires AWS_IAM authentication.");
  });

  it('a denied GetPolicy or ListFunctionUrlConfigs is error, never pass, and recorded with its resource', () => {
    expect(audit.verdict('lambda_function_public', 'denied-reads').message).toMatch(/^Could not read the policy of function denied-reads \(lambda:GetPolicy\): AccessDeniedException: /);
    expect(audit.verdict('lambda_function_url_public', 'denied-reads').message).toMatch(/^Could not read the function URLs of denied-reads \(lambda:ListFunctionUrlConfigs\): AccessDeniedException: /);
    expect(audit.errors.map((e) => `${e.operation} ${e.code} ${e.resource}`).sort()).toEqual([
      `GetPolicy AccessDeniedException ${arn('denied-reads')}`,
      `ListFunctionUrlConfigs AccessDeniedException ${arn('denied-reads')}`,
    ]);
  });

  it('a denied ListFunctions is one error per region for each check', async () => {
    const denied = await auditSandbox(listingDenied.endpoint, { checks: ['lambda_function_public', 'lambda_function_url_public'] });
    expect(denied.findings.map((f) => `${f.checkId} ${f.status} ${f.resourceId}`).sort()).toEqual([`lambda_function_public error ${ACCOUNT}`, `lambda_function_url_public error ${ACCOUNT}`]);
  });

  it('never carries an environment value: findings, errors and the snapshot keep names and the marker only', () => {
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    const functions = audit.snapshots[0]!.lambda!['us-east-1']!.functions.value!;
    expect(functions.find((f) => f.name === 'url-open')!.environment).toEqual({ variables: { API_TOKEN: '<redacted:sensitive>', STAGE: '<redacted:sensitive>' } });
    expect(functions.find((f) => f.name === 'no-policy')!.environment).toBeNull();
  });

  it('reads each function once per read: one ListFunctions, one GetPolicy and one ListFunctionUrlConfigs per function', async () => {
    const stats = await fetchStats(env.endpoint);
    expect(opCount(stats, 'lambda', 'ListFunctions')).toBe(1);
    expect(opCount(stats, 'lambda', 'GetPolicy')).toBe(8);
    expect(opCount(stats, 'lambda', 'ListFunctionUrlConfigs')).toBe(8);
  });
});
