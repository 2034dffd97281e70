/**
 * Issue 14 item 10 (the echo half), through the Streamable HTTP server with the SDK's client: a
 * tool error never echoes the caller's input. Echoed and then redacted, a guess that matched a
 * secret the server knows (from the Terraform state) came back as the redaction marker, and a
 * wrong guess came back verbatim: the error confirmed the secret. Now both come back as a short
 * hash of what was sent, in errors of the same form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useSandbox } from '../test-support/sandbox.js';
import { startMcpHarness, type McpHarness } from '../test-support/mcp.js';
import { inputDigest } from '../server/create-server.js';

const SECRET = 'Gu3ssable-db-Passw0rd-4411';
const WRONG = 'Wr0ngguess-db-Passw0rd-9922';

function stateFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'infra-audit-echo-'));
  const state = {
    version: 4,
    terraform_version: '1.6.0',
    serial: 1,
    lineage: 'echo-test',
    outputs: {},
    resources: [
      {
        mode: 'managed',
        type: 'aws_db_instance',
        name: 'main',
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ schema_version: 0, attributes: { id: 'main-db', identifier: 'main-db', password: SECRET, engine: 'postgres' }, sensitive_attributes: [[{ type: 'get_attr', value: 'password' }]] }],
      },
    ],
  };
  writeFileSync(join(dir, 'terraform.tfstate'), JSON.stringify(state));
  return join(dir, 'terraform.tfstate');
}

describe('errors do not echo the caller input, so they cannot confirm a guessed secret (14.10)', () => {
  const env = useSandbox('minimal-account.json');
  let mcp: McpHarness;
  beforeAll(async () => {
    mcp = await startMcpHarness(env.endpoint, { session: { statePaths: [stateFile()] } });
    // The server knows the secret: the state is loaded and its password is redacted.
    const db = await mcp.call('get_state_resource', { address: 'aws_db_instance.main' });
    expect(db.isError).toBe(false);
    expect(db.text).not.toContain(SECRET);
  });
  afterAll(() => mcp?.close());

  const normalise = (text: string, input: string) => text.replaceAll(inputDigest(input), '<input>');

  for (const [tool, args] of [
    ['get_state_resource', (v: string) => ({ address: v })],
    ['get_resource', (v: string) => ({ resource: v })],
    ['get_state_resource', (v: string) => ({ address: `aws_s3_bucket.${v}` })],
  ] as const) {
    it(`${tool} ${JSON.stringify(args('…'))}: a right and a wrong guess get the same error, with neither echoed`, async () => {
      const right = await mcp.call(tool, args(SECRET));
      const wrong = await mcp.call(tool, args(WRONG));
      expect(right.isError).toBe(true);
      expect(wrong.isError).toBe(true);
      const sent = (guess: string) => Object.values(args(guess))[0] as string;
      for (const [res, guess] of [
        [right, SECRET],
        [wrong, WRONG],
      ] as const) {
        expect(res.text).not.toContain(guess);
        expect(res.text).not.toContain('<redacted:');
        expect(res.text).toContain(inputDigest(sent(guess)));
      }
      expect(normalise(right.text, sent(SECRET))).toBe(normalise(wrong.text, sent(WRONG)));
    });
  }
});
