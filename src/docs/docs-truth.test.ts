/**
 * What the README and docs tell a user to run is true of the product: no snippet runs the
 * package through `npx` (the names are not ours on the registry), every check id they name is
 * one `audit --list-checks` prints, the agent's default model is the same in `--help` and in the
 * docs, and docs/audit-log.md describes what the code does now (no "will", "should", "until then").
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../test-support/cli.js';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) return [];
    if (statSync(p).isDirectory()) return markdownFiles(p);
    return /\.(md|ya?ml)$/.test(name) ? [p] : [];
  });
}

const DOCS = [join(ROOT, 'README.md'), ...markdownFiles(join(ROOT, 'docs')), ...markdownFiles(join(ROOT, 'examples')), ...markdownFiles(join(ROOT, 'terraform'))];

describe('README and docs', () => {
  it('run the product from a clone or the installed tarball, never through npx', async () => {
    const offenders: string[] = [];
    for (const file of DOCS) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/npx\s+(-y\s+)?infra-audit|"command":\s*"npx"/.test(line)) offenders.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(offenders).toEqual([]);
    for (const args of [['--help'], ['serve', '--help'], ['audit', '--help'], ['drift', '--help'], ['agent', '--help']]) {
      const r = await runCli(args);
      expect(r.code).toBe(0);
      expect(r.out, args.join(' ')).not.toMatch(/npx/);
    }
    // The README shows both ways in: the clone's entry point and the tarball's bin.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('node /path/to/infra-audit-mcp/dist/cli/main.js');
    expect(readme).toContain('npm install -g ./infra-audit-mcp-0.1.0.tgz');
  });

  describe('check ids', () => {
    let known: Set<string>;
    beforeAll(async () => {
      const r = await runCli(['audit', '--list-checks', '--format', 'json']);
      known = new Set((JSON.parse(r.out) as Array<{ id: string }>).map((c) => c.id));
    });

    it('every check id the docs name exists (globs match one)', () => {
      const services = [...new Set([...known].map((id) => id.split('_')[0]!))];
      // A token that starts like a check id of a known service: s3_…, iam_…, ec2_…, rds_…
      const token = new RegExp(`(?<![A-Za-z0-9_.\\-/])(?:${services.join('|')})_[a-z0-9_*?]+(?![A-Za-z0-9_])`, 'g');
      // Words of other vocabularies that share the shape (a PostgreSQL role, Terraform attributes, an Aurora MySQL function).
      const notCheckIds = new Set(['rds_iam', 'iam_database_authentication_enabled', 'iam_instance_profile', 'lambda_async', 'kms_key_id', 'kms_master_key_id', 's3_bucket_name', 's3_key_prefix', 'vpc_id', 'vpc_security_group_ids', 'iam_role_arn', 's3_kms_key_arn', 'sns_topic_arn', 'sqs_managed_sse_enabled', 'kms_data_key_reuse_period_seconds', 'kms_key_arn', 'lambda_function_url', 'vpc_endpoint_type', 'vpc_config']);
      const unknown: string[] = [];
      for (const file of DOCS) {
        for (const m of readFileSync(file, 'utf8').matchAll(token)) {
          const id = m[0];
          if (notCheckIds.has(id)) continue;
          const re = new RegExp(`^${id.replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
          if (![...known].some((k) => re.test(k))) unknown.push(`${relative(ROOT, file)}: ${id}`);
        }
      }
      expect(unknown).toEqual([]);
    });
  });

  it("state the agent's default model as --help does", async () => {
    const help = (await runCli(['agent', '--help'])).out;
    const [, anthropic, openai] = /default ([\w.-]+), or ([\w.:-]+) with --provider openai/.exec(help.replace(/\s+/g, ' ')) ?? [];
    expect(anthropic).toBeDefined();
    const agentDoc = readFileSync(join(ROOT, 'docs', 'agent.md'), 'utf8');
    expect(agentDoc).toMatch(new RegExp(`\\| \`--model ID\` \\| default \`${anthropic}\` \\(Anthropic\\) or \`${openai}\` \\(OpenAI\\)`));
    // Any other model named as "the default" in the docs is the same one.
    for (const file of DOCS) {
      for (const m of readFileSync(file, 'utf8').matchAll(/default(?: model)?(?: is)? `?(claude-[\w.-]+|gpt-[\w.-]+)/g)) {
        expect([anthropic, openai], `${relative(ROOT, file)}: ${m[0]}`).toContain(m[1]);
      }
    }
  });

  it('docs/audit-log.md describes finished work in the present tense', () => {
    const text = readFileSync(join(ROOT, 'docs', 'audit-log.md'), 'utf8');
    const future = text.split('\n').filter((line) => /\b(will|should|shall|would)\b|\buntil then\b|\bnot yet\b/i.test(line));
    expect(future).toEqual([]);
  });
});
