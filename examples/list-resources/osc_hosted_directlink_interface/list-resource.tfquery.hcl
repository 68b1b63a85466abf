# Terraform 1.14+: find the interfaces on your DirectLinks, including those
# made in the console or with the OUTSCALE CLIs. In a .tfquery.hcl file:
#
#   terraform query                                 # list them
#   terraform query -generate-config-out=found.tf   # write their resource and import blocks
#   terraform plan                                  # plans the imports only
list "osc_hosted_directlink_interface" "all" {
  provider = osc
}

# Only the interfaces hosted for other accounts, on one DirectLink, still
# in use, whose name starts with "customer-".
list "osc_hosted_directlink_interface" "customers" {
  provider         = osc
  include_resource = true

  config {
    directlink_ids = ["dxcon-12345678"]
    mode           = "hosted"
    states         = ["confirming", "pending", "available"]
    name_regex     = "^customer-"
  }
}
