import { describe, expect, it } from 'vitest';
import { InfraAuditError } from '../errors.js';
import { DriftIgnore, type IgnoreSubject } from './driftignore.js';

const bucket: IgnoreSubject = { resourceType: 'aws_s3_bucket', ids: ['arn:aws:s3:::acme.logs', 'acme.logs', 'logs'], terraformAddress: 'module.x.aws_s3_bucket.logs' };
const role: IgnoreSubject = { resourceType: 'aws_iam_role', ids: ['arn:aws:iam::1:role/ci-deploy', 'ci-deploy'] };
const otherRole: IgnoreSubject = { resourceType: 'aws_iam_role', ids: ['arn:aws:iam::1:role/app'] };

describe('.driftignore', () => {
  it('ignores one resource by id, with an escaped dot, and by Terraform name or address', () => {
    expect(DriftIgnore.parse('aws_s3_bucket.acme\\.logs').ignoresResource(bucket)).toBe(true);
    // Unescaped, the dot splits id from attribute path: that is an attribute rule, not a resource rule.
    expect(DriftIgnore.parse('aws_s3_bucket.acme.logs').ignoresResource(bucket)).toBe(false);
    expect(DriftIgnore.parse('aws_s3_bucket.logs').ignoresResource(bucket)).toBe(true);
    expect(DriftIgnore.parse('module.x.aws_s3_bucket.logs').ignoresResource(bucket)).toBe(true);
    expect(DriftIgnore.parse('aws_s3_bucket.other').ignoresResource(bucket)).toBe(false);
  });

  it('ignores a whole type with *, and re-includes with a later negation', () => {
    const rules = DriftIgnore.parse('# roles are managed elsewhere\naws_iam_role.*\n\n!aws_iam_role.ci-deploy\n');
    expect(rules.ignoresResource(otherRole)).toBe(true);
    expect(rules.ignoresResource(role)).toBe(false);
    expect(rules.ignoresResource(bucket)).toBe(false);
    // Order matters: a negation before the wildcard is overridden by it.
    expect(DriftIgnore.parse('!aws_iam_role.ci-deploy\naws_iam_role.*').ignoresResource(role)).toBe(true);
  });

  it('ignores attribute paths, with wildcards, without ignoring the resource', () => {
    const rules = DriftIgnore.parse('aws_s3_bucket.*.tags.Owner\naws_iam_role.ci-*.tags');
    expect(rules.ignoresResource(bucket)).toBe(false);
    expect(rules.ignoresAttribute(bucket, 'tags.Owner')).toBe(true);
    expect(rules.ignoresAttribute(bucket, 'tags.Team')).toBe(false);
    expect(rules.ignoresAttribute(role, 'tags.Anything')).toBe(true);
    expect(rules.ignoresAttribute(role, 'description')).toBe(false);
    // A rule for tags.Owner does not cover the whole tags map.
    expect(rules.ignoresAttribute(bucket, 'tags')).toBe(false);
    expect(DriftIgnore.parse('aws_s3_bucket.*.tags.*\n!aws_s3_bucket.*.tags.Owner').ignoresAttribute(bucket, 'tags.Owner')).toBe(false);
  });

  it('ignores everything with a lone *', () => {
    expect(DriftIgnore.parse('*').ignoresResource(role)).toBe(true);
  });

  it('rejects a line that is not a rule, naming the line', () => {
    const err = (() => {
      try {
        DriftIgnore.parse('aws_s3_bucket.ok\njust-a-word');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(InfraAuditError);
    expect((err as InfraAuditError).message).toMatch(/line 2/);
  });
});
