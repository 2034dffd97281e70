/**
 * A screen over the agent's SQL, before it reaches the database. It is not what makes
 * query_db read-only (the database's own transaction and a SELECT-only user do that); it
 * refuses the few statements a read-only transaction does not contain: on MySQL/MariaDB
 * anything but a query (a procedure can COMMIT and switch the session to READ WRITE,
 * `SET STATEMENT` lifts the time limit, a compound `BEGIN NOT ATOMIC` block or `EXECUTE
 * IMMEDIATE` runs arbitrary statements) and the file functions; on PostgreSQL the
 * maintenance commands that change the database inside a read-only transaction.
 *
 * Comments and literals are removed first so a keyword inside a string never counts and a
 * keyword hidden by a comment is still seen; MySQL's executable comments (`/*! ... *\/`,
 * `/*M! ... *\/`) are code, so their content is kept.
 */
import { InfraAuditError } from '../../errors.js';

/** The statement's code with comments, string literals and quoted identifiers' quoting removed, upper-cased, whitespace collapsed. */
export function codeOf(sql: string, dialect: 'mysql' | 'postgres'): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      const body = sql.slice(i + 2, end < 0 ? sql.length : end);
      // MySQL runs /*! ... */ and MariaDB /*M! ... */ (an optional version number first).
      const executable = dialect === 'mysql' ? /^M?!\d*/.exec(body) : null;
      out += executable ? ` ${body.slice(executable[0].length)} ` : ' ';
      i = end < 0 ? sql.length : end + 2;
      continue;
    }
    if ((c === '-' && next === '-') || (dialect === 'mysql' && c === '#')) {
      const end = sql.indexOf('\n', i);
      out += ' ';
      i = end < 0 ? sql.length : end + 1;
      continue;
    }
    if (c === "'" || (c === '"' && dialect === 'mysql')) {
      // A string literal: its content never counts. Quotes double, and MySQL also escapes with a backslash.
      let j = i + 1;
      while (j < sql.length) {
        if (dialect === 'mysql' && sql[j] === '\\') j += 2;
        else if (sql[j] === c && sql[j + 1] === c) j += 2;
        else if (sql[j] === c) break;
        else j++;
      }
      out += " '' ";
      i = j + 1;
      continue;
    }
    if (c === '$' && dialect === 'postgres') {
      // Dollar quoting: $tag$ ... $tag$.
      const tag = /^\$[A-Za-z_0-9]*\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const end = sql.indexOf(tag, i + tag.length);
        out += " '' ";
        i = end < 0 ? sql.length : end + tag.length;
        continue;
      }
    }
    if (c === '`' || (c === '"' && dialect === 'postgres')) {
      // A quoted identifier: the name stays (a quoted function name is still that function).
      const end = sql.indexOf(c, i + 1);
      out += ` ${sql.slice(i + 1, end < 0 ? sql.length : end)} `;
      i = end < 0 ? sql.length : end + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out.replace(/\s+/g, ' ').trim().toUpperCase();
}

/** Leading keywords of a query on MySQL/MariaDB; everything else is refused. */
const MYSQL_QUERIES = new Set(['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'VALUES', 'TABLE', 'ANALYZE']);
const MYSQL_ANYWHERE: Array<[RegExp, string]> = [
  [/\bINTO\s+(OUTFILE|DUMPFILE)\b/, 'INTO OUTFILE/DUMPFILE writes a file on the database host'],
  [/\bLOAD_FILE\s*\(/, 'LOAD_FILE reads a file on the database host'],
  [/\bLOAD\s+(DATA|XML)\b/, 'LOAD DATA reads a file'],
  [/\bSET\s+STATEMENT\b/, 'SET STATEMENT ... FOR changes the session limits for one statement'],
];
/** Maintenance commands that change a PostgreSQL database inside a read-only transaction (ANALYZE writes planner statistics), or load code. */
const POSTGRES_REFUSED = new Set(['ANALYZE', 'ANALYSE', 'VACUUM', 'CLUSTER', 'REINDEX', 'LOAD', 'CHECKPOINT']);

/** Why the statement is refused, or undefined. */
export function refusedStatement(sql: string, dialect: 'mysql' | 'postgres'): string | undefined {
  const code = codeOf(sql, dialect);
  const first = /^[(\s]*([A-Z_]+)/.exec(code)?.[1] ?? '';
  if (dialect === 'postgres') {
    return POSTGRES_REFUSED.has(first) ? `${first} changes the database (planner statistics, storage or loaded code) even inside a read-only transaction` : undefined;
  }
  for (const [pattern, why] of MYSQL_ANYWHERE) if (pattern.test(code)) return why;
  if (!MYSQL_QUERIES.has(first)) {
    return `${first || 'this statement'} is not a query: on MySQL/MariaDB only SELECT, WITH, SHOW, DESCRIBE, EXPLAIN, VALUES and TABLE run (CALL, compound blocks, EXECUTE and SET can leave the read-only transaction)`;
  }
  // ANALYZE on MariaDB is ANALYZE SELECT (runs the query) or ANALYZE TABLE (writes statistics).
  if (first === 'ANALYZE' && !/^ANALYZE (FORMAT ?= ?JSON )?(SELECT|WITH|\()/.test(code)) return 'ANALYZE TABLE writes table statistics';
  return undefined;
}

/** Throws INVALID_INPUT when the screen refuses `sql`. */
export function screenStatement(sql: string, dialect: 'mysql' | 'postgres', database: string): void {
  const why = refusedStatement(sql, dialect);
  if (why) {
    throw new InfraAuditError('READ_ONLY_VIOLATION', `database "${database}": statement refused: ${why}`, {
      hint: 'query_db runs one read-only query; rewrite it as a SELECT (list_tables and describe_table show the schema)',
    });
  }
}
