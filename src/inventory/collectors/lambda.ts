/**
 * Lambda, per region: every function, its resource-based policy and its function URLs.
 *
 * ListFunctions returns each function's environment variables in clear, and they often hold
 * credentials: the values are replaced with the redaction marker page by page, inside the
 * read, so no value ever reaches the snapshot, a report, a tool result or an error.
 * (GetFunction and GetFunctionConfiguration, which return them too, are refused by the guard.)
 */
import { GetPolicyCommand, paginateListFunctionUrlConfigs, paginateListFunctions, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { collectPages } from '../../aws/paginate.js';
import { SENSITIVE_MARKER } from '../../redact/marker.js';
import { read, type CollectorContext, type CollectorReads } from '../context.js';
import type { LambdaFunction, LambdaInventory } from '../snapshot.js';
import { mapBounded } from '../bounded.js';

export const LAMBDA_READS = {
  'lambda:ListFunctions': [],
  'lambda:GetPolicy': ['lambda:ListFunctions'],
  'lambda:ListFunctionUrlConfigs': ['lambda:ListFunctions'],
} satisfies CollectorReads;

type Listed = Omit<LambdaFunction, 'policy' | 'urls'>;

/** What the snapshot keeps of a listed function: never an environment value. */
export function withoutSecrets(fn: FunctionConfiguration, region: string, partition: string, accountId: string): Listed {
  const name = fn.FunctionName ?? 'unknown';
  const variables = fn.Environment?.Variables;
  return {
    name,
    arn: fn.FunctionArn ?? `arn:${partition}:lambda:${region}:${accountId}:function:${name}`,
    runtime: fn.Runtime,
    role: fn.Role,
    packageType: fn.PackageType,
    lastModified: fn.LastModified,
    environment: variables ? { variables: Object.fromEntries(Object.keys(variables).map((k) => [k, SENSITIVE_MARKER])) } : null,
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
    const [policy, urls] = await Promise.all([
      // A function without a policy answers ResourceNotFoundException.
      read(ctx, label('GetPolicy', fn.arn), async () => (await client.send(new GetPolicyCommand({ FunctionName: fn.arn }))).Policy ?? null, ['ResourceNotFoundException']),
      read(ctx, label('ListFunctionUrlConfigs', fn.arn), () =>
        collectPages(paginateListFunctionUrlConfigs({ client, pageSize: 50 }, { FunctionName: fn.arn }), (page) =>
          page.FunctionUrlConfigs?.map((u) => ({
            url: u.FunctionUrl ?? '',
            authType: u.AuthType ?? 'unknown',
            invokeMode: u.InvokeMode,
            cors: u.Cors ? { allowOrigins: u.Cors.AllowOrigins, allowCredentials: u.Cors.AllowCredentials } : undefined,
          })),
        ),
      ),
    ]);
    return { ...fn, policy, urls };
  }, ctx.session.work('lambda'));
  ctx.progress?.({ service: 'lambda', region, done: true });
  return { functions: { value: functions } };
}
