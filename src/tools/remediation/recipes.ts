/**
 * Remediation recipes: for a check id and a resource, the Terraform change a human reviews.
 * A managed resource gets a unified diff of the .tf file that declares it; an unmanaged one
 * gets import blocks and a minimal resource. Deterministic: same config, same proposal.
 * A recipe is a small function over the declared resources; adding one is adding an entry.
 */
import { InfraAuditError } from '../../errors.js';
import type { HclAttribute, HclText } from './hcl-blocks.js';
import { applyEdits, deleteLines, ownsItsLines, renderBlock, type TextEdit } from './hcl-edit.js';
import { declaredResources, escapeRegExp, findManaged, referring, type DeclaredResource, type TerraformFile } from './terraform-files.js';
import { unifiedDiff } from './unified-diff.js';

export interface RemediationProposal {
  /**
   * patch: a diff of a .tf file; import: new HCL for an unmanaged resource; none: the config
   * already says it; snippet: no recipe for this check, the catalog's Terraform with placeholders.
   */
  kind: 'patch' | 'import' | 'none' | 'snippet';
  managed: boolean;
  terraformAddress?: string;
  /** The .tf file the patch changes (relative to the config directory) and the resource's line. */
  file?: string;
  line?: number;
  patch?: string;
  imports?: string;
  snippet?: string;
  /** The fix applied, when a check has more than one. */
  fix?: string;
  summary: string;
  review: string[];
}

export interface RecipeInput {
  checkId: string;
  /** Which fix, when the check has several; the first listed by default. */
  fix?: string;
  /** Bucket name or ARN, DB instance identifier or ARN. */
  resource: string;
  terraformAddress?: string;
  /** Root module files; empty when the server was given no --config. */
  files: TerraformFile[];
}

interface Recipe {
  /** Ids of checks in the catalog (src/checks) this recipe fixes. */
  checkIds: readonly string[];
  /** The name a caller picks it by when a check has several fixes. */
  fix: string;
  propose(input: RecipeInput, resources: DeclaredResource[]): RemediationProposal;
}

const FLAGS = ['block_public_acls', 'ignore_public_acls', 'block_public_policy', 'restrict_public_buckets'] as const;

export function bucketNameOf(resource: string): string {
  const name = resource.startsWith('arn:') ? (/^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(resource)?.[1] ?? '') : resource;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) {
    throw new InfraAuditError('INVALID_INPUT', `"${resource}" is not an S3 bucket name or bucket ARN`, { hint: 'pass the bucket name (e.g. my-bucket) or arn:aws:s3:::my-bucket' });
  }
  return name;
}

function dbIdentifierOf(resource: string): string {
  const id = resource.startsWith('arn:') ? (/^arn:aws[a-z-]*:rds:[^:]+:\d{12}:db:([^:]+)$/.exec(resource)?.[1] ?? '') : resource;
  if (!/^[a-zA-Z][a-zA-Z0-9-]{0,62}$/.test(id)) {
    throw new InfraAuditError('INVALID_INPUT', `"${resource}" is not a DB instance identifier or ARN`, { hint: 'pass the DBInstanceIdentifier or its arn:aws:rds:…:db:… ARN' });
  }
  return id;
}

/** A Terraform resource name from an AWS name: letters, digits and underscores, not starting with a digit. */
export function resourceNameFor(id: string): string {
  const name = id.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[A-Za-z_]/.test(name) ? name : `r_${name}`;
}

function patchOf(file: TerraformFile, edits: TextEdit[]): string {
  return unifiedDiff(file.path, file.hcl.text, applyEdits(file.hcl.text, edits));
}

function uniqueName(resources: DeclaredResource[], type: string, wanted: string): string {
  let name = wanted;
  for (let n = 2; resources.some((r) => r.type === type && r.name === name); n++) name = `${wanted}_${n}`;
  return name;
}

