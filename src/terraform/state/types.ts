/** Terraform state as this product sees it: typed resource instances with exact addresses. */
import type { InstanceKey, ResourceMode } from '../address.js';

export type StateSourceKind = 'file' | 'stdin' | 'http' | 'tfc' | 's3';

export interface StateSource {
  kind: StateSourceKind;
  /** Where the state came from, safe to display: never carries credentials. */
  location: string;
}

export interface StateResourceInstance {
  /** `module.buckets["raw"].aws_s3_bucket.this[0]`: exactly as Terraform prints it. */
  address: string;
  /** The address without this resource's own instance key. */
  resourceAddress: string;
  /** `module.buckets["raw"]`, or '' for the root module. */
  moduleAddress: string;
  mode: ResourceMode;
  type: string;
  name: string;
  indexKey?: InstanceKey;
  /** The provider configuration as written in state, e.g. `provider["registry.terraform.io/hashicorp/aws"]`. */
  provider: string;
  /** The provider's source address, e.g. `registry.terraform.io/hashicorp/aws`. */
  providerSource: string;
  schemaVersion: number;
  status: 'ready' | 'tainted';
  /** Set for an object kept by create_before_destroy while its replacement exists. */
  deposedKey?: string;
  /** The instance's attributes, already redacted. */
  attributes: Record<string, unknown>;
  dependencies: string[];
  source: StateSource;
}

export interface StateOutput {
  /** Already redacted: a sensitive output's value is the marker. */
  value: unknown;
  type: unknown;
  sensitive: boolean;
}

export interface TerraformState {
  source: StateSource;
  version: 4;
  terraformVersion: string;
  serial: number;
  lineage: string;
  outputs: Record<string, StateOutput>;
  /** Current objects and deposed objects, in the order the state lists them. */
  resources: StateResourceInstance[];
  /** Current objects by address (deposed objects are only in `resources`). */
  byAddress: ReadonlyMap<string, StateResourceInstance>;
}
