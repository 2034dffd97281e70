/** Tags as AWS lists them, `[{Key, Value}]`, as a map `{Key: Value}`. */
export function tagMap(tags: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? '';
  return out;
}
