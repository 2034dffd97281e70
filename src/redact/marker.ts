/**
 * What a redacted value is replaced with. The marker names the reason, so a reader (person or
 * agent) knows a value existed and why it is hidden, without learning anything about it.
 */
export type RedactionKind =
  | 'sensitive'
  | 'aws-access-key-id'
  | 'aws-secret-access-key'
  | 'private-key'
  | 'jwt'
  | 'password';

export function redactionMarker(kind: RedactionKind): string {
  return `<redacted:${kind}>`;
}

/** The marker for values Terraform, a provider schema or an attribute name says are sensitive. */
export const SENSITIVE_MARKER = redactionMarker('sensitive');

const MARKER_SHAPE = /^<redacted:[a-z-]+>$/;

export function isRedactionMarker(value: unknown): boolean {
  return typeof value === 'string' && MARKER_SHAPE.test(value);
}
