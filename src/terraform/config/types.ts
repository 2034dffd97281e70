/** Terraform configuration as evaluated statically: resources with addresses, files and lines. */
import type { InstanceKey, ResourceMode } from '../address.js';
import type { Unknown, Value } from './expression/value.js';

export interface ConfigResource {
  /**
   * `module.buckets["raw"].aws_s3_bucket.this[0]`, exactly as in state. Where `count` or
   * `for_each` (of this resource or an enclosing module call) cannot be evaluated, that key is
   * written `[*]` and `expansionUnknown` says why.
   */
  address: string;
  /** `module.buckets.aws_s3_bucket.this`: the block in the configuration, keys removed. */
  configAddress: string;
  /** `module.buckets["raw"]`, or '' for the root module. */
  moduleAddress: string;
  mode: ResourceMode;
  type: string;
  name: string;
  indexKey?: InstanceKey;
  /** The file declaring the block, relative to the root module directory. */
  file: string;
  line: number;
  /** Arguments and nested blocks, evaluated; meta-arguments (count, lifecycle, ...) excluded. */
  attributes: Record<string, Value>;
  /** The `provider` meta-argument as written (e.g. `aws.west`), when set. */
  provider?: string;
  expansionUnknown?: Unknown;
}

export interface ConfigModuleCall {
  /** `module.network` or `module.a["x"].module.b`. */
  address: string;
  source: string;
  /** The module's directory, relative to the root module: local, or downloaded by terraform init; absent when a remote source was not downloaded. */
  directory?: string;
  file: string;
  line: number;
}

export interface TerraformConfig {
  rootDir: string;
  /** Every resource instance: per module in declaration order, child modules after their parent's resources. */
  resources: ConfigResource[];
  byAddress: ReadonlyMap<string, ConfigResource>;
  moduleCalls: ConfigModuleCall[];
  /** Root module variables as resolved (defaults, tfvars, TF_VAR_, explicit values). */
  variables: Record<string, Value>;
  /** Files parsed, relative to the root module directory. */
  files: string[];
  /** What was deliberately not applied (override files, remote modules). */
  notes: string[];
}
