# The BGP key kept out of the state and the plan (Terraform 1.11+ or
# OpenTofu 1.11+): bgp_key_wo is sent to OUTSCALE when the interface is
# created and never stored. Use it when you choose the key and your router
# gets it from somewhere else (a secret manager); omit both bgp_key and
# bgp_key_wo to let OUTSCALE generate a key, which can only come back to you
# through bgp_key, in the state.
#
# Here the key comes from an ephemeral variable, which Terraform never
# stores either: set it with TF_VAR_bgp_key, for example from your secret
# manager's CLI. An ephemeral resource (such as a secret manager's) can feed
# bgp_key_wo the same way.
variable "bgp_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "osc_hosted_directlink_interface" "keyed" {
  directlink_id    = "dxcon-12345678"
  name             = "customer-b"
  vlan             = 103
  bgp_asn          = 65002
  owner_account_id = "123456789000"

  bgp_key_wo = var.bgp_key
  # Terraform cannot see a write-only value change: bump the version to
  # replace the interface with the key bgp_key_wo has then.
  bgp_key_wo_version = 1
}
