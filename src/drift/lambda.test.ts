/**
 * Drift for Lambda (aws_lambda_function, aws_lambda_permission, aws_lambda_function_url) through
 * `infra-audit drift` against the sandbox, with a state and its configuration: in sync (defaults,
 * an account named by root ARN or id, CORS lists in another order), changed per attribute and
 * tag, missing, unmanaged with import blocks in the provider's formats. Environment variables
 * are compared by value and never shown: a diff names the variable, and no value (canaries in
 * the state, the configuration and the live account) appears in any output format.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../test-support/sandbox.js';
import { driftCli, stateOf, stateResource, type DriftCliRun } from '../test-support/drift.js';

const ACCOUNT_ID = '111122223333';
const fnArn = (name: string, region = 'us-east-1') => `arn:aws:lambda:${region}:${ACCOUNT_ID}:function:${name}`;
const ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/lambda-exec`;
const BUCKET = 'arn:aws:s3:::acme-uploads';
const RULE = `arn:aws:events:us-east-1:${ACCOUNT_ID}:rule/nightly`;
const CANARY = /CANARY-/;
const SUBNET_A = 'subnet-0a1b2c3d4e5f60718';
const SUBNET_B = 'subnet-0b2c3d4e5f6071829';
const SG_APP = 'sg-0a1b2c3d4e5f60718';
const SG_DEBUG = 'sg-0f9e8d7c6b5a40312';
const layer = (name: string, version: number) => `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:layer:${name}:${version}`;
const STATE_KEY = 'CANARY-state-stripe-key-1b2c3d';
const LIVE_KEY = 'CANARY-live-stripe-key-9f8e7d';
const SAME_TOKEN = 'CANARY-same-token-5a6b7c';

const statement = (sid: string, principal: object, condition?: object, action = 'lambda:InvokeFunction', name = 'thumbnailer') => ({
  Sid: sid, Effect: 'Allow', Principal: principal, Action: action, Resource: fnArn(name), ...(condition ? { Condition: condition } : {}),
});

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: {
    'us-east-1': {
      Lambda: {
        Functions: [
          {
            FunctionName: 'thumbnailer', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', LastModified: '2026-01-01T00:00:00Z', MemorySize: 512, Timeout: 30,
            // The token is unchanged; the Stripe key was rotated in the console; DEBUG was added there.
            Environment: { Variables: { API_TOKEN: SAME_TOKEN, STRIPE_KEY: LIVE_KEY, DEBUG: 'CANARY-debug-on' } },
            Tags: { team: 'media' },
            Policy: {
              Version: '2012-10-17',
              Statement: [
                statement('AllowS3', { Service: 's3.amazonaws.com' }, { ArnLike: { 'AWS:SourceArn': BUCKET }, StringEquals: { 'AWS:SourceAccount': ACCOUNT_ID } }),
                // Re-pointed in the console at another rule.
                statement('AllowEvents', { Service: 'events.amazonaws.com' }, { ArnLike: { 'AWS:SourceArn': `arn:aws:events:us-east-1:${ACCOUNT_ID}:rule/hourly` } }),
                statement('AllowAccount', { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }),
                // Added by hand: a vendor may invoke.
                statement('VendorInvoke', { AWS: 'arn:aws:iam::444455556666:root' }),
                statement('FunctionURLAllowPublicAccess', '*' as unknown as object, { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } }, 'lambda:InvokeFunctionUrl'),
              ],
            },
            // Opened to the internet in the console (the state says AWS_IAM).
            FunctionUrl: { AuthType: 'NONE', Cors: { AllowOrigins: ['https://b.example', 'https://a.example'], AllowMethods: ['GET'] } },
          },
          // In sync: the provider's defaults, no environment on either side; its subnets listed in another order than the state's.
          { FunctionName: 'status-page', Role: ROLE, LastModified: '2026-01-01T00:00:00Z', Tags: { team: 'web' }, VpcConfig: { SubnetIds: [SUBNET_B, SUBNET_A], SecurityGroupIds: [SG_APP] }, Layers: [layer('otel', 3)] },
          // A security group added and its layer bumped in the console.
          { FunctionName: 'vpc-worker', Role: ROLE, LastModified: '2026-01-01T00:00:00Z', VpcConfig: { SubnetIds: [SUBNET_A], SecurityGroupIds: [SG_APP, SG_DEBUG] }, Layers: [layer('otel', 4), layer('shared', 1)] },
          // Changed: memory, timeout, a tag.
          { FunctionName: 'resizer', Runtime: 'python3.12', Role: ROLE, Handler: 'app.main', LastModified: '2026-01-01T00:00:00Z', MemorySize: 1024, Timeout: 3, Tags: { team: 'ops' } },
          // Made by hand, with a URL.
          { FunctionName: 'scratch-fn', Role: ROLE, LastModified: '2026-01-01T00:00:00Z', Environment: { Variables: { PASSWORD: 'CANARY-unmanaged-env' } }, FunctionUrl: { AuthType: 'AWS_IAM' } },
        ],
      },
    },
  },
};

const functionState = (name: string, extra: Record<string, unknown>) => ({
  id: name, function_name: name, arn: fnArn(name), qualified_arn: `${fnArn(name)}:$LATEST`, role: ROLE, runtime: 'nodejs20.x', handler: 'index.handler', description: '',
  memory_size: 128, timeout: 3, architectures: ['x86_64'], package_type: 'Zip', kms_key_arn: '', publish: false, layers: [], environment: [], tracing_config: [{ mode: 'PassThrough' }],
  source_code_hash: 'abc', filename: 'build.zip', tags: {}, tags_all: {}, ...extra,
});
const permissionState = (name: string, extra: Record<string, unknown>) => ({
  id: name, statement_id: name, statement_id_prefix: '', function_name: 'thumbnailer', action: 'lambda:InvokeFunction', qualifier: '', event_source_token: null,
  source_arn: null, source_account: null, principal_org_id: null, function_url_auth_type: null, ...extra,
});
const STATE = stateOf('lambda-test', [
  stateResource('aws_lambda_function', 'thumbnailer', functionState('thumbnailer', {
    memory_size: 512, timeout: 30, tags: { team: 'media' }, tags_all: { team: 'media' },
    environment: [{ variables: { API_TOKEN: SAME_TOKEN, STRIPE_KEY: STATE_KEY } }],
  })),
  stateResource('aws_lambda_function', 'status_page', functionState('status-page', {
    runtime: 'nodejs20.x', tags: { team: 'web' }, tags_all: { team: 'web' }, layers: [layer('otel', 3)],
    vpc_config: [{ subnet_ids: [SUBNET_A, SUBNET_B], security_group_ids: [SG_APP], vpc_id: 'vpc-0a1b2c3d4e5f60718', ipv6_allowed_for_dual_stack: false }],
  })),
  stateResource('aws_lambda_function', 'vpc_worker', functionState('vpc-worker', {
    layers: [layer('shared', 1), layer('otel', 3)],
    vpc_config: [{ subnet_ids: [SUBNET_A], security_group_ids: [SG_APP], vpc_id: 'vpc-0a1b2c3d4e5f60718', ipv6_allowed_for_dual_stack: false }],
  })),
  stateResource('aws_lambda_function', 'resizer', functionState('resizer', { runtime: 'python3.12', handler: 'app.main', memory_size: 512, timeout: 3, tags: { team: 'media' }, tags_all: { team: 'media' } })),
  stateResource('aws_lambda_function', 'deleted', functionState('deleted', {})),
  stateResource('aws_lambda_permission', 's3', permissionState('AllowS3', { principal: 's3.amazonaws.com', source_arn: BUCKET, source_account: ACCOUNT_ID })),
  stateResource('aws_lambda_permission', 'events', permissionState('AllowEvents', { principal: 'events.amazonaws.com', source_arn: RULE })),
  // Written with the account id: the policy holds the root ARN.
  stateResource('aws_lambda_permission', 'account', permissionState('AllowAccount', { principal: ACCOUNT_ID, function_name: fnArn('thumbnailer') })),
  stateResource('aws_lambda_permission', 'url', permissionState('FunctionURLAllowPublicAccess', { action: 'lambda:InvokeFunctionUrl', principal: '*', function_url_auth_type: 'NONE' })),
  stateResource('aws_lambda_permission', 'removed', permissionState('AllowSns', { principal: 'sns.amazonaws.com' })),
  stateResource('aws_lambda_function_url', 'thumbnailer', {
    id: 'thumbnailer', function_name: 'thumbnailer', qualifier: '', authorization_type: 'AWS_IAM', invoke_mode: 'BUFFERED', function_url: 'https://x.lambda-url.us-east-1.on.aws/', url_id: 'x',
    cors: [{ allow_credentials: false, allow_headers: [], allow_methods: ['GET'], allow_origins: ['https://a.example', 'https://b.example'], expose_headers: [], max_age: 0 }],
  }),
]);

const HCL = `
variable "stripe_key" {
  type      = string
  sensitive = true
  default   = "${STATE_KEY}"
}

resource "aws_lambda_function" "thumbnailer" {
  function_name = "thumbnailer"
  role          = "${ROLE}"
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  memory_size   = 512
  timeout       = 30
  filename      = "build.zip"
  environment {
    variables = {
      API_TOKEN  = "${SAME_TOKEN}"
      STRIPE_KEY = var.stripe_key
    }
  }
  tags = { team = "media" }
}

resource "aws_lambda_function" "resizer" {
  function_name = "resizer"
  role          = "${ROLE}"
  runtime       = "python3.12"
  handler       = "app.main"
  memory_size   = 512
  filename      = "build.zip"
  tags          = { team = "media" }
}
`;

describe('drift of Lambda functions, permissions and function URLs', () => {
  const env = useSandbox(ACCOUNT);
  let run: DriftCliRun;
  beforeAll(async () => {
    run = await driftCli(env.endpoint, { state: STATE, hcl: HCL, regions: ['us-east-1'] });
  });

  it('compares every instance, with no failed read', () => {
    expect(run.code).toBe(1);
    expect(run.report.unsupportedTypes).toEqual([]);
    expect(run.report.unchecked).toEqual([]);
    expect(run.report.errors).toEqual([]);
  });

  it('function: in sync with the provider\'s defaults; memory, timeout and a tag changed are each named', () => {
    expect(run.entry('aws_lambda_function.status_page')).toBeUndefined();
    const resizer = run.entry('aws_lambda_function.resizer');
    expect(resizer?.resourceId).toBe(fnArn('resizer'));
    expect(resizer?.diffs).toEqual([
      expect.objectContaining({ path: 'memory_size', config: 512, state: 512, live: 1024 }),
      expect.objectContaining({ path: 'tags.team', state: 'media', live: 'ops' }),
    ]);
    expect(run.entry('aws_lambda_function.deleted')?.kind).toBe('missing');
  });

  it('function: VPC subnets and security groups compare as sets (order is no drift); an added group and a reordered, bumped layer list are named', () => {
    expect(run.entry('aws_lambda_function.status_page')).toBeUndefined();
    const worker = run.entry('aws_lambda_function.vpc_worker');
    expect(worker?.diffs?.map((d) => d.path).sort()).toEqual(['layers', 'vpc_config.0.security_group_ids']);
    expect(worker?.diffs?.find((d) => d.path === 'layers')).toMatchObject({ state: [layer('shared', 1), layer('otel', 3)], live: [layer('otel', 4), layer('shared', 1)] });
    expect(JSON.stringify(worker?.diffs)).toContain(SG_DEBUG);
  });

  it('function: the environment is compared by value, and a diff names the variables only (a changed one, an added one), never a value', () => {
    const diffs = run.entry('aws_lambda_function.thumbnailer')?.diffs;
    expect(diffs?.map((d) => d.path)).toEqual(['environment.0.variables.DEBUG', 'environment.0.variables.STRIPE_KEY']);
    expect(diffs?.[0]).toMatchObject({ state: null, live: '<redacted:sensitive>', sensitive: true });
    expect(diffs?.[1]).toMatchObject({ config: '<redacted:sensitive>', state: '<redacted:sensitive>', live: '<redacted:sensitive>', sensitive: true });
    expect(run.out).not.toMatch(CANARY);
  });

  it('permission: in sync (an account by id or root ARN, a function by name or ARN); a re-pointed source named; a removed one missing; one added by hand importable', () => {
    expect(run.entry('aws_lambda_permission.s3')).toBeUndefined();
    expect(run.entry('aws_lambda_permission.account')).toBeUndefined();
    expect(run.entry('aws_lambda_permission.url')).toBeUndefined();
    expect(run.entry('aws_lambda_permission.events')?.diffs).toEqual([expect.objectContaining({ path: 'source_arn', state: RULE, live: `arn:aws:events:us-east-1:${ACCOUNT_ID}:rule/hourly` })]);
    expect(run.entry('aws_lambda_permission.removed')?.kind).toBe('missing');
    const added = run.unmanaged('aws_lambda_permission');
    expect(added.map((e) => e.importId)).toEqual(['thumbnailer/VendorInvoke']);
    expect(added[0]!.importBlocks).toContain('id = "thumbnailer/VendorInvoke"');
  });

  it('function URL: opened to the internet in the console is named; CORS lists in another order are in sync', () => {
    expect(run.entry('aws_lambda_function_url.thumbnailer')?.diffs).toEqual([expect.objectContaining({ path: 'authorization_type', state: 'AWS_IAM', live: 'NONE' })]);
  });

  it('a function made by hand is unmanaged, imported by name with its URL, its environment nowhere', () => {
    const made = run.unmanaged('aws_lambda_function');
    expect(made.map((e) => [e.importId, e.resourceId])).toEqual([['scratch-fn', fnArn('scratch-fn')]]);
    expect(made[0]!.importBlocks).toContain('id = "scratch-fn"');
    expect(made[0]!.importBlocks).toContain('to = aws_lambda_function_url.scratch_fn');
    expect(made[0]!.importBlocks).toContain('function_name      = aws_lambda_function.scratch_fn.function_name');
    expect(run.unmanaged('aws_lambda_function_url')).toEqual([]);
  });

  it('canary: no environment value, in the state, the configuration or live, leaves in any format', async () => {
    for (const format of ['table', 'markdown', 'sarif', 'html']) {
      const other = await driftCli(env.endpoint, { state: STATE, hcl: HCL, regions: ['us-east-1'], format });
      expect(other.code, format).toBe(1);
      expect(other.out, format).toMatch(/STRIPE\\?_KEY/);
      expect(other.out, format).not.toMatch(CANARY);
      expect(other.err, format).not.toMatch(CANARY);
    }
  });
});
