/**
 * The live account seen through Terraform's eyes: each supported resource type says how to find
 * the live object a state instance describes, which attributes are compared (computed ones are
 * not), how the live API answer maps onto those attributes, and how an unmanaged live object is
 * imported.
 */
import type { LiveInventory } from './inventory.js';

/** How two values of an attribute are compared. */
export type CompareKind =
  /** Plain JSON equality (key order aside). */
  | 'value'
  /** An IAM or bucket policy document: statement order, one-element lists, whitespace and key order do not matter. */
  | 'policy'
  /** A map of tags, compared per key; the state side is `tags_all` (provider default_tags included). */
  | 'tags'
  /** An unordered collection. */
  | 'set'
  /** A DB engine version: `16` in state matches `16.4` live, as the provider's own suppression does. */
  | 'version-prefix'
  /**
   * A map of secret values (a Lambda function's environment), concealed on both sides with keyed
   * digests attached (redact/secret-digest.ts): compared per name by digest; a diff names the
   * name and shows only the marker.
   */
  | 'secret-map'
  /**
   * One secret value (a launch template's user data), concealed the same way as a one-entry map
   * (`{name: marker}` with its digest, `{}` when absent): compared by digest; a diff shows only the marker.
   */
  | 'secret';

export interface ComparedAttribute {
  /** The attribute as Terraform names it (`backup_retention_period`, `versioning_configuration.0.status`). */
  path: string;
  kind: CompareKind;
  /**
   * The attribute in comparable form, from a state instance's or a configuration block's
   * attributes (the same shapes); default: the value at `path`. The live side is already in
   * this form, under the key `path`.
   */
  normalize?: (attributes: Record<string, unknown>) => unknown;
  /**
   * Compared only when the state instance has the attribute: for read-only mirrors that states
   * written by older providers (or by hand) leave out, where absence says nothing.
   */
  optional?: boolean;
  /** For a `set` that claims can add to: the form of a member that claims name (see Claim). */
  memberKey?: (member: string) => string;
}

/**
 * A part of another resource that a state instance declares: a split resource that owns one
 * attribute of its bucket (`aws_s3_bucket_policy` owns the bucket's `policy`), or a rule resource
 * that adds members to its group's rule set. The owner's comparison takes the claim into account:
 * an owned attribute is compared on the split resource only (never twice), and claimed members
 * are part of what the owner should have.
 */
export interface Claim {
  /** The owner's claim key (its spec's `claimKey`): `s3-bucket:acme-logs`, `security-group:sg-123`. */
  owner: string;
  /** The owner's compared attribute. */
  path: string;
  /** Set members this instance adds to the attribute; absent: the instance manages the whole attribute. */
  members?: string[];
}

/** One live object, shaped as Terraform's attributes for its type. */
export interface LiveObject {
  type: string;
  /** The id `terraform import` takes for this type. */
  importId: string;
  /** The ARN where the resource has one, else the import id. */
  resourceId: string;
  region?: string;
  /** A readable name for reports (the bucket name, the role name). */
  name: string;
  /** Compared attributes keyed by their `path`. `undefined`: not known live (a failed read, a field the API did not return). */
  attributes: Record<string, unknown>;
  /**
   * Compared attributes left undefined because the read that holds them failed: path → why
   * (`GetBucketTagging failed: AccessDenied`). An instance whose readable attributes all match
   * but one of these would have been compared is "could not check", never in sync and never drift.
   */
  unread?: Record<string, string>;
  /** Comments for the stub: required arguments it cannot fill from the account (see ImportTarget.stubNotes). */
  stubNotes?: readonly string[];
  /** The arguments a minimal resource stub needs for `terraform plan` to accept it after import. */
  stub: Record<string, unknown>;
  /**
   * For a part of another resource (an inline policy, an attachment): that resource. `reference`
   * names the stub argument that points at it, written as the parent's attribute in import blocks
   * (`repository = aws_ecr_repository.x.name`).
   */
  parent?: { type: string; importId: string; reference?: { argument: string; attribute: string } };
  /** A part never reported on its own: only imported with its unmanaged parent (a managed parent compares it). */
  onlyWithParent?: boolean;
}

/**
 * The outcome of looking up a state instance live: the object, `gone` (the lookup succeeded and
 * nothing is there), or `unknown` (the read that would tell failed; the reason is kept). An
 * unknown lookup may still name the live object it found (listed, but its details unreadable):
 * that object is managed, never reported unmanaged.
 */
export type LiveLookup = { found: LiveObject } | { gone: true } | { unknown: string; listed?: LiveObject };

export interface LiveTypeSpec {
  type: string;
  compared: readonly ComparedAttribute[];
  /** The resource id to report for a state instance (the ARN where there is one). */
  resourceIdOf(attributes: Record<string, unknown>, live: LiveInventory): string;
  lookup(attributes: Record<string, unknown>, live: LiveInventory): LiveLookup;
  /** What `terraform import` takes for this type, in words (documentation). */
  importIdFormat: string;
  /**
   * Every live object of this type, for unmanaged detection; absent for types whose live
   * objects are only ever parts of another (rules of a group, attachments of an unmanaged role).
   */
  enumerate?(live: LiveInventory): LiveObject[];
  /** The key other instances' claims name this instance by (see Claim). */
  claimKey?(attributes: Record<string, unknown>): string | undefined;
  /** Parts of other resources this instance declares (see Claim). */
  claims?(attributes: Record<string, unknown>): Claim[];
}

export type { LiveInventory } from './inventory.js';
