terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }

  # The state lives in S3. The terraform.tfstate beside this file is a snapshot taken with
  # `terraform state pull > terraform.tfstate` so the demo can read it without AWS access.
  backend "s3" {
    bucket       = "acme-terraform-state"
    key          = "prod/terraform.tfstate"
    region       = "us-east-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region              = var.region
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = local.default_tags
  }
}

# EU customer data stays in Ireland (GDPR).
provider "aws" {
  alias               = "eu"
  region              = var.eu_region
  allowed_account_ids = [var.account_id]

  default_tags {
    tags = local.default_tags
  }
}
