/**
 * Terraform addresses, spelled exactly as Terraform prints them, so that an address from state,
 * one expanded from configuration and one typed by a user compare as plain strings:
 * `aws_instance.web[0]`, `data.aws_iam_policy_document.x`, `module.a.module.b[1].aws_x.y["k"]`.
 */

/** A `count` index (number) or a `for_each` key (string). */
export type InstanceKey = string | number;

export type ResourceMode = 'managed' | 'data';

/**
 * `[0]` or `["key"]`. String keys are quoted with JSON escaping, so a key holding `"`, `\` or a
 * newline still yields one unambiguous address.
 */
export function formatInstanceKey(key: InstanceKey | undefined): string {
  if (key === undefined) return '';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

/**
 * One step of a module path: the call name and, when the call is expanded, its key. A call
 * whose count or for_each cannot be evaluated statically has `keyUnknown` and prints as `[*]`.
 */
export interface ModuleStep {
  name: string;
  key?: InstanceKey;
  keyUnknown?: boolean;
}

/** Stands for "every instance" where the instance keys are not known statically. */
export const UNKNOWN_KEY = '[*]';

/** `module.a.module.b[1]`, or '' for the root module. */
export function formatModuleAddress(path: readonly ModuleStep[]): string {
  let out = '';
  for (const step of path) {
    out += `${out ? '.' : ''}module.${step.name}${step.keyUnknown ? UNKNOWN_KEY : formatInstanceKey(step.key)}`;
  }
  return out;
}

/** `data.aws_iam_policy_document.x` or `aws_s3_bucket.logs` (no module, no key). */
export function formatResourceName(mode: ResourceMode, type: string, name: string): string {
  return mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
}

/** The full instance address: module path, resource, instance key. */
export function formatInstanceAddress(
  moduleAddress: string,
  mode: ResourceMode,
  type: string,
  name: string,
  key?: InstanceKey,
): string {
  const resource = formatResourceName(mode, type, name) + formatInstanceKey(key);
  return moduleAddress ? `${moduleAddress}.${resource}` : resource;
}

/**
 * `module.a.module.b` from `module.a["x"].module.b[1]`: the configuration address of a module
 * instance, which is what a config block is declared at. Keys are skipped with their quoting
 * understood, so a key containing `]` or `.` does not confuse it.
 */
export function stripInstanceKeys(address: string): string {
  let out = '';
  let i = 0;
  // Bounded by the address length: each iteration consumes at least one character.
  while (i < address.length) {
    const ch = address[i];
    if (ch === '[') {
      i = skipIndex(address, i);
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

function skipIndex(address: string, open: number): number {
  let i = open + 1;
  if (address[i] === '"') {
    i++;
    while (i < address.length && address[i] !== '"') i += address[i] === '\\' ? 2 : 1;
    i++;
  }
  while (i < address.length && address[i] !== ']') i++;
  return i + 1;
}
