/** Prompts: the tasks the product exists for, ready for a client to offer its user. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';

export const S3_PUBLIC_AUDIT_TASK =
  'Audit all S3 buckets. Find any with public read access. Return a structured findings report with a remediation step for each.';

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    's3_public_access_audit',
    {
      title: 'Audit S3 buckets for public access',
      description: "The article's task: find every bucket with public read access and propose a remediation for each.",
    },
    () => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text:
              `${S3_PUBLIC_AUDIT_TASK}\n\nUse find_public_buckets first (one call answers for the whole account, with evidence), ` +
              'then get_bucket_policy only where you need the full policy. Your authority ends at read and report: propose Terraform changes, never apply them.',
          },
        },
      ],
    }),
  );
  server.registerPrompt(
    'drift_review',
    { title: 'Review Terraform drift', description: 'Explain the drift between Terraform state, HCL and live AWS, and what a human should do about each item.' },
    () => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text:
              'Call get_drift and list_unmanaged_resources. For each drifted resource, say what changed outside Terraform, whether it weakens security, ' +
              'and whether the fix is to update the HCL (accept the live change) or to re-apply Terraform (revert it). For unmanaged resources, give the import blocks. ' +
              'Do not apply anything.',
          },
        },
      ],
    }),
  );
  server.registerPrompt(
    'iam_review',
    { title: 'Review IAM', description: 'Find over-privileged roles and users, unused credentials and risky trust policies.' },
    () => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text:
              'Call run_checks with services: ["iam"]. Summarise admin-equivalent principals, privilege-escalation paths, open trust policies, users without MFA, and unused or old credentials. ' +
              'Rank by risk and give a remediation for each. Read and report only.',
          },
        },
      ],
    }),
  );
}
