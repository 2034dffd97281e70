# ---------------------------------------------------------------- us-east-1: acme-prod

locals {
  prod_subnets = {
    "public-a"  = { cidr = "10.20.0.0/20", az = "us-east-1a", public = true }
    "public-b"  = { cidr = "10.20.16.0/20", az = "us-east-1b", public = true }
    "private-a" = { cidr = "10.20.128.0/20", az = "us-east-1a", public = false }
    "private-b" = { cidr = "10.20.144.0/20", az = "us-east-1b", public = false }
  }
}

resource "aws_vpc" "prod" {
  cidr_block           = "10.20.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = "acme-prod" }
}

resource "aws_subnet" "prod" {
  for_each = local.prod_subnets

  vpc_id                  = aws_vpc.prod.id
  cidr_block              = each.value.cidr
  availability_zone       = each.value.az
  map_public_ip_on_launch = each.value.public
  tags                    = { Name = "acme-${each.key}", Tier = each.value.public ? "public" : "private" }
}

resource "aws_internet_gateway" "prod" {
  vpc_id = aws_vpc.prod.id
  tags   = { Name = "acme-prod" }
}

resource "aws_eip" "nat" {
  domain     = "vpc"
  tags       = { Name = "acme-prod-nat" }
  depends_on = [aws_internet_gateway.prod]
}

resource "aws_nat_gateway" "prod" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.prod["public-a"].id
  tags          = { Name = "acme-prod" }
}

# Nothing uses the main route table: every subnet is associated explicitly.
resource "aws_default_route_table" "prod" {
  default_route_table_id = aws_vpc.prod.default_route_table_id
  tags                   = { Name = "acme-prod-main" }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.prod.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.prod.id
  }
  tags = { Name = "acme-prod-public" }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.prod.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.prod.id
  }
  tags = { Name = "acme-prod-private" }
}

resource "aws_route_table_association" "prod" {
  for_each = local.prod_subnets

  subnet_id      = aws_subnet.prod[each.key].id
  route_table_id = each.value.public ? aws_route_table.public.id : aws_route_table.private.id
}

# CIS 5.4: the default security group allows nothing.
resource "aws_default_security_group" "prod" {
  vpc_id = aws_vpc.prod.id
  tags   = { Name = "acme-prod-default" }
}

resource "aws_security_group" "alb" {
  name        = "acme-alb-public"
  description = "Public HTTPS to the load balancer"
  vpc_id      = aws_vpc.prod.id
  tags        = { Name = "acme-alb-public" }
}

resource "aws_vpc_security_group_ingress_rule" "alb_https_ipv4" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from anywhere"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "alb_https_ipv6" {
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from anywhere (IPv6)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv6         = "::/0"
}

resource "aws_security_group" "app" {
  name        = "acme-app-servers"
  description = "API servers behind the load balancer"
  vpc_id      = aws_vpc.prod.id
  tags        = { Name = "acme-app-servers" }
}

resource "aws_vpc_security_group_ingress_rule" "app_from_alb" {
  security_group_id            = aws_security_group.app.id
  description                  = "API from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = 8080
  to_port                      = 8080
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_vpc_security_group_ingress_rule" "app_ssh_from_vpc" {
  security_group_id = aws_security_group.app.id
  description       = "SSH from inside the VPC (bastion)"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = aws_vpc.prod.cidr_block
}

resource "aws_security_group" "bastion" {
  name        = "acme-bastion"
  description = "SSH bastion"
  vpc_id      = aws_vpc.prod.id
  tags        = { Name = "acme-bastion" }
}

