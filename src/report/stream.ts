/**
 * Pretty-printed JSON written piece by piece: the same text `JSON.stringify(value, null, 2)` gives
 * for the whole, while only one element of a large array exists at a time. The JSON and OCSF
 * reports stream their findings through these.
 */

const INDENT = '  ';

/** `value` as JSON.stringify(value, null, 2) prints it at nesting `depth`. */
function nested(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2);
  return depth === 0 ? text : text.replace(/\n/g, `\n${INDENT.repeat(depth)}`);
}

/** A JSON array at nesting `depth`, one element at a time. */
export function* jsonArrayChunks<T>(items: Iterable<T>, toJson: (item: T) => unknown, depth: number): Generator<string> {
  const pad = `\n${INDENT.repeat(depth + 1)}`;
  let first = true;
  for (const item of items) {
    yield `${first ? '[' : ','}${pad}${nested(toJson(item), depth + 1)}`;
    first = false;
  }
  yield first ? '[]' : `\n${INDENT.repeat(depth)}]`;
}

/** A top-level JSON object; a field whose value is a generator of chunks (jsonArrayChunks) is streamed, any other is printed whole. */
export function* jsonObjectChunks(fields: Iterable<[string, unknown]>): Generator<string> {
  let first = true;
  for (const [key, value] of fields) {
    if (value === undefined) continue;
    yield `${first ? '{' : ','}\n${INDENT}${JSON.stringify(key)}: `;
    first = false;
    if (isChunks(value)) yield* value;
    else yield nested(value, 1);
  }
  yield first ? '{}' : '\n}';
}

function isChunks(value: unknown): value is Generator<string> {
  return typeof value === 'object' && value !== null && typeof (value as Generator<string>)[Symbol.iterator] === 'function' && typeof (value as Generator<string>).next === 'function';
}

/** Joins small chunks into pieces of about `size` characters: one write per piece, not per finding. */
export function* batched(chunks: Iterable<string>, size = 64 * 1024): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    parts.push(chunk);
    length += chunk.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (length > 0) yield parts.join('');
}
