/**
 * PROVISIONAL: "is this bucket policy public" for GetBucketPolicyStatus, until the policy
 * engine (src/policy/) lands and this function is repointed to it. Keep one call site.
 *
 * AWS calls a policy public when some Allow statement grants to everyone (Principal "*" or
 * {"AWS": "*"}) without a condition that pins the caller to fixed values: a source IP or
 * VPC, an account, an organization, a principal ARN, a source ARN.
 */

const NARROWING_CONDITION_KEYS = new Set(
  [
    'aws:SourceIp',
    'aws:SourceVpc',
    'aws:SourceVpce',
    'aws:SourceAccount',
    'aws:SourceArn',
    'aws:SourceOwner',
    'aws:PrincipalAccount',
    'aws:PrincipalArn',
    'aws:PrincipalOrgID',
    'aws:PrincipalOrgPaths',
    'aws:userid',
    's3:DataAccessPointAccount',
    's3:DataAccessPointArn',
  ].map((k) => k.toLowerCase()),
);

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

function grantsToEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object') return asArray((principal as Record<string, unknown>).AWS).includes('*');
  return false;
}

/** A condition narrows when one of its keys fixes the caller to values without wildcards. */
function conditionNarrows(condition: unknown): boolean {
  if (!condition || typeof condition !== 'object') return false;
  for (const [operator, entries] of Object.entries(condition as Record<string, unknown>)) {
    // IfExists conditions pass when the key is absent, so they do not narrow anonymous callers.
    if (operator.endsWith('IfExists') || !entries || typeof entries !== 'object') continue;
    for (const [key, values] of Object.entries(entries as Record<string, unknown>)) {
      if (!NARROWING_CONDITION_KEYS.has(key.toLowerCase())) continue;
      const list = asArray(values).map(String);
      const wildcard = list.some((v) => v.includes('*') || v === '0.0.0.0/0' || v === '::/0');
      if (list.length > 0 && !wildcard) return true;
    }
  }
  return false;
}

export function bucketPolicyIsPublic(policy: unknown, _accountId: string): boolean {
  let document = policy;
  if (typeof document === 'string') {
    try {
      document = JSON.parse(document);
    } catch {
      return false;
    }
  }
  if (!document || typeof document !== 'object') return false;
  return asArray((document as Record<string, unknown>).Statement).some((statement) => {
    if (!statement || typeof statement !== 'object') return false;
    const s = statement as Record<string, unknown>;
    return s.Effect === 'Allow' && grantsToEveryone(s.Principal) && !conditionNarrows(s.Condition);
  });
}