# FIXME(INFRA-355): restrict to the office VPN range once the on-call laptop is on it.
resource "aws_vpc_security_group_ingress_rule" "bastion_ssh" {
  security_group_id = aws_security_group.bastion.id
  description       = "SSH (temporary, for the on-call laptop)"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "all_outbound" {
  for_each = {
    alb     = aws_security_group.alb.id
    app     = aws_security_group.app.id
    bastion = aws_security_group.bastion.id
  }

  security_group_id = each.value
  description       = "All outbound"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "app_db" {
  name        = "acme-app-db"
  description = "Postgres for the API servers"
  vpc_id      = aws_vpc.prod.id
  tags        = { Name = "acme-app-db" }
}

resource "aws_vpc_security_group_ingress_rule" "app_db_from_app" {
  security_group_id            = aws_security_group.app_db.id
  description                  = "Postgres from the API servers"
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  referenced_security_group_id = aws_security_group.app.id
}

resource "aws_security_group" "reporting_db" {
  name        = "acme-reporting-db"
  description = "Postgres for the BI tool (Metabase)"
  vpc_id      = aws_vpc.prod.id
  tags        = { Name = "acme-reporting-db" }
}

# Metabase Cloud publishes its egress IPs; nobody wrote them down.
resource "aws_vpc_security_group_ingress_rule" "reporting_db_postgres" {
  security_group_id = aws_security_group.reporting_db.id
  description       = "Metabase Cloud"
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = "0.0.0.0/0"
}

# ---------------------------------------------------------------- eu-west-1: acme-eu

locals {
  eu_subnets = {
    "eu-private-a" = { cidr = "10.30.128.0/20", az = "eu-west-1a" }
    "eu-private-b" = { cidr = "10.30.144.0/20", az = "eu-west-1b" }
  }
}

resource "aws_vpc" "eu" {
  provider             = aws.eu
  cidr_block           = "10.30.0.0/16"
  enable_dns_hostnames = true
  tags                 = { Name = "acme-eu" }
}

resource "aws_subnet" "eu" {
  provider = aws.eu
  for_each = local.eu_subnets

  vpc_id            = aws_vpc.eu.id
  cidr_block        = each.value.cidr
  availability_zone = each.value.az
  tags              = { Name = "acme-${each.key}", Tier = "private" }
}

# No internet route: the EU worker reaches AWS APIs through VPC endpoints only.
resource "aws_default_route_table" "eu" {
  provider               = aws.eu
  default_route_table_id = aws_vpc.eu.default_route_table_id
  tags                   = { Name = "acme-eu-main" }
}

resource "aws_default_security_group" "eu" {
  provider = aws.eu
  vpc_id   = aws_vpc.eu.id
  tags     = { Name = "acme-eu-default" }
}

resource "aws_security_group" "eu_worker" {
  provider    = aws.eu
  name        = "acme-eu-worker"
  description = "EU data worker"
  vpc_id      = aws_vpc.eu.id
  tags        = { Name = "acme-eu-worker" }
}

resource "aws_vpc_security_group_ingress_rule" "eu_worker_from_vpc" {
  provider          = aws.eu
  security_group_id = aws_security_group.eu_worker.id
  description       = "Health checks from inside the VPC"
  ip_protocol       = "tcp"
  from_port         = 8080
  to_port           = 8080
  cidr_ipv4         = aws_vpc.eu.cidr_block
}

resource "aws_vpc_security_group_egress_rule" "eu_worker_https" {
  provider          = aws.eu
  security_group_id = aws_security_group.eu_worker.id
  description       = "HTTPS to AWS APIs"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

# ---------------------------------------------------------------- network ACLs, flow logs

# The private subnets keep the VPC's default ACL, with SSH and RDP from the internet denied
# before the allow-all (the first matching rule wins).
resource "aws_default_network_acl" "prod" {
  default_network_acl_id = aws_vpc.prod.default_network_acl_id
  subnet_ids             = [aws_subnet.prod["private-a"].id, aws_subnet.prod["private-b"].id]

  ingress {
    rule_no    = 50
    action     = "deny"
    protocol   = "6"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }
  ingress {
    rule_no    = 60
    action     = "deny"
    protocol   = "6"
    cidr_block = "0.0.0.0/0"
    from_port  = 3389
    to_port    = 3389
  }
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}

resource "aws_network_acl" "public" {
  vpc_id     = aws_vpc.prod.id
  subnet_ids = [aws_subnet.prod["public-a"].id, aws_subnet.prod["public-b"].id]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "6"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }
  # SSH for the bastion, "until the VPN is set up".
  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "6"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }
  ingress {
    rule_no    = 120
    action     = "allow"
    protocol   = "6"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 65535
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  tags = { Name = "acme-public" }
}

resource "aws_flow_log" "prod" {
  vpc_id               = aws_vpc.prod.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::acme-s3-access-logs/vpc-flow-logs/"
  tags                 = { Name = "acme-prod" }
}

# S3 traffic from the VPC stays off the internet; acme-build-artifacts admits reads only through it.
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.prod.id
  service_name    = "com.amazonaws.${var.region}.s3"
  route_table_ids = [aws_route_table.private.id, aws_route_table.public.id]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AcmeBucketsOnly"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::acme-*", "arn:aws:s3:::acme-*/*"]
    }]
  })
  tags = { Name = "acme-prod-s3" }
}

# The app servers read their secrets without leaving the VPC, and only callers of acme's organisation may.
resource "aws_vpc_endpoint" "secretsmanager" {
  vpc_id              = aws_vpc.prod.id
  service_name        = "com.amazonaws.${var.region}.secretsmanager"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.prod["private-a"].id, aws_subnet.prod["private-b"].id]
  security_group_ids  = [aws_security_group.app.id]
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AcmeOrgOnly"
      Effect    = "Allow"
      Principal = "*"
      Action    = ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]
      Resource  = "*"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-acme12345" } }
    }]
  })
  tags = { Name = "acme-prod-secretsmanager" }
}

# us-east-1 only: nobody turned it on in eu-west-1.
resource "aws_ebs_encryption_by_default" "this" {
  enabled = true
}
