variable "account_id" {
  description = "The acme production account; the provider refuses to run against any other."
  type        = string
}

variable "region" {
  description = "Primary region."
  type        = string
  default     = "us-east-1"
}

variable "eu_region" {
  description = "Region for EU customer data."
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  type    = string
  default = "production"
}

variable "data_kms_key_arn" {
  description = "KMS key for application data (managed in acme/security)."
  type        = string
}

variable "rds_kms_key_arn" {
  description = "KMS key for RDS storage and Performance Insights (managed in acme/security)."
  type        = string
}

variable "ami_id" {
  description = "Amazon Linux 2023 AMI for us-east-1."
  type        = string
}

variable "eu_ami_id" {
  description = "Amazon Linux 2023 AMI for eu-west-1."
  type        = string
}

variable "ops_key_name" {
  description = "EC2 key pair for the bastion and the legacy worker."
  type        = string
  default     = "acme-ops"
}

variable "artifacts_vpc_endpoint_id" {
  description = "The prod VPC's S3 gateway endpoint; only it may read build artifacts."
  type        = string
}

variable "reporting_db_password" {
  description = "Master password of the reporting database."
  type        = string
  sensitive   = true
}

variable "people" {
  description = "Console users, by name."
  type        = map(object({ team = string }))
}
