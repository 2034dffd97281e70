import { describe, expect, it } from 'vitest';
import {
  DeleteFunctionCommand,
  GetFunctionConfigurationCommand,
  GetPolicyCommand,
  InvokeCommand,
  LambdaClient,
  ListFunctionUrlConfigsCommand,
  ListFunctionsCommand,
  ListTagsCommand,
  paginateListFunctions,
} from '@aws-sdk/client-lambda';
import { fetchStats, opCount, rejection, useSandbox } from '../../test-support/sandbox.js';

const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/lambda-exec`;
const arn = (name: string, region = 'us-east-1') => `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;
const POLICY = {
  Version: '2012-10-17',
  Id: 'default',
  Statement: [{ Sid: 'url', Effect: 'Allow', Principal: '*', Action: 'lambda:InvokeFunctionUrl', Resource: arn('api'), Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } } }],
};
const fn = (FunctionName: string, extra: object = {}) => ({ FunctionName, Role: ROLE, LastModified: '2026-05-01T10:00:00Z', ...extra });
const many = Array.from({ length: 57 }, (_, i) => fn(`batch-${String(i).padStart(2, '0')}`));

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      EC2: { Vpcs: [{ VpcId: 'vpc-0a1b2c3d4e5f60718', CidrBlock: '10.0.0.0/16' }], Subnets: [{ SubnetId: 'subnet-0a1b2c3d4e5f60718', VpcId: 'vpc-0a1b2c3d4e5f60718', CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1a' }] },
      Lambda: {
        Functions: [
          fn('api', { Runtime: 'nodejs20.x', Environment: { Variables: { STAGE: 'prod', DB_URL: 'postgres://app:hunter2@db/app' } }, Policy: POLICY, FunctionUrl: { AuthType: 'NONE', Cors: { AllowOrigins: ['*'] } } }),
          fn('worker', {
            FunctionUrl: { AuthType: 'AWS_IAM' },
            Tags: { team: 'jobs' },
            VpcConfig: { SubnetIds: ['subnet-0a1b2c3d4e5f60718'], SecurityGroupIds: ['sg-0a1b2c3d4e5f60718'] },
            Layers: [`arn:aws:lambda:us-east-1:${ACCOUNT}:layer:otel:4`],
          }),
          ...many,
        ],
      },
    },
    'eu-west-1': {},
  },
};

