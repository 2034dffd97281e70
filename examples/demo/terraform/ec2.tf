# The ops team's SSH key for the bastion and the legacy worker (the public half only).
resource "aws_key_pair" "ops" {
  key_name   = var.ops_key_name
  public_key = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDGz0pK7Yq2m9vX3tLrWf8aJc4nE1sB6hQy5uD0iO2lR7kT9wZxVbN3eMfP8gHjA1cS4dU6yI0oL2pK5rQ7tW9vX1zC3bN5mM8nB0vC2xZ4aS6dF8gH0jK2lL4qW6eR8tY0uI2oP4aS6dF8gH0jK2lL4 ops@acme"
  tags       = { Name = "acme-ops" }
}

# What the API's autoscaling group launches.
resource "aws_launch_template" "api" {
  name                   = "acme-api"
  image_id               = var.ami_id
  instance_type          = "t3.large"
  vpc_security_group_ids = [aws_security_group.app.id]
  user_data              = base64encode("#!/bin/bash\nsystemctl enable --now acme-api\n")

  iam_instance_profile {
    name = aws_iam_instance_profile.app_server.name
  }
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type           = "gp3"
      volume_size           = 30
      encrypted             = true
      delete_on_termination = true
    }
  }
  tags = { Name = "acme-api" }
}

# The invoice renderer's spare capacity, launched by hand when month-end backs up: the same
# 2019 toolchain as aws_instance.legacy_worker, so it too allows IMDSv1.
resource "aws_launch_template" "legacy_worker" {
  name                   = "acme-legacy-worker"
  image_id               = var.ami_id
  instance_type          = "t3.medium"
  key_name               = aws_key_pair.ops.key_name
  vpc_security_group_ids = [aws_security_group.app.id]
  user_data              = base64encode("#!/bin/bash\nsystemctl enable --now invoice-renderer\n")

  iam_instance_profile {
    name = aws_iam_instance_profile.app_server.name
  }
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "optional"
    http_put_response_hop_limit = 1
  }
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_type           = "gp3"
      volume_size           = 20
      encrypted             = true
      delete_on_termination = true
    }
  }
  tags = { Name = "acme-legacy-worker" }
}

# No metadata_options: launches take eu-west-1's account-level IMDS default, which requires IMDSv2
# (set for the region outside this configuration).
resource "aws_launch_template" "eu_export" {
  provider = aws.eu

  name                   = "acme-eu-export"
  image_id               = var.eu_ami_id
  instance_type          = "t3.medium"
  vpc_security_group_ids = [aws_security_group.eu_worker.id]

  tags = { Name = "acme-eu-export" }
}

resource "aws_instance" "bastion" {
  ami                    = var.ami_id
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.prod["public-a"].id
  vpc_security_group_ids = [aws_security_group.bastion.id]
  key_name               = var.ops_key_name

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }
  root_block_device {
    volume_type = "gp3"
    volume_size = 8
    encrypted   = true
  }
  tags = { Name = "bastion" }
}

resource "aws_instance" "app" {
  count = 2

  ami                    = var.ami_id
  instance_type          = "t3.large"
  subnet_id              = aws_subnet.prod[count.index == 0 ? "private-a" : "private-b"].id
  vpc_security_group_ids = [aws_security_group.app.id]
  iam_instance_profile   = aws_iam_instance_profile.app_server.name

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }
  root_block_device {
    volume_type = "gp3"
    volume_size = 30
    encrypted   = true
  }
  tags = { Name = "acme-api-${count.index + 1}" }
}

# Renders invoice PDFs with a 2019 toolchain that still reads instance metadata without a token.
resource "aws_instance" "legacy_worker" {
  ami                    = var.ami_id
  instance_type          = "t3.medium"
  subnet_id              = aws_subnet.prod["private-a"].id
  vpc_security_group_ids = [aws_security_group.app.id]
  iam_instance_profile   = aws_iam_instance_profile.app_server.name
  key_name               = var.ops_key_name

  metadata_options {
    http_tokens                 = "optional"
    http_put_response_hop_limit = 1
  }
  root_block_device {
    volume_type = "gp3"
    volume_size = 20
    encrypted   = true
  }
  tags = { Name = "legacy-invoice-worker" }
}

resource "aws_instance" "eu_worker" {
  provider = aws.eu

  ami                    = var.eu_ami_id
  instance_type          = "t3.medium"
  subnet_id              = aws_subnet.eu["eu-private-a"].id
  vpc_security_group_ids = [aws_security_group.eu_worker.id]

  metadata_options {
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }
  root_block_device {
    volume_type = "gp3"
    volume_size = 30
    encrypted   = true
  }
  tags = { Name = "acme-eu-worker" }
}
