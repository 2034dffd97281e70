import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InfraAuditError } from '../../errors.js';
import { loadAccountText, parseAccountJson, validateAccount, type AccountProblem } from './load.js';

const DEMO_ACCOUNT = fileURLToPath(new URL('../../../examples/demo/account.json', import.meta.url));

const T0 = '2026-01-01T00:00:00Z';
const bucket = (Name: string, extra: Record<string, unknown> = {}) => ({ Name, CreationDate: T0, ...extra });
const account = <Extra extends object>(extra: Extra = {} as Extra) => ({
  AccountId: '210987654321',
  Regions: { 'us-east-1': {}, 'eu-west-1': {} },
  ...extra,
});

function problemsOf(value: unknown): AccountProblem[] {
  return validateAccount(value).problems;
}

function loadError(text: string): InfraAuditError {
  try {
    loadAccountText(text, 'broken.json');
  } catch (err) {
    if (err instanceof InfraAuditError) return err;
    throw err;
  }
  throw new Error('expected loadAccountText to reject the file');
}

describe('account file validation', () => {
  it('accepts a small valid account (the near miss of every case below)', () => {
    const result = validateAccount(account({ S3: { Buckets: [bucket('acme-a'), bucket('acme-b', { Region: 'eu-west-1' })] } }));
    expect(result.problems).toEqual([]);
    expect(result.account?.S3?.Buckets).toHaveLength(2);
  });

  it('says where invalid JSON breaks, by line and column', () => {
    const text = '{\n  "AccountId": "210987654321",\n}\n';
    const { value, problems } = parseAccountJson(text);
    expect(value).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('$');
    expect(problems[0]!.message).toMatch(/^not valid JSON at line 3, column 1: /);

    const truncated = parseAccountJson('{\n  "AccountId": ');
    expect(truncated.problems[0]!.message).toMatch(/^not valid JSON at line 2, column 16: /);

    const err = loadError(text);
    expect(err.code).toBe('ACCOUNT_FILE_INVALID');
    expect(err.message).toContain('broken.json');
    expect(err.message).toContain('line 3, column 1');
    expect(err.hint).toContain('--validate broken.json');
  });

  it('accepts a file saved with a byte-order mark', () => {
    expect(parseAccountJson('\uFEFF' + JSON.stringify(account())).problems).toEqual([]);
  });

  it('reports a wrong type deep inside with its JSON path, and only there', () => {
    const problems = problemsOf(account({ S3: { Buckets: [bucket('acme-a'), { Name: 'acme-b', CreationDate: 1767225600 }] } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('$.S3.Buckets[1].CreationDate');
    expect(problems[0]!.message).toMatch(/string/i);
  });

  it('reports an unknown field (a typo) by name at the object that holds it', () => {
    const problems = problemsOf(account({ S3: { Buckets: [bucket('acme-a', { Polcy: { Version: '2012-10-17', Statement: [] } })] } }));
    expect(problems).toEqual([{ path: '$.S3.Buckets[0]', message: 'unknown field(s) "Polcy"' }]);
  });

  it('reports a duplicate bucket name at the second occurrence, naming the first', () => {
    const problems = problemsOf(account({ S3: { Buckets: [bucket('acme-a'), bucket('acme-b'), bucket('acme-a')] } }));
    expect(problems).toEqual([{ path: '$.S3.Buckets[2].Name', message: 'duplicate Name "acme-a" (first at $.S3.Buckets[0])' }]);
  });

  it('reports a bucket in a region the account does not declare', () => {
    const problems = problemsOf(account({ S3: { Buckets: [bucket('acme-a', { Region: 'ap-south-1' })] } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toBe('$.S3.Buckets[0].Region');
    expect(problems[0]!.message).toContain('"ap-south-1" is not one of the account\'s Regions (us-east-1, eu-west-1)');
  });

  it('reports a bad account id', () => {
    const problems = problemsOf(account({ AccountId: '2109876543' }));
    expect(problems).toEqual([{ path: '$.AccountId', message: 'must be a 12-digit AWS account id' }]);
  });

  it('reports a duplicate regional id with the region in the path', () => {
    const sg = { GroupId: 'sg-0a1b2c3d4e5f60718', GroupName: 'web' };
    const problems = problemsOf(account({ Regions: { 'us-east-1': { EC2: { SecurityGroups: [sg, { ...sg, GroupName: 'web-2' }] } }, 'eu-west-1': { EC2: { SecurityGroups: [sg] } } } }));
    expect(problems).toEqual([
      { path: '$.Regions["us-east-1"].EC2.SecurityGroups[1].GroupId', message: 'duplicate GroupId "sg-0a1b2c3d4e5f60718" (first at $.Regions["us-east-1"].EC2.SecurityGroups[0])' },
    ]);
  });

  it('reports every problem of a file at once, each with its path', () => {
    const err = loadError(
      JSON.stringify(account({ AccountId: 'acme', S3: { Buckets: [bucket('acme-a', { Versioning: { Status: 'On' } })] }, IAM: { Users: [{ UserName: 'alice' }] } })),
    );
    expect(err.message).toContain('(3 problems)');
    expect(err.message).toContain('$.AccountId: must be a 12-digit AWS account id');
    expect(err.message).toContain('$.S3.Buckets[0].Versioning.Status:');
    expect(err.message).toContain('$.IAM.Users[0].CreateDate:');
  });
});

describe('time anchoring', () => {
  const anchored = account({
    TimeAnchor: '2026-01-01T00:00:00Z',
    IAM: {
      Users: [
        {
          UserName: 'alice',
          CreateDate: '2025-01-01T00:00:00Z',
          PasswordLastUsed: '2025-12-31T00:00:00Z',
          AccessKeys: [{ AccessKeyId: 'AKIAEXAMPLEKEY000001', Status: 'Active', CreateDate: '2025-06-15T00:00:00Z' }],
          InlinePolicies: [
            {
              PolicyName: 'until-2026',
              PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2026-06-01T00:00:00Z' } } }] },
            },
          ],
        },
      ],
    },
    S3: { Buckets: [bucket('acme-a', { Objects: [{ Key: 'a.csv', Body: 'x', LastModified: T0, Metadata: { ExportDate: '2025-01-01T00:00:00Z' } }] })] },
  });
  const now = new Date('2026-03-02T00:00:00Z'); // TimeAnchor + 60 days

  it('keeps every age the same relative to now, including PasswordLastUsed', () => {
    const loaded = loadAccountText(JSON.stringify(anchored), 'anchored.json', now);
    const alice = loaded.IAM!.Users![0]!;
    expect(alice.CreateDate).toBe('2025-03-02T00:00:00.000Z');
    expect(alice.PasswordLastUsed).toBe('2026-03-01T00:00:00.000Z');
    expect(alice.AccessKeys![0]!.CreateDate).toBe('2025-08-14T00:00:00.000Z');
    expect(loaded.S3!.Buckets![0]!.Objects![0]!.LastModified).toBe('2026-03-02T00:00:00.000Z');
  });

  it('leaves policy documents and object metadata as written', () => {
    const loaded = loadAccountText(JSON.stringify(anchored), 'anchored.json', now);
    expect(loaded.IAM!.Users![0]!.InlinePolicies![0]!.PolicyDocument).toEqual(anchored.IAM.Users[0]!.InlinePolicies[0]!.PolicyDocument);
    expect(loaded.S3!.Buckets![0]!.Objects![0]!.Metadata).toEqual({ ExportDate: '2025-01-01T00:00:00Z' });
  });

  it('changes nothing without a TimeAnchor', () => {
    const { TimeAnchor: _, ...unanchored } = anchored;
    const loaded = loadAccountText(JSON.stringify(unanchored), 'plain.json', now);
    expect(loaded.IAM!.Users![0]!.PasswordLastUsed).toBe('2025-12-31T00:00:00Z');
  });
});

describe('the demo account', () => {
  it('validates without a single problem', () => {
    const text = readFileSync(DEMO_ACCOUNT, 'utf8');
    const parsed = parseAccountJson(text);
    expect(parsed.problems).toEqual([]);
    expect(validateAccount(parsed.value).problems).toEqual([]);
    const loaded = loadAccountText(text, DEMO_ACCOUNT);
    expect(loaded.AccountId).toBe('210987654321');
    expect(Object.keys(loaded.Regions)).toEqual(['us-east-1', 'eu-west-1']);
  });
});
