/**
 * Turning the exposure judgment (src/policy/exposure.ts) into one finding per resource, the same
 * way for every resource type: a failed read or an unreadable policy is `error`, public or
 * cross-account is `fail`, anything else `pass`. Reuse it for any resource with a policy or a
 * sharing list:
 *
 *   policyExposureFinding(metadata, snapshot, subject, `SQS queue ${name}`, queue.policy)
 *   sharingExposureFinding(metadata, snapshot, subject, `EBS snapshot ${id}`, { public, accounts })
 */
import type { CheckMetadata, Finding } from '../findings/model.js';
import type { InventorySnapshot, Read } from '../inventory/snapshot.js';
import { describeExposure, judgePolicyExposure, judgeSharingExposure, type ExposureScope, type SharingList } from '../policy/exposure.js';
import { finding, readError, type FindingSubject } from './finding.js';

export function exposureScope(snapshot: InventorySnapshot): ExposureScope {
  return { accountId: snapshot.accountId };
}

/**
 * `what` names the resource for the message ("SQS queue orders"); `policy` is the read of its
 * resource policy, null when it has none; `readWhat` names that read for an error.
 */
export function policyExposureFinding(
  meta: CheckMetadata,
  snapshot: InventorySnapshot,
  subject: FindingSubject,
  what: string,
  policy: Read<string | null>,
  readWhat: string,
  extraEvidence: Record<string, unknown> = {},
): Finding {
  if (policy.error) return readError(meta, snapshot, subject, readWhat, policy.error);
  const judged = judgePolicyExposure(policy.value, exposureScope(snapshot));
  if (!judged.ok) {
    return finding(meta, snapshot, subject, 'error', `The resource policy of ${what} could not be judged: ${judged.message}${judged.path ? ` (at ${judged.path})` : ''}`, {
      ...extraEvidence,
      error: { code: judged.code, message: judged.message },
    });
  }
  const evidence = {
    ...extraEvidence,
    hasPolicy: policy.value !== null,
    exposure: judged.exposure,
    externalAccounts: judged.externalAccounts,
    externalOrganizations: judged.externalOrganizations,
    statements: judged.statements,
    narrowed: judged.narrowed,
    removed: judged.removed,
  };
  const status = judged.exposure === 'none' ? 'pass' : 'fail';
  const sentence = policy.value === null ? 'has no resource policy' : describeExposure(judged);
  return finding(meta, snapshot, subject, status, `${capitalise(what)} ${sentence}.`, evidence);
}

export function sharingExposureFinding(
  meta: CheckMetadata,
  snapshot: InventorySnapshot,
  subject: FindingSubject,
  what: string,
  sharing: SharingList,
  extraEvidence: Record<string, unknown> = {},
): Finding {
  const judged = judgeSharingExposure(sharing, exposureScope(snapshot));
  const evidence = { ...extraEvidence, ...judged };
  return finding(meta, snapshot, subject, judged.exposure === 'none' ? 'pass' : 'fail', `${capitalise(what)} ${describeExposure(judged)}.`, evidence);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
