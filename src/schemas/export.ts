/**
 * `npm run schemas`: writes every JSON Schema the package ships from the zod model it is
 * generated from (the findings report, the drift report, the sandbox account file). A test per
 * schema fails while the committed file differs from what its model produces.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { driftReportJsonSchema } from '../drift/json-contract.js';
import { jsonReportJsonSchema } from '../report/json-contract.js';
import { renderAccountJsonSchema } from '../sandbox/account/schema-export.js';

const schemaFile = (name: string) => fileURLToPath(new URL(`../../schemas/${name}`, import.meta.url));
const render = (schema: Record<string, unknown>) => `${JSON.stringify(schema, null, 2)}\n`;

/** Each committed schema file and the text its model produces now. */
export function generatedSchemas(): Array<{ file: string; text: string }> {
  return [
    { file: schemaFile('findings.schema.json'), text: render(jsonReportJsonSchema()) },
    { file: schemaFile('drift-report.schema.json'), text: render(driftReportJsonSchema()) },
    { file: schemaFile('sandbox-account.schema.json'), text: renderAccountJsonSchema() },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  Promise.all(generatedSchemas().map(async ({ file, text }) => (await writeFile(file, text, 'utf8'), file))).then(
    (files) => console.log(`wrote ${files.join(', ')}`),
    (err: unknown) => {
      console.error(`cannot write the schemas: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 2;
    },
  );
}
