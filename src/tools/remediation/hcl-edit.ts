/**
 * Text edits on a Terraform file that keep it as `terraform fmt` writes it: new blocks are
 * rendered with two-space indents and aligned `=`, removed blocks take one blank line with
 * them, and a changed value keeps its column.
 */
import type { HclText } from './hcl-blocks.js';

export interface TextEdit {
  start: number;
  end: number;
  replacement: string;
}

export function applyEdits(text: string, edits: ReadonlyArray<TextEdit>): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start);
  let out = text;
  let floor = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    if (edit.end > floor) throw new Error('overlapping edits');
    out = out.slice(0, edit.start) + edit.replacement + out.slice(edit.end);
    floor = edit.start;
  }
  return out;
}

/** A block as terraform fmt renders single-line attributes: `=` aligned across the group. */
export function renderBlock(header: string, attributes: ReadonlyArray<readonly [name: string, value: string]>, indent = ''): string {
  const width = Math.max(0, ...attributes.map(([name]) => name.length));
  const lines = attributes.map(([name, value]) => `${indent}  ${name.padEnd(width)} = ${value}`);
  return `${indent}${header} {\n${lines.join('\n')}\n${indent}}`;
}

/**
 * An edit removing whole lines [from, to] (1-based, inclusive) plus one adjacent blank line,
 * so no double blank line is left behind.
 */
export function deleteLines(hcl: HclText, from: number, to: number): TextEdit {
  const text = hcl.text;
  const starts = lineStarts(text);
  let start = starts[from - 1]!;
  let end = to < starts.length ? starts[to]! : text.length;
  const blank = (line: number) => line >= 1 && line <= starts.length && text.slice(starts[line - 1]!, line < starts.length ? starts[line]! : text.length).trim() === '';
  if (blank(from - 1) && (blank(to + 1) || to + 1 > starts.length || /^\s*}/.test(lineText(text, starts, to + 1)))) start = starts[from - 2]!;
  else if (blank(to + 1) && (from === 1 || /\{\s*$/.test(lineText(text, starts, from - 1)))) end = to + 1 < starts.length ? starts[to + 1]! : text.length;
  return { start, end, replacement: '' };
}

/** True when the lines of [start, end] hold nothing but that range (and a trailing comma). */
export function ownsItsLines(text: string, start: number, end: number): boolean {
  const before = text.slice(text.lastIndexOf('\n', start - 1) + 1, start);
  const nl = text.indexOf('\n', end);
  const after = text.slice(end + 1, nl < 0 ? text.length : nl);
  return before.trim() === '' && /^\s*,?\s*$/.test(after);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n' && i + 1 < text.length) starts.push(i + 1);
  return starts;
}

function lineText(text: string, starts: number[], line: number): string {
  if (line < 1 || line > starts.length) return '';
  return text.slice(starts[line - 1]!, line < starts.length ? starts[line]! : text.length);
}
