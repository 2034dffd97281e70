/**
 * A unified diff of one file, as `git apply` and `patch -p1` read it. Edits are local, so
 * the common prefix and suffix are trimmed first and the LCS runs only on what changed.
 */

const CONTEXT = 3;
/** The changed middle of a Terraform file is a block or two; refuse pathological inputs. */
const MAX_LCS_CELLS = 4_000_000;

/** Lines with their terminators, so a last line without "\n" is its own thing. */
function splitLines(text: string): string[] {
  const lines = text.match(/[^\n]*\n|[^\n]+$/g);
  return lines ?? [];
}

type Op = { kind: ' ' | '-' | '+'; line: string };

function diffLines(a: string[], b: string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const ops: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  if ((midA.length + 1) * (midB.length + 1) > MAX_LCS_CELLS) {
    for (const line of midA) ops.push({ kind: '-', line });
    for (const line of midB) ops.push({ kind: '+', line });
  } else {
    // lcs[i][j]: longest common subsequence of midA[i..] and midB[j..]
    const w = midB.length + 1;
    const lcs = new Uint32Array((midA.length + 1) * w);
    for (let i = midA.length - 1; i >= 0; i--) {
      for (let j = midB.length - 1; j >= 0; j--) {
        lcs[i * w + j] = midA[i] === midB[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < midA.length || j < midB.length) {
      if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
        ops.push({ kind: ' ', line: midA[i]! });
        i++;
        j++;
      } else if (i < midA.length && (j === midB.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        // Deletions first, as diff(1) and git print them.
        ops.push({ kind: '-', line: midA[i]! });
        i++;
      } else {
        ops.push({ kind: '+', line: midB[j]! });
        j++;
      }
    }
  }
  for (const line of a.slice(endA)) ops.push({ kind: ' ', line });
  return ops;
}

/** The unified diff turning `before` into `after`, with `a/<path>` and `b/<path>` headers; '' when equal. */
export function unifiedDiff(path: string, before: string, after: string): string {
  if (before === after) return '';
  const ops = diffLines(splitLines(before), splitLines(after));
  const changed = ops.map((op, i) => (op.kind === ' ' ? -1 : i)).filter((i) => i >= 0);
  // Group changes whose context windows touch into one hunk.
  const groups: Array<[number, number]> = [];
  for (const i of changed) {
    const last = groups[groups.length - 1];
    if (last && i - last[1] <= CONTEXT * 2) last[1] = i;
    else groups.push([i, i]);
  }
  let out = `--- a/${path}\n+++ b/${path}\n`;
  for (const [first, lastChanged] of groups) {
    const from = Math.max(0, first - CONTEXT);
    const to = Math.min(ops.length - 1, lastChanged + CONTEXT);
    let oldStart = 1;
    let newStart = 1;
    for (let k = 0; k < from; k++) {
      if (ops[k]!.kind !== '+') oldStart++;
      if (ops[k]!.kind !== '-') newStart++;
    }
    let oldCount = 0;
    let newCount = 0;
    let body = '';
    for (let k = from; k <= to; k++) {
      const op = ops[k]!;
      if (op.kind !== '+') oldCount++;
      if (op.kind !== '-') newCount++;
      body += `${op.kind}${op.line}`;
      if (!op.line.endsWith('\n')) body += '\n\\ No newline at end of file\n';
    }
    // An empty side starts at the line before it (unified diff convention).
    const oldAt = oldCount === 0 ? oldStart - 1 : oldStart;
    const newAt = newCount === 0 ? newStart - 1 : newStart;
    out += `@@ -${oldAt},${oldCount} +${newAt},${newCount} @@\n${body}`;
  }
  return out;
}
