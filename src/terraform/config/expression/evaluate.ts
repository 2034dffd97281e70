/**
 * Static evaluation of HCL expressions. Everything knowable without a plan is computed exactly;
 * anything else (resource attributes, data sources, unsupported functions or directives)
 * becomes an Unknown that quotes the expression. Errors Terraform itself would raise are thrown
 * as EvaluationError, which `try`/`can` catch and the caller turns into an Unknown with the reason.
 */
import { SPLAT_ELEMENT, type Expr } from './ast.js';
import { callFunction, hasFunction } from './functions.js';
import {
  EvaluationError,
  Unknown,
  containsUnknown,
  isObjectValue,
  isSet,
  toBoolValue,
  toNumberValue,
  toStringValue,
  typeName,
  valuesEqual,
  type Value,
} from './value.js';

export interface EvaluationContext {
  /** The text node offsets refer to. */
  source: string;
  variable(name: string): Value;
  local(name: string): Value;
  /** `module.<name>`: the call's outputs (an object, or per-instance collection) or Unknown. */
  module(name: string): Value;
  /** count.index: a number, or Unknown inside a call whose count is not known. */
  count?: Value;
  each?: { key: Value; value: Value };
  path: { module: string; root: string; cwd: string };
  workspace: string;
  /** Directory that `file()` and `templatefile()` resolve against (path.module). */
  baseDir: string;
  /** for-expression, dynamic-block and splat bindings, innermost last. */
  iterators?: ReadonlyMap<string, Value>;
}

const MAX_DEPTH = 200;

export function evaluate(expr: Expr, ctx: EvaluationContext, depth = 0): Value {
  if (depth > MAX_DEPTH) throw new EvaluationError('expression nested too deeply');
  const text = () => ctx.source.slice(expr.start, expr.end);
  const sub = (e: Expr, c: EvaluationContext = ctx) => evaluate(e, c, depth + 1);
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'parens':
      return sub(expr.inner);
    case 'directive':
      return new Unknown(text(), expr.reason);
    case 'template':
      return evaluateTemplate(expr, expr.source === undefined ? ctx : { ...ctx, source: expr.source }, text, depth);
    case 'tuple':
      return expr.items.map((item) => sub(item));
    case 'object': {
      const out: Record<string, Value> = {};
      for (const item of expr.items) {
        const key = sub(item.key);
        if (key instanceof Unknown) return new Unknown(text(), key.reason);
        out[toStringValue(key, 'an object key')] = sub(item.value);
      }
      return out;
    }
    case 'variable':
      return resolveName(expr.name, ctx, text());
    case 'getattr': {
      const root = expr.target.kind === 'variable' ? expr.target.name : undefined;
      if (root !== undefined && !ctx.iterators?.has(root)) {
        const namespaced = resolveNamespaced(root, expr.name, ctx, text());
        if (namespaced !== NOT_A_NAMESPACE) return asWritten(namespaced, text);
      }
      const target = sub(expr.target);
      if (target instanceof Unknown) return new Unknown(text(), target.reason);
      if (!isObjectValue(target)) throw new EvaluationError(`cannot read attribute "${expr.name}" of a ${typeName(target)}`);
      if (!(expr.name in target)) throw new EvaluationError(`object has no attribute "${expr.name}"`);
      return asWritten(target[expr.name]!, text);
    }
    case 'index': {
      const target = sub(expr.target);
      const key = sub(expr.key);
      if (target instanceof Unknown) return new Unknown(text(), target.reason);
      if (key instanceof Unknown) return new Unknown(text(), key.reason);
      return asWritten(indexValue(target, key), text);
    }
    case 'splat': {
      const target = sub(expr.target);
      if (target instanceof Unknown) return new Unknown(text(), target.reason);
      // A splat over a single value treats it as a one-element list; over null, an empty one.
      const items = target === null ? [] : Array.isArray(target) ? target : [target];
      return items.map((item) => sub(expr.each, withIterators(ctx, [[SPLAT_ELEMENT, item]])));
    }
    case 'call':
      return evaluateCall(expr, ctx, text, depth);
    case 'for':
      return evaluateFor(expr, ctx, text, depth);
    case 'unary': {
      const operand = sub(expr.operand);
      if (operand instanceof Unknown) return new Unknown(text(), operand.reason);
      return expr.op === '!' ? !toBoolValue(operand, 'the operand of !') : -toNumberValue(operand, 'the operand of -');
    }
    case 'binary':
      return evaluateBinary(expr, ctx, text, depth);
    case 'conditional': {
      const condition = sub(expr.condition);
      if (condition instanceof Unknown) return new Unknown(text(), condition.reason);
      return toBoolValue(condition, 'a condition') ? sub(expr.then) : sub(expr.otherwise);
    }
  }
}

