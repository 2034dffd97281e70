# Application log groups. The security team's CloudTrail group (acme-cloudtrail) and its CIS
# metric filters and alarms live in their own stack (acme/security), not here.

resource "aws_cloudwatch_log_group" "api" {
  name              = "/acme/api"
  retention_in_days = 30

  tags = { Team = "platform" }
}

resource "aws_cloudwatch_log_group" "worker" {
  name              = "/acme/worker"
  retention_in_days = 30

  tags = { Team = "platform" }
}
