package provider_test

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

func ownOn(directLinkID, name string, vlan int64) oscapi.CreateInterfaceInput {
	return oscapi.CreateInterfaceInput{DirectLinkID: directLinkID, Name: name, VLAN: vlan, BGPASN: 65000, VirtualGatewayID: "vgw-12345678"}
}

// idsAre checks the ids list of a data source.
func idsAre(address string, ids ...string) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.StringExact(id)
	}
	return statecheck.ExpectKnownValue(address, tfjsonpath.New("ids"), knownvalue.ListExact(checks))
}

func sorted(ids ...string) []string {
	return slices.Sorted(slices.Values(ids))
}

// Each filter narrows the list as documented, alone and together; the
// recipient sees only what is hosted for it; bad filters fail at plan.
func TestAccDataSourceDirectLinkInterfaces_filters(t *testing.T) {
	env := acctest.Start(t)
	seeded := env.Seed(t, env.Owner,
		ownOn("dxcon-12345678", "web-1", 10),
		ownOn("dxcon-12345678", "web-2", 11),
		ownOn("dxcon-12345678", "db-1", 12),
		ownOn("dxcon-23456789", "web-3", 10),
	)
	web1, web2, db1, web3 := seeded[0].ID, seeded[1].ID, seeded[2].ID, seeded[3].ID
	for _, it := range seeded {
		env.WaitState(t, env.Owner, it.ID, oscapi.StateAvailable, oscapi.StatePending)
	}
	shared := env.HostForRecipient(t, "shared-1", 20).ID

	config := `
data "osc_directlink_interfaces" "all" {}

data "osc_directlink_interfaces" "by_directlink" {
  directlink_ids = ["dxcon-23456789"]
}

data "osc_directlink_interfaces" "by_id" {
  interface_ids = [%q, %q]
}

data "osc_directlink_interfaces" "confirming" {
  states = ["confirming"]
}

data "osc_directlink_interfaces" "available_web_on_first" {
  directlink_ids = ["dxcon-12345678"]
  states         = ["available", "pending"]
  name_regex     = "^web-"
}

data "osc_directlink_interfaces" "none" {
  name_regex = "^nothing$"
}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.SingleAccountConfig(env.Owner, `data "osc_directlink_interfaces" "bad" { states = ["up"] }`),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)states.*must be one of.*"pending"`),
			},
			{
				Config:      env.SingleAccountConfig(env.Owner, `data "osc_directlink_interfaces" "bad" { name_regex = "web-(" }`),
				PlanOnly:    true,
				ExpectError: wordsRegexp("is not a valid regular expression"),
			},
			{
				Config:      env.SingleAccountConfig(env.Owner, `data "osc_directlink_interfaces" "bad" { directlink_ids = ["dx-1"] }`),
				PlanOnly:    true,
				ExpectError: wordsRegexp("must be a DirectLink ID"),
			},
			{
				Config: env.SingleAccountConfig(env.Recipient, `data "osc_directlink_interfaces" "all" {}`),
				ConfigStateChecks: []statecheck.StateCheck{
					idsAre("data.osc_directlink_interfaces.all", shared),
				},
			},
			{
				Config: env.SingleAccountConfig(env.Owner, fmt.Sprintf(config, db1, web3)),
				ConfigStateChecks: []statecheck.StateCheck{
					idsAre("data.osc_directlink_interfaces.all", sorted(web1, web2, db1, web3, shared)...),
					idsAre("data.osc_directlink_interfaces.by_directlink", web3),
					idsAre("data.osc_directlink_interfaces.by_id", sorted(db1, web3)...),
					idsAre("data.osc_directlink_interfaces.confirming", shared),
					idsAre("data.osc_directlink_interfaces.available_web_on_first", sorted(web1, web2)...),
					idsAre("data.osc_directlink_interfaces.none"),
					statecheck.ExpectKnownValue("data.osc_directlink_interfaces.by_directlink", tfjsonpath.New("interfaces"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id":                  knownvalue.StringExact(web3),
							"directlink_id":       knownvalue.StringExact("dxcon-23456789"),
							"name":                knownvalue.StringExact("web-3"),
							"vlan":                knownvalue.Int64Exact(10),
							"bgp_asn":             knownvalue.Int64Exact(65000),
							"outscale_private_ip": knownvalue.StringExact(seeded[3].OutscalePrivateIP),
							"client_private_ip":   knownvalue.StringExact(seeded[3].ClientPrivateIP),
							"mtu":                 knownvalue.Int64Exact(1500),
							"state":               knownvalue.StringExact("available"),
							"account_id":          knownvalue.StringExact(env.Owner.AccountID),
							"location":            knownvalue.StringExact("PAR4"),
							"virtual_gateway_id":  knownvalue.StringExact("vgw-12345678"),
							"interface_type":      knownvalue.StringExact("private"),
						})})),
				},
			},
		},
	})
}

// More interfaces than the API's largest page (1000) are all listed: the
// data source follows the pages to the end.
func TestAccDataSourceDirectLinkInterfaces_pagination(t *testing.T) {
	const n = 1001
	env := acctest.Start(t)
	ins := make([]oscapi.CreateInterfaceInput, n)
	for i := range ins {
		ins[i] = ownOn("dxcon-12345678", fmt.Sprintf("many-%04d", i), int64(2+i))
	}
	seeded := env.Seed(t, env.Owner, ins...)
	ids := make([]string, n)
	for i, it := range seeded {
		ids[i] = it.ID
	}
	slices.Sort(ids)

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.SingleAccountConfig(env.Owner, `
data "osc_directlink_interfaces" "many" {
  directlink_ids = ["dxcon-12345678"]
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.osc_directlink_interfaces.many", tfjsonpath.New("ids"), knownvalue.ListSizeExact(n)),
				statecheck.ExpectKnownValue("data.osc_directlink_interfaces.many", tfjsonpath.New("ids").AtSliceIndex(0), knownvalue.StringExact(ids[0])),
				statecheck.ExpectKnownValue("data.osc_directlink_interfaces.many", tfjsonpath.New("ids").AtSliceIndex(n-1), knownvalue.StringExact(ids[n-1])),
				statecheck.ExpectKnownValue("data.osc_directlink_interfaces.many", tfjsonpath.New("interfaces"), knownvalue.ListSizeExact(n)),
			},
		}},
	})
}
