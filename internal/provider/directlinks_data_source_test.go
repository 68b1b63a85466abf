package provider_test

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
)

// The owner sees its two DirectLinks as the emulator holds them; the
// recipient, which has none, gets an empty list; without credentials the
// lookup fails with an error that says what to set.
func TestAccDataSourceDirectLinks(t *testing.T) {
	env := acctest.Start(t)
	const lookup = `data "osc_directlinks" "mine" {}`
	const addr = "data.osc_directlinks.mine"
	link := func(id, name, bandwidth, location string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"id":         knownvalue.StringExact(id),
			"name":       knownvalue.StringExact(name),
			"account_id": knownvalue.StringExact(env.Owner.AccountID),
			"bandwidth":  knownvalue.StringExact(bandwidth),
			"location":   knownvalue.StringExact(location),
			"region":     knownvalue.StringExact(env.Region),
			"state":      knownvalue.StringExact("available"),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      noCredentialsConfig(t, env, lookup),
				ExpectError: wordsRegexp("Missing OUTSCALE Credentials"),
			},
			{
				Config: env.SingleAccountConfig(env.Recipient, lookup),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("directlinks"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
				},
			},
			{
				Config: env.SingleAccountConfig(env.Owner, lookup),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("directlinks"), knownvalue.ListExact([]knownvalue.Check{
						link("dxcon-12345678", "Connection to Outscale", "1Gbps", "PAR1"),
						link("dxcon-23456789", "Backup connection to Outscale", "10Gbps", "PAR4"),
					})),
					idsAre(addr, "dxcon-12345678", "dxcon-23456789"),
				},
			},
		},
	})
}

// noCredentialsConfig is a provider "osc" for the emulator with a region and
// endpoints but no credentials anywhere: a profile file of its own, without
// keys, keeps a developer's ~/.osc/config.json out of the test.
func noCredentialsConfig(t *testing.T, env *acctest.Env, parts ...string) string {
	t.Helper()
	profile := t.TempDir() + "/config.json"
	writeProfile(t, profile, fmt.Sprintf(`{"default": {"region": %q}}`, env.Region))
	config := fmt.Sprintf(`
provider "osc" {
  config_file = %q
  endpoints {
    api         = %q
    direct_link = %q
  }
}
`, profile, env.APIEndpoint, env.DirectLinkEndpoint)
	for _, p := range parts {
		config += "\n" + p
	}
	return config
}
