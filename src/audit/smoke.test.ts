import { expect, it } from 'vitest';
import { useSandbox, TEST_CREDENTIALS } from '../test-support/sandbox.js';
import { runAudit } from './run.js';

const env = useSandbox({
  AccountId: '111122223333',
  Regions: { 'us-east-1': {} },
  S3: {
    Buckets: [
      { Name: 'plain-bucket', CreationDate: '2025-01-01T00:00:00Z' },
      { Name: 'good-bucket', CreationDate: '2025-01-01T00:00:00Z', Versioning: { Status: 'Enabled' }, LoggingEnabled: { TargetBucket: 'plain-bucket', TargetPrefix: 'x/' },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } },
    ],
  },
  IAM: { Users: [{ UserName: 'alice', CreateDate: '2025-01-01T00:00:00Z' }] },
});

it('smoke', async () => {
  const r = await runAudit({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, regions: ['us-east-1'], maxAttempts: 1 });
  console.log(JSON.stringify(r.findings.map((f) => [f.checkId, f.resourceId, f.status, f.message]), null, 1));
  console.log(r.errors, r.stats);
  expect(r.findings.length).toBeGreaterThan(0);
});
