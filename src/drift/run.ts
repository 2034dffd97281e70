/**
 * One drift run: load the Terraform inputs (states, configuration, provider default_tags) through
 * one Redactor, collect the live inventory the supported types need, compute the report. The
 * `drift` command, `audit --state` and the MCP tools share these steps.
 */
import { InfraAuditError } from '../errors.js';
import { Redactor } from '../redact/redactor.js';
import { loadStates, type LoadedStates, type LoadStatesOptions } from '../terraform/state/load.js';
import { loadConfig } from '../terraform/config/load.js';
import type { TerraformConfig } from '../terraform/config/types.js';
import type { AwsSession } from '../aws/session.js';
import { awsErrorToInfraAuditError } from '../aws/errors.js';
import { resolveRegions } from '../aws/regions.js';
import { collectCallerIdentity } from '../inventory/collectors/sts.js';
import { collectInventory } from '../inventory/collect.js';
import { partReads, readsToMake } from '../inventory/reads.js';
import type { AwsRead } from '../aws/read-operations.js';
import type { CollectorContext } from '../inventory/context.js';
import type { InventoryPart } from '../checks/types.js';
import { LiveInventory } from '../terraform/live/inventory.js';
import { computeDrift } from './engine.js';
import { loadDefaultTags, type DefaultTags } from './default-tags.js';
import type { DriftIgnore } from './driftignore.js';
import type { DriftReport } from './model.js';

export interface TerraformInputs {
  states: LoadedStates;
  config?: TerraformConfig;
  defaultTags?: DefaultTags;
  redactor: Redactor;
}

export interface LoadTerraformOptions extends Pick<LoadStatesOptions, 'cwd' | 'env' | 'stdin' | 's3'> {
  statePaths: readonly string[];
  configDir?: string;
  redactor?: Redactor;
  onProgress?: (message: string) => void;
}

export async function loadTerraformInputs(options: LoadTerraformOptions): Promise<TerraformInputs> {
  const redactor = options.redactor ?? new Redactor();
  if (options.statePaths.length === 0) {
    throw new InfraAuditError('USAGE', 'no Terraform state given', { hint: 'pass --state PATH (a file, a glob, -, s3://bucket/key, https://…, tfc://org/workspace)' });
  }
  options.onProgress?.(`reading ${options.statePaths.length} state source(s)`);
  const states = await withSafeMessage(redactor, () => loadStates(options.statePaths, { cwd: options.cwd, env: options.env, stdin: options.stdin, s3: options.s3, redactor }));
  if (!options.configDir) return { states, redactor };
  options.onProgress?.(`reading the configuration in ${options.configDir}`);
  const configDir = options.configDir;
  const config = await withSafeMessage(redactor, () => loadConfig(configDir, { redactor, env: options.env }));
  const defaultTags = await withSafeMessage(redactor, () => loadDefaultTags(configDir, { redactor, env: options.env }));
  return { states, config, defaultTags, redactor };
}

/**
 * Loading errors pass the redactor before they can reach a terminal, a report or an MCP
 * client: it knows the secrets of any state already loaded. (The state parser itself never
 * quotes a state's text in its errors.)
 */
export function safeLoadError(err: unknown, redactor: Redactor): unknown {
  if (!(err instanceof InfraAuditError)) return err;
  const message = redactor.redactText(err.message);
  const hint = err.hint === undefined ? undefined : redactor.redactText(err.hint);
  if (message === err.message && hint === err.hint) return err;
  return new InfraAuditError(err.code, message, { hint, exitCode: err.exitCode });
}

async function withSafeMessage<T>(redactor: Redactor, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    throw safeLoadError(err, redactor);
  }
}

/** The AWS access drift needs: the guarded, audited clients of a session (the CLI's or the server's). */
/** What collectors use of a session: clients, the default region, the fan-out limit and the progress counters. */
export type ClientSource = Pick<AwsSession, 'client' | 'defaultRegion' | 'concurrency' | 'work' | 'aborted'>;

export interface CollectLiveOptions {
  regions?: string[];
  now?: Date;
  onProgress?: (message: string) => void;
  /** Called with the caller's account before anything else is read; throws to stop the run. */
  verifyAccount?: (accountId: string) => void;
}

const ARN_ACCOUNT = /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/;

