/**
 * Attributes that providers declare sensitive, by resource type. Terraform records these in a
 * state's `sensitive_attributes` only since 0.15 and only for the instances it has rewritten
 * since, so an older or hand-edited state can hold them unmarked: this table closes that gap.
 * A path is dot-separated; `*` stands for every element of a list or value of a map.
 */

interface ProviderSensitiveRule {
  paths: readonly string[];
  /** When set, the rule applies only to instances whose attributes satisfy it. */
  appliesTo?: (attributes: Record<string, unknown>) => boolean;
}

const RULES: Readonly<Record<string, ProviderSensitiveRule>> = {
  aws_db_instance: { paths: ['password', 'password_wo', 'master_user_secret'] },
  aws_rds_cluster: { paths: ['master_password', 'master_password_wo', 'master_user_secret'] },
  aws_docdb_cluster: { paths: ['master_password'] },
  aws_redshift_cluster: { paths: ['master_password'] },
  aws_redshiftserverless_namespace: { paths: ['admin_user_password'] },
  aws_dms_endpoint: { paths: ['password'] },
  aws_directory_service_directory: { paths: ['password'] },
  aws_iam_access_key: { paths: ['secret', 'ses_smtp_password_v4'] },
  aws_iam_user_login_profile: { paths: ['password'] },
  aws_iam_service_specific_credential: { paths: ['service_password'] },
  aws_secretsmanager_secret_version: { paths: ['secret_string', 'secret_binary', 'secret_string_wo'] },
  // A plain String parameter is configuration an audit should read; a SecureString is a secret.
  aws_ssm_parameter: { paths: ['value'], appliesTo: (attributes) => attributes.type === 'SecureString' },
  aws_elasticache_replication_group: { paths: ['auth_token'] },
  aws_elasticache_user: { paths: ['passwords'] },
  aws_mq_broker: { paths: ['user.*.password'] },
  aws_opensearch_domain: { paths: ['advanced_security_options.*.master_user_options.*.master_user_password'] },
  aws_elasticsearch_domain: { paths: ['advanced_security_options.*.master_user_options.*.master_user_password'] },
  aws_cognito_user_pool_client: { paths: ['client_secret'] },
  aws_api_gateway_api_key: { paths: ['value'] },
  aws_appsync_api_key: { paths: ['key'] },
  aws_kms_ciphertext: { paths: ['plaintext'] },
  aws_codebuild_source_credential: { paths: ['token'] },
  aws_amplify_app: { paths: ['access_token', 'oauth_token', 'basic_auth_credentials'] },
  tls_private_key: { paths: ['private_key_pem', 'private_key_openssh', 'private_key_pem_pkcs8'] },
  tls_self_signed_cert: { paths: ['private_key_pem'] },
  tls_cert_request: { paths: ['private_key_pem'] },
  random_password: { paths: ['result', 'bcrypt_hash'] },
};

const compiled = new Map<string, { steps: string[][]; appliesTo?: ProviderSensitiveRule['appliesTo'] }>(
  Object.entries(RULES).map(([type, rule]) => [type, { steps: rule.paths.map((path) => path.split('.')), appliesTo: rule.appliesTo }]),
);

/** Resource types with provider-known secret attributes (for documentation and tests). */
export function providerSensitiveTypes(): string[] {
  return [...compiled.keys()];
}

/**
 * Replace each provider-known secret attribute of one instance via `conceal` (which learns the
 * value and returns the marker). Returns how many values were concealed.
 */
export function concealProviderSensitive(
  resourceType: string,
  attributes: Record<string, unknown>,
  conceal: (value: unknown) => string,
): number {
  const rule = compiled.get(resourceType);
  if (!rule || (rule.appliesTo && !rule.appliesTo(attributes))) return 0;
  let count = 0;
  for (const steps of rule.steps) count += concealAt(attributes, steps, 0, conceal);
  return count;
}

function concealAt(node: unknown, steps: readonly string[], at: number, conceal: (value: unknown) => string): number {
  if (node === null || typeof node !== 'object') return 0;
  const container = node as Record<string, unknown>;
  const step = steps[at]!;
  const keys = step === '*' ? Object.keys(container) : [step];
  let count = 0;
  for (const key of keys) {
    const value = container[key];
    if (value === undefined || value === null) continue;
    if (at === steps.length - 1) {
      container[key] = conceal(value);
      count++;
    } else count += concealAt(value, steps, at + 1, conceal);
  }
  return count;
}
