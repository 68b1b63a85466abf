# Your DirectLinks; host interfaces on the first available one in PAR1.
data "osc_directlinks" "mine" {}

locals {
  par1_directlink_id = [
    for dl in data.osc_directlinks.mine.directlinks : dl.id
    if dl.location == "PAR1" && dl.state == "available"
  ][0]
}

resource "osc_hosted_directlink_interface" "customer" {
  directlink_id    = local.par1_directlink_id
  name             = "customer-a"
  vlan             = 102
  bgp_asn          = 65001
  owner_account_id = "123456789000"
}
