/**
 * Lambda, per region: every function, its resource-based policy and its function URLs.
 *
 * ListFunctions returns each function's environment variables in clear, and they often hold
 * credentials: the values are replaced with the redaction marker page by page, inside the
 * read, so no value ever reaches the snapshot, a report, a tool result or an error.
 * (GetFunction and GetFunctionConfiguration, which return them too, are refused by the guard.)
 */
import { GetPolicyCommand, ListTagsCommand, paginateListFunctionUrlConfigs, paginateListFunctions, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { collectPages } from '../../aws/paginate.js';
import { concealMap } from '../../redact/secret-digest.js';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { LambdaFunction, LambdaInventory } from '../snapshot.js';
import { mapBounded } from '../bounded.js';

export const LAMBDA_READS = {
  'lambda:ListFunctions': [],
  'lambda:GetPolicy': ['lambda:ListFunctions'],
  'lambda:ListFunctionUrlConfigs': ['lambda:ListFunctions'],
  'lambda:ListTags': ['lambda:ListFunctions'],
} satisfies CollectorReads;

type Listed = Omit<LambdaFunction, 'policy' | 'urls' | 'tags'>;

/**
 * What the snapshot keeps of a listed function: never an environment value. Each value becomes
 * the marker with a keyed digest attached (see secret-digest.ts), so drift can tell which
 * variables changed without any value being kept.
 */
export function withoutSecrets(fn: FunctionConfiguration, region: string, partition: string, accountId: string): Listed {
  const name = fn.FunctionName ?? 'unknown';
  const variables = fn.Environment?.Variables;
  return {
    name,
    arn: fn.FunctionArn ?? `arn:${partition}:lambda:${region}:${accountId}:function:${name}`,
    runtime: fn.Runtime,
    role: fn.Role,
    handler: fn.Handler,
    description: fn.Description,
    timeout: fn.Timeout,
    memorySize: fn.MemorySize,
    architectures: fn.Architectures,
    kmsKeyArn: fn.KMSKeyArn,
    tracingMode: fn.TracingConfig?.Mode,
    packageType: fn.PackageType,
    lastModified: fn.LastModified,
    environment: variables ? { variables: concealMap(variables) } : null,
    vpcConfig: fn.VpcConfig?.SubnetIds?.length ? { subnetIds: fn.VpcConfig.SubnetIds, securityGroupIds: fn.VpcConfig.SecurityGroupIds ?? [], vpcId: fn.VpcConfig.VpcId || undefined } : null,
    layers: (fn.Layers ?? []).flatMap((l) => (l.Arn ? [l.Arn] : [])),
  };
}

export async function collectLambda(ctx: CollectorContext, region: string): Promise<LambdaInventory> {
  const client = ctx.session.client('lambda', region);
  const label = (operation: string, resource?: string) => ({ service: 'lambda' as const, region, operation, resource });
  const listed = await read(ctx, label('ListFunctions'), () =>
    collectPages(paginateListFunctions({ client, pageSize: 50 }, {}), (page) => page.Functions?.map((fn) => withoutSecrets(fn, region, ctx.partition, ctx.accountId))),
  );
  if (listed.error) {
    ctx.progress?.({ service: 'lambda', region, done: true });
    return { functions: listed };
  }
  const functions = await mapBounded(listed.value, ctx.session.concurrency, async (fn): Promise<LambdaFunction> => {
    const [policy, urls, tags] = await Promise.all([
      // A function without a policy answers ResourceNotFoundException.
      read(ctx, label('GetPolicy', fn.arn), async () => (await client.send(new GetPolicyCommand({ FunctionName: fn.arn }))).Policy ?? null, ['ResourceNotFoundException']),
      read(ctx, label('ListFunctionUrlConfigs', fn.arn), () =>
        collectPages(paginateListFunctionUrlConfigs({ client, pageSize: 50 }, { FunctionName: fn.arn }), (page) =>
          page.FunctionUrlConfigs?.map((u) => ({
            url: u.FunctionUrl ?? '',
            // The URL of an alias is on the alias's ARN (…:function:name:alias).
            qualifier: u.FunctionArn?.split(':')[7],
            authType: u.AuthType ?? 'unknown',
            invokeMode: u.InvokeMode,
            cors: u.Cors
              ? { allowOrigins: u.Cors.AllowOrigins, allowCredentials: u.Cors.AllowCredentials, allowMethods: u.Cors.AllowMethods, allowHeaders: u.Cors.AllowHeaders, exposeHeaders: u.Cors.ExposeHeaders, maxAge: u.Cors.MaxAge }
              : undefined,
          })),
        ),
      ),
      read(ctx, label('ListTags', fn.arn), async () => (await client.send(new ListTagsCommand({ Resource: fn.arn }))).Tags ?? {}),
    ]);
    return { ...fn, policy, urls, tags };
  }, ctx.session.work('lambda'));
  ctx.progress?.({ service: 'lambda', region, done: true });
  return { functions: { value: functions } };
}
