/**
 * The per-session inventory cache, through real MCP calls over HTTP against the sandbox:
 * concurrent first calls share one collection, the TTL and `refresh` re-read, and every AWS
 * operation a tool causes is one it declares (its declarations drive the IAM policy).
 */
import { describe, expect, it } from 'vitest';
import { useSandbox, opCount } from '../test-support/sandbox.js';
import { startMcpHarness } from '../test-support/mcp.js';
import { demoAccount } from '../test-support/demo.js';
import { ALL_TOOLS } from '../tools/index.js';
import { inventoryOperations } from './inventory-cache.js';
import { CHECKS } from '../checks/registry.js';
import type { SandboxStats } from '../sandbox/server.js';
import type { AwsCallRecorder } from '../audit-log/aws-middleware.js';
import { inputDigest } from './create-server.js';
import { escapeRegExp } from '../test-support/mcp.js';


/** Sandbox service names as our ServiceId. */
const SERVICE_ID: Record<string, string> = { 's3-control': 's3control' };

function operationsSeen(stats: SandboxStats): string[] {
  return Object.entries(stats.services).flatMap(([service, s]) => Object.keys(s.operations).map((op) => `${SERVICE_ID[service] ?? service}:${op}`)).sort();
}

function declared(toolName: string): Set<string> {
  const tool = ALL_TOOLS.find((t) => t.name === toolName)!;
  return new Set(tool.awsOperations.map((o) => `${o.service}:${o.operation}`));
}

