# ---------------------------------------------------------------- account

# Set in 2019 and never revisited (see INFRA-390).
resource "aws_iam_account_password_policy" "this" {
  minimum_password_length        = 8
  require_lowercase_characters   = true
  require_numbers                = true
  require_uppercase_characters   = false
  require_symbols                = false
  allow_users_to_change_password = true
}

# ---------------------------------------------------------------- customer-managed policies

# TODO(INFRA-412): scope down to what the deploy pipeline actually calls.
resource "aws_iam_policy" "ci_deploy_admin" {
  name        = "ci-deploy-admin"
  description = "Deploy permissions for GitHub Actions (TODO: scope down, see INFRA-412)"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "Deploy", Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_policy" "app_secrets_read" {
  name        = "app-secrets-read"
  description = "Read the application secrets"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "ReadAppSecrets"
      Effect   = "Allow"
      Action   = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
      Resource = "arn:aws:secretsmanager:${var.region}:${var.account_id}:secret:prod/app/*"
    }]
  })
}

resource "aws_iam_policy" "legacy_etl_access" {
  name        = "legacy-etl-access"
  description = "Nightly finance export (Glue)"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "ReadWriteExports", Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = "${aws_s3_bucket.legacy_exports.arn}/exports/*" },
      { Sid = "ListExports", Effect = "Allow", Action = "s3:ListBucket", Resource = aws_s3_bucket.legacy_exports.arn },
    ]
  })
}

resource "aws_iam_policy" "infra_audit_read" {
  name        = "infra-audit-read"
  description = "Read-only inventory for infra-audit"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid    = "ReadInventory"
      Effect = "Allow"
      Action = [
        "cloudwatch:GetMetricData", "cloudwatch:GetMetricStatistics", "cloudwatch:ListMetrics",
        "ec2:DescribeInstances", "ec2:DescribeNetworkInterfaces", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
        "iam:GenerateCredentialReport", "iam:GetAccessKeyLastUsed", "iam:GetAccountPasswordPolicy", "iam:GetAccountSummary", "iam:GetCredentialReport",
        "iam:GetLoginProfile", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:GetRole", "iam:GetRolePolicy", "iam:GetUser", "iam:GetUserPolicy",
        "iam:ListAccessKeys", "iam:ListAccountAliases", "iam:ListAttachedRolePolicies", "iam:ListAttachedUserPolicies", "iam:ListMFADevices",
        "iam:ListPolicies", "iam:ListRolePolicies", "iam:ListRoles", "iam:ListUserPolicies", "iam:ListUsers",
        "rds:DescribeDBInstances", "rds:DescribeDBSnapshotAttributes", "rds:DescribeDBSnapshots",
        "s3:GetAccountPublicAccessBlock", "s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketLogging", "s3:GetBucketOwnershipControls",
        "s3:GetBucketPolicy", "s3:GetBucketPolicyStatus", "s3:GetBucketPublicAccessBlock", "s3:GetBucketTagging", "s3:GetBucketVersioning",
        "s3:GetEncryptionConfiguration", "s3:ListAllMyBuckets",
      ]
      Resource = "*"
    }]
  })
}

# ---------------------------------------------------------------- federation

# GitHub Actions' OIDC provider; ci-deploy trusts it (local.github_oidc_provider_arn), pinned to one repository and branch.
resource "aws_iam_openid_connect_provider" "github" {
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"]
  tags            = { Name = "github-actions" }
}

# ---------------------------------------------------------------- roles

resource "aws_iam_role" "ci_deploy" {
  name        = "ci-deploy"
  description = "GitHub Actions deploys from acme/infrastructure (main only)"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = local.github_oidc_provider_arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:acme/infrastructure:ref:refs/heads/main" }
      }
    }]
  })
  tags = { Name = "ci-deploy" }
}

resource "aws_iam_role_policy_attachment" "ci_deploy_admin" {
  role       = aws_iam_role.ci_deploy.name
  policy_arn = aws_iam_policy.ci_deploy_admin.arn
}

resource "aws_iam_role" "app_server" {
  name        = "app-server"
  description = "Instance role of the API servers"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  tags = { Name = "app-server" }
}

