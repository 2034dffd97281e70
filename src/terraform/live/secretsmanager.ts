/**
 * Secrets Manager secrets and their resource policies: metadata only. A secret's value is never
 * read (GetSecretValue is refused), so `aws_secretsmanager_secret_version` is not a live type and
 * no value is compared or shown. Compared: description, the KMS key, tags, and the resource policy
 * statement by statement, on the secret unless an `aws_secretsmanager_secret_policy` owns it
 * (a policy made by hand on a managed secret is drift on that secret, never a second entry).
 * Not compared: recovery_window_in_days and force_overwrite_replica_secret (they act on delete),
 * and rotation, which `aws_secretsmanager_secret_rotation` manages. A secret scheduled for
 * deletion is gone, as the provider reads it. Secrets another service owns (RDS master user
 * secrets) are that service's: never unmanaged. Both import by the secret's ARN.
 */
import type { SecretsManagerSecret } from '../../inventory/snapshot.js';
import { lookupRegional, readValue, stringAttr, tagMap, unreadParts, type LiveInventory, type Regional } from './inventory.js';
import type { LiveObject, LiveTypeSpec } from './types.js';

const secretClaimKey = (arn: string | undefined) => (arn ? `secretsmanager-secret:${arn}` : undefined);

function toSecretObject({ region, value: s }: Regional<SecretsManagerSecret>): LiveObject {
  return {
    type: 'aws_secretsmanager_secret',
    importId: s.arn,
    resourceId: s.arn,
    region,
    name: s.name,
    attributes: {
      description: s.secret.Description ?? '',
      kms_key_id: s.secret.KmsKeyId ?? '',
      policy: readValue(s.policy),
      tags: s.secret.Tags ? tagMap(s.secret.Tags) : {},
    },
    ...unreadParts([s.policy, 'GetResourcePolicy', ['policy']]),
    stub: { name: s.name },
  };
}

const lookupSecret = (arn: string | undefined, live: LiveInventory) => lookupRegional(live.secrets, arn, live, arn);

const secret: LiveTypeSpec = {
  type: 'aws_secretsmanager_secret',
  importIdFormat: 'secret ARN',
  compared: [
    { path: 'description', kind: 'value', normalize: (a) => a.description ?? '' },
    { path: 'kms_key_id', kind: 'value', normalize: (a) => a.kms_key_id ?? '' },
    // The provider refreshes the secret's resource policy into `policy`; states from before it did lack it.
    { path: 'policy', kind: 'policy', optional: true },
    { path: 'tags', kind: 'tags' },
  ],
  claimKey: (attributes) => secretClaimKey(stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id')),
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? stringAttr(attributes, 'name') ?? '',
  lookup(attributes, live) {
    const found = lookupSecret(stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id'), live);
    return 'item' in found ? { found: toSecretObject(found.item) } : found;
  },
  enumerate: (live) => [...live.secrets.items.values()].filter((s) => !s.value.secret.OwningService).map(toSecretObject),
};

function toPolicyObject({ region, value: s }: Regional<SecretsManagerSecret>, text: string): LiveObject {
  return {
    type: 'aws_secretsmanager_secret_policy',
    importId: s.arn,
    resourceId: s.arn,
    region,
    name: s.name,
    attributes: { policy: text },
    stub: { secret_arn: s.arn, policy: text },
  };
}

const secretPolicy: LiveTypeSpec = {
  type: 'aws_secretsmanager_secret_policy',
  importIdFormat: 'secret ARN',
  compared: [{ path: 'policy', kind: 'policy' }],
  claims: (attributes) => {
    const owner = secretClaimKey(stringAttr(attributes, 'secret_arn') ?? stringAttr(attributes, 'id'));
    return owner ? [{ owner, path: 'policy' }] : [];
  },
  resourceIdOf: (attributes) => stringAttr(attributes, 'secret_arn') ?? stringAttr(attributes, 'id') ?? '',
  lookup(attributes, live) {
    const found = lookupSecret(stringAttr(attributes, 'secret_arn') ?? stringAttr(attributes, 'id'), live);
    if (!('item' in found)) return found;
    const policy = found.item.value.policy;
    if (policy.error) return { unknown: `${policy.error.code}: ${policy.error.message}` };
    return policy.value === null ? { gone: true } : { found: toPolicyObject(found.item, policy.value) };
  },
  // Not enumerated: `policy` is an argument of the secret itself, so a policy made by hand on a
  // managed secret is drift on the secret, and an unmanaged secret's import keeps its policy.
};

export const SECRETS_MANAGER_TYPES: readonly LiveTypeSpec[] = [secret, secretPolicy];