const blockPublicAccess: Recipe = {
  checkIds: ['s3_bucket_public_access_block', 's3_bucket_public_read', 's3_bucket_public_write'],
  fix: 'block_public_access',
  propose(input, resources) {
    const bucket = bucketNameOf(input.resource);
    const bucketResource = findManaged(resources, 'aws_s3_bucket', 'bucket', bucket, input.terraformAddress);
    const review = [
      `Anything that relies on public access to ${bucket} (a static website, public downloads) stops working; serve such content through CloudFront with origin access control instead.`,
      'Block Public Access overrides public bucket policies and ACLs; it does not delete them. Remove them too once nothing needs them.',
      'With block_public_policy = true AWS refuses to store a public bucket policy: if Terraform manages a public policy for this bucket, its next change fails until the public statement is removed (fix remove_public_policy_statements).',
    ];
    if (!bucketResource) {
      const name = resourceNameFor(bucket);
      const imports =
        `# ${bucket} is not declared in this Terraform configuration: import it, then block public access on it.\n` +
        `import {\n  to = aws_s3_bucket.${name}\n  id = ${JSON.stringify(bucket)}\n}\n\n` +
        `${renderBlock(`resource "aws_s3_bucket" "${name}"`, [['bucket', JSON.stringify(bucket)]])}\n\n` +
        `${renderBlock(`resource "aws_s3_bucket_public_access_block" "${name}"`, [['bucket', `aws_s3_bucket.${name}.id`], ...FLAGS.map((f) => [f, 'true'] as const)])}\n`;
      return {
        kind: 'import',
        managed: false,
        terraformAddress: `aws_s3_bucket_public_access_block.${name}`,
        imports,
        summary: `Import bucket ${bucket} into Terraform and add an aws_s3_bucket_public_access_block with all four settings true.`,
        review: [
          ...review,
          'The minimal aws_s3_bucket block declares only the name: the plan shows what else the live bucket has; copy settings you want to keep into the block so Terraform does not drift.',
          'Expect the plan to import aws_s3_bucket and create (or update in place) the public access block; nothing should be destroyed.',
        ],
      };
    }
    const existing = referring(resources, 'aws_s3_bucket_public_access_block', 'bucket', bucketResource, bucket)[0];
    if (existing) {
      const hcl = existing.file.hcl;
      const children = hcl.children(existing.block);
      const flagAttrs = FLAGS.map((f) => children.find((c): c is HclAttribute => c.kind === 'attribute' && c.name === f));
      let edits: TextEdit[];
      if (flagAttrs.every(Boolean)) {
        edits = flagAttrs.filter((a) => hcl.valueOf(a!) !== 'true').map((a) => ({ start: a!.valueStart, end: a!.valueEnd, replacement: 'true' }));
      } else {
        // Some flags are missing: render the block anew (its other single-line attributes kept).
        const others = children
          .filter((c): c is HclAttribute => c.kind === 'attribute' && !(FLAGS as readonly string[]).includes(c.name))
          .map((a) => [a.name, hcl.valueOf(a)] as const);
        const header = `resource "aws_s3_bucket_public_access_block" "${existing.name}"`;
        edits = [{ start: existing.block.start, end: existing.block.close + 1, replacement: renderBlock(header, [...others, ...FLAGS.map((f) => [f, 'true'] as const)]) }];
      }
      if (!edits.length) {
        return {
          kind: 'none',
          managed: true,
          terraformAddress: existing.address,
          file: existing.file.path,
          line: existing.block.line,
          summary: `${existing.address} already sets all four flags true: the live bucket has drifted from Terraform. Re-applying the configuration restores it.`,
          review: [...review, 'Find out who changed the live setting, and why, before re-applying.'],
        };
      }
      return {
        kind: 'patch',
        managed: true,
        terraformAddress: existing.address,
        file: existing.file.path,
        line: existing.block.line,
        patch: patchOf(existing.file, edits),
        summary: `Set all four Block Public Access flags to true in ${existing.address}.`,
        review: [...review, `Expect the plan to update ${existing.address} in place; nothing should be destroyed.`],
      };
    }
    const name = uniqueName(resources, 'aws_s3_bucket_public_access_block', bucketResource.name);
    const block = renderBlock(`resource "aws_s3_bucket_public_access_block" "${name}"`, [['bucket', `${bucketResource.address}.id`], ...FLAGS.map((f) => [f, 'true'] as const)]);
    const at = bucketResource.block.close + 1;
    return {
      kind: 'patch',
      managed: true,
      terraformAddress: `aws_s3_bucket_public_access_block.${name}`,
      file: bucketResource.file.path,
      line: bucketResource.block.line,
      patch: patchOf(bucketResource.file, [{ start: at, end: at, replacement: `\n\n${block}` }]),
      summary: `Add aws_s3_bucket_public_access_block.${name} with all four flags true for ${bucketResource.address}.`,
      review: [...review, `Expect the plan to create aws_s3_bucket_public_access_block.${name}; nothing should be destroyed.`],
    };
  },
};