resource "aws_iam_role_policy" "app_s3_access" {
  name = "app-s3-access"
  role = aws_iam_role.app_server.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Uploads", Effect = "Allow", Action = ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"], Resource = "arn:aws:s3:::acme-app-uploads/*" },
      { Sid = "Artifacts", Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::acme-build-artifacts/*" },
      { Sid = "DataKey", Effect = "Allow", Action = ["kms:Decrypt", "kms:GenerateDataKey"], Resource = var.data_kms_key_arn },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "app_secrets_read" {
  role       = aws_iam_role.app_server.name
  policy_arn = aws_iam_policy.app_secrets_read.arn
}

resource "aws_iam_instance_profile" "app_server" {
  name = "app-server"
  role = aws_iam_role.app_server.name
}

resource "aws_iam_role" "legacy_etl" {
  name        = "legacy-etl"
  description = "Nightly finance export (Glue job retired in 2025)"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "glue.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  tags = { Name = "legacy-etl" }
}

resource "aws_iam_role_policy_attachment" "legacy_etl_access" {
  role       = aws_iam_role.legacy_etl.name
  policy_arn = aws_iam_policy.legacy_etl_access.arn
}

resource "aws_iam_role" "infra_audit" {
  name        = "InfraAuditReadOnly"
  description = "Read-only role assumed by infra-audit"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::123456789012:role/security-audit-runner" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "sts:ExternalId" = "acme-infra-audit-2f9c" } }
    }]
  })
  tags = { Name = "InfraAuditReadOnly" }
}

resource "aws_iam_role_policy_attachment" "infra_audit_read" {
  role       = aws_iam_role.infra_audit.name
  policy_arn = aws_iam_policy.infra_audit_read.arn
}

resource "aws_iam_role" "contractor_readonly" {
  name                 = "contractor-readonly"
  description          = "Read-only access for the Q3 SOC 2 contractor"
  max_session_duration = 14400
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::777788889999:user/jordan.lee" }
      Action    = "sts:AssumeRole"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
  tags = { Name = "contractor-readonly" }
}

resource "aws_iam_role_policy_attachment" "contractor_readonly" {
  role       = aws_iam_role.contractor_readonly.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

# ---------------------------------------------------------------- users

# People sign in with a console password; their permissions come from the groups below.
resource "aws_iam_user" "people" {
  for_each = var.people

  name = each.key
  tags = { Team = each.value.team }
}

# Jenkins, until the last jobs move to GitHub Actions (INFRA-301).
resource "aws_iam_user" "ci_legacy" {
  name = "ci-legacy"
  tags = { Team = "platform", Purpose = "jenkins-deploys" }
}

resource "aws_iam_access_key" "ci_legacy" {
  user = aws_iam_user.ci_legacy.name
}

resource "aws_iam_user" "svc_metrics" {
  name = "svc-metrics"
  tags = { Team = "platform", Purpose = "metrics-exporter" }
}

# Rotated monthly with `terraform apply -replace=aws_iam_access_key.svc_metrics`.
resource "aws_iam_access_key" "svc_metrics" {
  user = aws_iam_user.svc_metrics.name
}

# ---------------------------------------------------------------- groups

# Break-glass access for the platform on-call (INFRA-233); membership is reviewed quarterly.
resource "aws_iam_group" "platform_breakglass" {
  name = "platform-breakglass"
}

resource "aws_iam_group_policy" "breakglass_admin" {
  name  = "breakglass-admin"
  group = aws_iam_group.platform_breakglass.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "BreakGlass", Effect = "Allow", Action = "*", Resource = "*" }]
  })
}

# Whoever leaves a team keeps their user until the HR ticket closes; this group takes everything away.
resource "aws_iam_group" "offboarded" {
  name = "offboarded"
}

resource "aws_iam_group_policy" "deny_everything" {
  name  = "deny-everything"
  group = aws_iam_group.offboarded.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Sid = "DenyEverything", Effect = "Deny", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.people["alice"].name
  groups = [aws_iam_group.platform_breakglass.name]
}

# Moved to finance in 2024 (INFRA-377).
resource "aws_iam_user_group_membership" "carol" {
  user   = aws_iam_user.people["carol"].name
  groups = [aws_iam_group.platform_breakglass.name, aws_iam_group.offboarded.name]
}
