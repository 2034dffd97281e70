# acme production: one AWS account, us-east-1 for the product and eu-west-1 for EU customer data.

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id

  default_tags = {
    Company     = "acme"
    Environment = var.environment
    ManagedBy   = "terraform"
    Repository  = "github.com/acme/infrastructure"
  }

  github_oidc_provider_arn = "arn:aws:iam::${var.account_id}:oidc-provider/token.actions.githubusercontent.com"

  # Every bucket refuses plain-HTTP requests; the statement is the same apart from the bucket.
  deny_insecure_transport = {
    for name in ["acme-build-artifacts", "acme-partner-static", "acme-s3-access-logs"] : name => {
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::${name}", "arn:aws:s3:::${name}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }
  }
}

resource "aws_efs_file_system" "shared_home" {
  creation_token  = "acme-shared-home"
  encrypted       = true
  kms_key_id      = var.rds_kms_key_arn
  throughput_mode = "elastic"
  tags            = { Name = "acme-shared-home" }
}
