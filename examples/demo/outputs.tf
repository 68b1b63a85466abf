output "interface_id" {
  description = "ID of the hosted interface."
  value       = osc_hosted_directlink_interface.hosted.id
}

output "vlan" {
  description = "VLAN of the hosted interface on the DirectLink."
  value       = osc_hosted_directlink_interface.hosted.vlan
}
