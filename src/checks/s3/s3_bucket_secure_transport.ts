import type { CheckMetadata } from '../../findings/model.js';
import { evaluateRequest } from '../../policy/index.js';
import { finding } from '../finding.js';
import type { Check } from '../types.js';
import { bucketRead, bucketSubject, forEachBucket } from './buckets.js';

const metadata: CheckMetadata = {
  id: 's3_bucket_secure_transport',
  title: 'S3 bucket policy denies requests without TLS',
  failTitle: 'S3 bucket policy does not deny requests without TLS',
  severity: 'medium',
  service: 's3',
  resourceType: 'AWS::S3::Bucket',
  risk: 'Without a Deny on aws:SecureTransport false, clients may read and write the bucket over plain HTTP, exposing data and signed requests on the network path.',
  remediation: 'Add a bucket policy statement that denies s3:* to everyone on the bucket and its objects when aws:SecureTransport is false.',
  remediationTerraform: `data "aws_iam_policy_document" "<name>_tls" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.<name>.arn,
      "\${aws_s3_bucket.<name>.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
resource "aws_s3_bucket_policy" "<name>" {
  bucket = aws_s3_bucket.<name>.id
  policy = data.aws_iam_policy_document.<name>_tls.json # merge with the bucket's other statements
}`,
  cis: ['2.1.1'],
  terraformTypes: ['aws_s3_bucket_policy'],
  references: ['https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule'],
};

/** Requests a TLS-enforcing policy must deny when they arrive over plain HTTP. */
function plainHttpRequests(bucketArn: string) {
  return [
    { action: 's3:GetObject', resource: `${bucketArn}/any-object` },
    { action: 's3:PutObject', resource: `${bucketArn}/any-object` },
    { action: 's3:ListBucket', resource: bucketArn },
  ];
}

export const s3_bucket_secure_transport: Check = {
  metadata,
  reads: ['s3:GetBucketPolicy'],
  run(snapshot) {
    return forEachBucket(metadata, snapshot, (bucket) => {
      const policy = bucketRead(metadata, snapshot, bucket, bucket.policy, 'the bucket policy (s3:GetBucketPolicy)');
      if ('finding' in policy) return policy.finding;
      const subject = bucketSubject(bucket);
      if (policy.value === null) return finding(metadata, snapshot, subject, 'fail', `Bucket ${bucket.name} has no bucket policy, so nothing denies plain-HTTP requests.`, { policy: null });
      // Ask the policy engine what happens to an anonymous plain-HTTP request; other keys stay unknown,
      // so a Deny that also depends on them does not count as enforcing TLS.
      const outcomes = plainHttpRequests(bucket.arn).map((request) => {
        const result = evaluateRequest(
          { resourcePolicy: policy.value },
          { ...request, principal: { type: 'Anonymous' }, context: { values: { 'aws:SecureTransport': false } } },
        );
        return { ...request, decision: result.decision, invalid: result.invalidPolicies.length > 0 };
      });
      if (outcomes.some((o) => o.invalid)) {
        return finding(metadata, snapshot, subject, 'error', `The bucket policy of ${bucket.name} could not be parsed.`, { error: { code: 'InvalidPolicy', message: 'the policy engine could not parse the bucket policy' } });
      }
      const allowed = outcomes.filter((o) => o.decision !== 'explicitDeny');
      const evidence = { plainHttpRequests: outcomes.map(({ action, resource, decision }) => ({ action, resource, decision })) };
      if (allowed.length === 0) return finding(metadata, snapshot, subject, 'pass', `Bucket ${bucket.name} denies requests made without TLS.`, evidence);
      return finding(metadata, snapshot, subject, 'fail', `Bucket ${bucket.name} does not deny plain-HTTP ${allowed.map((o) => o.action).join(', ')}.`, evidence);
    });
  },
};
