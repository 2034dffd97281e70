variable "name" {
  description = "Bucket name."
  type        = string
}

variable "purpose" {
  description = "What the bucket holds (the Purpose tag)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for default encryption; null for SSE-S3."
  type        = string
  default     = null
}

variable "access_log_bucket" {
  description = "Bucket that receives server access logs (same region); null for none."
  type        = string
  default     = null
}
