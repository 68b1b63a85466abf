package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

func interfaceLookup(id string) string {
	return fmt.Sprintf(`
data "osc_directlink_interface" "one" {
  id = %q
}
`, id)
}

// One interface by ID: a malformed ID fails at plan; an interface the
// caller cannot see is an error; the recipient of a hosted interface and the
// owner of an interface see every attribute as the API holds it.
func TestAccDataSourceDirectLinkInterface(t *testing.T) {
	env := acctest.Start(t)
	own := env.Seed(t, env.Owner, oscapi.CreateInterfaceInput{
		DirectLinkID:      "dxcon-12345678",
		Name:              "MyDirectLinkInterface",
		VLAN:              101,
		BGPASN:            65000,
		BGPKey:            "tgyn26example",
		OutscalePrivateIP: "172.16.0.4/30",
		ClientPrivateIP:   "172.16.0.5/30",
		VirtualGatewayID:  "vgw-12345678",
	})[0]
	env.WaitState(t, env.Owner, own.ID, oscapi.StateAvailable, oscapi.StatePending)
	hosted := env.HostForRecipient(t, "for-recipient", 102)
	const addr = "data.osc_directlink_interface.one"

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.SingleAccountConfig(env.Owner, interfaceLookup("dxvif-12_34")),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Attribute id.*must be a DirectLink interface ID`),
			},
			{
				Config:      env.SingleAccountConfig(env.Outsider, interfaceLookup(own.ID)),
				ExpectError: wordsRegexp(fmt.Sprintf("DirectLink interface %s does not exist or is not visible to your account", own.ID)),
			},
			{
				Config: env.SingleAccountConfig(env.Recipient, interfaceLookup(hosted.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(addr, "id", knownvalue.StringExact(hosted.ID)),
					stateValue(addr, "name", knownvalue.StringExact("for-recipient")),
					stateValue(addr, "vlan", knownvalue.Int64Exact(102)),
					stateValue(addr, "state", knownvalue.StringExact("confirming")),
					stateValue(addr, "account_id", knownvalue.StringExact(env.Recipient.AccountID)),
					stateValue(addr, "virtual_gateway_id", knownvalue.Null()),
					stateValue(addr, "outscale_private_ip", knownvalue.StringExact(hosted.OutscalePrivateIP)),
					stateValue(addr, "client_private_ip", knownvalue.StringExact(hosted.ClientPrivateIP)),
				},
			},
			{
				Config: env.SingleAccountConfig(env.Owner, interfaceLookup(own.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(addr, "id", knownvalue.StringExact(own.ID)),
					stateValue(addr, "directlink_id", knownvalue.StringExact("dxcon-12345678")),
					stateValue(addr, "name", knownvalue.StringExact("MyDirectLinkInterface")),
					stateValue(addr, "vlan", knownvalue.Int64Exact(101)),
					stateValue(addr, "bgp_asn", knownvalue.Int64Exact(65000)),
					stateValue(addr, "bgp_key", knownvalue.StringExact("tgyn26example")),
					stateValue(addr, "outscale_private_ip", knownvalue.StringExact("172.16.0.4/30")),
					stateValue(addr, "client_private_ip", knownvalue.StringExact("172.16.0.5/30")),
					stateValue(addr, "virtual_gateway_id", knownvalue.StringExact("vgw-12345678")),
					stateValue(addr, "mtu", knownvalue.Int64Exact(1500)),
					stateValue(addr, "state", knownvalue.StringExact("available")),
					stateValue(addr, "account_id", knownvalue.StringExact(env.Owner.AccountID)),
					stateValue(addr, "interface_type", knownvalue.StringExact("private")),
					stateValue(addr, "location", knownvalue.StringExact("PAR1")),
				},
			},
		},
	})
}
