# Terraform 1.12+ and OpenTofu 1.12+: an import block with the resource
# identity. region is optional; when set, it must be the Region of the
# provider configuration that imports.
import {
  to = osc_hosted_directlink_interface.example
  identity = {
    id     = "dxvif-12345678"
    region = "eu-west-2"
  }
}
