/** The service modules the sandbox serves, asked in order which one owns a request. */
import type { ServiceModule } from '../types.js';
import { cloudtrailModule } from './cloudtrail.js';
import { cloudwatchModule } from './cloudwatch.js';
import { configModule } from './config.js';
import { ec2Module } from './ec2.js';
import { ecrModule } from './ecr.js';
import { efsModule } from './efs.js';
import { iamModule } from './iam.js';
import { kmsModule } from './kms.js';
import { lambdaModule } from './lambda.js';
import { logsModule } from './logs.js';
import { rdsModule } from './rds.js';
import { s3Module } from './s3.js';
import { secretsManagerModule } from './secretsmanager.js';
import { s3ControlModule } from './s3-control.js';
import { snsModule } from './sns.js';
import { sqsModule } from './sqs.js';
import { accessAnalyzerModule, accountModule, guardDutyModule, securityHubModule } from './security-services.js';
import { stsModule } from './sts.js';

export function defaultServiceModules(): ServiceModule[] {
  // S3 Control signs as "s3" too: it must be asked before S3.
  return [stsModule, iamModule, ec2Module, rdsModule, cloudwatchModule, sqsModule, lambdaModule, efsModule, ecrModule, secretsManagerModule, cloudtrailModule, configModule, kmsModule, logsModule, snsModule, accessAnalyzerModule, securityHubModule, guardDutyModule, accountModule, s3ControlModule, s3Module];
}
