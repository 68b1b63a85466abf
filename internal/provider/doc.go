// Package provider is the Terraform-facing half of terraform-provider-osc:
// schemas, plan logic and the mapping between Terraform values and the API
// layer's types. It never speaks HTTP: every call goes through oscapi.API.
//
// # Layout
//
// One package, with the files of each resource or data source grouped by
// name, so that a listing shows the architecture:
//
//	provider*.go                           the provider block, credentials, the API client handed to resources
//	common_*.go                            what every resource and data source shares: diagnostics,
//	                                       validators, timeouts, interface mapping, delete-and-wait
//	operation_ledger*.go                   what one provider process knows of the operation it serves
//	                                       (which interfaces it planned, created, replaced)
//	hosted_directlink_interface_*.go       osc_hosted_directlink_interface: the resource, its plan-time
//	                                       VLAN check, its crash-safe create (adoption)
//	hosted_directlink_interface_accepter_* osc_hosted_directlink_interface_accepter
//	directlink*_data_source*.go            the data sources
//
// Why one package and not one per resource (as the AWS and mongodbatlas
// providers do): the two resources and four data sources share one model of
// an interface (common_interface_mapping.go), one set of validators and one
// delete path, and they are few. Separate packages would have to export all
// of that and would gain no isolation worth it; name prefixes give the same
// grouping. Revisit when a second, unrelated family of resources arrives.
package provider
