/**
 * Audit findings on Terraform-managed resources, linked to the Terraform that manages them: the
 * address, and the file and line that declare it. A finding names an AWS resource (an ARN or an
 * id); the state instances that point at it are found by their own ARN, id, or the ARN of the
 * resource they configure (every split S3 resource points at its bucket), and of those the one
 * whose type the check names first is chosen: a public bucket policy links to the
 * `aws_s3_bucket_policy`, missing versioning to the `aws_s3_bucket_versioning` or, without one,
 * to the bucket. A finding never links to a resource of a type its check does not concern.
 */
import path from 'node:path';
import type { CheckMetadata, Finding } from '../findings/model.js';
import type { InventorySnapshot } from '../inventory/snapshot.js';
import type { StateResourceInstance } from '../terraform/state/types.js';
import { LiveInventory } from '../terraform/live/inventory.js';
import { liveTypeSpec } from '../terraform/live/registry.js';
import type { TerraformInputs } from './run.js';

export interface LinkOptions {
  /** Files are shown relative to this directory (the repository root, for SARIF). */
  displayRoot?: string;
}

/** `file` of the configuration (relative to its root module) as a relative path from `displayRoot`. */
export function displayFile(rootDir: string, file: string, displayRoot: string | undefined): string {
  if (!displayRoot) return file;
  const absolute = path.resolve(rootDir, file);
  const relative = path.relative(displayRoot, absolute);
  // Never an absolute machine path: a module outside the root shows as ../modules/…, a report
  // reads the same on every machine. (Another drive on Windows has no relative form.)
  return path.isAbsolute(relative) ? absolute : relative.split(path.sep).join('/') || path.basename(absolute);
}

const ACCOUNT_LEVEL_TYPES = new Set(['aws_iam_account_password_policy', 'aws_s3_account_public_access_block', 'aws_iam_account_alias']);

/** Every key a finding's resourceId may use for what this instance manages. */
function keysOf(instance: StateResourceInstance, live: LiveInventory): string[] {
  const a = instance.attributes;
  const keys = [a.arn, a.id];
  if (instance.type.startsWith('aws_s3_bucket') && typeof a.bucket === 'string') keys.push(`arn:${live.partition}:s3:::${a.bucket}`);
  const spec = liveTypeSpec(instance.type);
  if (spec) keys.push(spec.resourceIdOf(a, live));
  // Account-wide settings: findings about them name the account.
  if (ACCOUNT_LEVEL_TYPES.has(instance.type)) keys.push(live.accountId);
  if (instance.type === 'aws_iam_role_policy_attachment' && typeof a.role === 'string') keys.push(`arn:${live.partition}:iam::${live.accountId}:role/${a.role}`);
  return [...new Set(keys.filter((k): k is string => typeof k === 'string' && k !== ''))];
}

/** Sets terraformAddress, terraformFile and terraformLine on the findings whose resource a state manages. */
export function linkFindings(findings: Finding[], checks: readonly CheckMetadata[], inputs: TerraformInputs, snapshot: InventorySnapshot, options: LinkOptions = {}): number {
  const link = findingLinker(checks, inputs, snapshot, options);
  let linked = 0;
  for (const finding of findings) if (link(finding)) linked++;
  return linked;
}

/**
 * Links one finding at a time (sets its Terraform address, file and line); true when it linked.
 * The audit links its aggregated passes with it as each is written.
 */
export function findingLinker(checks: readonly CheckMetadata[], inputs: TerraformInputs, snapshot: InventorySnapshot, options: LinkOptions = {}): (finding: Finding) => boolean {
  const live = new LiveInventory(snapshot);
  const byKey = new Map<string, StateResourceInstance[]>();
  for (const instance of inputs.states.index.instances()) {
    if (instance.mode !== 'managed' || instance.deposedKey) continue;
    for (const key of keysOf(instance, live)) byKey.set(key, [...(byKey.get(key) ?? []), instance]);
  }
  const typesOf = new Map(checks.map((c) => [c.id, c.terraformTypes]));
  return (finding) => {
    if (finding.accountId !== snapshot.accountId) return false;
    const preferred = typesOf.get(finding.checkId) ?? [];
    // Only a resource of a type the check concerns, or the resource itself: an account-wide
    // finding must not land on another account-wide setting that happens to share the key.
    const candidates = byKey.get(finding.resourceId)?.filter((i) => preferred.includes(i.type) || (!ACCOUNT_LEVEL_TYPES.has(i.type) && liveTypeSpec(i.type)?.enumerate !== undefined));
    if (!candidates?.length) return false;
    const rank = (i: StateResourceInstance) => {
      const at = preferred.indexOf(i.type);
      // Then the resource itself (a bucket, a role) over its parts.
      return at === -1 ? preferred.length + (liveTypeSpec(i.type)?.enumerate ? 0 : 1) : at;
    };
    const chosen = [...candidates].sort((x, y) => rank(x) - rank(y))[0]!;
    finding.terraformAddress = chosen.address;
    const declared = inputs.config?.byAddress.get(chosen.address);
    if (declared && inputs.config) {
      finding.terraformFile = displayFile(inputs.config.rootDir, declared.file, options.displayRoot);
      finding.terraformLine = declared.line;
    }
    return true;
  };
}
