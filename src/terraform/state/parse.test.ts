import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fixturePath } from '../../test-support/sandbox.js';
import { Redactor } from '../../redact/redactor.js';
import { SENSITIVE_MARKER } from '../../redact/marker.js';
import { InfraAuditError } from '../../errors.js';
import { parseState } from './parse.js';
import type { StateSource } from './types.js';

const source: StateSource = { kind: 'file', location: 'fixtures/tf-state-shapes.json' };
const text = readFileSync(fixturePath('tf-state-shapes.json'), 'utf8');

function load(options: { embeddedSecrets?: boolean } = {}) {
  const redactor = new Redactor();
  return { state: parseState(text, source, { redactor, ...options }), redactor };
}

describe('parseState: addresses', () => {
  const { state } = load();
  const addresses = state.resources.map((r) => r.address);

  it('addresses every shape exactly as Terraform prints it', () => {
    expect(addresses).toEqual([
      'data.aws_iam_policy_document.x',
      'aws_s3_bucket.logs',
      'aws_instance.web[0]',
      'aws_instance.web[1]',
      'aws_db_instance.orders',
      'random_password.db',
      'aws_ssm_parameter.copy',
      'aws_iam_access_key.ci',
      'github_actions_secret.deploy',
      'module.buckets["raw"].aws_s3_bucket.this',
      'module.buckets["curated"].aws_s3_bucket.this',
      'module.a.module.b[1].aws_x.y["k"]',
      'aws_ssm_parameter.by_key["say \\"hi\\"\\\\now\\n"]',
      'aws_ssm_parameter.by_key["plain"]',
      'aws_launch_template.lt',
      'aws_launch_template.lt',
    ]);
  });

  it('keeps module, resource and key parts apart, with numbers as numbers', () => {
    const nested = state.byAddress.get('module.a.module.b[1].aws_x.y["k"]')!;
    expect(nested).toMatchObject({ moduleAddress: 'module.a.module.b[1]', resourceAddress: 'module.a.module.b[1].aws_x.y', indexKey: 'k', mode: 'managed' });
    expect(state.byAddress.get('aws_instance.web[1]')).toMatchObject({ indexKey: 1, status: 'tainted', resourceAddress: 'aws_instance.web' });
    expect(state.byAddress.get('data.aws_iam_policy_document.x')).toMatchObject({ mode: 'data', moduleAddress: '', indexKey: undefined });
    expect(state.byAddress.get('aws_ssm_parameter.by_key["say \\"hi\\"\\\\now\\n"]')!.indexKey).toBe('say "hi"\\now\n');
  });

  it('indexes current objects by address and keeps a deposed object beside its replacement', () => {
    expect(state.byAddress.get('aws_launch_template.lt')!.attributes.id).toBe('lt-new');
    const deposed = state.resources.filter((r) => r.deposedKey !== undefined);
    expect(deposed.map((r) => [r.address, r.deposedKey, r.attributes.id])).toEqual([['aws_launch_template.lt', 'a1b2c3d4', 'lt-old']]);
    expect(state.byAddress.size).toBe(15);
  });

  it('reads the envelope, the provider source and each resource\'s source', () => {
    expect(state).toMatchObject({ terraformVersion: '1.9.8', serial: 42, lineage: '0b8f4c4e-6b53-4d1e-9a8e-3f1c2d7e9a10' });
    expect(state.byAddress.get('module.buckets["raw"].aws_s3_bucket.this')!.providerSource).toBe('registry.terraform.io/hashicorp/aws');
    expect(state.byAddress.get('random_password.db')!.providerSource).toBe('registry.terraform.io/hashicorp/random');
    expect(state.byAddress.get('aws_db_instance.orders')!.dependencies).toEqual(['random_password.db']);
    expect(state.resources.every((r) => r.source === source)).toBe(true);
  });
});

describe('parseState: redaction', () => {
  it('leaves no canary anywhere in the loaded state', () => {
    const { state } = load({ embeddedSecrets: true });
    const json = JSON.stringify({ resources: state.resources, outputs: state.outputs });
    expect(json).not.toMatch(/Canary|AKIAZ7QW3EXAMPLE|wJalrXUtnFEMI/);
  });

  it('conceals what sensitive_attributes marks, including a map element, and nothing beside it', () => {
    const db = load().state.byAddress.get('aws_db_instance.orders')!.attributes;
    expect(db.password).toBe(SENSITIVE_MARKER);
    expect(db.tags).toEqual({ Team: 'orders', secret: SENSITIVE_MARKER });
    expect(db.username).toBe('app');
  });

  it('conceals sensitive outputs and secret shapes in plain outputs', () => {
    const { outputs } = load().state;
    expect(outputs.db_master_password).toEqual({ value: SENSITIVE_MARKER, type: 'string', sensitive: true });
    expect(outputs.db_endpoint!.value).toBe('orders.abc123.us-east-1.rds.amazonaws.com:5432');
    expect(outputs.connection!.value).toEqual({ url: 'postgres://app:<redacted:password>@orders.internal:5432/orders' });
  });

  it('conceals provider-known secrets that the state did not mark', () => {
    const key = load().state.byAddress.get('aws_iam_access_key.ci')!.attributes;
    expect(key.secret).toBe(SENSITIVE_MARKER);
    expect(key.ses_smtp_password_v4).toBe(SENSITIVE_MARKER);
    expect(key.id).toBe('<redacted:aws-access-key-id>');
    expect(key.user).toBe('ci');
  });

  it('redacts by attribute name and by value shape', () => {
    const { state } = load();
    expect(state.byAddress.get('github_actions_secret.deploy')!.attributes).toMatchObject({ api_token: SENSITIVE_MARKER, secret_name: 'DEPLOY_TOKEN' });
    expect(state.byAddress.get('aws_instance.web[0]')!.attributes.user_data).toBe(
      'export AWS_ACCESS_KEY_ID=<redacted:aws-access-key-id>\nexport AWS_SECRET_ACCESS_KEY=<redacted:aws-secret-access-key>',
    );
  });

  it('catches a declared secret copied whole into another resource', () => {
    const copy = load().state.byAddress.get('aws_ssm_parameter.copy')!.attributes;
    expect(copy.value).toBe(SENSITIVE_MARKER);
  });

  it('leaves an embedded copy to egress by default, and redacts it at load when asked', () => {
    const light = load();
    const description = light.state.byAddress.get('aws_ssm_parameter.copy')!.attributes.description as string;
    expect(light.redactor.redactText(description)).toBe(`set from ${SENSITIVE_MARKER} by hand`);
    const full = load({ embeddedSecrets: true });
    expect(full.state.byAddress.get('aws_ssm_parameter.copy')!.attributes.description).toBe(`set from ${SENSITIVE_MARKER} by hand`);
  });
});

