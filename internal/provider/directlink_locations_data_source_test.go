package provider_test

import (
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
)

// The locations are listed without any credentials, and the same with them.
func TestAccDataSourceDirectLinkLocations(t *testing.T) {
	env := acctest.Start(t)
	const lookup = `data "osc_directlink_locations" "all" {}`
	const addr = "data.osc_directlink_locations.all"
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("locations"), knownvalue.ListExact([]knownvalue.Check{
			knownvalue.ObjectExact(map[string]knownvalue.Check{"code": knownvalue.StringExact("PAR1"), "name": knownvalue.StringExact("Telehouse 3, France")}),
			knownvalue.ObjectExact(map[string]knownvalue.Check{"code": knownvalue.StringExact("PAR4"), "name": knownvalue.StringExact("Equinix Pantin, France")}),
		})),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("codes"), knownvalue.ListExact([]knownvalue.Check{
			knownvalue.StringExact("PAR1"), knownvalue.StringExact("PAR4"),
		})),
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            noCredentialsConfig(t, env, lookup),
				ConfigStateChecks: checks,
			},
			{
				Config:            env.SingleAccountConfig(env.Outsider, lookup),
				ConfigStateChecks: checks,
			},
		},
	})
}

func writeProfile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
