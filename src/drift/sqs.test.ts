/**
 * Drift for SQS (aws_sqs_queue, aws_sqs_queue_policy) through `infra-audit drift` against the
 * sandbox, with a state and its configuration: in sync (SQS's string answers, its defaults, a
 * policy and a redrive policy written differently), changed per attribute and tag, a policy added
 * in the console reported once (on the queue when no policy resource manages it, on the policy
 * resource when one does), missing, and unmanaged queues imported by URL with their policy.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useSandbox } from '../test-support/sandbox.js';
import { driftCli, stateOf, stateResource, type DriftCliRun } from '../test-support/drift.js';

const ACCOUNT_ID = '111122223333';
const url = (name: string) => `https://sqs.us-east-1.amazonaws.com/${ACCOUNT_ID}/${name}`;
const arn = (name: string) => `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:${name}`;
const sendFrom = (name: string, sid: string, principal: string) => ({ Sid: sid, Effect: 'Allow', Principal: { AWS: principal }, Action: 'sqs:SendMessage', Resource: arn(name) });
const policyOf = (...statements: object[]) => ({ Version: '2012-10-17', Statement: statements });
const VENDOR = 'arn:aws:iam::444455556666:root';
const APP = `arn:aws:iam::${ACCOUNT_ID}:role/app`;
const REDRIVE = { deadLetterTargetArn: arn('orders-dlq'), maxReceiveCount: 5 };

const ACCOUNT = {
  AccountId: ACCOUNT_ID,
  Regions: {
    'us-east-1': {
      SQS: {
        Queues: [
          // In sync: SQS answers numbers as strings and the redrive policy with its own key order.
          { QueueName: 'orders', Policy: policyOf(sendFrom('orders', 'App', APP)), Attributes: { VisibilityTimeout: '60', RedrivePolicy: JSON.stringify({ maxReceiveCount: '5', deadLetterTargetArn: arn('orders-dlq') }) }, Tags: { team: 'shop' } },
          { QueueName: 'orders-dlq', Attributes: { MessageRetentionPeriod: '1209600' } },
          // Changed in the console: the timeout, the retention, a tag, and a vendor allowed to send (no policy resource).
          { QueueName: 'billing', Attributes: { VisibilityTimeout: '120', MessageRetentionPeriod: '86400' }, Policy: policyOf(sendFrom('billing', 'Vendor', VENDOR)), Tags: { team: 'finance', owner: 'someone' } },
          // Its policy is an aws_sqs_queue_policy: the vendor statement is reported there, once.
          { QueueName: 'events.fifo', Attributes: { ContentBasedDeduplication: 'true' }, Policy: policyOf(sendFrom('events.fifo', 'App', APP), sendFrom('events.fifo', 'Vendor', VENDOR)) },
          // KMS-encrypted: SQS reports the data key reuse period then.
          { QueueName: 'secure', Attributes: { KmsMasterKeyId: 'alias/aws/sqs' } },
          // Made by hand, with a policy.
          { QueueName: 'scratch', Policy: policyOf(sendFrom('scratch', 'Open', '*')) },
        ],
      },
    },
  },
};

const queueState = (name: string, extra: Record<string, unknown>) => ({
  id: url(name), url: url(name), arn: arn(name), name, name_prefix: '', fifo_queue: false, content_based_deduplication: false, deduplication_scope: '', fifo_throughput_limit: '',
  delay_seconds: 0, max_message_size: 262144, message_retention_seconds: 345600, receive_wait_time_seconds: 0, visibility_timeout_seconds: 30,
  kms_master_key_id: '', kms_data_key_reuse_period_seconds: 300, sqs_managed_sse_enabled: true, policy: '', redrive_policy: '', redrive_allow_policy: '', tags: {}, tags_all: {}, ...extra,
});
const STATE = stateOf('sqs-test', [
  stateResource('aws_sqs_queue', 'orders', queueState('orders', {
    visibility_timeout_seconds: 60, redrive_policy: JSON.stringify(REDRIVE), tags: { team: 'shop' }, tags_all: { team: 'shop' },
    // Written by jsonencode: keys in another order, the action as a list.
    policy: JSON.stringify({ Statement: [{ ...sendFrom('orders', 'App', APP), Action: ['sqs:SendMessage'] }], Version: '2012-10-17' }),
  })),
  stateResource('aws_sqs_queue', 'orders_dlq', queueState('orders-dlq', { message_retention_seconds: 1209600 })),
  stateResource('aws_sqs_queue', 'billing', queueState('billing', { tags: { team: 'billing' }, tags_all: { team: 'billing' } })),
  stateResource('aws_sqs_queue', 'events', queueState('events.fifo', {
    fifo_queue: true, content_based_deduplication: true, deduplication_scope: 'queue', fifo_throughput_limit: 'perQueue',
    // The provider refreshes the queue's policy too; the policy resource owns it.
    policy: JSON.stringify(policyOf(sendFrom('events.fifo', 'App', APP))),
  })),
  stateResource('aws_sqs_queue_policy', 'events', { id: url('events.fifo'), queue_url: url('events.fifo'), policy: JSON.stringify(policyOf(sendFrom('events.fifo', 'App', APP))) }),
  stateResource('aws_sqs_queue', 'secure', queueState('secure', { kms_master_key_id: 'alias/aws/sqs', sqs_managed_sse_enabled: false })),
  stateResource('aws_sqs_queue', 'deleted', queueState('deleted', {})),
  stateResource('aws_sqs_queue_policy', 'deleted', { id: url('deleted'), queue_url: url('deleted'), policy: JSON.stringify(policyOf(sendFrom('deleted', 'App', APP))) }),
]);

const HCL = `
resource "aws_sqs_queue" "orders" {
  name                       = "orders"
  visibility_timeout_seconds = 60
  tags                       = { team = "shop" }
}

resource "aws_sqs_queue" "billing" {
  name = "billing"
  tags = { team = "billing" }
}
`;

describe('drift of SQS queues and queue policies', () => {
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

  it('queue: in sync through SQS string numbers, defaults, a reordered redrive policy and a policy written differently', () => {
    expect(run.entry('aws_sqs_queue.orders')).toBeUndefined();
    expect(run.entry('aws_sqs_queue.orders_dlq')).toBeUndefined();
    expect(run.entry('aws_sqs_queue.secure')).toBeUndefined();
  });

  it('queue: each attribute changed in the console is named, a tag per key, and a policy added by hand as a statement', () => {
    const billing = run.entry('aws_sqs_queue.billing');
    expect(billing?.kind).toBe('changed');
    expect(billing?.resourceId).toBe(arn('billing'));
    expect(billing?.diffs?.map((d) => d.path)).toEqual(['visibility_timeout_seconds', 'message_retention_seconds', 'policy', 'tags.owner', 'tags.team']);
    expect(billing?.diffs?.[0]).toMatchObject({ state: 30, live: 120 });
    expect(billing?.diffs?.find((d) => d.path === 'policy')?.statements).toEqual(['+ Vendor']);
    expect(billing?.diffs?.find((d) => d.path === 'tags.team')).toMatchObject({ config: 'billing', state: 'billing', live: 'finance' });
  });

  it('a policy resource owns the queue\'s policy: the added statement is reported on it, not on the queue as well', () => {
    expect(run.entry('aws_sqs_queue.events')).toBeUndefined();
    expect(run.entry('aws_sqs_queue_policy.events')?.diffs).toEqual([expect.objectContaining({ path: 'policy', statements: ['+ Vendor'] })]);
  });

  it('a deleted queue and its policy are missing', () => {
    expect(run.entry('aws_sqs_queue.deleted')?.kind).toBe('missing');
    expect(run.entry('aws_sqs_queue_policy.deleted')?.kind).toBe('missing');
  });

  it('a queue made by hand is unmanaged, imported by URL with its policy; managed queues\' policies never stand alone', () => {
    const made = run.unmanaged('aws_sqs_queue');
    expect(made.map((e) => [e.importId, e.resourceId])).toEqual([[url('scratch'), arn('scratch')]]);
    expect(made[0]!.importBlocks).toContain(`id = "${url('scratch')}"`);
    expect(made[0]!.importBlocks).toContain('to = aws_sqs_queue_policy.scratch');
    expect(made[0]!.importBlocks).toContain('queue_url = aws_sqs_queue.scratch.id');
    expect(run.unmanaged('aws_sqs_queue_policy')).toEqual([]);
  });
});