describe('parseState: not a state', () => {
  const attempt = (body: string) => {
    try {
      parseState(body, { kind: 'file', location: 'broken.tfstate' }, { redactor: new Redactor() });
    } catch (err) {
      expect(err).toBeInstanceOf(InfraAuditError);
      const e = err as InfraAuditError;
      expect(e.code).toBe('STATE_INVALID');
      expect(e.message.startsWith('broken.tfstate: ')).toBe(true);
      expect(e.hint).toBeTruthy();
      return e;
    }
    throw new Error('expected STATE_INVALID');
  };
  const minimal = { version: 4, terraform_version: '1.9.8', serial: 1, lineage: 'x', outputs: {}, resources: [] };

  it('accepts the minimal valid state (the near miss of every case below), with or without a byte-order mark', () => {
    expect(parseState(JSON.stringify(minimal), source, { redactor: new Redactor() }).resources).toEqual([]);
    expect(parseState(`\uFEFF${JSON.stringify(minimal)}`, source, { redactor: new Redactor() }).serial).toBe(1);
  });

  it('names HCL configuration for what it is', () => {
    expect(attempt('resource "aws_s3_bucket" "logs" {\n  bucket = "x"\n}\n').message).toMatch(/Terraform configuration \(HCL\)/);
    expect(attempt('# Storage\n/* shared */\nterraform {\n}\n').message).toMatch(/Terraform configuration \(HCL\)/);
  });

  it('rejects random JSON, an array, and an empty file', () => {
    expect(attempt('{"name":"package","dependencies":{}}').message).toMatch(/no "version" field/);
    expect(attempt('[1,2]').message).toMatch(/not JSON|not an object/);
    expect(attempt('  \n').message).toMatch(/empty/);
  });

  it('rejects state versions 3 and 5 with what to do', () => {
    const v3 = attempt(JSON.stringify({ ...minimal, version: 3 }));
    expect(v3.message).toMatch(/version 3 .*not supported/);
    expect(v3.hint).toMatch(/terraform state pull/);
    expect(attempt(JSON.stringify({ ...minimal, version: 5 })).message).toMatch(/version 5 is newer/);
  });

  it('reports truncated JSON as truncated, and a syntax error with its line', () => {
    expect(attempt(text.slice(0, 2000)).message).toMatch(/truncated/);
    expect(attempt('{\n  "version": 4,\n  "serial": 1,,\n}').message).toMatch(/line 3/);
  });

  it('recognises `terraform show -json` output', () => {
    expect(attempt(JSON.stringify({ format_version: '1.0', values: {} })).message).toMatch(/terraform show -json/);
  });

  it('says which field of which resource is wrong', () => {
    const bad = { ...minimal, resources: [{ mode: 'managed', type: 'aws_s3_bucket', name: 'a', provider: 'p', instances: [{ schema_version: 0, attributes: {} }] }, { mode: 'managed', type: 'aws_s3_bucket', name: 'b', provider: 'p', instances: [{ schema_version: 'zero' }] }] };
    expect(attempt(JSON.stringify(bad)).message).toMatch(/resources\[1\]\.instances\[0\]\.schema_version/);
    expect(attempt(JSON.stringify({ ...minimal, serial: -1 })).message).toMatch(/serial/);
  });

  it('rejects an instance listed twice', () => {
    const resource = { mode: 'managed', type: 'aws_s3_bucket', name: 'a', provider: 'p', instances: [{ schema_version: 0, attributes: {} }] };
    expect(attempt(JSON.stringify({ ...minimal, resources: [resource, resource] })).message).toMatch(/aws_s3_bucket\.a appears more than once/);
  });
});

describe('JSON errors never quote the state', () => {
  it('names the problem without repeating the text around it (which may hold a secret)', () => {
    const text = '{"version": 4, "resources": [{"attributes": {"password": CANARY-db-password-in-error}}]}';
    let message = '';
    try {
      parseState(text, { kind: 'file', location: 'broken.tfstate' }, { redactor: new Redactor() });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('broken.tfstate');
    expect(message).toContain('not valid JSON');
    expect(message).not.toContain('CANARY');
    expect(message).not.toContain('password');
  });
});
