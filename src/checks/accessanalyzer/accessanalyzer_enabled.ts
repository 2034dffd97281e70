import type { CheckMetadata } from '../../findings/model.js';
import { finding, readError } from '../finding.js';
import { forEachAuditedRegion } from '../regional-service.js';
import type { Check } from '../types.js';

/** Analyzers that report external (public and cross-account) access; unused- and internal-access analyzers do not. */
const EXTERNAL_ACCESS_TYPES = new Set(['ACCOUNT', 'ORGANIZATION']);

const metadata: CheckMetadata = {
  id: 'accessanalyzer_enabled',
  title: 'IAM Access Analyzer has an active external-access analyzer in every audited region',
  failTitle: 'Region has no active IAM Access Analyzer external-access analyzer',
  severity: 'medium',
  service: 'accessanalyzer',
  resourceType: 'AWS::AccessAnalyzer::Analyzer',
  risk: 'Without an analyzer in a region, a bucket, key, queue or role opened to the internet or another account there is reported by nothing; resources are regional, so one analyzer elsewhere does not see it.',
  remediation: 'Create an account (or organization) analyzer in each region: aws accessanalyzer create-analyzer --analyzer-name account --type ACCOUNT --region <region>.',
  remediationTerraform: `resource "aws_accessanalyzer_analyzer" "account" {
  analyzer_name = "account"
  type          = "ACCOUNT"
}
# one per region: a provider alias per region, or for_each over the regions`,
  cis: ['1.20'],
  terraformTypes: ['aws_accessanalyzer_analyzer'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-getting-started.html'],
};

export const accessanalyzer_enabled: Check = {
  metadata,
  reads: ['accessanalyzer:ListAnalyzers'],
  run: (snapshot) =>
    forEachAuditedRegion(metadata, snapshot, 'accessanalyzer', snapshot.accessanalyzer, (region, inventory, subject) => {
      if (inventory.analyzers.error) return readError(metadata, snapshot, subject, `the analyzers of ${region} (access-analyzer:ListAnalyzers)`, inventory.analyzers.error);
      const analyzers = inventory.analyzers.value.map((a) => ({ name: a.name, type: a.type, status: a.status }));
      const active = analyzers.filter((a) => a.status === 'ACTIVE' && EXTERNAL_ACCESS_TYPES.has(a.type ?? ''));
      const evidence = { analyzers };
      if (active.length > 0) return finding(metadata, snapshot, subject, 'pass', `${region} has an active ${active[0]!.type} analyzer (${active[0]!.name}).`, evidence);
      const others = analyzers.length ? ` (only ${analyzers.map((a) => `${a.name}: ${a.type} ${a.status}`).join(', ')})` : '';
      return finding(metadata, snapshot, subject, 'fail', `${region} has no active external-access analyzer${others}.`, evidence);
    }, (region) => ({ resourceId: `arn:${snapshot.partition}:access-analyzer:${region}:${snapshot.accountId}:analyzer`, resourceName: `IAM Access Analyzer in ${region}`, resourceType: metadata.resourceType })),
};
