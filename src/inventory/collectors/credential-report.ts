/**
 * The IAM credential report is CSV with a header row (user, arn, user_creation_time,
 * password_enabled, ..., access_key_1_active, ...). Fields are plain, but quoting is handled
 * in case a future column carries a comma. Values such as "N/A", "no_information" and
 * "not_supported" are kept as they are; the checks read them.
 */
import type { CredentialReportRow } from '../snapshot.js';

function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

export function parseCredentialReport(csv: string): CredentialReportRow[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0] ? splitCsvLine(lines[0]) : [];
  return lines.slice(1).map((line) => {
    const values = splitCsvLine(line);
    return Object.fromEntries(header.map((name, i) => [name, values[i] ?? '']));
  });
}

/** The root user's row: AWS names it "<root_account>". */
export const ROOT_USER = '<root_account>';
