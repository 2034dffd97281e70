import { describe, expect, it } from 'vitest';
import { GetBucketTaggingCommand, PutBucketPolicyCommand } from '@aws-sdk/client-s3';
import type { HandlerExecutionContext, MiddlewareStack } from '@smithy/types';
import { AwsSession } from './session.js';
import { TEST_CREDENTIALS, fetchStats, rejection, useSandbox } from '../test-support/sandbox.js';

// Each bucket is tagged with its own name, so an answer says which bucket it is about.
const BUCKETS = Array.from({ length: 60 }, (_, i) => `pool-bucket-${String(i).padStart(2, '0')}`);
const account = {
  AccountId: '111122223333',
  Regions: { 'us-east-1': {} },
  S3: { Buckets: BUCKETS.map((Name) => ({ Name, CreationDate: '2024-01-01T00:00:00Z', Tags: [{ Key: 'bucket', Value: Name }] })) },
};

/** Records every call's context on each pooled client, outermost on its stack (onNewClient). */
function contextRecorder() {
  const inFlight = new Set<object>();
  const seen = new Set<object>();
  const state = { running: 0, maxRunning: 0, sharedInFlight: 0, reachedHandler: 0, contexts: seen };
  const attach = (client: { middlewareStack: unknown }) =>
    (client.middlewareStack as MiddlewareStack<object, object>).add(
      (next, context: HandlerExecutionContext) => async (args) => {
        if (inFlight.has(context)) state.sharedInFlight++;
        inFlight.add(context);
        seen.add(context);
        state.maxRunning = Math.max(state.maxRunning, ++state.running);
        try {
          return await next(args);
        } finally {
          state.running--;
          inFlight.delete(context);
        }
      },
      { step: 'initialize', name: 'testContextRecorder', priority: 'high' },
    );
  return { state, attach };
}

describe('pooled clients with cached middleware', () => {
  const env = useSandbox(account, { latencyMs: 15 });

  it('answers concurrent calls of one command for different buckets each with its own bucket, and never shares a call context', async () => {
    const recorder = contextRecorder();
    const session = new AwsSession({ endpointUrl: env.endpoint, credentials: TEST_CREDENTIALS, region: 'us-east-1', onNewClient: recorder.attach });
    const s3 = session.client('s3');
    const before = await fetchStats(env.endpoint);
    // Two rounds of every bucket at once, and a write among them that the guard must refuse on whichever client it lands.
    const reads = [...BUCKETS, ...BUCKETS].map(async (Bucket) => ({ Bucket, tags: (await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet }));
    const write = rejection(s3.send(new PutBucketPolicyCommand({ Bucket: BUCKETS[0]!, Policy: '{}' })));
    const answers = await Promise.all(reads);
    for (const { Bucket, tags } of answers) expect(tags, Bucket).toEqual([{ Key: 'bucket', Value: Bucket }]);
    expect(await write).toMatchObject({ code: 'READ_ONLY_VIOLATION', message: expect.stringMatching(/read-only allowlist/) });
    const after = await fetchStats(env.endpoint);
    expect(after.faults.refusedWrites - before.faults.refusedWrites).toBe(0);
    expect(after.requests - before.requests).toBe(answers.length);

    // Calls of one command did run side by side (the service limit allows 10) ...
    expect(recorder.state.maxRunning).toBeGreaterThan(1);
    // ... yet no call ever ran in a context another call was using.
    expect(recorder.state.sharedInFlight).toBe(0);
    // The middleware is resolved once per pooled client, not per call: contexts are reused, one per client.
    const pool = session.poolSize('s3');
    expect(pool).toBeGreaterThan(1);
    expect(pool).toBeLessThanOrEqual(recorder.state.maxRunning + 1);
    expect(recorder.state.contexts.size).toBeLessThanOrEqual(pool + 1); // + the refused write's
    expect(recorder.state.contexts.size).toBeLessThan(answers.length);
    session.destroy();
  });

  it('cancels every pooled call, in flight or waiting for a slot, when the session signal aborts', async () => {
    const controller = new AbortController();
    let firstSent!: () => void;
    const sent = new Promise<void>((resolve) => (firstSent = resolve));
    const session = new AwsSession({
      endpointUrl: env.endpoint,
      credentials: TEST_CREDENTIALS,
      region: 'us-east-1',
      signal: controller.signal,
      retry: { maxAttempts: 1 },
      requestTimeoutMs: 120_000,
      onNewClient: (client) =>
        (client.middlewareStack as MiddlewareStack<object, object>).add(
          (next) => async (args) => {
            firstSent();
            return next(args);
          },
          { step: 'finalizeRequest', name: 'testFirstSent', priority: 'low' },
        ),
    });
    const s3 = session.client('s3');
    const calls = BUCKETS.slice(0, 30).map((Bucket) => rejection(s3.send(new GetBucketTaggingCommand({ Bucket }))));
    await sent;
    controller.abort();
    const errors = await Promise.all(calls);
    // The sandbox answers in 15 ms; with a request timeout of two minutes only cancellation ends every call at once.
    for (const err of errors) expect(err.name).toBe('AbortError');
    session.destroy();
  });
});
