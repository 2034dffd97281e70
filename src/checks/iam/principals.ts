/** Shared by the IAM checks: walking users, roles and policies, and their subjects. */
import type { CheckMetadata, Finding } from '../../findings/model.js';
import type { IamInventory, IamRole, IamUser, InventorySnapshot, Read } from '../../inventory/snapshot.js';
import { accountSubject, GLOBAL_REGION, notCollected, readError, type FindingSubject } from '../finding.js';

export function userSubject(user: IamUser): FindingSubject {
  return { region: GLOBAL_REGION, resourceId: user.arn, resourceName: user.userName, resourceType: 'AWS::IAM::User' };
}

export function roleSubject(role: IamRole): FindingSubject {
  return { region: GLOBAL_REGION, resourceId: role.arn, resourceName: role.roleName, resourceType: 'AWS::IAM::Role' };
}

/** Run `judge` on each item of an IAM listing, one item at a time (a generator); a listing that failed is one `error` finding. */
export function* forEachIam<T>(
  meta: CheckMetadata,
  snapshot: InventorySnapshot,
  pick: (iam: IamInventory) => Read<T[]>,
  what: string,
  judge: (item: T, iam: IamInventory) => Finding | Finding[] | undefined,
): Generator<Finding> {
  if (!snapshot.iam) {
    yield notCollected(meta, snapshot, 'iam');
    return;
  }
  const iam = snapshot.iam;
  const list = pick(iam);
  if (list.error) {
    yield readError(meta, snapshot, accountSubject(snapshot), what, list.error);
    return;
  }
  for (const item of list.value) {
    const found = judge(item, iam);
    if (Array.isArray(found)) yield* found;
    else if (found) yield found;
  }
}

export const forEachUser = (meta: CheckMetadata, snapshot: InventorySnapshot, judge: (user: IamUser, iam: IamInventory) => Finding | Finding[] | undefined) =>
  forEachIam(meta, snapshot, (iam) => iam.users, 'the IAM users (iam:ListUsers)', judge);

export const forEachRole = (meta: CheckMetadata, snapshot: InventorySnapshot, judge: (role: IamRole, iam: IamInventory) => Finding | Finding[] | undefined) =>
  forEachIam(meta, snapshot, (iam) => iam.roles, 'the IAM roles (iam:ListRoles)', judge);

/** Service-linked roles are created and maintained by AWS services; their owners cannot change them. */
export function isServiceLinkedRole(role: IamRole): boolean {
  return (role.path ?? '').startsWith('/aws-service-role/');
}
