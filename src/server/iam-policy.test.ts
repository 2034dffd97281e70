import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildIamPolicy } from './iam-policy.js';
import { selectTools, toolSurface } from './registry.js';
import { ALL_TOOLS } from '../tools/index.js';
import { SECRET_READS } from '../aws/read-operations.js';
import { main } from '../cli/main.js';
import { bufferIO } from '../cli/io.js';

const WRITE_VERB = /:(Put|Delete|Create|Update|Attach|Detach|Modify|Terminate|Run|Start|Stop|Authorize|Revoke|Tag|Untag|Set|Add|Remove|Replace|Restore|Copy|Upload|Enable|Disable|Reset|Associate|Disassociate|Import|Register|Deregister|Pass|Assume|Invoke|Send|Publish|Execute|Apply|Change)/;

describe('least-privilege IAM policy', () => {
  const policy = buildIamPolicy(toolSurface(selectTools(ALL_TOOLS)));

  it('allows exact read actions only: no wildcard, no write verb', () => {
    const allowed = policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action);
    expect(allowed.length).toBeGreaterThan(0);
    for (const action of allowed) {
      expect(action).not.toContain('*');
      expect(action).not.toMatch(WRITE_VERB);
    }
  });

  it('denies every secret-returning read explicitly', () => {
    const denied = policy.Statement.filter((s) => s.Effect === 'Deny').flatMap((s) => s.Action);
    expect(denied.sort()).toEqual(Object.keys(SECRET_READS).sort());
  });

  it('shrinks with the toolsets enabled', () => {
    const s3Only = buildIamPolicy(toolSurface(selectTools(ALL_TOOLS, { tools: ['list_s3_buckets'] })));
    expect(s3Only.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => s.Action)).toEqual(['s3:ListAllMyBuckets']);
  });

  it('equals the policy of the Terraform module terraform/modules/audit-role (regenerate with `infra-audit iam-policy`)', async () => {
    const io = bufferIO();
    expect(await main(['iam-policy', '--format', 'json'], io)).toBe(0);
    const modulePolicy = readFileSync(fileURLToPath(new URL('../../terraform/modules/audit-role/policy.json', import.meta.url)), 'utf8');
    expect(JSON.parse(io.out())).toEqual(JSON.parse(modulePolicy));
    expect(JSON.parse(modulePolicy)).toEqual(policy);
  });

  it('renders HCL with the same actions', async () => {
    const io = bufferIO();
    expect(await main(['iam-policy', '--format', 'hcl'], io)).toBe(0);
    for (const action of policy.Statement.flatMap((s) => s.Action)) expect(io.out()).toContain(`"${action}"`);
    expect(io.out()).toMatch(/^data "aws_iam_policy_document" "infra_audit_read_only" \{/);
    const bad = bufferIO();
    expect(await main(['iam-policy', '--format', 'yaml'], bad)).toBe(2);
    expect(bad.err()).toContain('unknown --format "yaml"');
  });
});
