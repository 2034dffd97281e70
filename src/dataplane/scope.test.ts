import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataPlaneScope, type TerraformDataResource } from './scope.js';
import { loadDataPlaneConfig, parseDataPlaneConfig } from './config.js';
import { main } from '../cli/main.js';
import { bufferIO } from '../cli/io.js';

const NONE = new Set<string>();

describe('data-plane config', () => {
  it('accepts buckets with prefixes and databases with a password variable or IAM auth', () => {
    const c = parseDataPlaneConfig(
      {
        buckets: ['logs', 'exports/public/'],
        databases: [
          { id: 'orders', engine: 'postgres', host: 'db.internal', database: 'orders', user: 'audit', passwordEnv: 'ORDERS_PW' },
          { id: 'crm', engine: 'mysql', host: 'crm.rds', port: 3306, database: 'crm', user: 'audit', iamAuth: { region: 'eu-west-1' } },
        ],
      },
      'cfg.json',
    );
    expect(c.databases.map((d) => d.id)).toEqual(['orders', 'crm']);
  });

  it.each([
    [{ buckets: ['Not_A_Bucket'] }, /cfg.json: buckets.0: a bucket name/],
    [{ databases: [{ id: 'x', engine: 'oracle', host: 'h', database: 'd', user: 'u' }] }, /databases.0.engine/],
    [{ databases: [{ id: 'x', engine: 'postgres', host: 'h', database: 'd', user: 'u', password: 'hunter2' }] }, /databases.0: Unrecognized key: "password"/],
    [{ databases: [{ id: 'x', engine: 'postgres', host: 'h', database: 'd', user: 'u', passwordEnv: 'A', iamAuth: { region: 'us-east-1' } }] }, /sets both passwordEnv and iamAuth/],
    [{ databases: [1, 2].map(() => ({ id: 'x', engine: 'postgres', host: 'h', database: 'd', user: 'u' })) }, /duplicate id "x"/],
  ])('refuses %j', (value, message) => {
    expect(() => parseDataPlaneConfig(value, 'cfg.json')).toThrow(message);
  });

  it('loads a file and names a missing or malformed one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ia-dp-'));
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ buckets: ['logs'] }));
    writeFileSync(join(dir, 'bad.json'), '{ buckets: ');
    expect((await loadDataPlaneConfig(join(dir, 'ok.json'))).buckets).toEqual(['logs']);
    await expect(loadDataPlaneConfig(join(dir, 'bad.json'))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    await expect(loadDataPlaneConfig(join(dir, 'none.json'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('is read by `serve --data-config` before the server starts, and a bad one stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ia-dp-'));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ databases: [{ id: 'x', engine: 'postgres', host: 'h', database: 'd', user: 'u', password: 'hunter2' }] }));
    const io = bufferIO();
    expect(await main(['serve', '--data-config', join(dir, 'bad.json')], io)).toBe(2);
    expect(io.err()).toMatch(/bad\.json: databases\.0: Unrecognized key: "password"/);
    expect(io.err()).not.toContain('hunter2');
  });
});

describe('bucket scope', () => {
  const scope = DataPlaneScope.fromConfig(parseDataPlaneConfig({ buckets: ['logs', 'exports/public/', 'exports/shared/', 'single/only/'] }, 't'));

  it('allows a whole bucket, or keys under an allowed prefix only', () => {
    expect(() => scope.assertObjectReadable('logs', 'any/key', NONE)).not.toThrow();
    expect(() => scope.assertObjectReadable('exports', 'public/a.csv', NONE)).not.toThrow();
    expect(() => scope.assertObjectReadable('exports', 'publicity.csv', NONE)).toThrow(/outside the data-plane allowlist/);
    expect(() => scope.assertObjectReadable('elsewhere', 'a', NONE)).toThrow(/not in the data-plane allowlist/);
  });

  it('narrows a listing to the one allowed prefix, and asks when there are several', () => {
    expect(scope.listingPrefix('single', '', NONE)).toBe('only/');
    expect(scope.listingPrefix('single', 'only/2024/', NONE)).toBe('only/2024/');
    expect(() => scope.listingPrefix('exports', '', NONE)).toThrow(
      expect.objectContaining({ message: expect.stringMatching(/prefix "" of bucket "exports" is outside/), hint: 'allowed in this bucket: exports/public/, exports/shared/' }),
    );
    expect(scope.listingPrefix('logs', '', NONE)).toBe('');
  });

  it('refuses a protected bucket even when it is listed', () => {
    expect(() => scope.assertObjectReadable('logs', 'a', new Set(['logs']))).toThrow(/holds Terraform state/);
    expect(() => scope.listingPrefix('logs', '', new Set(['logs']))).toThrow(expect.objectContaining({ code: 'SECRET_READ_REFUSED' }));
  });
});

