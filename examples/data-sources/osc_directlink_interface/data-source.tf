# One interface by ID: yours, hosted for you, or on one of your DirectLinks.
data "osc_directlink_interface" "uplink" {
  id = "dxvif-12345678"
}

output "uplink_state" {
  value = data.osc_directlink_interface.uplink.state
}
