import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main.js';
import { bufferIO } from '../cli/io.js';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { hashToken } from './auth/tokens.js';

const readPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 'iam:Get*', 'iam:List*', 'iam:SimulatePrincipalPolicy'], Resource: '*' }] };
const adminPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

function account(policy: object) {
  return {
    AccountId: '444455556666',
    Regions: { 'us-east-1': {} },
    CallerIdentity: { Arn: 'arn:aws:sts::444455556666:assumed-role/InfraAuditReadOnly/serve', UserId: 'AROAAUDIT:serve' },
    IAM: {
      Roles: [
        {
          RoleName: 'InfraAuditReadOnly',
          Path: '/audit/',
          CreateDate: '2026-01-01T00:00:00Z',
          AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:root' }, Action: 'sts:AssumeRole' }] },
          InlinePolicies: [{ PolicyName: 'audit', PolicyDocument: policy }],
        },
      ],
    },
  };
}

function tokensFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'infra-audit-verify-'));
  const file = join(dir, 'tokens.json');
  writeFileSync(file, JSON.stringify({ tokens: [{ principal: 'ci', sha256: hashToken('t') }] }));
  return file;
}

async function serveOnce(endpoint: string) {
  const io = bufferIO({ interrupted: Promise.resolve('test-stop'), env: { ...process.env, ...{ AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId } } });
  const code = await main(['serve', '--http', '--tokens-file', tokensFile(), '--endpoint-url', endpoint, '--verify-readonly', '--audit-log', join(mkdtempSync(join(tmpdir(), 'infra-audit-verify-log-')), 'audit.jsonl')], io);
  return { code, err: io.err(), out: io.out() };
}

describe('serve --verify-readonly (IAM SimulatePrincipalPolicy)', () => {
  describe('a read-only role', () => {
    const env = useSandbox(account(readPolicy));
    it('starts, naming the role it verified (with its path, from GetRole)', async () => {
      const r = await serveOnce(env.endpoint);
      expect(r.err).toContain('verified read-only');
      expect(r.err).toContain('arn:aws:iam::444455556666:role/audit/InfraAuditReadOnly');
      expect(r.code).toBe(0);
    });
  });

  describe('a role that can write', () => {
    const env = useSandbox(account(adminPolicy));
    it('refuses to start and names the write actions it could perform', async () => {
      const r = await serveOnce(env.endpoint);
      expect(r.code).toBe(2);
      expect(r.err).toContain('can write');
      expect(r.err).toContain('s3:PutBucketPolicy');
      expect(r.err).toContain('iam:AttachRolePolicy');
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    });
  });
});
