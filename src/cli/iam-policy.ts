/** `infra-audit iam-policy`: print the least-privilege policy for the enabled tools. */
import { InfraAuditError } from '../errors.js';
import { selectTools, toolSurface } from '../server/registry.js';
import { buildIamPolicy, policyToHcl } from '../server/iam-policy.js';
import { ALL_TOOLS } from '../tools/index.js';
import type { CommandIO } from './io.js';

export interface IamPolicyOptions {
  format?: string;
  toolsets?: string;
  tools?: string;
}

const split = (v?: string) => v?.split(',').map((s) => s.trim()).filter(Boolean);

export async function runIamPolicyCommand(opts: IamPolicyOptions, io: CommandIO): Promise<number> {
  const format = opts.format ?? 'json';
  if (format !== 'json' && format !== 'hcl') {
    throw new InfraAuditError('USAGE', `unknown --format "${format}"`, { hint: 'use --format json or --format hcl' });
  }
  const surface = toolSurface(selectTools(ALL_TOOLS, { toolsets: split(opts.toolsets), tools: split(opts.tools) }));
  const policy = buildIamPolicy(surface);
  io.stdout.write(format === 'json' ? `${JSON.stringify(policy, null, 2)}\n` : policyToHcl(policy));
  return 0;
}
