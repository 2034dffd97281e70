import { describe, expect, it } from 'vitest';
import * as policy from './index.js';

describe('policy engine public API', () => {
  it('exposes the entry points the sandbox and the checks call', () => {
    const bucketPolicy = { Statement: { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' } };
    expect(policy.bucketPolicyIsPublic(bucketPolicy, '111122223333')).toBe(true);
    expect(policy.evaluateActions([{ Statement: { Effect: 'Allow', Action: 's3:*', Resource: '*' } }], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe('allowed');
    expect(policy.evaluateActions([], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe('implicitDeny');
    expect(policy.parsePolicy('nope').ok).toBe(false);
  });
});
