/** Run the collectors that make `ctx.needs`, all at once: each service is bounded by its own limit. */
import type { CollectorContext } from './context.js';
import { collectCloudTrail } from './collectors/cloudtrail.js';
import { collectCloudWatch } from './collectors/cloudwatch.js';
import { collectConfig } from './collectors/config.js';
import { collectEc2 } from './collectors/ec2.js';
import { collectIam } from './collectors/iam.js';
import { collectRds } from './collectors/rds.js';
import { collectS3 } from './collectors/s3.js';
import { collectS3Control } from './collectors/s3control.js';
import { collectSqs } from './collectors/sqs.js';
import { collectLambda } from './collectors/lambda.js';
import { collectEfs } from './collectors/efs.js';
import { collectEcr } from './collectors/ecr.js';
import { collectSecretsManager } from './collectors/secretsmanager.js';
import { collectKms } from './collectors/kms.js';
import { collectAccessAnalyzer, collectAccount, collectGuardDuty, collectSecurityHub } from './collectors/security-services.js';
import { collectLogs } from './collectors/logs.js';
import { collectSns } from './collectors/sns.js';
import { partsOf } from './reads.js';
import type { CloudTrailInventory, CloudWatchInventory, ConfigInventory, Ec2Inventory, InventorySnapshot, KmsInventory, LambdaInventory, LogsInventory, SnsInventory, RdsInventory, SqsInventory, EfsInventory, EcrInventory, SecretsManagerInventory } from './snapshot.js';

async function perRegion<T>(regions: readonly string[], collect: (region: string) => Promise<T>): Promise<Record<string, T>> {
  const values = await Promise.all(regions.map(collect));
  return Object.fromEntries(regions.map((r, i) => [r, values[i]!]));
}

export async function collectInventory(ctx: CollectorContext, callerArn: string): Promise<InventorySnapshot> {
  const parts = partsOf(ctx.needs);
  const snapshot: InventorySnapshot = {
    accountId: ctx.accountId,
    partition: ctx.partition,
    callerArn,
    collectedAt: ctx.now.toISOString(),
    regions: ctx.regions,
  };
  const rdsAndMetrics = async (region: string): Promise<{ rds?: RdsInventory; cloudwatch?: CloudWatchInventory }> => {
    // Alarms alone need no RDS; metrics are asked about the instances RDS lists (GetMetricData needs DescribeDBInstances).
    const rds = parts.has('rds') ? await collectRds(ctx, region) : undefined;
    // Without the instance list there is nothing to ask CloudWatch about; the idle check reports the RDS error.
    if (!parts.has('cloudwatch')) return { rds };
    return { rds, cloudwatch: await collectCloudWatch(ctx, region, rds?.dbInstances.value ?? []) };
  };
  const [s3, s3control, iam, ec2, rdsRegions, sqs, lambda, cloudtrail, config, kms, logs, sns, efs, ecr, secretsmanager] = await Promise.all([
    parts.has('s3') ? collectS3(ctx) : undefined,
    parts.has('s3control') ? collectS3Control(ctx) : undefined,
    parts.has('iam') ? collectIam(ctx) : undefined,
    parts.has('ec2') ? perRegion<Ec2Inventory>(ctx.regions, (r) => collectEc2(ctx, r)) : undefined,
    parts.has('rds') || parts.has('cloudwatch') ? perRegion(ctx.regions, rdsAndMetrics) : undefined,
    parts.has('sqs') ? perRegion<SqsInventory>(ctx.regions, (r) => collectSqs(ctx, r)) : undefined,
    parts.has('lambda') ? perRegion<LambdaInventory>(ctx.regions, (r) => collectLambda(ctx, r)) : undefined,
    parts.has('cloudtrail') ? perRegion<CloudTrailInventory>(ctx.regions, (r) => collectCloudTrail(ctx, r)) : undefined,
    parts.has('config') ? perRegion<ConfigInventory>(ctx.regions, (r) => collectConfig(ctx, r)) : undefined,
    parts.has('kms') ? perRegion<KmsInventory>(ctx.regions, (r) => collectKms(ctx, r)) : undefined,
    parts.has('logs') ? perRegion<LogsInventory>(ctx.regions, (r) => collectLogs(ctx, r)) : undefined,
    parts.has('sns') ? perRegion<SnsInventory>(ctx.regions, (r) => collectSns(ctx, r)) : undefined,
    parts.has('efs') ? perRegion<EfsInventory>(ctx.regions, (r) => collectEfs(ctx, r)) : undefined,
    parts.has('ecr') ? perRegion<EcrInventory>(ctx.regions, (r) => collectEcr(ctx, r)) : undefined,
    parts.has('secretsmanager') ? perRegion<SecretsManagerInventory>(ctx.regions, (r) => collectSecretsManager(ctx, r)) : undefined,
  ]);
  if (s3) snapshot.s3 = s3;
  if (s3control) snapshot.s3control = s3control;
  if (iam) snapshot.iam = iam;
  if (ec2) snapshot.ec2 = ec2;
  if (cloudtrail) snapshot.cloudtrail = cloudtrail;
  if (config) snapshot.config = config;
  if (kms) snapshot.kms = kms;
  const [accessanalyzer, securityhub, guardduty, account] = await Promise.all([
    parts.has('accessanalyzer') ? perRegion(ctx.regions, (r) => collectAccessAnalyzer(ctx, r)) : undefined,
    parts.has('securityhub') ? perRegion(ctx.regions, (r) => collectSecurityHub(ctx, r)) : undefined,
    parts.has('guardduty') ? perRegion(ctx.regions, (r) => collectGuardDuty(ctx, r)) : undefined,
    parts.has('account') ? collectAccount(ctx) : undefined,
  ]);
  if (accessanalyzer) snapshot.accessanalyzer = accessanalyzer;
  if (securityhub) snapshot.securityhub = securityhub;
  if (guardduty) snapshot.guardduty = guardduty;
  if (account) snapshot.account = account;
  if (logs) snapshot.logs = logs;
  if (sns) snapshot.sns = sns;
  if (efs) snapshot.efs = efs;
  if (ecr) snapshot.ecr = ecr;
  if (secretsmanager) snapshot.secretsmanager = secretsmanager;
  if (sqs) snapshot.sqs = sqs;
  if (lambda) snapshot.lambda = lambda;
  if (rdsRegions) {
    if (parts.has('rds')) snapshot.rds = Object.fromEntries(Object.entries(rdsRegions).map(([r, v]) => [r, v.rds!]));
    if (parts.has('cloudwatch')) snapshot.cloudwatch = Object.fromEntries(Object.entries(rdsRegions).map(([r, v]) => [r, v.cloudwatch!]));
  }
  return snapshot;
}
