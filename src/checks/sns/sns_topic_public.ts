import type { CheckMetadata } from '../../findings/model.js';
import { policyExposureFinding } from '../exposure.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'sns_topic_public',
  title: 'SNS topics are not public or open to other accounts',
  failTitle: 'SNS topic is public or open to other accounts',
  severity: 'high',
  service: 'sns',
  resourceType: 'AWS::SNS::Topic',
  risk: 'A topic policy that allows everyone (or another account) lets outsiders publish forged notifications to every subscriber (alerts, webhooks, queues, Lambda functions), or subscribe their own endpoint and receive every message the topic carries.',
  remediation:
    'Name the principals that need the topic (roles of this account, or an AWS service with aws:SourceArn/aws:SourceAccount pinned to your own resource) instead of "*", or pin "*" with aws:SourceOwner/aws:SourceAccount, aws:PrincipalOrgID or aws:SourceVpce; remove grants to accounts outside the organisation.',
  remediationTerraform: `resource "aws_sns_topic_policy" "<name>" {
  arn = aws_sns_topic.<name>.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "CloudWatchAlarmsOfThisAccount"
      Effect    = "Allow"
      Principal = { Service = "cloudwatch.amazonaws.com" }
      Action    = "sns:Publish"
      Resource  = aws_sns_topic.<name>.arn
      Condition = { StringEquals = { "aws:SourceAccount" = "<account-id>" } }
    }]
  })
}`,
  terraformTypes: ['aws_sns_topic_policy', 'aws_sns_topic'],
  references: ['https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html'],
};

export const sns_topic_public: Check = {
  metadata,
  reads: ['sns:GetTopicAttributes'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.sns, 'sns', (sns) => sns.topics, 'the SNS topics (sns:ListTopics)', (topic, region) =>
      policyExposureFinding(
        metadata,
        snapshot,
        { region, resourceId: topic.arn, resourceName: topic.name },
        `SNS topic ${topic.name}`,
        topic.attributes.error ? topic.attributes : { value: topic.attributes.value.Policy ?? null },
        `the attributes of topic ${topic.name} (sns:GetTopicAttributes)`,
      ),
    ),
};