describe('inventory cache', () => {
  const env = useSandbox(demoAccount());

  it('shares one collection between two concurrent first calls', async () => {
    const mcp = await startMcpHarness(env.endpoint);
    try {
      await mcp.call('whoami');
      env.sandbox.resetStats();
      const [roles, users, publicBuckets, again] = await Promise.all([
        mcp.call('list_iam_roles'),
        mcp.call('list_iam_users'),
        mcp.call('find_public_buckets'),
        mcp.call('find_public_buckets', { includeNotPublic: true }),
      ]);
      for (const r of [roles, users, publicBuckets, again]) expect(r.isError, r.text).toBe(false);
      const stats = env.sandbox.stats();
      expect(opCount(stats, 'iam', 'ListRoles')).toBe(1);
      expect(opCount(stats, 'iam', 'ListUsers')).toBe(1);
      // Neither tool shows the credential report: it is not read.
      expect(opCount(stats, 'iam', 'GenerateCredentialReport')).toBe(0);
      // Each role and user is read once although the two tools asked for different reads at once.
      const iam = (demoAccount() as { IAM: { Roles: unknown[]; Users: unknown[] } }).IAM;
      expect(opCount(stats, 'iam', 'GetRole')).toBe(iam.Roles.length);
      expect(opCount(stats, 'iam', 'GetLoginProfile')).toBe(iam.Users.length);
      expect(opCount(stats, 's3', 'ListBuckets')).toBe(1);
      expect(opCount(stats, 's3-control', 'GetPublicAccessBlock')).toBe(1);
    } finally {
      await mcp.close();
    }
  });

  it('records every AWS call of a collection in the audit log, under the tool call that caused it', async () => {
    const calls: Array<{ operation: string; service: string; requestId?: string }> = [];
    const recorder: AwsCallRecorder = { recordAwsCall: (call, scope) => void calls.push({ service: call.service, operation: call.operation, requestId: scope?.requestId }) };
    const mcp = await startMcpHarness(env.endpoint, { awsCallRecorder: recorder });
    try {
      env.sandbox.resetStats();
      const res = await mcp.call('find_public_buckets');
      expect(res.isError, res.text).toBe(false);
      const s3Calls = calls.filter((c) => c.service === 's3');
      expect(s3Calls.length).toBe(env.sandbox.stats().services.s3!.total);
      expect(s3Calls.filter((c) => c.operation === 'ListBuckets')).toHaveLength(1);
      expect(new Set(s3Calls.map((c) => c.requestId))).toEqual(new Set([res.requestId]));
    } finally {
      await mcp.close();
    }
  });

  it('serves within the TTL, re-reads on refresh: true', async () => {
    const mcp = await startMcpHarness(env.endpoint);
    try {
      env.sandbox.resetStats();
      await mcp.call('list_security_groups');
      await mcp.call('list_security_groups', { openToWorld: true });
      expect(opCount(env.sandbox.stats(), 'ec2', 'DescribeSecurityGroups')).toBe(2); // one per region
      await mcp.call('list_security_groups', { refresh: true });
      expect(opCount(env.sandbox.stats(), 'ec2', 'DescribeSecurityGroups')).toBe(4);
    } finally {
      await mcp.close();
    }
  });

  it('re-reads once the TTL has passed', async () => {
    // A TTL shorter than any collection: every call finds its data expired.
    const mcp = await startMcpHarness(env.endpoint, { inventoryTtlMs: 1 });
    try {
      env.sandbox.resetStats();
      await mcp.call('list_security_groups');
      await new Promise((r) => setTimeout(r, 5));
      await mcp.call('list_security_groups');
      expect(opCount(env.sandbox.stats(), 'ec2', 'DescribeSecurityGroups')).toBe(4);
    } finally {
      await mcp.close();
    }
  });

  it('caches per server session: a new session reads again', async () => {
    const a = await startMcpHarness(env.endpoint);
    const b = await startMcpHarness(env.endpoint);
    try {
      env.sandbox.resetStats();
      await a.call('list_db_instances');
      await a.call('list_db_instances');
      await b.call('list_db_instances');
      expect(opCount(env.sandbox.stats(), 'rds', 'DescribeDBInstances')).toBe(4); // two regions, two sessions
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses an unknown region with the enabled ones, and a malformed one at the schema', async () => {
    const mcp = await startMcpHarness(env.endpoint);
    try {
      const unknown = await mcp.call('list_db_instances', { regions: ['ap-south-2'] });
      expect(unknown.isError).toBe(true);
      expect(unknown.text).toMatch(new RegExp(`region "${escapeRegExp(inputDigest('ap-south-2'))}" is not .*\n.*enabled regions: eu-west-1, us-east-1`));
      const malformed = await mcp.call('list_db_instances', { regions: ['mars'] });
      expect(malformed.isError).toBe(true);
      expect(malformed.text).toContain('an AWS region name');
      const one = await mcp.call<{ regions: string[] }>('list_db_instances', { regions: ['eu-west-1'] });
      expect(one.structured.regions).toEqual(['eu-west-1']);
    } finally {
      await mcp.close();
    }
  });

  for (const [tool, args] of [
    ['find_public_buckets', {}],
    ['list_iam_roles', {}],
    ['list_iam_users', {}],
    ['list_security_groups', {}],
    ['list_db_instances', {}],
    ['run_checks', {}],
    ['get_resource', { resource: 'acme-reporting' }],
    ['list_checks', {}],
  ] as const) {
    it(`${tool} calls only the AWS operations it declares`, async () => {
      const mcp = await startMcpHarness(env.endpoint);
      try {
        env.sandbox.resetStats();
        const res = await mcp.call(tool, args);
        expect(res.isError, res.text).toBe(false);
        const seen = operationsSeen(env.sandbox.stats());
        const allowed = declared(tool);
        expect(seen.filter((op) => !allowed.has(op))).toEqual([]);
        if (tool === 'list_checks') expect(seen).toEqual([]);
        else expect(seen.length).toBeGreaterThan(0);
      } finally {
        await mcp.close();
      }
    });
  }

  it('declares every operation a run of the whole catalog makes, and nothing it does not', async () => {
    const mcp = await startMcpHarness(env.endpoint);
    try {
      env.sandbox.resetStats();
      await mcp.call('run_checks');
      const seen = new Set(operationsSeen(env.sandbox.stats()));
      const all = inventoryOperations(CHECKS.flatMap((c) => c.reads)).map((o) => `${o.service}:${o.operation}`);
      // The demo has no user with an inline policy, and ListBuckets always gives BucketRegion
      // (GetBucketLocation is for endpoints that do not): the rest is every declared operation.
      const unexercised = all.filter((op) => !seen.has(op)).sort();
      expect(unexercised).toEqual(['iam:GetUserPolicy', 's3:GetBucketLocation']);
      expect([...seen].filter((op) => !all.includes(op))).toEqual([]);
      // No check judges tags or VPCs: the catalog does not read them.
      expect(seen.has('s3:GetBucketTagging')).toBe(false);
    } finally {
      await mcp.close();
    }
  });
});
