/**
 * `infra-audit drift` as a user runs it, in-process: a state and a configuration written to a
 * fresh directory, the CLI's argv, the real sandbox behind --endpoint-url, the JSON report out.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bufferIO } from '../cli/io.js';
import { main } from '../cli/main.js';
import type { DriftEntry, DriftReport } from '../drift/model.js';
import { envOverrides, TEST_CREDENTIALS } from './sandbox.js';

const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';

/** A state resource with one instance, as `terraform apply` writes it. */
export function stateResource(type: string, name: string, attributes: Record<string, unknown>) {
  return { mode: 'managed', type, name, provider: PROVIDER, instances: [{ schema_version: 0, attributes }] };
}

export function stateOf(lineage: string, resources: unknown[]) {
  return { version: 4, terraform_version: '1.9.8', serial: 1, lineage, outputs: {}, resources };
}

export interface DriftCliRun {
  code: number;
  /** The JSON report on stdout. */
  report: DriftReport;
  out: string;
  err: string;
  /** The managed instance's entry (changed or missing), if any. */
  entry(address: string): DriftEntry | undefined;
  unmanaged(type: string): DriftEntry[];
}

/** Run `infra-audit drift --state … --config … --format json` (or another format: then only `out`) against the sandbox. */
export async function driftCli(endpoint: string, inputs: { state: object; hcl?: string; regions: string[]; args?: string[]; format?: string }): Promise<DriftCliRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'infra-audit-drift-'));
  writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(inputs.state));
  if (inputs.hcl !== undefined) writeFileSync(path.join(dir, 'main.tf'), inputs.hcl);
  const { set, saved } = envOverrides();
  set({ AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_PROFILE: undefined, AWS_ENDPOINT_URL: undefined });
  try {
    const io = bufferIO({ cwd: dir });
    const args = ['drift', '--state', 'terraform.tfstate', ...(inputs.hcl !== undefined ? ['--config', '.'] : []), '--endpoint-url', endpoint, '--region', ...inputs.regions, '--format', inputs.format ?? 'json', ...(inputs.args ?? [])];
    const code = await main(args, io);
    const out = io.out();
    // Another format's text is in `out`; the report is parsed from JSON only.
    const report = (inputs.format ?? 'json') === 'json' ? (JSON.parse(out) as DriftReport) : ({ entries: [] } as unknown as DriftReport);
    return {
      code,
      report,
      out,
      err: io.err(),
      entry: (address) => report.entries.find((e) => e.terraformAddress === address && e.kind !== 'unmanaged'),
      unmanaged: (type) => report.entries.filter((e) => e.kind === 'unmanaged' && e.resourceType === type),
    };
  } finally {
    set(saved);
  }
}
