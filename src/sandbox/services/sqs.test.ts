import { describe, expect, it } from 'vitest';
import { DeleteQueueCommand, GetQueueAttributesCommand, ListQueueTagsCommand, ListQueuesCommand, SQSClient, SendMessageCommand, paginateListQueues } from '@aws-sdk/client-sqs';
import { fetchStats, opCount, rejection, useSandbox } from '../../test-support/sandbox.js';

const ACCOUNT = '111122223333';
const POLICY = { Version: '2012-10-17', Statement: [{ Sid: 'Open', Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders` }] };
const many = Array.from({ length: 23 }, (_, i) => ({ QueueName: `batch-${String(i).padStart(2, '0')}` }));

const account = {
  AccountId: ACCOUNT,
  Regions: {
    'us-east-1': {
      SQS: {
        Queues: [
          { QueueName: 'orders', Policy: POLICY, Attributes: { KmsMasterKeyId: 'alias/aws/sqs' }, Tags: { team: 'shop' } },
          { QueueName: 'events.fifo' },
          ...many,
        ],
      },
    },
    'eu-west-1': {},
  },
};

const url = (name: string, region = 'us-east-1') => `https://sqs.${region}.amazonaws.com/${ACCOUNT}/${name}`;

describe('sandbox SQS (awsJson1_0, query-compatible errors)', () => {
  const env = useSandbox(account);
  const denied = useSandbox(account, { deny: ['GetQueueAttributes:orders', 'ListQueues:*'] });
  const sqs = (region = 'us-east-1', e = env) => new SQSClient(e.config('sqs', { region }));

  it('lists queue URLs by prefix, and an empty region as no QueueUrls at all', async () => {
    const orders = await sqs().send(new ListQueuesCommand({ QueueNamePrefix: 'orders' }));
    expect(orders.QueueUrls).toEqual([url('orders')]);
    const none = await sqs('eu-west-1').send(new ListQueuesCommand({}));
    expect(none.QueueUrls).toBeUndefined();
  });

  it('pages 25 queues with MaxResults 10 in 3 calls through the SDK paginator, and refuses a token of another query', async () => {
    env.sandbox.resetStats();
    const sizes: number[] = [];
    for await (const page of paginateListQueues({ client: sqs(), pageSize: 10 }, {})) sizes.push(page.QueueUrls?.length ?? 0);
    expect(sizes).toEqual([10, 10, 5]);
    expect(opCount(await fetchStats(env.endpoint), 'sqs', 'ListQueues')).toBe(3);
    const first = await sqs().send(new ListQueuesCommand({ MaxResults: 10 }));
    const replayed = await rejection(sqs().send(new ListQueuesCommand({ MaxResults: 10, QueueNamePrefix: 'batch', NextToken: first.NextToken })));
    expect(replayed.name).toBe('InvalidParameterValue');
  });

  it('returns the policy as JSON text, the ARN and set attributes; a queue without a policy has no Policy key', async () => {
    const withPolicy = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url('orders'), AttributeNames: ['Policy', 'QueueArn', 'KmsMasterKeyId'] }));
    expect(JSON.parse(withPolicy.Attributes!.Policy!)).toEqual(POLICY);
    expect(withPolicy.Attributes).toMatchObject({ QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:orders`, KmsMasterKeyId: 'alias/aws/sqs' });
    const without = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url('events.fifo'), AttributeNames: ['All'] }));
    expect(without.Attributes).toMatchObject({ FifoQueue: 'true', QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:events.fifo` });
    expect(without.Attributes).not.toHaveProperty('Policy');
    const onlyPolicy = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url('events.fifo'), AttributeNames: ['Policy'] }));
    expect(onlyPolicy.Attributes).toBeUndefined();
  });

  it('returns a queue\'s tags, none as no Tags at all, a FIFO queue\'s defaults, and the KMS data key period only with a KMS key', async () => {
    expect((await sqs().send(new ListQueueTagsCommand({ QueueUrl: url('orders') }))).Tags).toEqual({ team: 'shop' });
    expect((await sqs().send(new ListQueueTagsCommand({ QueueUrl: url('events.fifo') }))).Tags).toBeUndefined();
    const missing = await rejection(sqs().send(new ListQueueTagsCommand({ QueueUrl: url('order') })));
    expect(missing.name).toBe('QueueDoesNotExist');
    const fifo = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url('events.fifo'), AttributeNames: ['All'] }));
    expect(fifo.Attributes).toMatchObject({ DeduplicationScope: 'queue', FifoThroughputLimit: 'perQueue', SqsManagedSseEnabled: 'true' });
    expect(fifo.Attributes).not.toHaveProperty('KmsDataKeyReusePeriodSeconds');
    const kms = await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url('orders'), AttributeNames: ['All'] }));
    expect(kms.Attributes).toMatchObject({ KmsMasterKeyId: 'alias/aws/sqs', KmsDataKeyReusePeriodSeconds: '300', SqsManagedSseEnabled: 'false' });
  });

  it('answers an unknown queue with QueueDoesNotExist, and an unknown attribute with InvalidAttributeName', async () => {
    const missing = await rejection(sqs().send(new GetQueueAttributesCommand({ QueueUrl: url('order'), AttributeNames: ['Policy'] })));
    expect(missing.name).toBe('QueueDoesNotExist');
    expect(missing.message).toBe('The specified queue does not exist.');
    expect(missing.$metadata.httpStatusCode).toBe(400);
    const otherRegion = await rejection(sqs('eu-west-1').send(new GetQueueAttributesCommand({ QueueUrl: url('orders', 'eu-west-1'), AttributeNames: ['Policy'] })));
    expect(otherRegion.name).toBe('QueueDoesNotExist');
    const badName = await rejection(sqs().send(new GetQueueAttributesCommand({ QueueUrl: url('orders'), AttributeNames: ['Policyy' as 'Policy'] })));
    expect(badName.name).toBe('InvalidAttributeName');
  });

  it('denies by queue name and listing with AccessDenied (403), and leaves other queues readable', async () => {
    const err = await rejection(sqs('us-east-1', denied).send(new GetQueueAttributesCommand({ QueueUrl: url('orders'), AttributeNames: ['Policy'] })));
    expect(err.name).toBe('AccessDenied');
    expect(err.$metadata.httpStatusCode).toBe(403);
    expect(err.message).toContain('sqs:getqueueattributes');
    const list = await rejection(sqs('us-east-1', denied).send(new ListQueuesCommand({})));
    expect(list.name).toBe('AccessDenied');
    const other = await sqs('us-east-1', denied).send(new GetQueueAttributesCommand({ QueueUrl: url('events.fifo'), AttributeNames: ['QueueArn'] }));
    expect(other.Attributes?.QueueArn).toContain('events.fifo');
  });

  it('refuses writes as AccessDenied and counts them; a region not enabled is InvalidClientTokenId', async () => {
    env.sandbox.resetStats();
    const send = await rejection(sqs().send(new SendMessageCommand({ QueueUrl: url('orders'), MessageBody: 'x' })));
    expect(send.name).toBe('AccessDenied');
    const del = await rejection(sqs().send(new DeleteQueueCommand({ QueueUrl: url('orders') })));
    expect(del.name).toBe('AccessDenied');
    const stats = await fetchStats(env.endpoint);
    expect(stats.faults.refusedWrites).toBe(2);
    const off = await rejection(sqs('ap-south-1').send(new ListQueuesCommand({})));
    expect(off.name).toBe('InvalidClientTokenId');
    expect(off.$metadata.httpStatusCode).toBe(403);
  });
});
