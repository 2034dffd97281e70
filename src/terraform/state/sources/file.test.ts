import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { InfraAuditError } from '../../../errors.js';
import { loadStates } from '../load.js';

const state = (bucket: string, serial = 1) => JSON.stringify({
  version: 4, terraform_version: '1.9.8', serial, lineage: bucket, outputs: {},
  resources: [{ mode: 'managed', type: 'aws_s3_bucket', name: 'this', provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes: { bucket } }] }],
});

describe('local file and stdin sources', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tf-states-'));
    for (const env of ['dev', 'prod']) {
      mkdirSync(path.join(dir, 'envs', env), { recursive: true });
      writeFileSync(path.join(dir, 'envs', env, 'terraform.tfstate'), state(`acme-${env}`));
    }
    // Backend configuration, not a state: globs must not pick it up.
    mkdirSync(path.join(dir, 'envs', 'prod', '.terraform'));
    writeFileSync(path.join(dir, 'envs', 'prod', '.terraform', 'terraform.tfstate'), '{"version":3,"backend":{}}');
    writeFileSync(path.join(dir, 'notes.txt'), 'not a state');
  });

  it('loads several states from a glob, each resource remembering its file', async () => {
    const { states, index } = await loadStates(['envs/**/*.tfstate'], { cwd: dir });
    expect(states.map((s) => path.basename(path.dirname(s.source.location)))).toEqual(['dev', 'prod']);
    const found = index.get('aws_s3_bucket.this');
    expect(found.map((r) => [r.attributes.bucket, r.source.kind, r.source.location])).toEqual([
      ['acme-dev', 'file', path.join('envs', 'dev', 'terraform.tfstate')],
      ['acme-prod', 'file', path.join('envs', 'prod', 'terraform.tfstate')],
    ]);
    expect(index.addresses()).toEqual(new Set(['aws_s3_bucket.this']));
    expect([...index.instances()].map((r) => r.attributes.bucket)).toEqual(['acme-dev', 'acme-prod']);
    expect(index.get('aws_s3_bucket.other')).toEqual([]);
  });

  it('loads plain paths and globs together, with {a,b} and ? patterns', async () => {
    const { states } = await loadStates([path.join(dir, 'envs/dev/terraform.tfstate'), 'envs/{prod}/terraform.tfstat?'], { cwd: dir });
    expect(states.map((s) => s.lineage)).toEqual(['acme-dev', 'acme-prod']);
  });

  it('reads a state from standard input for "-"', async () => {
    const { states } = await loadStates(['-'], { stdin: Readable.from([state('piped', 9)]) });
    expect(states[0]!.source).toEqual({ kind: 'stdin', location: 'standard input' });
    expect(states[0]!.serial).toBe(9);
  });

  it('fails clearly for a missing file, an unmatched glob, a directory and a non-state', async () => {
    const failure = async (spec: string) => {
      const err = await loadStates([spec], { cwd: dir }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(InfraAuditError);
      return err as InfraAuditError;
    };
    expect((await failure('missing.tfstate')).code).toBe('FILE_NOT_FOUND');
    expect((await failure('envs/*/nothing-*.tfstate')).message).toMatch(/no state file matches/);
    expect((await failure('envs')).message).toMatch(/is a directory/);
    const notState = await failure('notes.txt');
    expect([notState.code, notState.message]).toEqual(['STATE_INVALID', 'notes.txt: not JSON: a Terraform state is a JSON object']);
  });
});
