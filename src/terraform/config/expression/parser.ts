/**
 * A recursive-descent parser for HCL's native expression syntax: literals, quoted and heredoc
 * templates, tuples, objects, traversals, splats, function calls, for-expressions, and the
 * unary, binary and conditional operators at HCL's precedences. hcl2json leaves every
 * non-literal expression as source text inside `${…}`; this turns that text into a tree.
 */
import { SPLAT_ELEMENT, type BinaryOperator, type Expr } from './ast.js';

export class HclSyntaxError extends Error {
  override readonly name = 'HclSyntaxError';
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** One whole expression, e.g. `merge(local.tags, { Name = var.name })`. */
export function parseExpression(source: string): Expr {
  const parser = new Parser(source);
  const expr = parser.expression();
  parser.skipSpace(true);
  if (!parser.atEnd()) throw new HclSyntaxError(`unexpected "${source.slice(parser.pos, parser.pos + 10)}" after the expression`, parser.pos);
  return expr;
}

/**
 * A string value as hcl2json gives it: a template whose literal parts are already unescaped,
 * with `${…}` interpolations (and `$${` escapes) kept as written.
 */
export function parseTemplate(source: string): Expr {
  const parser = new Parser(source);
  return parser.template(0, null);
}

const PRECEDENCE: ReadonlyArray<readonly BinaryOperator[]> = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']];
const TWO_CHAR_OPERATORS = new Set(['==', '!=', '<=', '>=', '&&', '||']);
const ONE_CHAR_OPERATORS = new Set(['<', '>', '+', '-', '*', '/', '%']);
const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_-]/;
/** Nesting deeper than this in one expression is refused rather than risking the stack. */
const MAX_DEPTH = 200;

class Parser {
  pos = 0;
  #depth = 0;
  constructor(readonly src: string) {}

  atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  #fail(message: string): never {
    throw new HclSyntaxError(message, this.pos);
  }

  skipSpace(newlines: boolean): void {
    const src = this.src;
    // Each branch consumes at least one character or leaves the loop.
    for (;;) {
      const ch = src[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\r' || (newlines && ch === '\n')) this.pos++;
      else if (ch === '#' || (ch === '/' && src[this.pos + 1] === '/')) {
        const eol = src.indexOf('\n', this.pos);
        this.pos = eol === -1 ? src.length : newlines ? eol + 1 : eol;
      } else if (ch === '/' && src[this.pos + 1] === '*') {
        const close = src.indexOf('*/', this.pos + 2);
        if (close === -1) this.#fail('unterminated comment');
        this.pos = close + 2;
      } else return;
    }
  }

  #peekWord(): string {
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos, this.pos + 200));
    return match ? match[0] : '';
  }

  #expect(text: string): void {
    this.skipSpace(true);
    if (!this.src.startsWith(text, this.pos)) this.#fail(`expected "${text}"`);
    this.pos += text.length;
  }

  expression(): Expr {
    if (++this.#depth > MAX_DEPTH) this.#fail('expression nested too deeply');
    try {
      this.skipSpace(true);
      const start = this.pos;
      const condition = this.#binary(0);
      this.skipSpace(true);
      if (this.src[this.pos] !== '?') return condition;
      this.pos++;
      const then = this.expression();
      this.#expect(':');
      const otherwise = this.expression();
      return { kind: 'conditional', condition, then, otherwise, start, end: this.pos };
    } finally {
      this.#depth--;
    }
  }

  #binary(level: number): Expr {
    if (level === PRECEDENCE.length) return this.#unary();
    const start = this.pos;
    let left = this.#binary(level + 1);
    // Each iteration consumes an operator and an operand.
    for (;;) {
      this.skipSpace(true);
      const op = this.#operatorAt();
      if (!op || !PRECEDENCE[level]!.includes(op)) return left;
      this.pos += op.length;
      this.skipSpace(true);
      const right = this.#binary(level + 1);
      left = { kind: 'binary', op, left, right, start, end: this.pos };
    }
  }

  #operatorAt(): BinaryOperator | undefined {
    const two = this.src.slice(this.pos, this.pos + 2);
    if (TWO_CHAR_OPERATORS.has(two)) return two as BinaryOperator;
    const one = this.src[this.pos] ?? '';
    return ONE_CHAR_OPERATORS.has(one) ? (one as BinaryOperator) : undefined;
  }

  #unary(): Expr {
    this.skipSpace(true);
    const start = this.pos;
    const ch = this.src[this.pos];
    if (ch === '!' || (ch === '-' && !/[0-9]/.test(this.src[this.pos + 1] ?? ''))) {
      this.pos++;
      const operand = this.#unary();
      return { kind: 'unary', op: ch, operand, start, end: this.pos };
    }
    return this.#postfix(this.#primary(), start);
  }

  #primary(): Expr {
    this.skipSpace(true);
    const start = this.pos;
    const ch = this.src[this.pos];
    if (ch === undefined) this.#fail('expected an expression, found the end');
    if (ch === '(') {
      this.pos++;
      const inner = this.expression();
      this.#expect(')');
      return { kind: 'parens', inner, start, end: this.pos };
    }
    if (ch === '"') {
      this.pos++;
      return this.template(start, '"');
    }
    if (ch === '<' && this.src[this.pos + 1] === '<') return this.#heredoc();
    if (ch === '[') return this.#tupleOrFor();
    if (ch === '{') return this.#objectOrFor();
    if (/[0-9-]/.test(ch)) return this.#number();
    if (IDENT_START.test(ch)) {
      const word = this.#identifier();
      if (word === 'true' || word === 'false') return { kind: 'literal', value: word === 'true', start, end: this.pos };
      if (word === 'null') return { kind: 'literal', value: null, start, end: this.pos };
      if (this.src[this.pos] === '(') return this.#call(word, start);
      return { kind: 'variable', name: word, start, end: this.pos };
    }
    this.#fail(`unexpected "${ch}"`);
  }

  #identifier(): string {
    let end = this.pos;
    // Provider-defined functions: provider::aws::arn_parse(...)
    while (end < this.src.length && (IDENT_PART.test(this.src[end]!) || (this.src.startsWith('::', end) && IDENT_START.test(this.src[end + 2] ?? '')))) {
      end += this.src.startsWith('::', end) ? 2 : 1;
    }
    const word = this.src.slice(this.pos, end);
    this.pos = end;
    return word;
  }

  #number(): Expr {
    const start = this.pos;
    const match = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.src.slice(this.pos, this.pos + 400));
    if (!match) this.#fail('expected a number');
    this.pos += match[0].length;
    return { kind: 'literal', value: Number(match[0]), start, end: this.pos };
  }

  #call(name: string, start: number): Expr {
    this.pos++; // (
    const args: Expr[] = [];
    let expandFinal = false;
    this.skipSpace(true);
    while (this.src[this.pos] !== ')') {
      args.push(this.expression());
      this.skipSpace(true);
      if (this.src.startsWith('...', this.pos)) {
        expandFinal = true;
        this.pos += 3;
        this.skipSpace(true);
      }
      if (this.src[this.pos] === ',') {
        this.pos++;
        this.skipSpace(true);
      } else if (this.src[this.pos] !== ')') this.#fail(`expected "," or ")" in the arguments of ${name}`);
    }
    this.pos++;
    return { kind: 'call', name, args, expandFinal, start, end: this.pos };
  }

  #postfix(target: Expr, start: number): Expr {
    let expr = target;
    // Each iteration consumes one traversal step.
    for (;;) {
      this.skipSpace(false);
      const ch = this.src[this.pos];
      if (ch === '.' && this.src[this.pos + 1] === '*') {
        this.pos += 2;
        return { kind: 'splat', target: expr, each: this.#splatEach(true), start, end: this.pos };
      }
      if (ch === '.' && /[0-9]/.test(this.src[this.pos + 1] ?? '')) {
        this.pos++;
        const keyStart = this.pos;
        const digits = /^[0-9]+/.exec(this.src.slice(this.pos))![0];
        this.pos += digits.length;
        expr = { kind: 'index', target: expr, key: { kind: 'literal', value: Number(digits), start: keyStart, end: this.pos }, start, end: this.pos };
      } else if (ch === '.' && IDENT_START.test(this.src[this.pos + 1] ?? '')) {
        this.pos++;
        expr = { kind: 'getattr', target: expr, name: this.#identifier(), start, end: this.pos };
      } else if (ch === '[') {
        if (/^\[\s*\*\s*\]/.test(this.src.slice(this.pos, this.pos + 10))) {
          this.pos = this.src.indexOf(']', this.pos) + 1;
          return { kind: 'splat', target: expr, each: this.#splatEach(false), start, end: this.pos };
        }
        this.pos++;
        const key = this.expression();
        this.#expect(']');
        expr = { kind: 'index', target: expr, key, start, end: this.pos };
      } else return expr;
    }
  }

  /** The traversal after `[*]` (full) or `.*` (attributes only), applied to each element. */
  #splatEach(attributesOnly: boolean): Expr {
    const start = this.pos;
    let each: Expr = { kind: 'variable', name: SPLAT_ELEMENT, start, end: start };
    for (;;) {
      if (this.src[this.pos] === '.' && IDENT_START.test(this.src[this.pos + 1] ?? '')) {
        this.pos++;
        each = { kind: 'getattr', target: each, name: this.#identifier(), start, end: this.pos };
      } else if (!attributesOnly && this.src[this.pos] === '[') {
        this.pos++;
        const key = this.expression();
        this.#expect(']');
        each = { kind: 'index', target: each, key, start, end: this.pos };
      } else return each;
    }
  }

  #tupleOrFor(): Expr {
    const start = this.pos;
    this.pos++;
    this.skipSpace(true);
    if (this.#peekWord() === 'for') return this.#for(start, ']');
    const items: Expr[] = [];
    while (this.src[this.pos] !== ']') {
      items.push(this.expression());
      this.skipSpace(true);
      if (this.src[this.pos] === ',') {
        this.pos++;
        this.skipSpace(true);
      } else if (this.src[this.pos] !== ']') this.#fail('expected "," or "]" in a tuple');
    }
    this.pos++;
    return { kind: 'tuple', items, start, end: this.pos };
  }

  #objectOrFor(): Expr {
    const start = this.pos;
    this.pos++;
    this.skipSpace(true);
    if (this.#peekWord() === 'for') return this.#for(start, '}');
    const items: Array<{ key: Expr; value: Expr }> = [];
    while (this.src[this.pos] !== '}') {
      if (this.atEnd()) this.#fail('unterminated object');
      items.push({ key: this.#objectKey(), value: (this.#keyValueSeparator(), this.expression()) });
      this.skipSpace(true);
      if (this.src[this.pos] === ',') {
        this.pos++;
        this.skipSpace(true);
      }
    }
    this.pos++;
    return { kind: 'object', items, start, end: this.pos };
  }

  /** A bare identifier key is a literal string (`{ var = 1 }` has the key "var"). */
  #objectKey(): Expr {
    const start = this.pos;
    const word = this.#peekWord();
    if (word) {
      const after = this.src.slice(this.pos + word.length).match(/^[ \t]*([=:])(?![=>])/);
      if (after) {
        this.pos += word.length;
        return { kind: 'literal', value: word, start, end: this.pos };
      }
    }
    return this.expression();
  }

  #keyValueSeparator(): void {
    this.skipSpace(true);
    const ch = this.src[this.pos];
    if ((ch === '=' || ch === ':') && this.src[this.pos + 1] !== '=' && this.src[this.pos + 1] !== '>') this.pos++;
    else this.#fail('expected "=" or ":" after an object key');
  }

  #for(start: number, close: ']' | '}'): Expr {
    this.pos += 3;
    this.skipSpace(true);
    let keyVar: string | undefined;
    let valueVar = this.#identifier();
    this.skipSpace(true);
    if (this.src[this.pos] === ',') {
      this.pos++;
      this.skipSpace(true);
      keyVar = valueVar;
      valueVar = this.#identifier();
    }
    this.skipSpace(true);
    if (this.#peekWord() !== 'in') this.#fail('expected "in" in a for expression');
    this.pos += 2;
    const collection = this.expression();
    this.#expect(':');
    let keyExpr: Expr | undefined;
    let valueExpr = this.expression();
    let grouping = false;
    this.skipSpace(true);
    if (close === '}') {
      keyExpr = valueExpr;
      this.#expect('=>');
      valueExpr = this.expression();
      this.skipSpace(true);
      if (this.src.startsWith('...', this.pos)) {
        grouping = true;
        this.pos += 3;
        this.skipSpace(true);
      }
    }
    let condition: Expr | undefined;
    if (this.#peekWord() === 'if') {
      this.pos += 2;
      condition = this.expression();
    }
    this.#expect(close);
    return { kind: 'for', keyVar, valueVar, collection, keyExpr, valueExpr, condition, grouping, start, end: this.pos };
  }

  #heredoc(): Expr {
    const start = this.pos;
    const match = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(this.src.slice(this.pos, this.pos + 200));
    if (!match) this.#fail('malformed heredoc');
    const [opener, indent, marker] = match as unknown as [string, string, string];
    const bodyStart = this.pos + opener.length;
    const closing = new RegExp(`^[ \\t]*${marker}[ \\t]*$`, 'm');
    const rest = this.src.slice(bodyStart);
    const found = closing.exec(rest);
    if (!found) this.#fail(`heredoc ${marker} is not closed`);
    let body = rest.slice(0, found.index);
    if (indent) {
      const lines = body.split('\n');
      const widths = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
      const strip = widths.length ? Math.min(...widths) : 0;
      body = lines.map((l) => l.slice(strip)).join('\n');
    }
    this.pos = bodyStart + found.index + found[0].length;
    const template = new Parser(body).template(0, null);
    return { ...template, source: body, start, end: this.pos } as Expr;
  }

  /**
   * Template text up to `terminator` (`"`) or the end. Inside an expression's quoted string,
   * backslash escapes are decoded; in hcl2json's output they already are.
   */
  template(start: number, terminator: '"' | null): Expr {
    const escapes = terminator !== null;
    const parts: Array<string | Expr> = [];
    let literal = '';
    let trimNext = false;
    const flush = () => {
      if (trimNext) literal = literal.replace(/^\s+/, '');
      if (literal) parts.push(literal);
      literal = '';
      trimNext = false;
    };
    for (;;) {
      if (this.atEnd()) {
        if (terminator) this.#fail('unterminated string');
        break;
      }
      const ch = this.src[this.pos]!;
      if (terminator && ch === terminator) {
        this.pos++;
        break;
      }
      if (escapes && ch === '\\') {
        literal += this.#escape();
        continue;
      }
      if (this.src.startsWith('$${', this.pos) || this.src.startsWith('%%{', this.pos)) {
        literal += `${ch}{`;
        this.pos += 3;
        continue;
      }
      if (this.src.startsWith('${', this.pos) || this.src.startsWith('%{', this.pos)) {
        const directive = ch === '%';
        const partStart = this.pos;
        this.pos += 2;
        if (this.src[this.pos] === '~') {
          literal = literal.replace(/\s+$/, '');
          this.pos++;
        }
        flush();
        if (directive) {
          parts.push({ kind: 'directive', reason: 'template directives (%{if}, %{for}) are not evaluated', start: partStart, end: this.#skipDirective() });
          continue;
        }
        const expr = this.expression();
        this.skipSpace(true);
        if (this.src[this.pos] === '~') {
          trimNext = true;
          this.pos++;
        }
        if (this.src[this.pos] !== '}') this.#fail('expected "}" to close "${"');
        this.pos++;
        parts.push(expr);
        continue;
      }
      literal += ch;
      this.pos++;
    }
    flush();
    return { kind: 'template', parts, quoted: terminator !== null, start, end: this.pos };
  }

  #skipDirective(): number {
    const close = this.src.indexOf('}', this.pos);
    if (close === -1) this.#fail('unterminated template directive');
    this.pos = close + 1;
    return this.pos;
  }

  #escape(): string {
    const next = this.src[this.pos + 1];
    this.pos += 2;
    switch (next) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '"': return '"';
      case '\\': return '\\';
      case 'u':
      case 'U': {
        const length = next === 'u' ? 4 : 8;
        const hex = this.src.slice(this.pos, this.pos + length);
        if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== length) this.#fail('malformed unicode escape');
        this.pos += length;
        return String.fromCodePoint(parseInt(hex, 16));
      }
      default:
        this.#fail(`unknown escape "\\${next ?? ''}"`);
    }
  }
}