/** The accounts the states' resources belong to, by the account id in their ARNs, with counts. */
export function stateAccounts(states: LoadedStates): Map<string, number> {
  const accounts = new Map<string, number>();
  for (const instance of states.index.instances()) {
    if (instance.mode !== 'managed') continue;
    const arn = instance.attributes.arn;
    const account = typeof arn === 'string' ? ARN_ACCOUNT.exec(arn)?.[1] : undefined;
    if (account) accounts.set(account, (accounts.get(account) ?? 0) + 1);
  }
  return accounts;
}

/**
 * A state compared with the wrong account reports every resource missing and the whole account
 * unmanaged: refuse when none of the states' resources belongs to the caller's account.
 * (States whose ARNs name no account, S3 only, cannot tell and are compared.)
 */
export function refuseForeignState(states: LoadedStates): (accountId: string) => void {
  const accounts = stateAccounts(states);
  return (accountId) => {
    if (accounts.size === 0 || accounts.has(accountId)) return;
    const [main] = [...accounts].sort((a, b) => b[1] - a[1])[0]!;
    const others = accounts.size > 1 ? ` (and ${accounts.size - 1} other account(s))` : '';
    throw new InfraAuditError('ACCOUNT_MISMATCH', `the state's resources belong to account ${main}${others}, but the AWS credentials are for account ${accountId}`, {
      hint: `use credentials (a profile or role) of account ${main}, or pass --allow-account-mismatch to compare anyway`,
    });
  };
}

/** The inventory parts the supported types are read from. */
export const DRIFT_INVENTORY_PARTS: ReadonlySet<InventoryPart> = new Set(['s3', 'iam', 'ec2', 'rds', 'kms', 'logs', 'sns', 'cloudtrail', 'accessanalyzer', 'securityhub', 'guardduty', 'efs', 'ecr', 'secretsmanager', 'config', 'sqs', 'lambda', 's3control']);

/** Every read drift makes: all of those parts, and of CloudWatch the alarms and their tags only (its metrics are the idle check's). */
export const DRIFT_READS: readonly AwsRead[] = [...partReads(...DRIFT_INVENTORY_PARTS), 'cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'];

export async function collectLive(source: ClientSource, options: CollectLiveOptions = {}): Promise<{ live: LiveInventory; errors: Array<{ scope: string; message: string }> }> {
  // The collectors only call client() and read defaultRegion; a server session offers both.
  const session = source as AwsSession;
  let identity;
  try {
    identity = await collectCallerIdentity(session);
  } catch (err) {
    throw awsErrorToInfraAuditError(err, 'sts:GetCallerIdentity');
  }
  options.verifyAccount?.(identity.accountId);
  const regions = await resolveRegions(session, options.regions);
  const ctx: CollectorContext = {
    session,
    // Drift compares every attribute the live types carry: all of each part.
    needs: readsToMake(DRIFT_READS),
    accountId: identity.accountId,
    partition: identity.partition,
    regions,
    now: options.now ?? new Date(),
    idleDays: 7,
    errors: [],
    progress: (e) => options.onProgress?.(`read ${e.service} ${e.region}`),
  };
  options.onProgress?.(`reading account ${identity.accountId} in ${regions.join(', ')}`);
  const snapshot = await collectInventory(ctx, identity.arn);
  const errors = ctx.errors.map((e) => ({
    scope: `${e.service}:${e.operation} ${e.region}${e.resource ? ` ${e.resource}` : ''}`,
    message: `${e.code}: ${e.message}`,
  }));
  return { live: new LiveInventory(snapshot), errors };
}

export interface DriftRunOptions extends Omit<CollectLiveOptions, 'verifyAccount'> {
  ignore?: DriftIgnore;
  /** Compare even when the states' resources belong to another account than the caller's. */
  allowAccountMismatch?: boolean;
  /** Report only drift of managed resources, or only unmanaged ones. */
  only?: 'managed' | 'unmanaged';
  /** Show configuration files relative to this directory. */
  displayRoot?: string;
}

export async function runDrift(inputs: TerraformInputs, source: ClientSource, options: DriftRunOptions = {}): Promise<DriftReport> {
  const verifyAccount = options.allowAccountMismatch ? undefined : refuseForeignState(inputs.states);
  const { live, errors } = await collectLive(source, { ...options, verifyAccount });
  return computeDrift({ ...inputs, live, ignore: options.ignore, displayRoot: options.displayRoot, collectionErrors: errors, now: options.now, only: options.only });
}
