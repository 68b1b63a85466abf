# Every interface visible to your account.
data "osc_directlink_interfaces" "all" {}

# The interfaces of one DirectLink waiting for their recipients.
data "osc_directlink_interfaces" "waiting" {
  directlink_ids = ["dxcon-12345678"]
  states         = ["confirming"]
}

# Available interfaces named customer-...
data "osc_directlink_interfaces" "customers" {
  states     = ["available"]
  name_regex = "^customer-"
}

output "customer_vlans" {
  value = { for i in data.osc_directlink_interfaces.customers.interfaces : i.name => i.vlan }
}
