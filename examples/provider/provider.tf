terraform {
  required_providers {
    osc = {
      source = "oscdl/osc"
    }
  }
}

# Credentials from the environment (OSC_ACCESS_KEY, OSC_SECRET_KEY) or from
# the default profile of ~/.osc/config.json, as with the OUTSCALE CLIs.
provider "osc" {
  region = "eu-west-2"
}

# Or everything in the block, here for a second account under an alias.
provider "osc" {
  alias         = "recipient"
  access_key_id = var.recipient_access_key
  secret_key_id = var.recipient_secret_key
  region        = "eu-west-2"
}

# Or a named profile of the profile file (config_file, by default
# ~/.osc/config.json), with endpoint overrides.
provider "osc" {
  alias   = "partner"
  profile = "partner"

  endpoints {
    api         = "https://api.eu-west-2.outscale.com/api/v1"
    direct_link = "https://directlink.eu-west-2.outscale.com"
  }
}

variable "recipient_access_key" {
  type = string
}

variable "recipient_secret_key" {
  type      = string
  sensitive = true
}
