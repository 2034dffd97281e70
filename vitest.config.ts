import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Generous: tests spawn servers, CLIs and browsers, and must hold on a loaded 2-core machine.
    // No test relies on a timeout to pass; a hang still fails, later.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The sandbox, databases and child processes are real; keep parallelism modest on 2-core machines.
    maxWorkers: 2,
    env: {
      // Tests never reach a real AWS account: dummy credentials, and no shared config lookups.
      AWS_ACCESS_KEY_ID: 'AKIASANDBOXTEST00000',
      AWS_SECRET_ACCESS_KEY: 'sandbox-test-secret',
      AWS_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  },
});
