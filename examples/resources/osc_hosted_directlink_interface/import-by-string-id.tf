# Terraform 1.5+ and OpenTofu: an import block with the interface's ID.
import {
  to = osc_hosted_directlink_interface.example
  id = "dxvif-12345678"
}
