import { z } from 'zod';
import { InfraAuditError } from '../../errors.js';
import { defineTool, READ_ONLY_LOCAL } from '../../server/tool.js';
import { isRedactionMarker } from '../../redact/marker.js';
import { terraformInputs } from './context.js';

/** Paths (`password`, `master_user_secret.0`) whose value is a redaction marker. */
function redactedPaths(value: unknown, prefix: string, out: string[], depth = 0): string[] {
  if (isRedactionMarker(value)) out.push(prefix);
  else if (value !== null && typeof value === 'object' && depth < 50) {
    for (const [key, item] of Object.entries(value)) redactedPaths(item, prefix ? `${prefix}.${key}` : key, out, depth + 1);
  }
  return out;
}

export const getStateResource = defineTool({
  name: 'get_state_resource',
  toolset: 'terraform',
  title: 'Get one Terraform state resource',
  description:
    'One resource instance from the Terraform state(s) by exact address (as list_state_resources prints it), with its attributes, dependencies, and the file and line declaring it. ' +
    'Secrets are never returned: sensitive values (Terraform-marked, provider-known, or secret-shaped) are replaced by a <redacted:...> marker and listed in redactedAttributes. Reads only the local state.',
  inputSchema: z.strictObject({
    address: z.string().min(1).max(1000).describe('Exact address, e.g. module.buckets["raw"].aws_s3_bucket.this'),
    state: z.string().max(1000).optional().describe('Which state, when several hold the address (the location list_state_resources shows)'),
  }),
  outputSchema: z.object({
    address: z.string(),
    type: z.string(),
    state: z.string(),
    status: z.enum(['ready', 'tainted']),
    provider: z.string(),
    schemaVersion: z.number().int(),
    attributes: z.record(z.string(), z.unknown()),
    redactedAttributes: z.array(z.string()).describe('Attribute paths whose values are secrets, shown as the marker'),
    dependencies: z.array(z.string()),
    file: z.string().optional(),
    line: z.number().int().optional(),
    otherStates: z.array(z.string()).describe('Other states holding the same address'),
  }),
  annotations: READ_ONLY_LOCAL,
  awsOperations: [],
  async handler(args, ctx) {
    const { states, config, redactor } = await terraformInputs(ctx.session);
    const found = states.index.get(args.address);
    const instance = args.state ? found.find((r) => r.source.location === args.state) : found[0];
    if (!instance) {
      throw new InfraAuditError('NOT_FOUND', `no resource ${args.address}${args.state ? ` in ${args.state}` : ''} in the state(s)`, {
        hint: 'addresses are exact, instance keys included (aws_instance.web[0], module.m["k"].aws_x.y); list_state_resources lists them',
      });
    }
    const attributes = redactor.redact(instance.attributes);
    const declared = config?.byAddress.get(instance.address);
    const structured = redactor.redact({
      address: instance.address,
      type: instance.type,
      state: instance.source.location,
      status: instance.status,
      provider: instance.provider,
      schemaVersion: instance.schemaVersion,
      attributes,
      redactedAttributes: redactedPaths(attributes, '', []),
      dependencies: instance.dependencies,
      ...(declared ? { file: declared.file, line: declared.line } : {}),
      otherStates: found.filter((r) => r !== instance).map((r) => r.source.location),
    });
    const where = structured.file ? ` (declared in ${structured.file}:${structured.line})` : '';
    const text = `${structured.address} in ${structured.state}${where}${structured.redactedAttributes.length ? `\nredacted (secrets): ${structured.redactedAttributes.join(', ')}` : ''}\n${JSON.stringify(attributes, null, 2)}`;
    return { structured, text: redactor.redactText(text) };
  },
});