/**
 * An Unknown read out of a variable, local, module output or collection is re-quoted as the
 * expression that read it: `var.bucket_arn` here, not the text of some other file.
 */
function asWritten(value: Value, text: () => string): Value {
  return value instanceof Unknown ? new Unknown(text(), value.reason) : value;
}

const NOT_A_NAMESPACE = Symbol('not a namespace');

function resolveNamespaced(root: string, name: string, ctx: EvaluationContext, text: string): Value | typeof NOT_A_NAMESPACE {
  switch (root) {
    case 'var':
      return ctx.variable(name);
    case 'local':
      return ctx.local(name);
    case 'module':
      return ctx.module(name);
    case 'count':
      if (name !== 'index' || ctx.count === undefined) throw new EvaluationError('count.index is only available where count is set');
      return ctx.count;
    case 'each':
      if (!ctx.each || (name !== 'key' && name !== 'value')) throw new EvaluationError('each.key and each.value are only available where for_each is set');
      return ctx.each[name];
    case 'path':
      if (name === 'module' || name === 'root' || name === 'cwd') return ctx.path[name];
      throw new EvaluationError(`path.${name} does not exist`);
    case 'terraform':
      if (name === 'workspace') return ctx.workspace;
      return new Unknown(text, `${text} is not evaluated statically`);
    case 'data':
      return new Unknown(text, 'data sources are read during plan');
    case 'self':
      return new Unknown(text, 'self refers to the resource\'s own attributes, known only after apply');
    case 'ephemeral':
      return new Unknown(text, 'ephemeral values exist only during a run');
    default:
      return NOT_A_NAMESPACE;
  }
}

function resolveName(name: string, ctx: EvaluationContext, text: string): Value {
  const bound = ctx.iterators?.get(name);
  if (bound !== undefined || ctx.iterators?.has(name)) return bound ?? null;
  if (['var', 'local', 'module', 'count', 'each', 'path', 'terraform'].includes(name)) {
    throw new EvaluationError(`"${name}" must be followed by an attribute, as in ${name}.something`);
  }
  // Anything else names a resource type: `aws_s3_bucket.logs.arn`.
  return new Unknown(text, 'resource attributes are known only after apply');
}

function withIterators(ctx: EvaluationContext, bindings: Array<[string, Value]>): EvaluationContext {
  const iterators = new Map(ctx.iterators ?? []);
  for (const [name, value] of bindings) iterators.set(name, value);
  return { ...ctx, iterators };
}

function indexValue(target: Value, key: Value): Value {
  if (Array.isArray(target)) {
    if (isSet(target)) throw new EvaluationError('elements of a set cannot be accessed by index');
    const index = toNumberValue(key, 'a list index');
    if (!Number.isInteger(index) || index < 0 || index >= target.length) throw new EvaluationError(`index ${index} is out of range for a list of ${target.length}`);
    return target[index]!;
  }
  if (isObjectValue(target)) {
    const name = toStringValue(key, 'a map key');
    if (!(name in target)) throw new EvaluationError(`the map has no element "${name}"`);
    return target[name]!;
  }
  throw new EvaluationError(`cannot index a ${typeName(target)}`);
}

function evaluateTemplate(expr: Extract<Expr, { kind: 'template' }>, ctx: EvaluationContext, text: () => string, depth: number): Value {
  const only = expr.parts.length === 1 ? expr.parts[0] : undefined;
  // "${x}" alone yields x itself, not its string form (a list stays a list).
  if (only !== undefined && typeof only !== 'string') return evaluate(only, ctx, depth + 1);
  let out = '';
  for (const part of expr.parts) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = evaluate(part, ctx, depth + 1);
    if (value instanceof Unknown) return new Unknown(text(), value.reason);
    if (value === null) throw new EvaluationError('a template cannot interpolate null');
    out += toStringValue(value, 'an interpolated value');
  }
  return out;
}

