output "vpc_id" {
  value = aws_vpc.prod.id
}

output "bastion_public_ip" {
  value = aws_instance.bastion.public_ip
}

output "app_db_endpoint" {
  value = aws_db_instance.app_prod.endpoint
}

output "ci_deploy_role_arn" {
  value = aws_iam_role.ci_deploy.arn
}

output "private_bucket_arns" {
  value = { for key, bucket in module.private_bucket : key => bucket.arn }
}

# Metabase Cloud reads this; `terraform output -raw reporting_db_url` when rotating.
output "reporting_db_url" {
  value     = "postgresql://${aws_db_instance.reporting.username}:${var.reporting_db_password}@${aws_db_instance.reporting.endpoint}/${aws_db_instance.reporting.db_name}?sslmode=require"
  sensitive = true
}

# Jenkins reads this once when the key is rotated.
output "ci_legacy_secret_access_key" {
  value     = aws_iam_access_key.ci_legacy.secret
  sensitive = true
}