const publicStatementPattern = /Principal\s*=\s*("\*"|\{[^}]*AWS\s*=\s*(\[\s*)?"\*")/;

const removePublicPolicyStatement: Recipe = {
  checkIds: ['s3_bucket_public_read', 's3_bucket_public_write'],
  fix: 'remove_public_policy_statements',
  propose(input, resources) {
    const bucket = bucketNameOf(input.resource);
    const bucketResource = findManaged(resources, 'aws_s3_bucket', 'bucket', bucket, input.terraformAddress);
    const policy = referring(resources, 'aws_s3_bucket_policy', 'bucket', bucketResource, bucket)[0];
    if (!policy) {
      throw new InfraAuditError('NOT_FOUND', `no aws_s3_bucket_policy for bucket ${bucket} in the Terraform configuration`, {
        hint: 'the policy is not managed by Terraform: remove the public statement in the console or CLI after review, or ask for fix block_public_access',
      });
    }
    const hcl = policy.file.hcl;
    const policyAttr = hcl.attribute(policy.block, 'policy');
    const value = policyAttr ? hcl.valueOf(policyAttr) : '';
    const statement = /^jsonencode\(/.test(value) ? findStatementList(hcl, policyAttr!) : undefined;
    if (!statement) {
      throw new InfraAuditError('INVALID_INPUT', `${policy.address} builds its policy in a form this recipe does not edit (only jsonencode({ Statement = [...] }))`, {
        hint: 'remove the statement with Principal "*" by hand, or ask for fix block_public_access, a patch that blocks public access',
      });
    }
    const elements = listElements(hcl, statement.open, statement.close);
    const isPublic = (e: { start: number; end: number }) => {
      const body = hcl.text.slice(e.start, e.end + 1);
      return publicStatementPattern.test(body) && !/Effect\s*=\s*"Deny"/.test(body);
    };
    const publicOnes = elements.filter(isPublic);
    const unconditional = publicOnes.filter((e) => !/\bCondition\s*=/.test(hcl.text.slice(e.start, e.end + 1)));
    if (!unconditional.length) {
      throw new InfraAuditError('NOT_FOUND', `${policy.address} has no unconditional statement granting Principal "*"`, {
        hint: publicOnes.length ? 'its "*" statements carry conditions: review whether they restrict access enough' : 'the public access may come from an ACL: ask for fix block_public_access',
      });
    }
    const review = [`Anyone who reads ${bucket} anonymously today loses access; check the bucket's consumers first.`, 'Other statements of the policy are unchanged.'];
    if (unconditional.length === elements.length) {
      const elsewhere = referencesTo(resources, policy);
      return {
        kind: 'patch',
        managed: true,
        terraformAddress: policy.address,
        file: policy.file.path,
        line: policy.block.line,
        patch: patchOf(policy.file, [deleteLines(hcl, policy.block.line, policy.block.endLine)]),
        summary: `Every statement of ${policy.address} is public: remove the bucket policy resource.`,
        review: [
          ...review.slice(0, 1),
          `Expect the plan to destroy ${policy.address} (the policy only); the bucket and its objects stay.`,
          ...(elsewhere.length ? [`${policy.address} is referenced at ${elsewhere.join(', ')}: remove or change those references too, or the plan fails.`] : []),
        ],
      };
    }
    const edits = unconditional.map((e) => {
      const end = hcl.text[e.end + 1] === ',' ? e.end + 1 : e.end;
      return ownsItsLines(hcl.text, e.start, e.end) ? deleteLines(hcl, hcl.lineOf(e.start), hcl.lineOf(end)) : { start: e.start, end: end + 1, replacement: '' };
    });
    return {
      kind: 'patch',
      managed: true,
      terraformAddress: policy.address,
      file: policy.file.path,
      line: policy.block.line,
      patch: patchOf(policy.file, edits),
      summary: `Remove ${unconditional.length} statement(s) granting Principal "*" from ${policy.address}.`,
      review: [...review, `Expect the plan to update ${policy.address} in place.`],
    };
  },
};

/** file:line of every mention of `target`'s address outside its own block. */
function referencesTo(resources: DeclaredResource[], target: DeclaredResource): string[] {
  const files = [...new Set(resources.map((r) => r.file))];
  const pattern = new RegExp(`\\b${escapeRegExp(target.address)}\\b`, 'g');
  const out: string[] = [];
  for (const file of files) {
    for (const m of file.hcl.text.matchAll(pattern)) {
      const inside = file === target.file && m.index >= target.block.start && m.index <= target.block.close;
      if (!inside) out.push(`${file.path}:${file.hcl.lineOf(m.index)}`);
    }
  }
  return out;
}

/** The `[` … `]` of `Statement = [...]` inside a jsonencode({...}) value. */
function findStatementList(hcl: HclText, attr: HclAttribute): { open: number; close: number } | undefined {
  const objectOpen = hcl.text.indexOf('{', attr.valueStart);
  if (objectOpen < 0 || objectOpen > attr.valueEnd) return undefined;
  const objectClose = hcl.matchClose(objectOpen, attr.valueEnd);
  const statement = hcl.bodyItems(objectOpen + 1, objectClose).find((i): i is HclAttribute => i.kind === 'attribute' && i.name === 'Statement');
  if (!statement || hcl.text[statement.valueStart] !== '[') return undefined;
  return { open: statement.valueStart, close: hcl.matchClose(statement.valueStart, attr.valueEnd) };
}

/** The `{…}` elements of a list literal. */
function listElements(hcl: HclText, open: number, close: number): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (let i = open + 1; i < close; i++) {
    if (hcl.text[i] === '{') {
      const end = hcl.matchClose(i, close);
      out.push({ start: i, end });
      i = end;
    }
  }
  return out;
}

const rdsNotPublic: Recipe = {
  checkIds: ['rds_instance_public_access'],
  fix: 'not_publicly_accessible',
  propose(input, resources) {
    const id = dbIdentifierOf(input.resource);
    const db = findManaged(resources, 'aws_db_instance', 'identifier', id, input.terraformAddress);
    const review = [`Clients that reach ${id} over the internet lose access; they must connect from inside the VPC (or through a bastion or VPN).`];
    if (!db) {
      const name = resourceNameFor(id);
      return {
        kind: 'import',
        managed: false,
        terraformAddress: `aws_db_instance.${name}`,
        imports:
          `# ${id} is not declared in this Terraform configuration: import it, then set publicly_accessible = false.\n` +
          `import {\n  to = aws_db_instance.${name}\n  id = ${JSON.stringify(id)}\n}\n\n` +
          `${renderBlock(`resource "aws_db_instance" "${name}"`, [['identifier', JSON.stringify(id)], ['publicly_accessible', 'false']])}\n`,
        summary: `Import DB instance ${id} into Terraform with publicly_accessible = false.`,
        review: [...review, 'The minimal block is not enough to plan: run `terraform plan -generate-config-out=generated.tf` once to generate the full configuration, then keep publicly_accessible = false.'],
      };
    }
    const hcl = db.file.hcl;
    const attr = hcl.attribute(db.block, 'publicly_accessible');
    if (attr && hcl.valueOf(attr) === 'false') {
      return { kind: 'none', managed: true, terraformAddress: db.address, file: db.file.path, line: db.block.line, summary: `${db.address} already sets publicly_accessible = false: the live instance has drifted.`, review };
    }
    const edit: TextEdit = attr
      ? { start: attr.valueStart, end: attr.valueEnd, replacement: 'false' }
      : { start: db.block.close, end: db.block.close, replacement: `\n  publicly_accessible = false\n` };
    return {
      kind: 'patch',
      managed: true,
      terraformAddress: db.address,
      file: db.file.path,
      line: db.block.line,
      patch: patchOf(db.file, [edit]),
      summary: `Set publicly_accessible = false on ${db.address}.`,
      review: [...review, `Expect the plan to update ${db.address} in place (a short modification, not a replacement).`],
    };
  },
};

export const RECIPES: ReadonlyArray<Recipe> = [blockPublicAccess, removePublicPolicyStatement, rdsNotPublic];

export const SUPPORTED_CHECK_IDS: readonly string[] = [...new Set(RECIPES.flatMap((r) => r.checkIds))];
export const FIXES: readonly string[] = RECIPES.map((r) => r.fix);

/** A check of the catalog, as far as a proposal needs it. */
export interface CatalogCheck {
  id: string;
  title: string;
  remediation: string;
  remediationTerraform: string;
}

export function proposeRemediation(input: RecipeInput, catalog: ReadonlyArray<CatalogCheck> = []): RemediationProposal {
  const candidates = RECIPES.filter((r) => r.checkIds.includes(input.checkId));
  if (!candidates.length) {
    const check = catalog.find((c) => c.id === input.checkId);
    if (check) {
      // No recipe edits this check's resources yet: the catalog's Terraform, for a person to adapt.
      return {
        kind: 'snippet',
        managed: false,
        snippet: `${check.remediationTerraform.trimEnd()}\n`,
        summary: `No automatic patch for ${check.id} yet. ${check.remediation}`,
        review: ['The snippet has placeholders in angle brackets: fill them in for this resource and merge it into the block that declares it.'],
      };
    }
    throw new InfraAuditError('INVALID_INPUT', `unknown check "${input.checkId}"`, { hint: `patches exist for: ${SUPPORTED_CHECK_IDS.join(', ')}; run_checks lists every check id` });
  }
  const recipe = input.fix ? candidates.find((r) => r.fix === input.fix) : candidates[0];
  if (!recipe) {
    throw new InfraAuditError('INVALID_INPUT', `fix "${input.fix}" does not apply to check ${input.checkId}`, { hint: `for ${input.checkId} choose: ${candidates.map((r) => r.fix).join(', ')}` });
  }
  return { ...recipe.propose(input, declaredResources(input.files)), ...(candidates.length > 1 ? { fix: recipe.fix } : {}) };
}
