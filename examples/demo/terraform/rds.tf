resource "aws_db_subnet_group" "private" {
  name        = "acme-private-db"
  description = "Private subnets for the application database"
  subnet_ids  = [aws_subnet.prod["private-a"].id, aws_subnet.prod["private-b"].id]
  tags        = { Name = "acme-private-db" }
}

resource "aws_db_instance" "app_prod" {
  identifier     = "acme-app-prod"
  engine         = "postgres"
  engine_version = "16.4"
  instance_class = "db.m6g.large"
  db_name        = "acme"
  username       = "acme_admin"

  # The master password lives in Secrets Manager, never in this state.
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.rds_kms_key_arn

  allocated_storage     = 200
  max_allocated_storage = 1000
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.rds_kms_key_arn

  db_subnet_group_name   = aws_db_subnet_group.private.name
  vpc_security_group_ids = [aws_security_group.app_db.id]
  publicly_accessible    = false
  multi_az               = true

  iam_database_authentication_enabled = true
  backup_retention_period             = 14
  backup_window                       = "03:00-03:30"
  maintenance_window                  = "sun:05:00-sun:06:00"
  copy_tags_to_snapshot               = true
  deletion_protection                 = true
  final_snapshot_identifier           = "acme-app-prod-final"

  enabled_cloudwatch_logs_exports       = ["postgresql"]
  monitoring_interval                   = 60
  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.rds_kms_key_arn
  performance_insights_retention_period = 7

  tags = { Name = "acme-app-prod" }
}

# Taken before the Postgres 16 upgrade; shared with the disaster-recovery account.
resource "aws_db_snapshot" "pre_pg16_upgrade" {
  db_instance_identifier = aws_db_instance.app_prod.identifier
  db_snapshot_identifier = "acme-app-prod-pre-pg16-upgrade"
  shared_accounts        = ["999988887777"]
  tags                   = { Name = "acme-app-prod-pre-pg16-upgrade" }
}

# ---------------------------------------------------------------- reporting (Metabase)

resource "aws_db_subnet_group" "public" {
  name        = "acme-public-db"
  description = "Public subnets for the BI database (Metabase Cloud)"
  subnet_ids  = [aws_subnet.prod["public-a"].id, aws_subnet.prod["public-b"].id]
  tags        = { Name = "acme-public-db" }
}

resource "aws_db_instance" "reporting" {
  identifier     = "acme-reporting"
  engine         = "postgres"
  engine_version = "13.16"
  instance_class = "db.t3.medium"
  db_name        = "reporting"
  username       = "reporting_admin"
  password       = var.reporting_db_password

  allocated_storage = 100
  storage_type      = "gp2"
  storage_encrypted = false

  db_subnet_group_name   = aws_db_subnet_group.public.name
  vpc_security_group_ids = [aws_security_group.reporting_db.id]
  publicly_accessible    = true

  # Pinned at 13.16: Metabase's driver broke on a minor upgrade once.
  auto_minor_version_upgrade = false

  backup_retention_period   = 7
  backup_window             = "03:00-03:30"
  maintenance_window        = "sun:05:00-sun:06:00"
  copy_tags_to_snapshot     = true
  deletion_protection       = true
  final_snapshot_identifier = "acme-reporting-final"

  tags = { Name = "acme-reporting" }
}

# ---------------------------------------------------------------- analytics (Aurora)

resource "aws_rds_cluster" "analytics" {
  cluster_identifier = "acme-analytics"
  engine             = "aurora-postgresql"
  engine_version     = "16.4"
  database_name      = "analytics"
  master_username    = "analytics_admin"

  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.rds_kms_key_arn

  storage_encrypted = true
  kms_key_id        = var.rds_kms_key_arn

  db_subnet_group_name   = aws_db_subnet_group.private.name
  vpc_security_group_ids = [aws_security_group.app_db.id]

  iam_database_authentication_enabled = true
  backup_retention_period             = 7
  preferred_backup_window             = "04:00-04:30"
  preferred_maintenance_window        = "sun:06:00-sun:07:00"
  copy_tags_to_snapshot               = true
  deletion_protection                 = true
  final_snapshot_identifier           = "acme-analytics-final"

  tags = { Name = "acme-analytics" }
}
