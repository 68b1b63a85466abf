# The whole hosted DirectLink handshake in one apply: the DirectLink owner
# hosts an interface for another account, and that account accepts it onto one
# of its virtual gateways. Run it with `make demo` (against the local emulator).

terraform {
  required_providers {
    osc = {
      source = "oscdl/osc"
    }
  }
}

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

# The owner hosts a private interface on its DirectLink for the recipient.
# It waits in the "confirming" state until the recipient accepts it.
resource "osc_hosted_directlink_interface" "hosted" {
  provider = osc.owner

  directlink_id    = "dxcon-12345678"
  owner_account_id = var.recipient_account_id
  name             = "demo-hosted-interface"
  vlan             = 101
  bgp_asn          = 65000
}
