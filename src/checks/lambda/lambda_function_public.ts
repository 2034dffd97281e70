import type { CheckMetadata } from '../../findings/model.js';
import { policyExposureFinding } from '../exposure.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'lambda_function_public',
  title: 'Lambda functions are not invocable by the public or other accounts',
  failTitle: 'Lambda function is invocable by the public or other accounts',
  severity: 'high',
  service: 'lambda',
  resourceType: 'AWS::Lambda::Function',
  risk: 'A function policy that allows everyone (or another account) lets outsiders invoke the function with inputs of their choosing, running its code with its execution role\'s permissions and its secrets, and running up its bill.',
  remediation:
    'Grant lambda:InvokeFunction only to principals of this account, or to an AWS service with aws:SourceArn and aws:SourceAccount pinned to your own resource; remove statements for "*" and for accounts outside the organisation (aws lambda remove-permission).',
  remediationTerraform: `resource "aws_lambda_permission" "<name>" {
  statement_id   = "AllowFromOwnBucket"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.<name>.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = aws_s3_bucket.<bucket>.arn
  source_account = data.aws_caller_identity.current.account_id # never principal = "*"
}`,
  terraformTypes: ['aws_lambda_permission', 'aws_lambda_function'],
  references: ['https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html'],
};

export const lambda_function_public: Check = {
  metadata,
  reads: ['lambda:GetPolicy'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.lambda, 'lambda', (lambda) => lambda.functions, 'the Lambda functions (lambda:ListFunctions)', (fn, region) =>
      policyExposureFinding(
        metadata,
        snapshot,
        { region, resourceId: fn.arn, resourceName: fn.name },
        `Lambda function ${fn.name}`,
        fn.policy,
        `the policy of function ${fn.name} (lambda:GetPolicy)`,
      ),
    ),
};
