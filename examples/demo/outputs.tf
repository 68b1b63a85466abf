output "locations" {
  description = "Codes of the locations where DirectLinks can be set up."
  value       = data.osc_directlink_locations.all.codes
}

output "directlink_id" {
  description = "DirectLink the interface was created on."
  value       = osc_hosted_directlink_interface.hosted.directlink_id
}

output "interface_id" {
  description = "ID of the hosted interface, the same for both accounts."
  value       = osc_hosted_directlink_interface_accepter.recipient.directlink_interface_id
}

output "final_state" {
  description = "State of the interface once the recipient accepted it."
  value       = osc_hosted_directlink_interface_accepter.recipient.state
}

output "bgp" {
  description = "What the recipient configures on its side of the BGP session (the key stays sensitive in the state)."
  value = {
    vlan                = osc_hosted_directlink_interface_accepter.recipient.vlan
    bgp_asn             = osc_hosted_directlink_interface_accepter.recipient.bgp_asn
    outscale_private_ip = osc_hosted_directlink_interface_accepter.recipient.outscale_private_ip
    client_private_ip   = osc_hosted_directlink_interface_accepter.recipient.client_private_ip
  }
}
