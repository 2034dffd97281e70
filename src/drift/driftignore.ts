/**
 * `.driftignore`, in driftctl's syntax: one rule per line, `#` comments, blank lines skipped.
 *
 *   aws_s3_bucket.acme-ds-scratch          one resource (its AWS id, or its Terraform name)
 *   aws_iam_role.*                         every resource of a type
 *   aws_s3_bucket.*.tags.Owner             one attribute (a changed resource stays if others differ)
 *   !aws_iam_role.ci-deploy                negation: report it after all
 *   aws_s3_bucket.my\.dotted\.bucket       a literal dot in an id is escaped
 *
 * `*` matches any run of characters within one dot-separated part. The last rule that matches
 * decides, so a negation after a wildcard re-includes. A full Terraform address
 * (`module.logs.aws_s3_bucket.this`) is also accepted as a resource rule.
 */
import { readFile } from 'node:fs/promises';
import { InfraAuditError } from '../errors.js';

interface Rule {
  negated: boolean;
  type: RegExp;
  id: RegExp;
  /** Attribute path parts; empty for a whole-resource rule. */
  attribute: RegExp[];
  /** The rule as a whole, for matching a full Terraform address. */
  whole: RegExp;
  line: number;
}

/** What a rule is matched against. */
export interface IgnoreSubject {
  resourceType: string;
  /** Any of these may match the id part: AWS id, ARN, name, Terraform name, import id. */
  ids: string[];
  terraformAddress?: string;
}

export class DriftIgnore {
  private constructor(private readonly rules: readonly Rule[]) {}

  static parse(text: string): DriftIgnore {
    const rules: Rule[] = [];
    text.split(/\r?\n/).forEach((raw, index) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) return;
      const negated = line.startsWith('!');
      const body = negated ? line.slice(1) : line;
      const parts = splitUnescaped(body);
      if (parts.length === 1 && parts[0] === '*') {
        rules.push({ negated, type: /^.*$/s, id: /^.*$/s, attribute: [], whole: /^.*$/s, line: index + 1 });
        return;
      }
      if (parts.length < 2 || parts.some((p) => p === '')) {
        throw new InfraAuditError('INVALID_INPUT', `.driftignore line ${index + 1}: "${line}" is not a rule`, {
          hint: 'write resource_type.resource_id, optionally followed by .attribute.path, e.g. aws_s3_bucket.my-bucket or aws_iam_role.*',
        });
      }
      rules.push({
        negated,
        type: glob(parts[0]!),
        id: glob(parts[1]!),
        attribute: parts.slice(2).map(glob),
        whole: glob(body.replace(/\\\./g, '.')),
        line: index + 1,
      });
    });
    return new DriftIgnore(rules);
  }

  static async load(file: string): Promise<DriftIgnore> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InfraAuditError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `cannot read the drift ignore file ${file}: ${code ?? String(err)}`, {
        hint: 'pass an existing .driftignore, or leave out --driftignore',
      });
    }
    return DriftIgnore.parse(text);
  }

  get size(): number {
    return this.rules.length;
  }

  /** Whether the whole resource is ignored. */
  ignoresResource(subject: IgnoreSubject): boolean {
    let ignored = false;
    for (const rule of this.rules) {
      if (matchesAddress(rule, subject) || (rule.attribute.length === 0 && matchesTypeAndId(rule, subject))) ignored = !rule.negated;
    }
    return ignored;
  }

  /** Whether one attribute difference of the resource is ignored (resource rules count too). */
  ignoresAttribute(subject: IgnoreSubject, path: string): boolean {
    const parts = path.split('.');
    let ignored = false;
    for (const rule of this.rules) {
      if (matchesAddress(rule, subject)) ignored = !rule.negated;
      else if (!matchesTypeAndId(rule, subject)) continue;
      // A rule for `tags` covers `tags.Owner`; a rule for `tags.Owner` does not cover `tags`.
      else if (rule.attribute.length === 0 || (rule.attribute.length <= parts.length && rule.attribute.every((re, i) => re.test(parts[i]!)))) {
        ignored = !rule.negated;
      }
    }
    return ignored;
  }
}

/** The rule as a whole is the resource's Terraform address (`module.logs.aws_s3_bucket.this`). */
function matchesAddress(rule: Rule, subject: IgnoreSubject): boolean {
  return subject.terraformAddress !== undefined && rule.whole.test(subject.terraformAddress);
}

function matchesTypeAndId(rule: Rule, subject: IgnoreSubject): boolean {
  return rule.type.test(subject.resourceType) && subject.ids.some((id) => rule.id.test(id));
}

/** Split on dots not preceded by a backslash, unescaping `\.`. */
function splitUnescaped(text: string): string[] {
  const parts: string[] = [''];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && text[i + 1] === '.') {
      parts[parts.length - 1] += '.';
      i++;
    } else if (ch === '.') parts.push('');
    else parts[parts.length - 1] += ch;
  }
  return parts;
}

function glob(pattern: string): RegExp {
  const body = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`, 's');
}
