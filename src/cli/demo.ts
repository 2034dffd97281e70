/** `infra-audit demo`: the front door. The whole product on the sandbox's demo account. */
import { runDemo, type DemoOptions } from '../demo/run.js';
import type { CommandIO } from './io.js';

export async function runDemoCommand(opts: DemoOptions, io: CommandIO): Promise<number> {
  await runDemo(opts, io);
  return 0;
}
