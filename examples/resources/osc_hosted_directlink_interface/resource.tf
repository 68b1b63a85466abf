# An interface in your own account, attached to one of your virtual gateways:
# OUTSCALE's documented request sample as a configuration.
resource "osc_hosted_directlink_interface" "own" {
  directlink_id       = "dxcon-12345678"
  name                = "MyDirectLinkInterface"
  vlan                = 101
  bgp_asn             = 65000
  bgp_key             = "tgyn26example"
  outscale_private_ip = "172.16.0.4/30"
  client_private_ip   = "172.16.0.5/30"
  virtual_gateway_id  = "vgw-12345678"
}

# An interface hosted for another OUTSCALE account, which must accept it
# (see osc_hosted_directlink_interface_accepter). OUTSCALE assigns the
# addresses (in 169.254.0.0/16) and the BGP key.
resource "osc_hosted_directlink_interface" "hosted" {
  directlink_id    = "dxcon-12345678"
  name             = "customer-a"
  vlan             = 102
  bgp_asn          = 65001
  owner_account_id = "123456789000"

  timeouts {
    create = "15m"
  }
}
