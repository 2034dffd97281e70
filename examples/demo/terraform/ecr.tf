# Container images. acme/web-frontend (public pulls for a CDN) was made in the console: unmanaged.

resource "aws_ecr_repository" "api" {
  name                 = "acme/api"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:us-east-1:${var.account_id}:key/5b2f8e41-7c3d-4a96-b1e0-9d8c7f6a5e43"
  }

  tags = { Team = "platform" }
}

# Pulls from anywhere in acme's organisation, and nowhere else.
resource "aws_ecr_repository_policy" "api" {
  repository = aws_ecr_repository.api.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PullFromAcmeOrg"
      Effect    = "Allow"
      Principal = "*"
      Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-acme12345" } }
    }]
  })
}

# The 2023 batch image: tags mutable and no scan on push, as it was set up then.
resource "aws_ecr_repository" "legacy_batch" {
  name                 = "acme/legacy-batch"
  image_tag_mutability = "MUTABLE"

  image_scanning_configuration {
    scan_on_push = false
  }

  tags = { Team = "data" }
}
