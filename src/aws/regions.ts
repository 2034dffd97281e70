/**
 * `--region`: one or more region names, or `all` for the account's enabled regions as
 * ec2:DescribeRegions reports them (opted-in and opt-in-not-required).
 */
import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { InfraAuditError } from '../errors.js';
import { describeAwsError } from './errors.js';
import type { AwsSession } from './session.js';

export const REGION_NAME = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

export interface AccountRegion {
  name: string;
  enabled: boolean;
}

export async function describeRegions(session: AwsSession): Promise<AccountRegion[]> {
  const out = await session.client('ec2').send(new DescribeRegionsCommand({ AllRegions: true }));
  return (out.Regions ?? [])
    .filter((r): r is typeof r & { RegionName: string } => typeof r.RegionName === 'string')
    .map((r) => ({ name: r.RegionName, enabled: r.OptInStatus !== 'not-opted-in' }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `--region` values as names: repeatable, each comma-separated; nothing given is "all". */
export function regionNames(requested: readonly string[] | undefined): string[] {
  const names = (requested ?? []).flatMap((r) => r.split(',')).map((r) => r.trim()).filter(Boolean);
  return names.length > 0 ? names : ['all'];
}

/** Does `--region` ask for every enabled region? */
export function requestsAllRegions(requested: readonly string[] | undefined): boolean {
  return regionNames(requested).includes('all');
}

/**
 * The regions to audit. Names are checked against the account's region list, so a typo is
 * an error rather than an empty, clean-looking audit of a region that does not exist.
 */
export async function resolveRegions(session: AwsSession, requested: readonly string[] | undefined): Promise<string[]> {
  const names = regionNames(requested);
  for (const name of names) {
    if (name !== 'all' && !REGION_NAME.test(name)) {
      throw new InfraAuditError('USAGE', `--region "${name}" is not an AWS region name`, { hint: 'e.g. --region us-east-1 eu-west-1, or --region all' });
    }
  }
  let known: AccountRegion[];
  try {
    known = await describeRegions(session);
  } catch (err) {
    const { code, message } = describeAwsError(err);
    if (names.includes('all')) {
      throw new InfraAuditError('AWS_ERROR', `cannot list the account's regions for --region all: ${code}: ${message}`, {
        hint: 'name the regions instead, e.g. --region us-east-1 eu-west-1 (ec2:DescribeRegions is needed for "all")',
        cause: err,
      });
    }
    return [...new Set(names)];
  }
  if (names.includes('all')) return known.filter((r) => r.enabled).map((r) => r.name);
  for (const name of names) {
    const region = known.find((r) => r.name === name);
    const enabled = known.filter((r) => r.enabled).map((r) => r.name).join(', ');
    if (!region) throw new InfraAuditError('USAGE', `unknown region "${name}" for this account`, { hint: `enabled regions: ${enabled}` });
    if (!region.enabled) throw new InfraAuditError('USAGE', `region "${name}" is not enabled in this account`, { hint: `enabled regions: ${enabled}` });
  }
  return [...new Set(names)];
}
