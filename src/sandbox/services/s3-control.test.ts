import { describe, expect, it } from 'vitest';
import * as s3ControlSdk from '@aws-sdk/client-s3-control';
import {
  S3ControlClient,
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3-control';
import { useSandbox, fetchStats, opCount, rejection } from '../../test-support/sandbox.js';
import { S3_CONTROL_ROUTES, s3ControlOperation } from './s3-control.js';

const ACCOUNT_ID = '111122223333';


describe('sandbox S3 Control: account Block Public Access', () => {
  const env = useSandbox('s3-account.json');

  it('returns the account-level configuration, addressed to <account-id>.localhost', async () => {
    const hosts: string[] = [];
    const client = new S3ControlClient(env.config('s3control'));
    client.middlewareStack.add(
      (next) => async (args) => {
        hosts.push(String((args.request as { hostname?: string }).hostname));
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    const before = opCount(await fetchStats(env.endpoint), 's3-control', 'GetPublicAccessBlock');
    const out = await client.send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT_ID }));
    expect(out.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
    expect(hosts).toEqual([`${ACCOUNT_ID}.localhost`]);
    const stats = await fetchStats(env.endpoint);
    expect(opCount(stats, 's3-control', 'GetPublicAccessBlock') - before).toBe(1);
    expect(opCount(stats, 's3', 'GetPublicAccessBlock')).toBe(0);
  });

  it("refuses another account's configuration with AccessDenied", async () => {
    const err = await rejection(new S3ControlClient(env.config('s3control')).send(new GetPublicAccessBlockCommand({ AccountId: '444455556666' })));
    expect(err.name).toBe('AccessDenied');
    expect(err.$metadata.httpStatusCode).toBe(403);
  });

  it.each([
    ['PutPublicAccessBlock', () => new PutPublicAccessBlockCommand({ AccountId: ACCOUNT_ID, PublicAccessBlockConfiguration: { BlockPublicAcls: false } })],
    ['DeletePublicAccessBlock', () => new DeletePublicAccessBlockCommand({ AccountId: ACCOUNT_ID })],
  ] as const)('refuses %s with AccessDenied and counts it as a refused write', async (operation, command) => {
    const before = await fetchStats(env.endpoint);
    const err = await rejection(new S3ControlClient(env.config('s3control')).send(command() as never));
    expect(err.name).toBe('AccessDenied');
    expect(err.message).toContain('s3:PutAccountPublicAccessBlock');
    const after = await fetchStats(env.endpoint);
    expect(opCount(after, 's3-control', operation) - opCount(before, 's3-control', operation)).toBe(1);
    expect(after.faults.refusedWrites - before.faults.refusedWrites).toBe(1);
  });

  it('answers a path S3 Control does not have with NotImplemented in its <ErrorResponse> shape', async () => {
    const res = await fetch(`${env.endpoint}/v20180820/configuration/crownJewels`, {
      headers: {
        'x-amz-account-id': ACCOUNT_ID,
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIASANDBOXTEST00000/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0',
      },
    });
    expect(res.status).toBe(501);
    expect(await res.text()).toMatch(/<ErrorResponse><Error><Code>NotImplemented<\/Code>/);
  });
});

describe('sandbox S3 Control: not configured', () => {
  const env = useSandbox({ AccountId: ACCOUNT_ID, Regions: { 'us-east-1': {} }, S3: { Buckets: [] } });

  it('gives NoSuchPublicAccessBlockConfiguration (404) when the account has none', async () => {
    const err = await rejection(new S3ControlClient(env.config('s3control')).send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT_ID })));
    expect(err.name).toBe('NoSuchPublicAccessBlockConfiguration');
    expect(err.$metadata.httpStatusCode).toBe(404);
  });
});

describe('sandbox S3 Control: faults', () => {
  describe('throttleRate 1', () => {
    const env = useSandbox('s3-account.json', { throttleRate: 1 });
    it('answers SlowDown (503)', async () => {
      const err = await rejection(new S3ControlClient(env.config('s3control', { maxAttempts: 1 })).send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT_ID })));
      expect(err.name).toBe('SlowDown');
      expect(err.$metadata.httpStatusCode).toBe(503);
    });
  });
  describe('errorRate 1', () => {
    const env = useSandbox('s3-account.json', { errorRate: 1 });
    it('answers InternalError (500)', async () => {
      const err = await rejection(new S3ControlClient(env.config('s3control', { maxAttempts: 1 })).send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT_ID })));
      expect(err.name).toBe('InternalError');
      expect(err.$metadata.httpStatusCode).toBe(500);
    });
  });
});

describe('S3 Control routes', () => {
  /** Each operation's [method, path template] from the SDK's operation schemas. */
  function sdkBindings(): Map<string, string> {
    const bindings = new Map<string, string>();
    for (const [name, value] of Object.entries(s3ControlSdk)) {
      if (!name.endsWith('$') || !Array.isArray(value) || value[0] !== 9) continue;
      const http = Object.values((value[3] ?? {}) as Record<string, unknown>).find(Array.isArray) as [string, string] | undefined;
      if (http) bindings.set(String(value[2]), `${http[0]} ${http[1]}`);
    }
    return bindings;
  }

  it('names every operation of the installed SDK with its HTTP binding', () => {
    const sdk = sdkBindings();
    expect(sdk.size).toBeGreaterThan(90);
    expect(new Map(S3_CONTROL_ROUTES.map(([route, op]) => [op, route]))).toEqual(sdk);
  });

  it('resolves a concrete request of each route to that route, not to a shorter one', () => {
    for (const [route, operation] of S3_CONTROL_ROUTES) {
      const [method, template] = route.split(' ') as [string, string];
      const path = template.replace(/\{[A-Za-z]+\+\}/g, 'arn:aws:s3::111122223333:accesspoint/a').replace(/\{[A-Za-z]+\}/g, 'x1');
      expect(`${route} → ${s3ControlOperation(method, path)}`).toBe(`${route} → ${operation}`);
    }
  });
});
