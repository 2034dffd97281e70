/**
 * PROVISIONAL identity-policy evaluator for the sandbox's SimulatePrincipalPolicy.
 *
 * The product's real policy engine lives in `src/policy/` (written separately); at merge
 * this function is repointed to it. Until then it covers what `--verify-readonly` needs:
 * Action/NotAction and Resource/NotResource with `*` and `?` wildcards, explicit Deny over
 * Allow, default implicit deny. Conditions are ignored (a statement with a Condition is
 * treated as if it applied), which errs towards "allowed": the safe direction for a check
 * that asks "can this principal write?".
 */
export type EvalDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

interface Statement {
  Effect?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function wildcardMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's').test(value);
}

function statements(document: unknown): Statement[] {
  let parsed = document;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      return [];
    }
  }
  if (!parsed || typeof parsed !== 'object') return [];
  const statement = (parsed as { Statement?: unknown }).Statement;
  const list = Array.isArray(statement) ? statement : statement ? [statement] : [];
  return list.filter((s): s is Statement => !!s && typeof s === 'object');
}

function applies(statement: Statement, action: string, resource: string): boolean {
  const actionMatches =
    statement.Action !== undefined
      ? asList(statement.Action).some((p) => wildcardMatch(p, action, true))
      : statement.NotAction !== undefined && !asList(statement.NotAction).some((p) => wildcardMatch(p, action, true));
  if (!actionMatches) return false;
  if (statement.Resource !== undefined) return asList(statement.Resource).some((p) => wildcardMatch(p, resource, false));
  if (statement.NotResource !== undefined) return !asList(statement.NotResource).some((p) => wildcardMatch(p, resource, false));
  return false;
}

/** The decision of a set of identity policies (JSON objects or strings) for one action on one resource. */
export function evaluateActions(documents: unknown[], action: string, resource: string): EvalDecision {
  let allowed = false;
  for (const document of documents) {
    for (const statement of statements(document)) {
      if (!applies(statement, action, resource)) continue;
      if (statement.Effect === 'Deny') return 'explicitDeny';
      if (statement.Effect === 'Allow') allowed = true;
    }
  }
  return allowed ? 'allowed' : 'implicitDeny';
}
