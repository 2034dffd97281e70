import type { CheckMetadata } from '../../findings/model.js';
import { accountSubject, finding, notCollected, readError } from '../finding.js';
import type { Check } from '../types.js';
import { rootFacts, ROOT_READS } from './root.js';

const metadata: CheckMetadata = {
  id: 'iam_root_hardware_mfa',
  title: 'The root user has a hardware MFA device',
  failTitle: 'The root user has no hardware MFA device',
  severity: 'high',
  service: 'iam',
  resourceType: 'AWS::IAM::User',
  risk: 'A virtual MFA lives on a phone or laptop that is also used for everything else: malware, a backup or a cloned device carries the root second factor with it.',
  remediation: 'Sign in as root, remove the virtual MFA device and assign a hardware key (FIDO security key or hardware TOTP token) kept in a safe.',
  remediationTerraform: `# Root MFA cannot be managed with Terraform: as the root user, assign a FIDO security key or
# hardware TOTP token (console > Security credentials > Multi-factor authentication) and remove
# the virtual device. With AWS Organizations, centralised root access removes root credentials:
resource "aws_iam_organizations_features" "this" {
  enabled_features = ["RootCredentialsManagement", "RootSessions"]
}`,
  cis: ['1.6'],
  terraformTypes: ['aws_iam_organizations_features'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_physical.html'],
};

export const iam_root_hardware_mfa: Check = {
  metadata,
  reads: [...ROOT_READS, 'iam:ListVirtualMFADevices'],
  run(snapshot) {
    if (!snapshot.iam) return [notCollected(metadata, snapshot, 'iam')];
    const rootArn = `arn:${snapshot.partition}:iam::${snapshot.accountId}:root`;
    const subject = { ...accountSubject(snapshot), resourceId: rootArn, resourceName: 'root', resourceType: 'AWS::IAM::User' };
    const root = rootFacts(snapshot.iam);
    if ('error' in root) return [readError(metadata, snapshot, subject, 'the root user (iam:GetCredentialReport, iam:GetAccountSummary)', root.error)];
    if (!root.facts.mfaActive) return [finding(metadata, snapshot, subject, 'fail', 'The root user has no MFA device at all.', { mfaActive: false, source: root.facts.source })];
    const devices = snapshot.iam.virtualMfaDevices;
    if (devices.error) return [readError(metadata, snapshot, subject, 'the virtual MFA devices (iam:ListVirtualMFADevices)', devices.error)];
    // A root virtual device is listed with the root ARN as its user (and serial root-account-mfa-device).
    const virtual = devices.value.filter((d) => d.userArn === rootArn || /:mfa\/root-account-mfa-device$/.test(d.serialNumber));
    const evidence = { mfaActive: true, rootVirtualDevices: virtual.map((d) => d.serialNumber) };
    if (virtual.length > 0) return [finding(metadata, snapshot, subject, 'fail', `The root user's MFA is a virtual device (${virtual[0]!.serialNumber}), not a hardware one.`, evidence)];
    return [finding(metadata, snapshot, subject, 'pass', 'The root user has MFA, and no virtual MFA device is assigned to it: the device is hardware.', evidence)];
  },
};
