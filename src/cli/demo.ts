/** `infra-audit demo`: the front door. Starts the sandbox on the demo account and runs the main job. */
import { fileURLToPath } from 'node:url';
import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
import { loadAccountFile } from '../sandbox/account/load.js';
import { startSandbox } from '../sandbox/server.js';
import { clientConfig } from '../aws/clients.js';
import type { CommandIO } from './io.js';

export const DEMO_ACCOUNT = fileURLToPath(new URL('../../examples/demo/account.json', import.meta.url));

export async function runDemoCommand(opts: { account?: string }, io: CommandIO): Promise<number> {
  const accountFile = opts.account ?? DEMO_ACCOUNT;
  const account = await loadAccountFile(accountFile);
  const sandbox = await startSandbox({ account });
  try {
    io.stderr.write(`demo: sandbox for account ${account.AccountId} on ${sandbox.endpoint}\n`);
    const s3 = new S3Client(clientConfig('s3', { endpointUrl: sandbox.endpoint, credentials: { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' } }));
    const buckets = await s3.send(new ListBucketsCommand({}));
    for (const b of buckets.Buckets ?? []) io.stdout.write(`${b.Name}\n`);
    return 0;
  } finally {
    await sandbox.close();
  }
}
