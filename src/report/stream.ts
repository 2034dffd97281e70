/**
 * Pretty-printed JSON written piece by piece: the same text `JSON.stringify(value, null, 2)` gives
 * for the whole, while only one element of a large array exists at a time. The JSON, OCSF and
 * SARIF reports stream their findings through these.
 */

const INDENT = '  ';

/** `value` as JSON.stringify(value, null, 2) prints it at nesting `depth`. */
function nested(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2);
  return depth === 0 ? text : text.replace(/\n/g, `\n${INDENT.repeat(depth)}`);
}

/**
 * A JSON array at nesting `depth`, one element at a time. An element whose JSON is a generator of
 * chunks (jsonObjectChunks or jsonArrayChunks at `depth + 1`) is streamed; any other is printed whole.
 */
export function* jsonArrayChunks<T>(items: Iterable<T>, toJson: (item: T) => unknown, depth: number): Generator<string> {
  const pad = `\n${INDENT.repeat(depth + 1)}`;
  let first = true;
  for (const item of items) {
    const value = toJson(item);
    if (isChunks(value)) {
      yield `${first ? '[' : ','}${pad}`;
      yield* value;
    } else yield `${first ? '[' : ','}${pad}${nested(value, depth + 1)}`;
    first = false;
  }
  yield first ? '[]' : `\n${INDENT.repeat(depth)}]`;
}

/**
 * A JSON object at nesting `depth` (0: the top level). A field whose value is a generator of chunks
 * (jsonArrayChunks or jsonObjectChunks at `depth + 1`) is streamed, any other is printed whole; an
 * undefined value leaves its field out, as JSON.stringify does.
 */
export function* jsonObjectChunks(fields: Iterable<[string, unknown]>, depth = 0): Generator<string> {
  const pad = `\n${INDENT.repeat(depth + 1)}`;
  let first = true;
  for (const [key, value] of fields) {
    if (value === undefined) continue;
    yield `${first ? '{' : ','}${pad}${JSON.stringify(key)}: `;
    first = false;
    if (isChunks(value)) yield* value;
    else yield nested(value, depth + 1);
  }
  yield first ? '{}' : `\n${INDENT.repeat(depth)}}`;
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
