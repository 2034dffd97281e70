/**
 * IAM reads behind the root and account-hygiene controls: ListVirtualMFADevices (is root's MFA a
 * virtual one), ListEntitiesForPolicy (who holds AWSSupportAccess), ListServerCertificates and
 * ListServerCertificateTags.
 */
import { list, type XmlValue } from '../protocol/xml.js';
import type { ServiceContext } from '../types.js';
import { findPolicy } from './iam-policies.js';
import { iamData, noSuchEntity, optionalParam, pageTail, paginate, pathPrefixFilter, requiredParam, validationError, type IamHandler } from './iam-wire.js';

/** A device is virtual when its serial is an `mfa/` ARN; hardware tokens have a plain serial, FIDO keys `u2f/`. */
export const isVirtualMfaSerial = (serial: string): boolean => /^arn:aws[a-z-]*:iam::\d{12}:mfa\//.test(serial);

interface VirtualDevice {
  SerialNumber: string;
  EnableDate: string;
  User: XmlValue;
}

function virtualDevices(ctx: ServiceContext): VirtualDevice[] {
  const iam = iamData(ctx);
  const id = ctx.account.AccountId;
  const devices: VirtualDevice[] = [];
  // An active root MFA that is not hardware is a virtual device assigned to the root user.
  if (iam.Root?.MFAActive && !iam.Root.HardwareMFA) {
    devices.push({
      SerialNumber: `arn:aws:iam::${id}:mfa/root-account-mfa-device`,
      EnableDate: iam.Root.CreateDate,
      User: { Path: '/', UserId: id, Arn: `arn:aws:iam::${id}:root`, CreateDate: iam.Root.CreateDate },
    });
  }
  for (const user of iam.Users ?? []) {
    for (const device of user.MFADevices ?? []) {
      if (!isVirtualMfaSerial(device.SerialNumber)) continue;
      devices.push({
        SerialNumber: device.SerialNumber,
        EnableDate: device.EnableDate,
        User: { Path: user.Path, UserName: user.UserName, UserId: user.UserId, Arn: user.Arn, CreateDate: user.CreateDate },
      });
    }
  }
  return devices;
}

const ASSIGNMENT = ['Assigned', 'Unassigned', 'Any'] as const;
const ENTITY_FILTERS = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'] as const;

function enumParam<T extends string>(params: URLSearchParams, name: string, values: readonly T[]): T | undefined {
  const value = optionalParam(params, name);
  if (value !== undefined && !(values as readonly string[]).includes(value)) {
    const member = name.charAt(0).toLowerCase() + name.slice(1);
    throw validationError(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`);
  }
  return value as T | undefined;
}

type SandboxServerCertificate = NonNullable<ReturnType<typeof iamData>['ServerCertificates']>[number];

export function findServerCertificate(ctx: ServiceContext, name: string): SandboxServerCertificate | undefined {
  return (iamData(ctx).ServerCertificates ?? []).find((c) => c.ServerCertificateName.toLowerCase() === name.toLowerCase());
}

export const securityHandlers: Record<string, IamHandler> = {
  ListVirtualMFADevices(params, ctx) {
    const status = enumParam(params, 'AssignmentStatus', ASSIGNMENT) ?? 'Any';
    // Every modelled device is assigned to someone.
    const page = paginate(status === 'Unassigned' ? [] : virtualDevices(ctx), params);
    return { VirtualMFADevices: list('member', page.items as unknown as XmlValue[]), ...pageTail(page) };
  },

  /** The users, groups and roles a managed policy is attached to. AWS-managed policies always exist. */
  ListEntitiesForPolicy(params, ctx) {
    const policyArn = requiredParam(params, 'PolicyArn');
    if (!findPolicy(ctx, policyArn) && !/^arn:aws[a-z-]*:iam::aws:policy\//.test(policyArn)) {
      throw noSuchEntity(`Policy ${policyArn} does not exist or is not attachable.`);
    }
    const filter = enumParam(params, 'EntityFilter', ENTITY_FILTERS);
    const underPath = pathPrefixFilter(params);
    const iam = iamData(ctx);
    const holds = (h: { AttachedPolicies?: Array<{ PolicyArn: string }>; Path?: string }) => underPath(h.Path) && (h.AttachedPolicies ?? []).some((a) => a.PolicyArn === policyArn);
    const wants = (kind: 'User' | 'Role' | 'Group') => filter === undefined || filter === kind;
    type Entity = { kind: 'User' | 'Role' | 'Group'; element: XmlValue };
    const entities: Entity[] = [
      ...(wants('Group') ? (iam.Groups ?? []).filter(holds).map((g): Entity => ({ kind: 'Group', element: { GroupName: g.GroupName, GroupId: g.GroupId } })) : []),
      ...(wants('User') ? (iam.Users ?? []).filter(holds).map((u): Entity => ({ kind: 'User', element: { UserName: u.UserName, UserId: u.UserId } })) : []),
      ...(wants('Role') ? (iam.Roles ?? []).filter(holds).map((r): Entity => ({ kind: 'Role', element: { RoleName: r.RoleName, RoleId: r.RoleId } })) : []),
    ];
    const page = paginate(entities, params);
    const of = (kind: Entity['kind']) => list('member', page.items.filter((e) => e.kind === kind).map((e) => e.element));
    return { PolicyGroups: of('Group'), PolicyUsers: of('User'), PolicyRoles: of('Role'), ...pageTail(page) };
  },

  ListServerCertificates(params, ctx) {
    const underPath = pathPrefixFilter(params);
    const page = paginate((iamData(ctx).ServerCertificates ?? []).filter((c) => underPath(c.Path)), params);
    return {
      ServerCertificateMetadataList: list(
        'member',
        page.items.map((c) => ({
          Path: c.Path,
          ServerCertificateName: c.ServerCertificateName,
          ServerCertificateId: c.ServerCertificateId,
          Arn: c.Arn,
          UploadDate: c.UploadDate,
          Expiration: c.Expiration,
        })),
      ),
      ...pageTail(page),
    };
  },

  ListServerCertificateTags(params, ctx) {
    const name = requiredParam(params, 'ServerCertificateName');
    const certificate = findServerCertificate(ctx, name);
    if (!certificate) throw noSuchEntity(`The Server Certificate with name ${name} cannot be found.`);
    const page = paginate(certificate.Tags ?? [], params);
    return { Tags: list('member', page.items), ...pageTail(page) };
  },
};