function evaluateCall(expr: Extract<Expr, { kind: 'call' }>, ctx: EvaluationContext, text: () => string, depth: number): Value {
  const name = expr.name;
  if (name === 'try') {
    for (const arg of expr.args) {
      try {
        const value = evaluate(arg, ctx, depth + 1);
        return containsUnknown(value) ? new Unknown(text(), 'try() of a value not known until apply') : value;
      } catch (err) {
        if (!(err instanceof EvaluationError)) throw err;
      }
    }
    throw new EvaluationError('no argument of try() could be evaluated');
  }
  if (name === 'can') {
    if (expr.args.length !== 1) throw new EvaluationError('can() takes exactly one argument');
    try {
      const value = evaluate(expr.args[0]!, ctx, depth + 1);
      return containsUnknown(value) ? new Unknown(text(), 'can() of a value not known until apply') : true;
    } catch (err) {
      if (err instanceof EvaluationError) return false;
      throw err;
    }
  }
  if (!hasFunction(name)) {
    const reason = name.includes('::') ? 'provider-defined functions are not evaluated statically' : `function ${name}() is not evaluated statically`;
    return new Unknown(text(), reason);
  }
  let args = expr.args.map((arg) => evaluate(arg, ctx, depth + 1));
  if (expr.expandFinal) {
    const last = args[args.length - 1];
    if (last instanceof Unknown) return new Unknown(text(), last.reason);
    if (!Array.isArray(last)) throw new EvaluationError('only a list can be expanded with ...');
    args = [...args.slice(0, -1), ...last];
  }
  return callFunction(name, args, { baseDir: ctx.baseDir, text: text() });
}

function evaluateFor(expr: Extract<Expr, { kind: 'for' }>, ctx: EvaluationContext, text: () => string, depth: number): Value {
  const collection = evaluate(expr.collection, ctx, depth + 1);
  if (collection instanceof Unknown) return new Unknown(text(), collection.reason);
  let entries: Array<[Value, Value]>;
  if (Array.isArray(collection)) entries = collection.map((item, i) => [isSet(collection) ? item : i, item]);
  else if (isObjectValue(collection)) entries = Object.keys(collection).sort().map((key) => [key, collection[key]!]);
  else throw new EvaluationError(`a for expression cannot iterate over a ${typeName(collection)}`);

  const list: Value[] = [];
  const object: Record<string, Value> = {};
  const groups: Record<string, Value[]> = {};
  for (const [key, value] of entries) {
    const bindings: Array<[string, Value]> = [[expr.valueVar, value]];
    if (expr.keyVar) bindings.push([expr.keyVar, key]);
    const inner = withIterators(ctx, bindings);
    if (expr.condition) {
      const keep = evaluate(expr.condition, inner, depth + 1);
      if (keep instanceof Unknown) return new Unknown(text(), keep.reason);
      if (!toBoolValue(keep, 'a for expression condition')) continue;
    }
    const item = evaluate(expr.valueExpr, inner, depth + 1);
    if (!expr.keyExpr) {
      list.push(item);
      continue;
    }
    const outKey = evaluate(expr.keyExpr, inner, depth + 1);
    if (outKey instanceof Unknown) return new Unknown(text(), outKey.reason);
    const name = toStringValue(outKey, 'a for expression key');
    if (expr.grouping) (groups[name] ??= []).push(item);
    else if (name in object) throw new EvaluationError(`duplicate key "${name}" in a for expression (use ... to group)`);
    else object[name] = item;
  }
  if (!expr.keyExpr) return list;
  return expr.grouping ? groups : object;
}

function evaluateBinary(expr: Extract<Expr, { kind: 'binary' }>, ctx: EvaluationContext, text: () => string, depth: number): Value {
  const left = evaluate(expr.left, ctx, depth + 1);
  // && and || short-circuit on a known left side, as Terraform's do not need the right.
  if (expr.op === '&&' || expr.op === '||') {
    if (left instanceof Unknown) return new Unknown(text(), left.reason);
    const l = toBoolValue(left, `the left side of ${expr.op}`);
    if (expr.op === '&&' ? !l : l) return l;
    const right = evaluate(expr.right, ctx, depth + 1);
    if (right instanceof Unknown) return new Unknown(text(), right.reason);
    return toBoolValue(right, `the right side of ${expr.op}`);
  }
  const right = evaluate(expr.right, ctx, depth + 1);
  if (left instanceof Unknown) return new Unknown(text(), left.reason);
  if (right instanceof Unknown) return new Unknown(text(), right.reason);
  switch (expr.op) {
    case '==':
      return valuesEqual(left, right);
    case '!=':
      return !valuesEqual(left, right);
  }
  const a = toNumberValue(left, `the left side of ${expr.op}`);
  const b = toNumberValue(right, `the right side of ${expr.op}`);
  switch (expr.op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/':
      if (b === 0) throw new EvaluationError('division by zero');
      return a / b;
    case '%':
      if (b === 0) throw new EvaluationError('modulo by zero');
      return a % b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
}
