import type { CheckMetadata } from '../../findings/model.js';
import { policyExposureFinding } from '../exposure.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'sqs_queue_public',
  title: 'SQS queues are not public or open to other accounts',
  failTitle: 'SQS queue is public or open to other accounts',
  severity: 'high',
  service: 'sqs',
  resourceType: 'AWS::SQS::Queue',
  risk: 'A queue policy that allows everyone (or another account) lets outsiders send forged messages into the pipeline that consumes the queue, read and delete the messages it carries, or purge it.',
  remediation:
    'Name the principals that need the queue (roles of this account, or an AWS service with aws:SourceArn/aws:SourceAccount pinned to your own resource) instead of "*", or pin "*" with aws:PrincipalOrgID or aws:SourceVpce; remove grants to accounts outside the organisation.',
  remediationTerraform: `resource "aws_sqs_queue_policy" "<name>" {
  queue_url = aws_sqs_queue.<name>.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "FromOwnTopicOnly"
      Effect    = "Allow"
      Principal = { Service = "sns.amazonaws.com" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.<name>.arn
      Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.<topic>.arn } }
    }]
  })
}`,
  terraformTypes: ['aws_sqs_queue_policy', 'aws_sqs_queue'],
  references: ['https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-basic-examples-of-sqs-policies.html'],
};

export const sqs_queue_public: Check = {
  metadata,
  reads: ['sqs:GetQueueAttributes'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.sqs, 'sqs', (sqs) => sqs.queues, 'the SQS queues (sqs:ListQueues)', (queue, region) =>
      policyExposureFinding(
        metadata,
        snapshot,
        { region, resourceId: queue.arn, resourceName: queue.name },
        `SQS queue ${queue.name}`,
        queue.policy,
        `the policy of queue ${queue.name} (sqs:GetQueueAttributes)`,
      ),
    ),
};
