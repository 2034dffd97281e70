import { describe, expect, it } from 'vitest';
import { s3StateObject } from './s3.js';
import { stateSourceKind } from '../load.js';

// Reading through the real SDK against the sandbox waits for the sandbox's S3 module; until it
// lands, this covers how the backend's address and workspace layout map to the object read.
describe('S3 backend addressing', () => {
  it('reads the key itself for the default workspace', () => {
    expect(s3StateObject('s3://tf-state/prod/terraform.tfstate')).toEqual({ bucket: 'tf-state', key: 'prod/terraform.tfstate' });
    expect(s3StateObject('s3://tf-state/app.tfstate', { workspace: 'default' })).toEqual({ bucket: 'tf-state', key: 'app.tfstate' });
  });

  it('places other workspaces under env:/<workspace>/, or a configured prefix', () => {
    expect(s3StateObject('s3://tf-state/app.tfstate', { workspace: 'staging' })).toEqual({ bucket: 'tf-state', key: 'env:/staging/app.tfstate' });
    expect(s3StateObject('s3://tf-state/app.tfstate', { workspace: 'staging', workspaceKeyPrefix: 'workspaces' })).toEqual({ bucket: 'tf-state', key: 'workspaces/staging/app.tfstate' });
  });

  it('rejects an address without a key', () => {
    expect(() => s3StateObject('s3://tf-state')).toThrow(/not an S3 state address/);
    expect(() => s3StateObject('s3://tf-state/')).toThrow(/not an S3 state address/);
  });

  it('routes each kind of spec to its source', () => {
    expect(['-', 'https://x/s', 'http://x', 'tfc://a/b', 's3://b/k', 'a.tfstate', 'states/*.tfstate'].map(stateSourceKind)).toEqual(['stdin', 'http', 'http', 'tfc', 's3', 'file', 'file']);
  });
});
