# An interface is imported by its ID, in either mode: an interface of your
# own account gets virtual_gateway_id, one hosted for another account gets
# owner_account_id.
terraform import osc_hosted_directlink_interface.example dxvif-12345678
