/**
 * A small XML writer for the AWS XML protocols (REST-XML, Query, EC2 Query).
 * The sandbox only writes XML; the AWS SDK on the other side is the parser.
 */

export type XmlValue =
  | string
  | number
  | boolean
  | Date
  | null
  | undefined
  | XmlList
  | XmlFlat
  | XmlValue[]
  | { [key: string]: XmlValue };

/** A wrapped list whose items carry an explicit element name: <Buckets><Bucket/>...</Buckets>. */
export class XmlList {
  constructor(
    readonly itemName: string,
    readonly items: readonly XmlValue[],
  ) {}
}

/** A flattened list: the items repeat the parent's own element name: <Contents/><Contents/>. */
export class XmlFlat {
  constructor(readonly items: readonly XmlValue[]) {}
}

export const list = (itemName: string, items: readonly XmlValue[]) => new XmlList(itemName, items);
export const flat = (items: readonly XmlValue[]) => new XmlFlat(items);

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function scalar(value: string | number | boolean | Date): string {
  if (value instanceof Date) return value.toISOString();
  return escapeXml(String(value));
}

/**
 * Render `value` as the content of element `name`. Plain arrays use `defaultItem` as their
 * item element name (Query: "member", EC2: "item").
 */
export function element(name: string, value: XmlValue, defaultItem = 'member'): string {
  if (value === undefined || value === null) return '';
  if (value instanceof XmlFlat) return value.items.map((item) => element(name, item, defaultItem)).join('');
  return `<${name}>${content(value, defaultItem)}</${name}>`;
}

function content(value: XmlValue, defaultItem: string): string {
  if (value === undefined || value === null) return '';
  if (value instanceof XmlList) return value.items.map((item) => element(value.itemName, item, defaultItem)).join('');
  if (value instanceof XmlFlat) return value.items.map((item) => content(item, defaultItem)).join('');
  if (Array.isArray(value)) return value.map((item) => element(defaultItem, item, defaultItem)).join('');
  if (value instanceof Date || typeof value !== 'object') return scalar(value);
  return Object.entries(value)
    .map(([k, v]) => element(k, v, defaultItem))
    .join('');
}

/** A whole document with the XML declaration and an optional namespace on the root. */
export function xmlDocument(root: string, value: XmlValue, options: { xmlns?: string; defaultItem?: string } = {}): string {
  const attrs = options.xmlns ? ` xmlns="${options.xmlns}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${attrs}>${content(value, options.defaultItem ?? 'member')}</${root}>`;
}
