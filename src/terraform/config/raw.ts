/**
 * Evaluating hcl2json's raw values: numbers, booleans and null are themselves; strings are
 * templates (`"${var.x}-logs"`); arrays and objects hold more of the same, and object keys may
 * be templates too. Each string is evaluated on its own, so one unknown reference makes only
 * that value Unknown. A Terraform error in an expression also yields an Unknown, with the error
 * as its reason: the evaluator reports, it does not guess.
 */
import { parseTemplate, HclSyntaxError } from './expression/parser.js';
import { evaluate, type EvaluationContext } from './expression/evaluate.js';
import { EvaluationError, Unknown, toStringValue, type Value } from './expression/value.js';
import type { Expr } from './expression/ast.js';

const parsed = new Map<string, Expr | HclSyntaxError>();
const PARSE_CACHE_LIMIT = 50_000;

/** Parse once per distinct string: module instances evaluate the same bodies many times. */
function parseOnce(source: string): Expr | HclSyntaxError {
  let result = parsed.get(source);
  if (result === undefined) {
    try {
      result = parseTemplate(source);
    } catch (err) {
      if (!(err instanceof HclSyntaxError)) throw err;
      result = err;
    }
    if (parsed.size >= PARSE_CACHE_LIMIT) parsed.clear();
    parsed.set(source, result);
  }
  return result;
}

/** The expression as a reader would recognise it: `var.x` for "${var.x}", the template otherwise. */
export function expressionText(source: string): string {
  const single = /^\$\{([\s\S]*)\}$/.exec(source);
  return single && !single[1]!.includes('${') ? single[1]!.trim() : JSON.stringify(source);
}

export type ContextWithoutSource = Omit<EvaluationContext, 'source'>;

export function evaluateRaw(raw: unknown, ctx: ContextWithoutSource, depth = 0): Value {
  if (raw === null || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') return evaluateString(raw, ctx);
  if (depth > 100) return new Unknown('…', 'nested too deeply');
  if (Array.isArray(raw)) return raw.map((item) => evaluateRaw(item, ctx, depth + 1));
  if (typeof raw === 'object') {
    const out: Record<string, Value> = {};
    for (const [rawKey, rawValue] of Object.entries(raw as Record<string, unknown>)) {
      let key = rawKey;
      if (rawKey.includes('${')) {
        const evaluated = evaluateString(rawKey, ctx);
        if (evaluated instanceof Unknown) return new Unknown(`{ ${expressionText(rawKey)} = … }`, `an object key is not known: ${evaluated.reason}`);
        try {
          key = toStringValue(evaluated, 'an object key');
        } catch (err) {
          return new Unknown(`{ ${expressionText(rawKey)} = … }`, (err as Error).message);
        }
      }
      out[key] = evaluateRaw(rawValue, ctx, depth + 1);
    }
    return out;
  }
  return new Unknown(String(raw), 'not a configuration value');
}

function evaluateString(source: string, ctx: ContextWithoutSource): Value {
  if (!source.includes('${') && !source.includes('%{')) return source;
  const expr = parseOnce(source);
  if (expr instanceof HclSyntaxError) return new Unknown(expressionText(source), `could not be parsed: ${expr.message}`);
  try {
    const value = evaluate(expr, { ...ctx, source });
    // A whole-string template is quoted as the reader wrote it: "device-${count.index}".
    return value instanceof Unknown && value.expression === source ? new Unknown(expressionText(source), value.reason) : value;
  } catch (err) {
    if (err instanceof EvaluationError) return new Unknown(expressionText(source), err.message);
    throw err;
  }
}
