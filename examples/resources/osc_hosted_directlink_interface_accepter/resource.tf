# The whole handshake in one configuration, with one provider alias per
# account: the DirectLink owner hosts an interface for the recipient, and the
# recipient accepts it onto one of its virtual gateways.
provider "osc" {
  alias = "owner"
  # credentials of the account that holds the DirectLink
}

provider "osc" {
  alias = "recipient"
  # credentials of the account the interface is hosted for
}

resource "osc_hosted_directlink_interface" "hosted" {
  provider = osc.owner

  directlink_id    = "dxcon-12345678"
  name             = "customer-a"
  vlan             = 102
  bgp_asn          = 65001
  owner_account_id = "123456789000" # the recipient's account
}

# Destroying this resource DELETES the interface: once accepted it belongs to
# the recipient. To stop managing it and keep it running, remove it from the
# state instead (terraform state rm, or a removed block with destroy = false).
resource "osc_hosted_directlink_interface_accepter" "accepted" {
  provider = osc.recipient

  directlink_interface_id = osc_hosted_directlink_interface.hosted.id
  virtual_gateway_id      = "vgw-87654321" # one of the recipient's gateways

  timeouts {
    create = "15m"
  }
}

# Configure the router of the recipient's side with these values.
output "router" {
  value = {
    vlan       = osc_hosted_directlink_interface_accepter.accepted.vlan
    bgp_asn    = osc_hosted_directlink_interface_accepter.accepted.bgp_asn
    local_ip   = osc_hosted_directlink_interface_accepter.accepted.client_private_ip
    outscale   = osc_hosted_directlink_interface_accepter.accepted.outscale_private_ip
    datacenter = osc_hosted_directlink_interface_accepter.accepted.location
  }
}
