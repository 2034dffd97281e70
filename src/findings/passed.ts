/**
 * Pass verdicts, aggregated: per check and account, a count and the passing resources as
 * parallel arrays of strings, instead of one `Finding` object each. An audit of 10,000 buckets
 * reaches some 80,000 passes; held as objects they were most of the audit's live heap, and the
 * heap grows with it. Reports that list passes (JSON, OCSF) build each pass finding only as it is
 * written (`passFinding`), so memory grows with the failures, not with the resources.
 *
 * A pass finding built here carries the check's title as its message and no evidence: what a
 * pass means is the check's title; the per-resource detail is for failures (docs/findings.md).
 */
import { SEVERITIES, type CheckMetadata, type Finding } from './model.js';
import { compareText } from './summary.js';

export interface PassedResources {
  checkId: string;
  accountId: string;
  /** Passing resources; always `resourceIds.length`. */
  count: number;
  /** One entry per passing resource in each array, same index. */
  regions: string[];
  /** The ARN where one exists, else the AWS id. */
  resourceIds: string[];
  /** Empty string: the resource has no name apart from its id. */
  resourceNames: string[];
  /** Only when some resource's type differs from the check's (IAM checks judge roles and users): one per resource. */
  resourceTypes?: string[];
}

/** Collects the passes of one audit, grouped per check and account, in arrival order. */
export class PassAggregator {
  private readonly byKey = new Map<string, PassedResources>();

  constructor(private readonly checkTypes: ReadonlyMap<string, string>) {}

  /** Record `finding` when it is a pass; false (and nothing kept) for any other status. */
  add(finding: Finding): boolean {
    if (finding.status !== 'pass') return false;
    const key = `${finding.accountId}\u0000${finding.checkId}`;
    let passed = this.byKey.get(key);
    if (!passed) {
      passed = { checkId: finding.checkId, accountId: finding.accountId, count: 0, regions: [], resourceIds: [], resourceNames: [] };
      this.byKey.set(key, passed);
    }
    const checkType = this.checkTypes.get(finding.checkId);
    if (passed.resourceTypes || finding.resourceType !== checkType) {
      passed.resourceTypes ??= passed.resourceIds.map(() => checkType ?? finding.resourceType);
      passed.resourceTypes.push(finding.resourceType);
    }
    passed.regions.push(finding.region);
    passed.resourceIds.push(finding.resourceId);
    passed.resourceNames.push(finding.resourceName ?? '');
    passed.count++;
    return true;
  }

  result(): PassedResources[] {
    return [...this.byKey.values()];
  }
}

/** Passes in total. */
export function passCount(passed: readonly PassedResources[] | undefined): number {
  let n = 0;
  for (const p of passed ?? []) n += p.count;
  return n;
}

/**
 * The pass finding of entry `index`, built as `checks/finding.ts` builds one (same fields, same
 * key order, so a JSON report reads the same), with the check's title as its message.
 */
export function passFinding(meta: CheckMetadata, passed: PassedResources, index: number): Finding {
  const f: Finding = {
    checkId: meta.id,
    title: meta.title,
    status: 'pass',
    severity: meta.severity,
    accountId: passed.accountId,
    region: passed.regions[index]!,
    service: meta.service,
    resourceType: passed.resourceTypes?.[index] ?? meta.resourceType,
    resourceId: passed.resourceIds[index]!,
    message: meta.title,
    remediation: meta.remediation,
  };
  const name = passed.resourceNames[index];
  if (name) f.resourceName = name;
  if (meta.cis) f.cis = meta.cis;
  return f;
}

/** Pass references are numbers, group × 2^32 + index: a sort holds no object per pass. */
const GROUP = 2 ** 32;

/** The group (index into the aggregates) a pass reference points into. */
export function passGroup(ref: number): number {
  return Math.floor(ref / GROUP);
}

/** The index within its group of a pass reference. */
export function passIndex(ref: number): number {
  return ref % GROUP;
}

/**
 * A reference to every pass of `groups`, in the order of compareFindings (worst first, then
 * resource, check, region, account), read from the aggregates without building findings.
 * `meta[g]` is the check of `groups[g]`.
 */
export function sortedPassRefs(groups: readonly PassedResources[], meta: readonly CheckMetadata[]): number[] {
  const rank = meta.map((m) => SEVERITIES.indexOf(m.severity));
  const refs: number[] = [];
  groups.forEach((p, group) => {
    for (let index = 0; index < p.count; index++) refs.push(group * GROUP + index);
  });
  refs.sort((x, y) => {
    const ga = passGroup(x);
    const gb = passGroup(y);
    const a = groups[ga]!;
    const b = groups[gb]!;
    const ia = passIndex(x);
    const ib = passIndex(y);
    return (
      rank[ga]! - rank[gb]! ||
      compareText(a.resourceIds[ia]!, b.resourceIds[ib]!) ||
      compareText(meta[ga]!.id, meta[gb]!.id) ||
      compareText(a.regions[ia]!, b.regions[ib]!) ||
      compareText(a.accountId, b.accountId)
    );
  });
  return refs;
}

/**
 * Every finding of a report in report order (compareFindings: worst first, then resource,
 * check, region, account): `findings` (any status) merged with the passes, each pass finding
 * built only when its turn comes. What is held for the sort is one number per pass.
 */
export function* orderedFindings(
  findings: readonly Finding[],
  passed: readonly PassedResources[] | undefined,
  checks: ReadonlyMap<string, CheckMetadata>,
  compare: (a: Finding, b: Finding) => number,
  /** Applied to each pass finding as it is built (Terraform links, redaction). */
  prepare: (pass: Finding) => Finding = (pass) => pass,
): Generator<Finding> {
  const sorted = [...findings].sort(compare);
  const groups = (passed ?? []).filter((p) => checks.has(p.checkId) && p.count > 0);
  const meta = groups.map((p) => checks.get(p.checkId)!);
  const refs = sortedPassRefs(groups, meta);
  const build = (j: number): Finding | undefined => {
    if (j >= refs.length) return undefined;
    const group = passGroup(refs[j]!);
    return prepare(passFinding(meta[group]!, groups[group]!, passIndex(refs[j]!)));
  };
  let i = 0;
  let j = 0;
  let nextPass = build(0);
  while (i < sorted.length || nextPass) {
    if (nextPass && (i >= sorted.length || compare(nextPass, sorted[i]!) < 0)) {
      yield nextPass;
      nextPass = build(++j);
    } else yield sorted[i++]!;
  }
}

