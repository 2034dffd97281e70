import { z } from 'zod';
import { defineTool, READ_ONLY_LIVE } from '../../server/tool.js';
import { inventoryOperations } from '../../server/inventory-cache.js';
import type { AwsRead } from '../../aws/read-operations.js';
import type { IamUser } from '../../inventory/snapshot.js';
import { ItemErrorSchema, Truth, cursorVersion, daysSince, iso, itemError, listingArgs, listingFailed, moreText, pageOf, type ItemError } from '../listing.js';

const AccessKeySchema = z.object({
  /** Redacted in results: with its secret it is a credential. The suffix identifies the key, as the AWS console does. */
  accessKeyId: z.string(),
  accessKeyIdSuffix: z.string(),
  status: z.string(),
  created: z.string().nullable(),
  ageDays: z.number().int().nullable(),
  lastUsed: z.string().nullable().describe('null: never used (or unknown, see errors)'),
  daysSinceLastUsed: z.number().int().nullable(),
  lastUsedService: z.string().optional(),
});
const UserSchema = z.object({
  name: z.string(),
  arn: z.string(),
  created: z.string().nullable(),
  consoleAccess: Truth.describe('Has a console password (login profile)'),
  passwordLastUsed: z.string().nullable(),
  daysSincePasswordUsed: z.number().int().nullable(),
  mfa: Truth,
  mfaDevices: z.number().int().nullable(),
  accessKeys: z.array(AccessKeySchema).nullable().describe('null: could not be read'),
  attachedPolicies: z.array(z.string()).nullable(),
  inlinePolicies: z.array(z.string()).nullable(),
  errors: z.array(ItemErrorSchema),
});
type User = z.infer<typeof UserSchema>;

function describeUser(user: IamUser, now: Date): User {
  const errors: ItemError[] = [];
  const note = (read: string, r: { error?: { code: string; message: string } }) => r.error && errors.push(itemError(read, r.error));
  note('iam:GetLoginProfile', user.loginProfile);
  note('iam:ListMFADevices', user.mfaDevices);
  note('iam:ListAccessKeys', user.accessKeys);
  note('iam:ListAttachedUserPolicies', user.attachedPolicies);
  note('iam:ListUserPolicies/GetUserPolicy', user.inlinePolicies);
  const accessKeys = user.accessKeys.value?.map((k) => {
    if (k.lastUsed.error) errors.push(itemError(`iam:GetAccessKeyLastUsed ${k.accessKeyId}`, k.lastUsed.error));
    const used = k.lastUsed.value?.lastUsedDate;
    return {
      accessKeyId: k.accessKeyId,
      accessKeyIdSuffix: k.accessKeyId.slice(-4),
      status: k.status,
      created: iso(k.createDate),
      ageDays: daysSince(k.createDate, now),
      lastUsed: iso(used),
      daysSinceLastUsed: daysSince(used, now),
      ...(k.lastUsed.value?.serviceName && k.lastUsed.value.serviceName !== 'N/A' ? { lastUsedService: k.lastUsed.value.serviceName } : {}),
    };
  });
  const mfaDevices = user.mfaDevices.value?.length ?? null;
  return {
    name: user.userName,
    arn: user.arn,
    created: iso(user.createDate),
    consoleAccess: user.loginProfile.error ? 'unknown' : user.loginProfile.value != null,
    passwordLastUsed: iso(user.passwordLastUsed),
    daysSincePasswordUsed: daysSince(user.passwordLastUsed, now),
    mfa: mfaDevices === null ? 'unknown' : mfaDevices > 0,
    mfaDevices,
    accessKeys: accessKeys ?? null,
    attachedPolicies: user.attachedPolicies.value?.map((a) => a.PolicyName ?? a.PolicyArn ?? '?') ?? null,
    inlinePolicies: user.inlinePolicies.value?.map((p) => p.policyName) ?? null,
    errors,
  };
}

