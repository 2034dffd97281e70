import type { CheckMetadata } from '../../findings/model.js';
import { daysBetween, finding, GLOBAL_REGION } from '../finding.js';
import type { Check } from '../types.js';
import { forEachIam } from './principals.js';

const metadata: CheckMetadata = {
  id: 'iam_server_certificate_expired',
  title: 'No expired SSL/TLS certificate is stored in IAM',
  failTitle: 'Expired SSL/TLS certificate is stored in IAM',
  severity: 'medium',
  service: 'iam',
  resourceType: 'AWS::IAM::ServerCertificate',
  risk: 'An expired certificate left in IAM can be deployed to a load balancer or CloudFront by mistake, and clients then refuse the site or learn to click through warnings.',
  remediation: 'Delete the expired certificate (aws iam delete-server-certificate) after checking nothing still references it; prefer ACM, which renews certificates itself.',
  remediationTerraform: `# Remove the aws_iam_server_certificate resource (or delete the certificate uploaded by hand),
# and issue the replacement from ACM:
resource "aws_acm_certificate" "<name>" {
  domain_name       = "<domain>"
  validation_method = "DNS"
}`,
  cis: ['1.19'],
  terraformTypes: ['aws_iam_server_certificate', 'aws_acm_certificate'],
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html'],
};

export const iam_server_certificate_expired: Check = {
  metadata,
  reads: ['iam:ListServerCertificates'],
  run: (snapshot, options) =>
    forEachIam(metadata, snapshot, (iam) => iam.serverCertificates, 'the server certificates (iam:ListServerCertificates)', (cert) => {
      const name = cert.ServerCertificateName ?? cert.Arn ?? '?';
      const subject = { region: GLOBAL_REGION, resourceId: cert.Arn ?? name, resourceName: name, resourceType: metadata.resourceType };
      const expiration = cert.Expiration;
      const evidence = { expiration: expiration?.toISOString() ?? null, uploadDate: cert.UploadDate?.toISOString() ?? null };
      if (!expiration) return finding(metadata, snapshot, subject, 'error', `Certificate ${name} has no expiration date in ListServerCertificates.`, evidence);
      if (expiration.getTime() > options.now.getTime()) {
        return finding(metadata, snapshot, subject, 'pass', `Certificate ${name} is valid for ${daysBetween(options.now, expiration)} more days.`, evidence);
      }
      return finding(metadata, snapshot, subject, 'fail', `Certificate ${name} expired ${daysBetween(expiration, options.now)} days ago.`, evidence);
    }),
};
