/**
 * The filter pipeline from the full tool list to the tools one server exposes, in a fixed
 * order: read-only check (refuse, never skip) → toolsets → tool allowlist.
 */
import { InfraAuditError } from '../errors.js';
import { iamActionsFor } from '../aws/read-operations.js';
import { TOOLSETS, type ToolDefinition, type Toolset } from './tool.js';

export interface ToolFilter {
  toolsets?: string[];
  tools?: string[];
  /** Register the tools that read data (objects, rows); off unless the operator enabled the data plane. */
  dataTools?: boolean;
}

/** Refuse (throw) any tool that does not declare itself read-only in every annotation. */
export function assertReadOnly(tool: ToolDefinition): void {
  const a = tool.annotations as unknown as Record<string, unknown>;
  if (a.readOnlyHint !== true || a.destructiveHint !== false) {
    throw new InfraAuditError('READ_ONLY_VIOLATION', `tool "${tool.name}" is not declared read-only (readOnlyHint must be true, destructiveHint false); refusing to register it`, {
      hint: 'this server exposes read-only tools only; remediation is a proposal, never an action',
    });
  }
  if (typeof a.idempotentHint !== 'boolean' || typeof a.openWorldHint !== 'boolean') {
    throw new InfraAuditError('INTERNAL', `tool "${tool.name}" must set idempotentHint and openWorldHint explicitly`);
  }
}

/**
 * Refuse (throw) a tool whose arguments object accepts unknown fields: a misspelt filter that is
 * silently dropped widens the answer, and the caller never learns why.
 */
export function assertStrictInput(tool: ToolDefinition): void {
  const probe = tool.inputSchema.safeParse({ __infra_audit_probe__: 1 });
  const refused = !probe.success && probe.error.issues.some((i) => i.code === 'unrecognized_keys');
  if (!refused) throw new InfraAuditError('INTERNAL', `tool "${tool.name}" accepts unknown argument fields; declare its inputSchema with z.strictObject`);
}

export function selectTools(all: ReadonlyArray<ToolDefinition>, filter: ToolFilter = {}): ToolDefinition[] {
  const names = new Set<string>();
  for (const tool of all) {
    assertReadOnly(tool);
    assertStrictInput(tool);
    if (names.has(tool.name)) throw new InfraAuditError('INTERNAL', `duplicate tool name "${tool.name}"`);
    names.add(tool.name);
  }
  let selected = [...all];
  if (filter.toolsets?.length) {
    const unknown = filter.toolsets.filter((t) => !(TOOLSETS as readonly string[]).includes(t));
    if (unknown.length) {
      throw new InfraAuditError('USAGE', `unknown toolset(s): ${unknown.join(', ')}`, { hint: `choose from: ${TOOLSETS.join(', ')}` });
    }
    const wanted = new Set(filter.toolsets as Toolset[]);
    // whoami always stays: a caller must be able to see the server's scope.
    selected = selected.filter((t) => wanted.has(t.toolset) || t.name === 'whoami');
  }
  if (filter.tools?.length) {
    const unknown = filter.tools.filter((n) => !names.has(n));
    if (unknown.length) {
      throw new InfraAuditError('USAGE', `unknown tool(s): ${unknown.join(', ')}`, { hint: `choose from: ${[...names].sort().join(', ')}` });
    }
    const wanted = new Set(filter.tools);
    const dataOff = filter.dataTools ? [] : all.filter((t) => t.readsData && wanted.has(t.name)).map((t) => t.name);
    if (dataOff.length) {
      throw new InfraAuditError('USAGE', `${dataOff.join(', ')} read${dataOff.length === 1 ? 's' : ''} data (object contents, rows), and the data tools are off`, {
        hint: 'enable them explicitly: --data-config FILE (an allowlist of buckets and databases) or --data-from-state (what Terraform manages); docs/data-plane.md',
      });
    }
    selected = selected.filter((t) => wanted.has(t.name));
  }
  // Reading data is a different blast radius than reading configuration: opt-in only.
  if (!filter.dataTools) selected = selected.filter((t) => !t.readsData);
  return selected;
}

export interface ToolSurface {
  tools: string[];
  /** Every IAM action the enabled tools need. */
  actions: string[];
  /** The actions only data tools need: the IAM policy scopes them to the allowlisted buckets. */
  dataActions: string[];
}

/** The enabled tools and the exact IAM actions they need. */
export function toolSurface(tools: ReadonlyArray<ToolDefinition>): ToolSurface {
  const actions = iamActionsFor(tools.flatMap((t) => t.awsOperations));
  const controlPlane = new Set(iamActionsFor(tools.filter((t) => !t.readsData).flatMap((t) => t.awsOperations)));
  return {
    tools: tools.map((t) => t.name).sort(),
    actions,
    dataActions: actions.filter((a) => !controlPlane.has(a)),
  };
}
