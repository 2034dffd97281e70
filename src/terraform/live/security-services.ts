/**
 * The account's security services: IAM Access Analyzer analyzers, the Security Hub account and
 * GuardDuty detectors, per region. Import ids as the AWS provider documents them: the analyzer
 * name, the AWS account id, the detector id.
 */
import type { AnalyzerSummary } from '@aws-sdk/client-accessanalyzer';
import type { GuardDutyDetector, Read } from '../../inventory/snapshot.js';
import { lookupRegional, stringAttr, unreadParts, type LiveInventory, type Regional, type RegionalIndex } from './inventory.js';
import type { LiveObject, LiveTypeSpec } from './types.js';

/** Items of a per-region read by key, across the regions read; `errors` names regions whose read failed. */
function byRegion<P, T>(parts: Record<string, P> | undefined, operation: string, list: (part: P) => Read<T[]>, key: (item: T) => string | undefined): RegionalIndex<T> {
  const items = new Map<string, Regional<T>>();
  const errors: string[] = [];
  for (const [region, part] of Object.entries(parts ?? {})) {
    const read = list(part);
    if (read.error) errors.push(`${region}: ${read.error.code}`);
    for (const item of read.value ?? []) {
      const id = key(item);
      if (id) items.set(id, { region, value: item });
    }
  }
  if (!parts) errors.push(`${operation} was not collected`);
  return { items, errors, operation };
}

// ---------------------------------------------------------------- aws_accessanalyzer_analyzer

/** Analyzer names are unique per region: keyed region/name. */
const analyzers = (live: LiveInventory) =>
  byRegion(live.snapshot.accessanalyzer, 'ListAnalyzers', (p) => p.analyzers, (a: AnalyzerSummary) => (a.arn ? `${a.arn.split(':')[3]}/${a.name}` : undefined));

function toAnalyzerObject({ region, value: a }: Regional<AnalyzerSummary>): LiveObject {
  return {
    type: 'aws_accessanalyzer_analyzer',
    importId: a.name ?? '',
    resourceId: a.arn ?? '',
    region,
    name: a.name ?? '',
    attributes: { type: a.type, tags: a.tags ?? {} },
    stub: { analyzer_name: a.name, type: a.type },
  };
}

const analyzer: LiveTypeSpec = {
  type: 'aws_accessanalyzer_analyzer',
  importIdFormat: 'analyzer name',
  compared: [
    { path: 'type', kind: 'value', normalize: (a) => a.type ?? 'ACCOUNT' },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'analyzer_name') ?? '',
  lookup(attributes, live) {
    const arn = stringAttr(attributes, 'arn');
    const region = arn?.split(':')[3] ?? live.regions[0];
    const name = stringAttr(attributes, 'analyzer_name') ?? stringAttr(attributes, 'id');
    const found = lookupRegional(analyzers(live), name && region ? `${region}/${name}` : undefined, live, arn);
    return 'item' in found ? { found: toAnalyzerObject(found.item) } : found;
  },
  enumerate: (live) => [...analyzers(live).items.values()].map(toAnalyzerObject),
};

// ---------------------------------------------------------------- aws_securityhub_account

type Hub = { region: string; hubArn: string; autoEnableControls?: boolean; controlFindingGenerator?: string };

const hubs = (live: LiveInventory) =>
  byRegion(
    live.snapshot.securityhub,
    'DescribeHub',
    (p) => (p.hub.error ? p.hub : { value: p.hub.value ? [{ region: p.hub.value.hubArn.split(':')[3] ?? '', ...p.hub.value }] : [] }),
    (h: Hub) => h.region,
  );

/** One per region, imported by account id: the resource id is the hub ARN, which names the region. */
function toHubObject({ region, value: h }: Regional<Hub>, live: LiveInventory): LiveObject {
  return {
    type: 'aws_securityhub_account',
    importId: live.accountId,
    resourceId: h.hubArn,
    region,
    name: `Security Hub in ${region}`,
    attributes: { auto_enable_controls: h.autoEnableControls, control_finding_generator: h.controlFindingGenerator },
    stub: {},
  };
}

const securityHubAccount: LiveTypeSpec = {
  type: 'aws_securityhub_account',
  importIdFormat: 'AWS account id (one per region: the provider of the region imports it)',
  compared: [
    { path: 'auto_enable_controls', kind: 'value', optional: true },
    { path: 'control_finding_generator', kind: 'value', optional: true },
  ],
  resourceIdOf: (attributes, live) => stringAttr(attributes, 'arn') ?? `arn:${live.partition}:securityhub:${live.regions[0] ?? ''}:${live.accountId}:hub/default`,
  lookup(attributes, live) {
    const arn = stringAttr(attributes, 'arn');
    const found = lookupRegional(hubs(live), arn?.split(':')[3] ?? live.regions[0], live, arn);
    return 'item' in found ? { found: toHubObject(found.item, live) } : found;
  },
  enumerate: (live) => [...hubs(live).items.values()].map((h) => toHubObject(h, live)),
};

// ---------------------------------------------------------------- aws_guardduty_detector

const detectors = (live: LiveInventory) => byRegion(live.snapshot.guardduty, 'ListDetectors', (p) => p.detectors, (d: GuardDutyDetector) => d.detectorId);

function toDetectorObject({ region, value: d }: Regional<GuardDutyDetector>, live: LiveInventory): LiveObject {
  const detail = d.detector.value;
  return {
    type: 'aws_guardduty_detector',
    importId: d.detectorId,
    resourceId: `arn:${live.partition}:guardduty:${region}:${live.accountId}:detector/${d.detectorId}`,
    region,
    name: d.detectorId,
    // A failed GetDetector leaves the attributes unknown: not compared.
    attributes: detail ? { enable: detail.status === 'ENABLED', finding_publishing_frequency: detail.findingPublishingFrequency, tags: detail.tags } : {},
    ...unreadParts([d.detector, 'GetDetector', ['enable', 'finding_publishing_frequency', 'tags']]),
    stub: { enable: detail ? detail.status === 'ENABLED' : true },
  };
}

const guardDutyDetector: LiveTypeSpec = {
  type: 'aws_guardduty_detector',
  importIdFormat: 'detector id',
  compared: [
    { path: 'enable', kind: 'value', normalize: (a) => a.enable ?? true },
    { path: 'finding_publishing_frequency', kind: 'value', optional: true },
    { path: 'tags', kind: 'tags' },
  ],
  resourceIdOf: (attributes, live) => stringAttr(attributes, 'arn') ?? stringAttr(attributes, 'id') ?? live.accountId,
  lookup(attributes, live) {
    const found = lookupRegional(detectors(live), stringAttr(attributes, 'id'), live, stringAttr(attributes, 'arn'));
    return 'item' in found ? { found: toDetectorObject(found.item, live) } : found;
  },
  enumerate: (live) => [...detectors(live).items.values()].map((d) => toDetectorObject(d, live)),
};

export const SECURITY_SERVICE_TYPES: readonly LiveTypeSpec[] = [analyzer, securityHubAccount, guardDutyDetector];
