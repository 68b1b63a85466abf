# An accepted interface is imported by its ID, with the recipient's
# credentials. An interface still waiting for confirmation cannot be
# imported: declare the accepter and apply, which accepts it.
# Remember that destroying the imported resource deletes the interface.
terraform import osc_hosted_directlink_interface_accepter.accepted dxvif-12345678
