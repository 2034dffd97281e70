/** `infra-audit iam-policy`: print the least-privilege policy for the enabled tools. */
import { InfraAuditError } from '../errors.js';
import { selectTools, toolSurface } from '../server/registry.js';
import { buildIamPolicy, policyToHcl, type DataPolicyScope } from '../server/iam-policy.js';
import { ALL_TOOLS } from '../tools/index.js';
import { loadDataPlaneConfig, parseDataPlaneConfig } from '../dataplane/config.js';
import { DataPlaneScope } from '../dataplane/scope.js';
import { s3BackendBuckets } from '../terraform/config/backend.js';
import { loadTerraformInputs } from '../drift/run.js';
import type { CommandIO } from './io.js';

export interface IamPolicyOptions {
  format?: string;
  toolsets?: string;
  tools?: string;
  dataConfig?: string;
  dataFromState?: boolean;
  state?: string[];
  config?: string;
  protectBucket?: string[];
}

const split = (v?: string) => v?.split(',').map((s) => s.trim()).filter(Boolean);

/** The S3 states a server started with these options loads itself: `bucket/key`. */
export function s3StateObjects(statePaths: readonly string[] = []): string[] {
  return statePaths.flatMap((spec) => {
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(spec);
    return m ? [`${m[1]}/${m[2]}`] : [];
  });
}

async function dataScope(opts: IamPolicyOptions, io: CommandIO): Promise<DataPolicyScope> {
  const stateObjects = s3StateObjects(opts.state);
  const protectedBuckets = new Set([...(opts.protectBucket ?? []), ...stateObjects.map((o) => o.slice(0, o.indexOf('/'))), ...(opts.config ? await s3BackendBuckets(opts.config) : [])]);
  if (opts.dataFromState && !opts.state?.length) {
    throw new InfraAuditError('USAGE', '--data-from-state needs --state: it allows the buckets that state manages', { hint: 'add --state ./terraform.tfstate, or list the buckets in --data-config FILE' });
  }
  const config = opts.dataConfig ? await loadDataPlaneConfig(opts.dataConfig) : parseDataPlaneConfig({}, '<--data-from-state>');
  let scope = DataPlaneScope.fromConfig(opts.dataFromState ? { ...config, terraform: { ...config.terraform, include: true } } : config);
  if (opts.dataFromState) {
    const inputs = await loadTerraformInputs({ statePaths: opts.state!, cwd: io.cwd, env: io.env });
    const managed = [...inputs.states.index.instances()].filter((r) => r.mode === 'managed');
    scope = scope.withState(managed.map((r) => ({ type: r.type, address: r.address, attributes: r.attributes as Record<string, unknown> })), protectedBuckets);
  }
  return { buckets: scope.buckets, protectedBuckets: [...protectedBuckets].sort(), stateObjects };
}

export async function runIamPolicyCommand(opts: IamPolicyOptions, io: CommandIO): Promise<number> {
  const format = opts.format ?? 'json';
  if (format !== 'json' && format !== 'hcl') {
    throw new InfraAuditError('USAGE', `unknown --format "${format}"`, { hint: 'use --format json or --format hcl' });
  }
  // As for serve: the data tools (and their S3 reads) only when the operator enables them.
  const dataTools = Boolean(opts.dataConfig || opts.dataFromState);
  const surface = toolSurface(selectTools(ALL_TOOLS, { toolsets: split(opts.toolsets), tools: split(opts.tools), dataTools }));
  const policy = buildIamPolicy(surface, await dataScope(opts, io));
  io.stdout.write(format === 'json' ? `${JSON.stringify(policy, null, 2)}\n` : policyToHcl(policy));
  return 0;
}
