import { describe, expect, it } from 'vitest';
import { parseExpression, parseTemplate, HclSyntaxError } from './parser.js';
import { evaluate, type EvaluationContext } from './evaluate.js';
import { EvaluationError, Unknown, isSet, type Value } from './value.js';

const vars: Record<string, Value> = { env: 'prod', names: ['a', 'b'], tags: { Team: 'data' }, n: 3 };
const locals: Record<string, Value> = { prefix: 'acme-prod' };

function context(source: string, extra: Partial<EvaluationContext> = {}): EvaluationContext {
  return {
    source,
    variable: (name) => {
      if (!(name in vars)) throw new EvaluationError(`no variable ${name}`);
      return vars[name]!;
    },
    local: (name) => locals[name] ?? new Unknown(`local.${name}`, 'undeclared'),
    module: (name) => new Unknown(`module.${name}`, 'not loaded'),
    path: { module: '.', root: '.', cwd: '.' },
    workspace: 'default',
    baseDir: '.',
    ...extra,
  };
}

const expr = (source: string, extra: Partial<EvaluationContext> = {}) => evaluate(parseExpression(source), context(source, extra));
const tmpl = (source: string) => evaluate(parseTemplate(source), context(source));

describe('HCL expressions', () => {
  it('evaluates literals, arithmetic with precedence, comparison and logic', () => {
    expect(expr('1 + 2 * 3 - 4 / 2')).toBe(5);
    expect(expr('(1 + 2) * 3 % 4')).toBe(1);
    expect(expr('-var.n + 10 >= 7 && !false')).toBe(true);
    expect(expr('"1" + 1')).toBe(2);
    expect(expr('1 == "1"')).toBe(false);
    expect(expr('{ a = [1, { b = 2 }] } == { a = [1, { b = 2 }] }')).toBe(true);
    expect(expr('var.env == "prod" ? "big" : "small"')).toBe('big');
  });

  it('builds tuples and objects, with identifier, quoted and computed keys', () => {
    expect(expr('{ Name = "x", "Quoted Key" = 2, (var.env) = true, var = 1 }')).toEqual({ Name: 'x', 'Quoted Key': 2, prod: true, var: 1 });
    expect(expr('[\n  "a",\n  1,\n  null,\n]')).toEqual(['a', 1, null]);
    expect(expr('{\n  a = 1\n  b = {\n    c = "d" # comment\n  }\n}')).toEqual({ a: 1, b: { c: 'd' } });
  });

  it('reads var, local, each, count, path and terraform.workspace, and indexes', () => {
    expect(expr('var.names[1]')).toBe('b');
    expect(expr('var.tags["Team"]')).toBe('data');
    expect(expr('var.tags.Team')).toBe('data');
    expect(expr('"${local.prefix}-${each.key}-${count.index}"', { each: { key: 'raw', value: 'x' }, count: 2 })).toBe('acme-prod-raw-2');
    expect(expr('terraform.workspace')).toBe('default');
  });

  it('evaluates templates: interpolation, escapes, a lone interpolation keeping its type, strip markers', () => {
    expect(tmpl('app-${var.env}')).toBe('app-prod');
    expect(tmpl('cost $5 and $${literal} %%{x}')).toBe('cost $5 and ${literal} %{x}');
    expect(tmpl('${var.names}')).toEqual(['a', 'b']);
    expect(expr('"a\\"b\\n\\u00e9"')).toBe('a"b\né');
    expect(tmpl('x   ${~ var.env ~}   y')).toBe('xprody');
    expect(expr('<<-EOT\n    hello ${var.env}\n      indented\n    EOT')).toBe('hello prod\n  indented\n');
  });

  it('evaluates for expressions over lists, sets and maps, with conditions and grouping', () => {
    expect(expr('[for s in var.names : upper(s)]')).toEqual(['A', 'B']);
    expect(expr('{ for i, s in var.names : s => i if i > 0 }')).toEqual({ b: 1 });
    expect(expr('{ for k, v in { b = 2, a = 1 } : v => k }')).toEqual({ 1: 'a', 2: 'b' });
    expect(expr('{ for s in ["x", "y", "x"] : s => s... }')).toEqual({ x: ['x', 'x'], y: ['y'] });
    expect(expr('[for s in toset(["b", "a", "b"]) : s]')).toEqual(['a', 'b']);
  });

  it('evaluates splats', () => {
    expect(expr('[{ id = 1 }, { id = 2 }][*].id')).toEqual([1, 2]);
    expect(expr('[{ a = { b = 1 } }].*.a.b')).toEqual([1]);
  });

  it('marks references it cannot know as Unknown, quoting the whole expression', () => {
    const arn = expr('aws_s3_bucket.logs.arn');
    expect(arn).toEqual(new Unknown('aws_s3_bucket.logs.arn', 'resource attributes are known only after apply'));
    expect(expr('"${aws_s3_bucket.logs.id}-suffix"')).toMatchObject({ expression: '"${aws_s3_bucket.logs.id}-suffix"' });
    expect(expr('data.aws_caller_identity.current.account_id')).toMatchObject({ expression: 'data.aws_caller_identity.current.account_id', reason: expect.stringMatching(/data sources/) });
    expect(expr('upper(aws_instance.web[0].id)')).toMatchObject({ expression: 'upper(aws_instance.web[0].id)' });
    expect(expr('timestamp()')).toMatchObject({ expression: 'timestamp()', reason: 'function timestamp() is not evaluated statically' });
    expect(expr('provider::aws::arn_parse("x")')).toBeInstanceOf(Unknown);
    expect(expr('"${var.env}%{ if true }x%{ endif }"')).toBeInstanceOf(Unknown);
  });

  it('keeps an Unknown inside structures that do not need its value', () => {
    expect(expr('merge(var.tags, { Arn = aws_s3_bucket.logs.arn })')).toEqual({ Team: 'data', Arn: new Unknown('aws_s3_bucket.logs.arn', 'resource attributes are known only after apply') });
    expect(expr('length([aws_instance.a.id, "x"])')).toBe(2);
    expect(expr('jsonencode({ a = aws_instance.a.id })')).toBeInstanceOf(Unknown);
  });

  it('raises Terraform\'s own errors, which try() and can() catch', () => {
    expect(() => expr('var.missing')).toThrow(EvaluationError);
    expect(() => expr('var.tags.Nope')).toThrow(/no attribute "Nope"/);
    expect(() => expr('var.names[5]')).toThrow(/out of range/);
    expect(expr('try(var.tags.Nope, "fallback")')).toBe('fallback');
    expect(expr('can(var.names[5])')).toBe(false);
    expect(expr('can(var.names[1])')).toBe(true);
    expect(expr('try(aws_instance.a.id, "x")')).toBeInstanceOf(Unknown);
  });

  it('rejects malformed syntax with an offset', () => {
    expect(() => parseExpression('merge(a, ')).toThrow(HclSyntaxError);
    expect(() => parseExpression('{ a = 1 ')).toThrow(/unterminated object|expected/);
    expect(() => parseExpression('1 +')).toThrow(HclSyntaxError);
  });
});

