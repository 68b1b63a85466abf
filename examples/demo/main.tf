# The whole hosted DirectLink handshake in one apply: the DirectLink owner
# hosts an interface for another account, and that account accepts it onto one
# of its virtual gateways.

terraform {
  required_providers {
    osc = {
      source = "oscdl/osc"
    }
  }
}

# One provider alias per account: the DirectLink owner and the recipient.
provider "osc" {
  alias         = "owner"
  access_key_id = var.owner_access_key
  secret_key_id = var.owner_secret_key
  region        = var.region

  endpoints {
    api         = var.api_endpoint
    direct_link = var.directlink_endpoint
  }
}

provider "osc" {
  alias         = "recipient"
  access_key_id = var.recipient_access_key
  secret_key_id = var.recipient_secret_key
  region        = var.region

  endpoints {
    api         = var.api_endpoint
    direct_link = var.directlink_endpoint
  }
}

# Where DirectLinks can be set up (this call needs no credentials).
data "osc_directlink_locations" "all" {
  provider = osc.owner
}

# The owner's DirectLink connections; the demo uses the first one.
data "osc_directlinks" "owner" {
  provider = osc.owner
}

# The owner hosts a private interface on its DirectLink for the recipient.
# It waits in the "confirming" state until the recipient accepts it.
resource "osc_hosted_directlink_interface" "hosted" {
  provider = osc.owner

  directlink_id    = data.osc_directlinks.owner.ids[0]
  owner_account_id = var.recipient_account_id
  name             = "demo-hosted-interface"
  vlan             = 101
  bgp_asn          = 65000
}

# The recipient accepts it onto its virtual gateway; the interface then goes
# "pending" and "available", and belongs to the recipient from now on.
resource "osc_hosted_directlink_interface_accepter" "recipient" {
  provider = osc.recipient

  directlink_interface_id = osc_hosted_directlink_interface.hosted.id
  virtual_gateway_id      = var.recipient_virtual_gateway_id
}
