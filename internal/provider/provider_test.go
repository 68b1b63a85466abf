package provider_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
	"github.com/oscdl/terraform-provider-osc/internal/emulator"
)

// interfaceBlock is an own-mode interface using the default provider.
func interfaceBlock(env *acctest.Env, vlan int) string {
	return fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "test" {
  directlink_id      = %q
  name               = "provider-config"
  vlan               = %d
  bgp_asn            = 65000
  virtual_gateway_id = %q
}
`, env.Owner.DirectLinkIDs[0], vlan, env.Owner.VirtualGatewayIDs[0])
}

// writeProfiles writes an OUTSCALE profile file (the CLIs' format) and
// returns its path.
func writeProfiles(t *testing.T, profiles map[string]any) string {
	t.Helper()
	data, err := json.Marshal(profiles)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func profileOf(env *acctest.Env, acct emulator.Account) map[string]any {
	return map[string]any{
		"access_key": acct.AccessKey,
		"secret_key": acct.SecretKey,
		"region":     env.Region,
		"endpoints":  map[string]string{"api": env.APIEndpoint, "direct_link": env.DirectLinkEndpoint},
	}
}

// Credentials, Region and endpoints all come from a named profile of a
// profile file, as with the OUTSCALE CLIs.
func TestAccProvider_profileFile(t *testing.T) {
	env := acctest.Start(t)
	path := writeProfiles(t, map[string]any{
		"default":       map[string]any{"access_key": "WRONG", "secret_key": "WRONG"},
		"network-owner": profileOf(env, env.Owner),
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "osc" {
  config_file = %q
  profile     = "network-owner"
}
`, path) + interfaceBlock(env, 1000),
			ConfigStateChecks: []statecheck.StateCheck{
				stateValue(testResource, "account_id", knownvalue.StringExact(env.Owner.AccountID)),
				stateValue(testResource, "state", knownvalue.StringExact("available")),
			},
		}},
	})
}

// With an empty provider block, the OSC_* environment variables configure
// the provider. Not parallel: it sets the process environment.
func TestAccProvider_environment(t *testing.T) {
	env := acctest.Start(t)
	t.Setenv("OSC_ACCESS_KEY", env.Owner.AccessKey)
	t.Setenv("OSC_SECRET_KEY", env.Owner.SecretKey)
	t.Setenv("OSC_REGION", env.Region)
	t.Setenv("OSC_ENDPOINT_API", env.APIEndpoint)
	t.Setenv("OSC_ENDPOINT_DIRECT_LINK", env.DirectLinkEndpoint)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{{
			Config: `provider "osc" {}` + interfaceBlock(env, 1001),
			ConfigStateChecks: []statecheck.StateCheck{
				stateValue(testResource, "account_id", knownvalue.StringExact(env.Owner.AccountID)),
			},
		}},
	})
}

// Configuration mistakes fail the plan with a message naming what to set,
// before any API call.
func TestAccProvider_configurationErrors(t *testing.T) {
	env := acctest.Start(t)
	endpoints := fmt.Sprintf(`
  endpoints {
    api         = %q
    direct_link = %q
  }
`, env.APIEndpoint, env.DirectLinkEndpoint)
	noCredentials := writeProfiles(t, map[string]any{"default": map[string]any{"region": env.Region}})

	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      fmt.Sprintf("provider \"osc\" {\n  config_file = %q\n%s}\n", noCredentials, endpoints) + interfaceBlock(env, 1002),
				PlanOnly:    true,
				ExpectError: wordsRegexp("Missing OUTSCALE Credentials"),
			},
			{
				Config:      fmt.Sprintf("provider \"osc\" {\n  config_file = %q\n  access_key_id = %q\n%s}\n", noCredentials, env.Owner.AccessKey, endpoints) + interfaceBlock(env, 1002),
				PlanOnly:    true,
				ExpectError: wordsRegexp("Missing OUTSCALE Secret Key"),
			},
			{
				Config: fmt.Sprintf(`
resource "terraform_data" "key" {
  input = %q
}

provider "osc" {
  access_key_id = terraform_data.key.output
  secret_key_id = %q
%s}
`, env.Owner.AccessKey, env.Owner.SecretKey, endpoints) + interfaceBlock(env, 1002),
				PlanOnly:    true,
				ExpectError: wordsRegexp("Unknown OUTSCALE Provider Setting"),
			},
			{
				Config:      fmt.Sprintf("provider \"osc\" {\n  config_file = %q\n  profile = \"missing\"\n}\n", noCredentials) + interfaceBlock(env, 1002),
				PlanOnly:    true,
				ExpectError: wordsRegexp(`profile "missing" does not exist`),
			},
			{
				Config:      "provider \"osc\" {\n  endpoints {\n    api = \"ftp://api.example\"\n  }\n}\n" + interfaceBlock(env, 1002),
				PlanOnly:    true,
				ExpectError: wordsRegexp(`"ftp://api.example" is not an endpoint`),
			},
		},
		CheckDestroy: func(_ *terraform.State) error {
			if stats := env.Emulator.Stats(); stats.Total != 0 {
				return fmt.Errorf("configuration errors should stop before any API call, the emulator received %v", stats.Actions)
			}
			return nil
		},
	})
}

// Wrong credentials reach the API, which refuses them at plan (the VLAN
// check of the create); the error says so with the API's words and where
// the keys came from, and never shows the secret key.
func TestAccProvider_wrongSecretKey(t *testing.T) {
	env := acctest.Start(t)
	wrong := env.Owner
	wrong.SecretKey = strings.Repeat("x", len(wrong.SecretKey))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{{
			Config:      env.ProviderBlock(wrong, "") + interfaceBlock(env, 1003),
			PlanOnly:    true,
			ExpectError: wordsRegexp("Unable to Check VLAN Availability", "The API answered", "signed with the credentials from the provider block"),
		}},
	})
}
