account_id                = "210987654321"
data_kms_key_arn          = "arn:aws:kms:us-east-1:210987654321:key/5b2f8e41-7c3d-4a96-b1e0-9d8c7f6a5e43"
rds_kms_key_arn           = "arn:aws:kms:us-east-1:210987654321:key/0e7d3c2b-91a4-4f58-8c6e-2a1b9d0f7e35"
ami_id                    = "ami-0453ec754f44f9a4a"
eu_ami_id                 = "ami-0d64bb532e0502c46"
artifacts_vpc_endpoint_id = "vpce-0f2a4c6e8b1d3f507"

# FIXME(INFRA-377): move to TF_VAR_reporting_db_password in CI; this should never have been committed.
reporting_db_password = "CANARY-db-password-7f3a9c2e"

people = {
  alice = { team = "platform" }
  bob   = { team = "data" }
  carol = { team = "finance" }
}
