/** The service modules the sandbox serves, asked in order which one owns a request. */
import type { ServiceModule } from '../types.js';
import { iamModule } from './iam.js';
import { stsModule } from './sts.js';

export function defaultServiceModules(): ServiceModule[] {
  return [stsModule, iamModule];
}
