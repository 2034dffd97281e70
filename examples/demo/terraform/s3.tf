# ---------------------------------------------------------------- private buckets (module)

locals {
  private_buckets = {
    "app-uploads"     = { purpose = "user-uploads" }
    "db-backups"      = { purpose = "database-backups" }
    "terraform-state" = { purpose = "terraform-state" }
  }
}

module "private_bucket" {
  source   = "./modules/private-bucket"
  for_each = local.private_buckets

  name              = "acme-${each.key}"
  purpose           = each.value.purpose
  kms_key_arn       = var.data_kms_key_arn
  access_log_bucket = aws_s3_bucket.access_logs.id
}

# Server access logs must stay in the bucket's region and acme has no log bucket in eu-west-1 yet.
module "eu_data_bucket" {
  source    = "./modules/private-bucket"
  providers = { aws = aws.eu }

  name    = "acme-app-data-eu"
  purpose = "eu-customer-data"
}

# ---------------------------------------------------------------- access logs

resource "aws_s3_bucket" "access_logs" {
  bucket = "acme-s3-access-logs"
  tags   = { Name = "acme-s3-access-logs", Purpose = "s3-access-logs" }
}

resource "aws_s3_bucket_public_access_block" "access_logs" {
  bucket                  = aws_s3_bucket.access_logs.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# Log delivery only writes to SSE-S3 buckets.
resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
    bucket_key_enabled = false
  }
}

resource "aws_s3_bucket_versioning" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_policy" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      local.deny_insecure_transport["acme-s3-access-logs"],
      {
        Sid       = "S3ServerAccessLogsPolicy"
        Effect    = "Allow"
        Principal = { Service = "logging.s3.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "${aws_s3_bucket.access_logs.arn}/*"
        Condition = { StringEquals = { "aws:SourceAccount" = var.account_id } }
      },
    ]
  })
  depends_on = [aws_s3_bucket_public_access_block.access_logs]
}

# ---------------------------------------------------------------- marketing site

# Serves www.acme.example. Public on purpose since 2022; CloudFront + OAC is on the roadmap.
resource "aws_s3_bucket" "marketing_site" {
  bucket = "acme-marketing-site"
  tags   = { Name = "acme-marketing-site", Purpose = "static-website" }
}

resource "aws_s3_bucket_ownership_controls" "marketing_site" {
  bucket = aws_s3_bucket.marketing_site.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "marketing_site" {
  bucket = aws_s3_bucket.marketing_site.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
    bucket_key_enabled = false
  }
}

resource "aws_s3_bucket_policy" "marketing_site" {
  bucket = aws_s3_bucket.marketing_site.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicReadForWebsite"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.marketing_site.arn}/*"
    }]
  })
}

# ---------------------------------------------------------------- legacy exports

# Finance's quarterly customer exports, from before S3 Object Ownership existed.
resource "aws_s3_bucket" "legacy_exports" {
  bucket = "acme-legacy-exports"
  tags   = { Name = "acme-legacy-exports", Purpose = "customer-exports" }
}

# "So the auditors can download them" (2021).
resource "aws_s3_bucket_acl" "legacy_exports" {
  bucket = aws_s3_bucket.legacy_exports.id
  acl    = "public-read"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "legacy_exports" {
  bucket = aws_s3_bucket.legacy_exports.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
    bucket_key_enabled = false
  }
}

resource "aws_s3_bucket_versioning" "legacy_exports" {
  bucket = aws_s3_bucket.legacy_exports.id
  versioning_configuration {
    status = "Suspended"
  }
}

# ---------------------------------------------------------------- build artifacts

resource "aws_s3_bucket" "build_artifacts" {
  bucket = "acme-build-artifacts"
  tags   = { Name = "acme-build-artifacts", Purpose = "ci-artifacts" }
}

resource "aws_s3_bucket_public_access_block" "build_artifacts" {
  bucket                  = aws_s3_bucket.build_artifacts.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "build_artifacts" {
  bucket = aws_s3_bucket.build_artifacts.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "build_artifacts" {
  bucket = aws_s3_bucket.build_artifacts.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.data_kms_key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "build_artifacts" {
  bucket = aws_s3_bucket.build_artifacts.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "build_artifacts" {
  bucket        = aws_s3_bucket.build_artifacts.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "acme-build-artifacts/"
}

# Principal "*" is narrowed to the prod VPC's S3 endpoint: not public.
resource "aws_s3_bucket_policy" "build_artifacts" {
  bucket = aws_s3_bucket.build_artifacts.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      local.deny_insecure_transport["acme-build-artifacts"],
      {
        Sid       = "ReadFromProdVpcEndpoint"
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.build_artifacts.arn}/*"
        Condition = { StringEquals = { "aws:SourceVpce" = var.artifacts_vpc_endpoint_id } }
      },
    ]
  })
  depends_on = [aws_s3_bucket_public_access_block.build_artifacts]
}

# ---------------------------------------------------------------- partner downloads

resource "aws_s3_bucket" "partner_static" {
  bucket = "acme-partner-static"
  tags   = { Name = "acme-partner-static", Purpose = "partner-downloads" }
}

# The AllUsers grant dates from 2022; Block Public Access (below) has ignored it since 2023.
resource "aws_s3_bucket_public_access_block" "partner_static" {
  bucket                  = aws_s3_bucket.partner_static.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "partner_static" {
  bucket = aws_s3_bucket.partner_static.id
  rule {
    object_ownership = "BucketOwnerPreferred"
  }
}

data "aws_canonical_user_id" "current" {}

resource "aws_s3_bucket_acl" "partner_static" {
  bucket = aws_s3_bucket.partner_static.id
  access_control_policy {
    owner {
      id = data.aws_canonical_user_id.current.id
    }
    grant {
      grantee {
        type = "CanonicalUser"
        id   = data.aws_canonical_user_id.current.id
      }
      permission = "FULL_CONTROL"
    }
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"
      }
      permission = "READ"
    }
  }
  depends_on = [aws_s3_bucket_ownership_controls.partner_static]
}

resource "aws_s3_bucket_server_side_encryption_configuration" "partner_static" {
  bucket = aws_s3_bucket.partner_static.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
    bucket_key_enabled = false
  }
}

resource "aws_s3_bucket_versioning" "partner_static" {
  bucket = aws_s3_bucket.partner_static.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_logging" "partner_static" {
  bucket        = aws_s3_bucket.partner_static.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "acme-partner-static/"
}

resource "aws_s3_bucket_policy" "partner_static" {
  bucket = aws_s3_bucket.partner_static.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [local.deny_insecure_transport["acme-partner-static"]]
  })
  depends_on = [aws_s3_bucket_public_access_block.partner_static]
}

# ---------------------------------------------------------------- audit archive

# Added in PR #214 (SOC 2 evidence retention); not applied yet, waiting on the Object Lock review.
resource "aws_s3_bucket" "audit_archive" {
  bucket              = "acme-audit-archive"
  object_lock_enabled = true
  tags                = { Name = "acme-audit-archive", Purpose = "audit-evidence" }
}
