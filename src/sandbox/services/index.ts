/** The service modules the sandbox serves, asked in order which one owns a request. */
import type { ServiceModule } from '../types.js';
import { cloudwatchModule } from './cloudwatch.js';
import { ec2Module } from './ec2.js';
import { rdsModule } from './rds.js';
import { stsModule } from './sts.js';

export function defaultServiceModules(): ServiceModule[] {
  return [stsModule, ec2Module, rdsModule, cloudwatchModule];
}
