# Everything the demo needs to reach OUTSCALE. scripts/demo.sh fills these in
# from the local emulator's first output line (terraform.tfvars.json); point
# them at a real region and real keys to run the same configuration for real.

variable "region" {
  description = "OUTSCALE region, e.g. eu-west-2."
  type        = string
}

variable "api_endpoint" {
  description = "OUTSCALE API endpoint; null uses the region's public endpoint."
  type        = string
  default     = null
}

variable "directlink_endpoint" {
  description = "DirectLink API endpoint; null uses the region's public endpoint."
  type        = string
  default     = null
}

variable "owner_access_key" {
  description = "Access key of the account that owns the DirectLink and hosts the interface."
  type        = string
}

variable "owner_secret_key" {
  description = "Secret key of the owner account."
  type        = string
  sensitive   = true
}

variable "recipient_access_key" {
  description = "Access key of the account the interface is hosted for."
  type        = string
}

variable "recipient_secret_key" {
  description = "Secret key of the recipient account."
  type        = string
  sensitive   = true
}

variable "recipient_account_id" {
  description = "Account ID of the recipient (12 digits)."
  type        = string
}

variable "recipient_virtual_gateway_id" {
  description = "Virtual gateway of the recipient's Net that the accepted interface attaches to."
  type        = string
}
