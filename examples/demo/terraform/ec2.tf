# The ops team's SSH key for the bastion and the legacy worker (the public half only).
resource "aws_key_pair" "ops" {
  key_name   = var.ops_key_name
  public_key = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDGz0pK7Yq2m9vX3tLrWf8aJc4nE1sB6hQy5uD0iO2lR7kT9wZxVbN3eMfP8gHjA1cS4dU6yI0oL2pK5rQ7tW9vX1zC3bN5mM8nB0vC2xZ4aS6dF8gH0jK2lL4qW6eR8tY0uI2oP4aS6dF8gH0jK2lL4 ops@acme"
  tags       = { Name = "acme-ops" }
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