const truthText = (t: Truth, yes: string, no: string) => (t === 'unknown' ? `${yes} unknown` : t ? yes : no);

function userLine(u: User): string {
  const keys = u.accessKeys?.map((k) => `key …${k.accessKeyIdSuffix} ${k.status} ${k.ageDays ?? '?'}d old, ${k.lastUsed ? `used ${k.daysSinceLastUsed}d ago` : 'never used'}`).join('; ');
  const console = u.consoleAccess === true ? `console (password used ${u.daysSincePasswordUsed ?? 'never'}${u.daysSincePasswordUsed !== null ? 'd ago' : ''})` : truthText(u.consoleAccess, 'console', 'no console');
  return `${u.name}\t${console}\t${truthText(u.mfa, 'MFA', 'NO MFA')}\tkeys: ${keys === undefined ? 'unknown' : keys || 'none'}${u.errors.length ? `\terrors: ${u.errors.map((e) => `${e.read} ${e.code}`).join(', ')}` : ''}`;
}

/** Console password, MFA, access keys with their last use, and policies. */
const READS: AwsRead[] = ['iam:GetLoginProfile', 'iam:ListMFADevices', 'iam:GetAccessKeyLastUsed', 'iam:ListAttachedUserPolicies', 'iam:GetUserPolicy'];

export const listIamUsers = defineTool({
  name: 'list_iam_users',
  toolset: 'iam',
  title: 'List IAM users for review',
  description:
    'List the IAM users with what a reviewer needs: console access and when the password was last used, MFA, and each access key with its status, age in days and last use. ' +
    'Filter by name, console access, MFA, or keys older than N days (e.g. consoleAccess: true, mfa: false for console users without MFA). Read-only.',
  inputSchema: z.strictObject({
    nameContains: z.string().max(128).optional().describe('Only users whose name contains this (case-insensitive)'),
    consoleAccess: z.boolean().optional().describe('Only users with (true) or without (false) a console password; unknown is kept'),
    mfa: z.boolean().optional().describe('Only users with (true) or without (false) an MFA device; unknown is kept'),
    keyOlderThanDays: z.number().int().min(1).max(3650).optional().describe('Only users with an active access key at least this many days old'),
    ...listingArgs,
  }),
  outputSchema: z.object({ users: z.array(UserSchema), total: z.number().int(), nextCursor: z.string().optional(), inventoryCollectedAt: z.string() }),
  annotations: READ_ONLY_LIVE,
  awsOperations: inventoryOperations(READS),
  async handler(args, ctx) {
    const view = await ctx.session.inventory.get({ reads: READS, refresh: args.refresh && !args.cursor, allowStale: !!cursorVersion(args.cursor) });
    const iam = view.snapshot.iam!;
    if (iam.users.error) throw listingFailed('the IAM users (iam:ListUsers)', iam.users.error);
    const now = new Date();
    const name = args.nameContains?.toLowerCase();
    const keeps = (value: Truth, wanted: boolean | undefined) => wanted === undefined || value === 'unknown' || value === wanted;
    const users = iam.users.value
      .map((u) => describeUser(u, now))
      .filter((u) => (!name || u.name.toLowerCase().includes(name)) && keeps(u.consoleAccess, args.consoleAccess) && keeps(u.mfa, args.mfa))
      .filter((u) => args.keyOlderThanDays === undefined || u.accessKeys === null || u.accessKeys.some((k) => k.status === 'Active' && (k.ageDays ?? 0) >= args.keyOlderThanDays!))
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = pageOf(users, 'list_iam_users', args, view.collectedAt, args.limit);
    return {
      structured: { users: page.items, total: page.total, nextCursor: page.nextCursor, inventoryCollectedAt: view.collectedAt },
      text: `${page.total} user(s) (inventory read ${view.collectedAt}):\n${page.items.map(userLine).join('\n')}${moreText(page)}`,
    };
  },
});
