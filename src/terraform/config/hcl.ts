/**
 * HCL files to hcl2json's JSON form, through @cdktf/hcl2json: HashiCorp's own HCL parser
 * compiled to WebAssembly and shipped inside the package (main.wasm.gz, read from disk; nothing
 * is downloaded). It is imported on first use, so runs that never read configuration never
 * start the WebAssembly runtime.
 */
import { InfraAuditError } from '../../errors.js';

type Hcl2Json = { parse(filename: string, contents: string): Promise<Record<string, unknown>> };
let hcl2json: Promise<Hcl2Json> | undefined;

async function parser(): Promise<Hcl2Json> {
  hcl2json ??= import('@cdktf/hcl2json').then((mod) => {
    const candidate = mod as unknown as Partial<Hcl2Json> & { default?: Partial<Hcl2Json> };
    const parse = candidate.parse ?? candidate.default?.parse;
    if (!parse) throw new Error('@cdktf/hcl2json has no parse()');
    return { parse };
  });
  return hcl2json;
}

/** Parse one file; a syntax error becomes CONFIG_INVALID naming the file, line and column. */
export async function parseHcl(displayName: string, text: string): Promise<Record<string, unknown>> {
  const { parse } = await parser();
  try {
    return await parse(displayName, text);
  } catch (err) {
    throw new InfraAuditError('CONFIG_INVALID', `${displayName}: ${describeDiagnostics(displayName, err)}`, {
      hint: 'Fix the syntax error (`terraform validate` reports the same), then run again.',
      cause: err,
    });
  }
}

/** "parse config: [main.tf:2,7-3,1: Invalid expression; Expected …]" → "line 2, column 7: Invalid expression; Expected …". */
function describeDiagnostics(displayName: string, err: unknown): string {
  const raw = (err instanceof Error ? err.message : String(err)).replace(/^parse config: \[/, '').replace(/\]\s*$/, '');
  const escaped = displayName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const located = new RegExp(`${escaped}:(\\d+),(\\d+)-[\\d,]+: `, 'g');
  const diagnostics = raw.split(located);
  // split() with two capture groups yields [before, line, column, text, line, column, text, ...].
  if (diagnostics.length < 4) return raw;
  const first = `line ${diagnostics[1]}, column ${diagnostics[2]}: ${diagnostics[3]!.trim()}`;
  const more = (diagnostics.length - 1) / 3 - 1;
  return more > 0 ? `${first} (and ${more} more problem${more > 1 ? 's' : ''})` : first;
}
