# Secrets: metadata and access only. Their values are set out of band (the rotation function
# writes them), so no aws_secretsmanager_secret_version holds one here or in the state.

resource "aws_secretsmanager_secret" "db_app" {
  name        = "acme/prod/db-app"
  description = "acme-app-prod application user"
  kms_key_id  = "alias/acme-app-data"
}

resource "aws_secretsmanager_secret_policy" "db_app" {
  secret_arn          = aws_secretsmanager_secret.db_app.arn
  block_public_policy = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "ReadFromAcmeOrg"
      Effect    = "Allow"
      Principal = "*"
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-acme12345" } }
    }]
  })
}

resource "aws_secretsmanager_secret" "partner_api_key" {
  name        = "acme/prod/partner-api-key"
  description = "API key the logistics partner calls us with"
}

# The partner reads the key it calls us with.
resource "aws_secretsmanager_secret_policy" "partner_api_key" {
  secret_arn = aws_secretsmanager_secret.partner_api_key.arn
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PartnerReads"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::444455556666:role/logistics-integration" }
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
    }]
  })
}