describe('functions', () => {
  it('computes the common built-ins', () => {
    expect(expr('merge({ a = 1, b = 1 }, null, { b = 2 })')).toEqual({ a: 1, b: 2 });
    expect(expr('concat(["a"], ["b", "c"])')).toEqual(['a', 'b', 'c']);
    expect(expr('lookup(var.tags, "Team", "none")')).toBe('data');
    expect(expr('lookup(var.tags, "Owner", "none")')).toBe('none');
    expect(expr('format("%s-%03d-%.2f-%v-%q", "x", 7, 1.5, true, "q")')).toBe('x-007-1.50-true-"q"');
    expect(expr('lower("ABC")')).toBe('abc');
    expect(expr('join(",", split("-", "a-b-c"))')).toBe('a,b,c');
    expect(expr('length("héllo")')).toBe(5);
    expect(expr('length({ a = 1, b = 2 })')).toBe(2);
    expect(expr('coalesce("", null, "x")')).toBe('x');
    expect(expr('tomap({ a = "b" })')).toEqual({ a: 'b' });
    expect(expr('tolist(toset(["b", "a"]))')).toEqual(['a', 'b']);
    expect(expr('keys({ b = 1, a = 2 })')).toEqual(['a', 'b']);
    expect(expr('flatten([["a"], ["b", ["c"]]])')).toEqual(['a', 'b', 'c']);
    expect(expr('replace("a-b-c", "/-(.)/", "_$1")')).toBe('a_b_c');
    expect(expr('concat([["a"], ["b"]]...)')).toEqual(['a', 'b']);
    expect(() => expr('concat(var.names...)')).toThrow(/must be a list/);
  });

  it('marks sets so that for_each can tell them from lists', () => {
    expect(isSet(expr('toset(["a"])'))).toBe(true);
    expect(isSet(expr('["a"]'))).toBe(false);
  });

  it('encodes JSON as Terraform does: sorted keys, HTML characters escaped', () => {
    expect(expr('jsonencode({ b = 1, a = ["<x>", "&"] })')).toBe('{"a":["\\u003cx\\u003e","\\u0026"],"b":1}');
  });
});
