import type { CheckMetadata } from '../../findings/model.js';
import { judgeSharingExposure } from '../../policy/exposure.js';
import { exposureScope } from '../exposure.js';
import { finding, readError } from '../finding.js';
import { forEachInRegions } from '../regional.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'lambda_function_url_public',
  title: 'Lambda function URLs require authentication',
  failTitle: 'Lambda function URL accepts unauthenticated requests',
  severity: 'high',
  service: 'lambda',
  resourceType: 'AWS::Lambda::Function',
  risk: 'A function URL with AuthType NONE is an HTTPS endpoint anyone on the internet can call without credentials: the function runs with its execution role for every caller, and abuse is billed to the account.',
  remediation:
    'Set the function URL\'s AuthType to AWS_IAM and sign callers\' requests, or put the function behind API Gateway or CloudFront with authentication; delete the URL if nothing needs it.',
  remediationTerraform: `resource "aws_lambda_function_url" "<name>" {
  function_name      = aws_lambda_function.<name>.function_name
  authorization_type = "AWS_IAM" # not "NONE"
}`,
  terraformTypes: ['aws_lambda_function_url'],
  references: ['https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html'],
};

export const lambda_function_url_public: Check = {
  metadata,
  reads: ['lambda:ListFunctionUrlConfigs'],
  run: (snapshot) =>
    forEachInRegions(metadata, snapshot, snapshot.lambda, 'lambda', (lambda) => lambda.functions, 'the Lambda functions (lambda:ListFunctions)', (fn, region) => {
      const subject = { region, resourceId: fn.arn, resourceName: fn.name };
      if (fn.urls.error) return readError(metadata, snapshot, subject, `the function URLs of ${fn.name} (lambda:ListFunctionUrlConfigs)`, fn.urls.error);
      const open = fn.urls.value.filter((u) => u.authType === 'NONE');
      // The same judgment as every sharing list: AuthType NONE shares the function with everyone.
      const judged = judgeSharingExposure({ public: open.length > 0, accounts: [] }, exposureScope(snapshot));
      const evidence = { urls: fn.urls.value, exposure: judged.exposure };
      if (judged.exposure === 'none') {
        const message = fn.urls.value.length ? `Lambda function ${fn.name}'s function URL requires AWS_IAM authentication.` : `Lambda function ${fn.name} has no function URL.`;
        return finding(metadata, snapshot, subject, 'pass', message, evidence);
      }
      return finding(metadata, snapshot, subject, 'fail', `Lambda function ${fn.name} has a function URL with AuthType NONE (${open.map((u) => u.url).join(', ')}): anyone on the internet can invoke it.`, evidence);
    }),
};