describe('sandbox Lambda (restJson1)', () => {
  const env = useSandbox(account);
  const denied = useSandbox(account, { deny: ['GetPolicy:api', 'ListFunctions:*'] });
  const lambda = (region = 'us-east-1', e = env) => new LambdaClient(e.config('lambda', { region }));

  it('lists functions with their configuration (environment included, as AWS does)', async () => {
    const res = await lambda().send(new ListFunctionsCommand({ MaxItems: 2 }));
    expect(res.Functions?.map((f) => f.FunctionName)).toEqual(['api', 'worker']);
    expect(res.Functions![0]).toMatchObject({ FunctionArn: arn('api'), Runtime: 'nodejs20.x', Role: ROLE, Environment: { Variables: { STAGE: 'prod' } }, PackageType: 'Zip' });
    expect(res.Functions![0]!.LastModified).toBe('2026-05-01T10:00:00.000+0000');
    expect(res.NextMarker).toBeDefined();
    // VPC settings (VpcId from the first subnet) and layers, as ListFunctions returns them; none for a function out of any VPC.
    expect(res.Functions![1]!.VpcConfig).toEqual({ SubnetIds: ['subnet-0a1b2c3d4e5f60718'], SecurityGroupIds: ['sg-0a1b2c3d4e5f60718'], VpcId: 'vpc-0a1b2c3d4e5f60718', Ipv6AllowedForDualStack: false });
    expect(res.Functions![1]!.Layers).toEqual([{ Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:otel:4`, CodeSize: 2048 }]);
    expect([res.Functions![0]!.VpcConfig, res.Functions![0]!.Layers]).toEqual([undefined, undefined]);
    const none = await lambda('eu-west-1').send(new ListFunctionsCommand({}));
    expect(none.Functions).toEqual([]);
  });

  it('pages 59 functions 50 at a time through the SDK paginator, and refuses MaxItems over 50', async () => {
    env.sandbox.resetStats();
    const sizes: number[] = [];
    for await (const page of paginateListFunctions({ client: lambda() }, {})) sizes.push(page.Functions?.length ?? 0);
    expect(sizes).toEqual([50, 9]);
    expect(opCount(await fetchStats(env.endpoint), 'lambda', 'ListFunctions')).toBe(2);
    const bad = await rejection(lambda().send(new ListFunctionsCommand({ MaxItems: 51 })));
    expect(bad.name).toBe('InvalidParameterValueException');
  });

  it('lists a function\'s tags by its ARN ({} when none); a name is not an ARN; an unknown function is ResourceNotFoundException', async () => {
    expect((await lambda().send(new ListTagsCommand({ Resource: arn('worker') }))).Tags).toEqual({ team: 'jobs' });
    expect((await lambda().send(new ListTagsCommand({ Resource: arn('api') }))).Tags).toEqual({});
    const byName = await rejection(lambda().send(new ListTagsCommand({ Resource: 'worker' })));
    expect(byName.name).toBe('InvalidParameterValueException');
    const missing = await rejection(lambda().send(new ListTagsCommand({ Resource: arn('workerr') })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });

  it('returns the policy as JSON text; a function without one is ResourceNotFoundException (404)', async () => {
    const res = await lambda().send(new GetPolicyCommand({ FunctionName: 'api' }));
    expect(JSON.parse(res.Policy!)).toEqual(POLICY);
    const byArn = await lambda().send(new GetPolicyCommand({ FunctionName: arn('api') }));
    expect(byArn.Policy).toBe(res.Policy);
    const none = await rejection(lambda().send(new GetPolicyCommand({ FunctionName: 'worker' })));
    expect(none.name).toBe('ResourceNotFoundException');
    expect(none.$metadata.httpStatusCode).toBe(404);
    const missing = await rejection(lambda().send(new GetPolicyCommand({ FunctionName: 'apii' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toContain(`Function not found: ${arn('apii')}`);
  });

  it('lists a function URL with its auth type, and none for a function without one', async () => {
    const res = await lambda().send(new ListFunctionUrlConfigsCommand({ FunctionName: 'api' }));
    expect(res.FunctionUrlConfigs).toEqual([expect.objectContaining({ FunctionArn: arn('api'), AuthType: 'NONE', Cors: { AllowOrigins: ['*'] }, InvokeMode: 'BUFFERED' })]);
    expect(res.FunctionUrlConfigs![0]!.FunctionUrl).toMatch(/^https:\/\/[0-9a-f]{32}\.lambda-url\.us-east-1\.on\.aws\/$/);
    const none = await lambda().send(new ListFunctionUrlConfigsCommand({ FunctionName: 'batch-00' }));
    expect(none.FunctionUrlConfigs).toEqual([]);
  });

  it('denies by function name and the listing with AccessDeniedException (403)', async () => {
    const err = await rejection(lambda('us-east-1', denied).send(new GetPolicyCommand({ FunctionName: 'api' })));
    expect(err.name).toBe('AccessDeniedException');
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect(err.message).toContain(`lambda:GetPolicy on resource: ${arn('api')}`);
    expect((await rejection(lambda('us-east-1', denied).send(new ListFunctionsCommand({})))).name).toBe('AccessDeniedException');
    const other = await lambda('us-east-1', denied).send(new ListFunctionUrlConfigsCommand({ FunctionName: 'api' }));
    expect(other.FunctionUrlConfigs).toHaveLength(1);
  });

  it('never serves the reads that return environment values, nor writes: each is refused by its own name and counted', async () => {
    env.sandbox.resetStats();
    for (const command of [new GetFunctionConfigurationCommand({ FunctionName: 'api' }), new InvokeCommand({ FunctionName: 'api' }), new DeleteFunctionCommand({ FunctionName: 'api' })]) {
      const err = await rejection(lambda().send(command as never));
      expect(err.name).toBe('AccessDeniedException');
      expect(err.message).not.toContain('hunter2');
    }
    const stats = await fetchStats(env.endpoint);
    expect(stats.faults.refusedWrites).toBe(3);
    expect(Object.keys(stats.services.lambda!.operations).sort()).toEqual(['DeleteFunction', 'GetFunctionConfiguration', 'Invoke']);
    const off = await rejection(lambda('ap-south-1').send(new ListFunctionsCommand({})));
    expect(off.name).toBe('UnrecognizedClientException');
  });
});
