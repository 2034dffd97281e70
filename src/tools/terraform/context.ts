/**
 * What the Terraform tools of one server share: the states and configuration given to `serve`
 * (`--state`, `--config`), loaded once on first use through the loader and one Redactor, and the
 * latest drift report, kept briefly so list_unmanaged_resources after get_drift does not read the
 * whole account again. Everything a tool returns passes `redact` on the way out.
 */
import { InfraAuditError } from '../../errors.js';
import type { ServerSession } from '../../server/session.js';
import { DRIFT_READS, loadTerraformInputs, runDrift, type TerraformInputs } from '../../drift/run.js';
import { inventoryOperations } from '../../server/inventory-cache.js';
import { partReads } from '../../inventory/reads.js';
import type { DriftReport } from '../../drift/model.js';
import type { ServiceId } from '../../aws/clients.js';

/** A drift report this recent is reused unless the caller asks for a fresh one. */
const DRIFT_REUSE_MS = 120_000;

interface TerraformContext {
  inputs?: Promise<TerraformInputs>;
  drift?: { at: number; report: Promise<DriftReport> };
}

const contexts = new WeakMap<ServerSession, TerraformContext>();

function contextOf(session: ServerSession): TerraformContext {
  let context = contexts.get(session);
  if (!context) {
    context = {};
    contexts.set(session, context);
  }
  return context;
}

/** The server's Terraform inputs, loaded on first call; a failed load is retried on the next call. */
export function terraformInputs(session: ServerSession): Promise<TerraformInputs> {
  const context = contextOf(session);
  if (!context.inputs) {
    const statePaths = session.options.statePaths ?? [];
    if (statePaths.length === 0) {
      return Promise.reject(
        new InfraAuditError('CONFIG_INVALID', 'this server was started without a Terraform state', {
          hint: 'start it with --state PATH (and --config DIR for declared values): infra-audit serve --state terraform.tfstate --config .',
        }),
      );
    }
    // The session's redactor learns the states' secrets, so every tool and the audit log mask them.
    context.inputs = loadTerraformInputs({ statePaths, configDir: session.options.configDir, s3: { aws: session.options.aws }, redactor: session.redactor });
    context.inputs.catch(() => {
      context.inputs = undefined;
    });
  }
  return context.inputs;
}

/** The drift report, reused for a short while unless `refresh`. */
export async function driftReport(session: ServerSession, refresh = false): Promise<DriftReport> {
  const inputs = await terraformInputs(session);
  const context = contextOf(session);
  if (refresh || !context.drift || Date.now() - context.drift.at > DRIFT_REUSE_MS) {
    // The server's one AwsSession: the same guarded, audited clients its other tools use.
    const report = runDrift(inputs, session.aws);
    context.drift = { at: Date.now(), report };
    report.catch(() => {
      if (context.drift?.report === report) context.drift = undefined;
    });
  }
  return context.drift.report;
}

/** Every AWS operation a drift run may make: the reads of the inventory parts the live types compare. */
export const DRIFT_OPERATIONS: ReadonlyArray<{ service: ServiceId; operation: string }> = inventoryOperations([...DRIFT_READS]);
