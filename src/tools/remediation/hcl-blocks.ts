/**
 * Just enough of HCL's native syntax to find blocks and attributes, with exact offsets
 * and lines, in a Terraform file: strings with templates, heredocs and all three comment
 * forms are skipped correctly, so a brace inside a policy string never ends a block.
 * It locates text for an edit; it does not evaluate anything. (The full config parser in
 * src/terraform/config can replace `findResources` when it lands; the edits stay.)
 */

export interface HclAttribute {
  kind: 'attribute';
  name: string;
  /** Offset of the name. */
  start: number;
  valueStart: number;
  /** Exclusive; trailing spaces and a trailing comment are not part of the value. */
  valueEnd: number;
  line: number;
  endLine: number;
}

export interface HclBlock {
  kind: 'block';
  type: string;
  labels: string[];
  start: number;
  /** Offsets of the `{` and its matching `}`. */
  open: number;
  close: number;
  line: number;
  endLine: number;
}

export type HclItem = HclAttribute | HclBlock;

export class HclText {
  readonly text: string;
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    this.text = text;
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** The top-level items of the file. */
  items(): HclItem[] {
    return this.bodyItems(0, this.text.length);
  }

  /** The items of a block's body. */
  children(block: HclBlock): HclItem[] {
    return this.bodyItems(block.open + 1, block.close);
  }

  attribute(block: HclBlock, name: string): HclAttribute | undefined {
    return this.children(block).find((i): i is HclAttribute => i.kind === 'attribute' && i.name === name);
  }

  valueOf(attribute: HclAttribute): string {
    return this.text.slice(attribute.valueStart, attribute.valueEnd);
  }

  bodyItems(from: number, to: number): HclItem[] {
    const t = this.text;
    const items: HclItem[] = [];
    let i = from;
    while (i < to) {
      i = this.skipSpaceAndComments(i, to);
      if (i >= to) break;
      const name = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(t.slice(i, Math.min(to, i + 256)))?.[0];
      if (!name) {
        i = this.endOfLine(i, to);
        continue;
      }
      const start = i;
      let j = i + name.length;
      while (j < to && (t[j] === ' ' || t[j] === '\t')) j++;
      if (t[j] === '=' && t[j + 1] !== '=') {
        let valueStart = j + 1;
        while (valueStart < to && (t[valueStart] === ' ' || t[valueStart] === '\t')) valueStart++;
        let valueEnd = this.endOfExpression(valueStart, to);
        const next = valueEnd;
        while (valueEnd > valueStart && /\s/.test(t[valueEnd - 1]!)) valueEnd--;
        items.push({ kind: 'attribute', name, start, valueStart, valueEnd, line: this.lineOf(start), endLine: this.lineOf(Math.max(valueStart, valueEnd - 1)) });
        i = next;
        continue;
      }
      const labels: string[] = [];
      let open = -1;
      for (let guard = 0; guard < 16 && j < to; guard++) {
        while (j < to && (t[j] === ' ' || t[j] === '\t')) j++;
        if (t[j] === '{') {
          open = j;
          break;
        }
        if (t[j] === '"') {
          const end = this.skipString(j, to);
          labels.push(JSON.parse(t.slice(j, end)) as string);
          j = end;
          continue;
        }
        const bare = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(t.slice(j, Math.min(to, j + 256)))?.[0];
        if (!bare) break;
        labels.push(bare);
        j += bare.length;
      }
      if (open < 0) {
        i = this.endOfLine(i, to);
        continue;
      }
      const close = this.matchClose(open, to);
      items.push({ kind: 'block', type: name, labels, start, open, close, line: this.lineOf(start), endLine: this.lineOf(close) });
      i = close + 1;
    }
    return items;
  }

  private skipSpaceAndComments(i: number, to: number): number {
    const t = this.text;
    while (i < to) {
      if (/\s/.test(t[i]!)) i++;
      else if (this.isLineComment(i)) i = this.endOfLine(i, to);
      else if (t[i] === '/' && t[i + 1] === '*') i = this.skipBlockComment(i, to);
      else break;
    }
    return i;
  }

  private endOfLine(i: number, to: number): number {
    const nl = this.text.indexOf('\n', i);
    return nl < 0 || nl >= to ? to : nl + 1;
  }

  private skipBlockComment(i: number, to: number): number {
    const end = this.text.indexOf('*/', i + 2);
    return end < 0 || end + 2 > to ? to : end + 2;
  }

  /** From an opening quote to just past the closing one, through `${...}` and `%{...}` templates. */
  skipString(i: number, to: number): number {
    const t = this.text;
    let k = i + 1;
    while (k < to) {
      const c = t[k];
      if (c === '\\') k += 2;
      else if (c === '"') return k + 1;
      else if ((c === '$' || c === '%') && t[k + 1] === '{') k = this.matchClose(k + 1, to) + 1;
      else if (c === '\n') return k; // unterminated: stop at the line end
      else k++;
    }
    return to;
  }

  /** From `<<ID` or `<<-ID` to the end of the line holding the closing ID. */
  private skipHeredoc(i: number, to: number): number {
    const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\n/.exec(this.text.slice(i, Math.min(to, i + 300)));
    if (!m) return i + 2;
    let k = i + m[0].length;
    while (k < to) {
      const end = this.endOfLine(k, to);
      if (this.text.slice(k, end).trim() === m[1]) return this.text[end - 1] === '\n' ? end - 1 : end;
      k = end;
    }
    return to;
  }

  /** Past a string, heredoc or block comment starting at `k`; `k` itself when none does. */
  private skipLiteral(k: number, to: number): number {
    const t = this.text;
    if (t[k] === '"') return this.skipString(k, to);
    if (t[k] === '<' && t[k + 1] === '<') return this.skipHeredoc(k, to);
    if (t[k] === '/' && t[k + 1] === '*') return this.skipBlockComment(k, to);
    return k;
  }

  private isLineComment(k: number): boolean {
    return this.text[k] === '#' || (this.text[k] === '/' && this.text[k + 1] === '/');
  }

  /** The offset of the bracket closing the one at `open` ({, [ or (). */
  matchClose(open: number, to: number): number {
    const t = this.text;
    let depth = 0;
    let k = open;
    while (k < to) {
      const past = this.skipLiteral(k, to);
      if (past !== k) {
        k = past;
        continue;
      }
      if (this.isLineComment(k)) {
        k = this.endOfLine(k, to);
        continue;
      }
      const c = t[k]!;
      if (c === '{' || c === '[' || c === '(') depth++;
      else if (c === '}' || c === ']' || c === ')') {
        depth--;
        if (depth === 0) return k;
      }
      k++;
    }
    return to - 1;
  }

  /** Where an attribute's expression ends: the first newline (or comment) outside any bracket. */
  private endOfExpression(i: number, to: number): number {
    const t = this.text;
    let k = i;
    while (k < to) {
      if (t[k] === '\n' || this.isLineComment(k)) return k;
      const past = this.skipLiteral(k, to);
      if (past !== k) {
        k = past;
        continue;
      }
      if (t[k] === '{' || t[k] === '[' || t[k] === '(') {
        k = this.matchClose(k, to) + 1;
        continue;
      }
      k++;
    }
    return to;
  }
}