describe('scope from Terraform state', () => {
  const resources: TerraformDataResource[] = [
    { type: 'aws_s3_bucket', address: 'aws_s3_bucket.logs', attributes: { bucket: 'acme-logs', id: 'acme-logs' } },
    { type: 'aws_s3_bucket', address: 'aws_s3_bucket.exports', attributes: { bucket: 'exports' } },
    {
      type: 'aws_db_instance',
      address: 'aws_db_instance.orders',
      attributes: { identifier: 'orders-prod', engine: 'postgres', address: 'orders.abc.us-east-1.rds.amazonaws.com', port: 5432, db_name: 'orders', username: 'master', password: 'from-state', arn: 'arn:aws:rds:us-east-1:111122223333:db:orders-prod' },
    },
    {
      type: 'aws_rds_cluster',
      address: 'aws_rds_cluster.crm',
      attributes: { cluster_identifier: 'crm', engine: 'aurora-mysql', endpoint: 'crm.cluster-abc.rds.amazonaws.com', reader_endpoint: 'crm.cluster-ro-abc.rds.amazonaws.com', port: 3306, database_name: 'crm', arn: 'arn:aws:rds:eu-west-1:111122223333:cluster:crm' },
    },
    { type: 'aws_db_instance', address: 'aws_db_instance.legacy', attributes: { identifier: 'legacy', engine: 'oracle-ee', address: 'legacy.rds', db_name: 'ORCL' } },
    { type: 'aws_db_instance', address: 'aws_db_instance.nodb', attributes: { identifier: 'nodb', engine: 'mysql', address: 'nodb.rds' } },
    { type: 'aws_iam_role', address: 'aws_iam_role.x', attributes: { name: 'x' } },
  ];

  it('adds managed buckets and instances, logs in as the configured user (never the master), reads clusters through the reader endpoint', () => {
    const config = parseDataPlaneConfig({ buckets: ['exports/public/'], terraform: { include: true, databaseLogin: { user: 'audit', iamAuth: true } } }, 't');
    const scope = DataPlaneScope.fromState(config, resources);
    expect(scope.buckets.map((b) => [b.bucket, b.prefix, b.origin])).toEqual([
      ['exports', 'public/', 'config'], // the config's narrower entry wins
      ['acme-logs', '', 'terraform'],
    ]);
    expect(scope.databases).toEqual([
      { id: 'orders-prod', engine: 'postgres', host: 'orders.abc.us-east-1.rds.amazonaws.com', port: 5432, database: 'orders', user: 'audit', iamAuth: { region: 'us-east-1' }, origin: 'terraform', address: 'aws_db_instance.orders' },
      { id: 'crm', engine: 'mysql', host: 'crm.cluster-ro-abc.rds.amazonaws.com', port: 3306, database: 'crm', user: 'audit', iamAuth: { region: 'eu-west-1' }, origin: 'terraform', address: 'aws_rds_cluster.crm' },
    ]);
    expect(JSON.stringify(scope.databases)).not.toContain('from-state');
    expect(scope.skipped).toEqual([
      { address: 'aws_db_instance.legacy', reason: 'engine oracle-ee is not PostgreSQL or MySQL/MariaDB' },
      { address: 'aws_db_instance.nodb', reason: 'no initial database name in state; add it to the data-plane config with the database to read' },
    ]);
  });

  it('skips every database when no login is configured, and everything unless include is true (reading data is opt-in)', () => {
    const noLogin = DataPlaneScope.fromState(parseDataPlaneConfig({ terraform: { include: true } }, 't'), resources);
    expect(noLogin.databases).toEqual([]);
    expect(noLogin.skipped.find((s) => s.address === 'aws_db_instance.orders')?.reason).toMatch(/master user from state is never used/);
    expect(noLogin.buckets.map((b) => b.bucket)).toEqual(['acme-logs', 'exports']);
    for (const terraform of [undefined, { include: false }]) {
      const off = DataPlaneScope.fromState(parseDataPlaneConfig(terraform ? { terraform } : {}, 't'), resources);
      expect(off.buckets).toEqual([]);
      expect(off.databases).toEqual([]);
    }
    const guarded = DataPlaneScope.fromState(parseDataPlaneConfig({ terraform: { include: true } }, 't'), resources, new Set(['acme-logs']));
    expect(guarded.buckets.map((b) => b.bucket)).toEqual(['exports']);
    expect(guarded.skipped.map((s) => s.reason)).toContain('holds Terraform state (a protected bucket): its objects are never readable');
  });
});
