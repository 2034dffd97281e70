/**
 * Attribute names that hold secrets, whatever the resource or API: `password`,
 * `master_password`, `SecretAccessKey`, `client_secret`, `auth_token`, `private_key`...
 * Names are compared in snake_case, so Terraform attributes and AWS API fields share one rule.
 * Only string values are redacted by name: `password_length = 20` or
 * `manage_master_user_password = true` say nothing secret.
 */

const SENSITIVE_WORD =
  /(?:^|_)(?:password|passwd|passphrase|pwd|secret|secrets|token|privatekey|apikey)(?:$|_)|(?:^|_)(?:private|api)_key(?:$|_)/;

/**
 * Names that contain a sensitive word but name something else about the secret: where it is
 * (`secret_arn`, `kms_key_id`), when it changed (`password_last_used`), or a pagination or
 * idempotency token that grants nothing.
 */
const NOT_A_SECRET_SUFFIX =
  /_(?:arn|arns|id|ids|name|names|length|required|enabled|version|status|policy|type|ttl|expiry|expiration|validity|units|count|rotation|last_used|last_changed|created|date|url|uri|endpoint|location|path|prefix|kms_key_id)$/;

const NOT_A_SECRET = new Set([
  'next_token',
  'continuation_token',
  'next_continuation_token',
  'creation_token',
  'client_token',
  'client_request_token',
  'idempotency_token',
  'token_validity_units',
]);

const cache = new Map<string, boolean>();
const CACHE_LIMIT = 20_000;

/** `SecretAccessKey` → `secret_access_key`; `master-password` → `master_password`. */
export function snakeCaseName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[-.\s]+/g, '_')
    .toLowerCase();
}

export function isSensitiveName(name: string): boolean {
  let verdict = cache.get(name);
  if (verdict === undefined) {
    const snake = snakeCaseName(name);
    verdict = SENSITIVE_WORD.test(snake) && !NOT_A_SECRET.has(snake) && !NOT_A_SECRET_SUFFIX.test(snake);
    // State files repeat the same few hundred names; the bound only guards odd inputs.
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(name, verdict);
  }
  return verdict;
}
