import type { CheckMetadata } from '../../findings/model.js';
import { accountSubject, finding, notCollected, readError } from '../finding.js';
import type { Check } from '../types.js';

const metadata: CheckMetadata = {
  id: 'account_security_contact',
  title: 'A security contact is registered for the account',
  failTitle: 'The account has no security contact registered',
  severity: 'low',
  service: 'account',
  resourceType: 'AWS::Account::AlternateContact',
  risk: 'AWS sends abuse reports, compromise notices and security advisories to the security contact; without one they go to the root mailbox, which often nobody reads.',
  remediation: 'Register a security alternate contact that a team reads (a distribution list, not a person): aws account put-alternate-contact --alternate-contact-type SECURITY ...',
  remediationTerraform: `resource "aws_account_alternate_contact" "security" {
  alternate_contact_type = "SECURITY"
  name                   = "Security team"
  title                  = "Security"
  email_address          = "security@example.com"
  phone_number           = "+1-555-0100"
}`,
  cis: ['1.2'],
  terraformTypes: ['aws_account_alternate_contact'],
  references: ['https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-update-contact-alternate.html'],
};

export const account_security_contact: Check = {
  metadata,
  reads: ['account:GetAlternateContact'],
  run(snapshot) {
    if (!snapshot.account) return [notCollected(metadata, snapshot, 'account')];
    const subject = accountSubject(snapshot);
    const contact = snapshot.account.securityContact;
    if (contact.error) return [readError(metadata, snapshot, subject, 'the security contact (account:GetAlternateContact)', contact.error)];
    if (!contact.value) return [finding(metadata, snapshot, subject, 'fail', 'No security alternate contact is registered.', { registered: false })];
    // The contact's details are personal data: the evidence says that it exists, and its title only.
    return [finding(metadata, snapshot, subject, 'pass', `A security contact is registered (${contact.value.title || 'untitled'}).`, { registered: true })];
  },
};
