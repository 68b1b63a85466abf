package provider_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
)

// Every interface resource carries its identity (ID and Region) from the
// create on, and an import block naming that identity, or the ID, imports
// it with no change planned: own, hosted and accepted interfaces alike.
func TestAccHostedDirectLinkInterface_identity(t *testing.T) {
	t.Parallel()
	env := acctest.Start(t)
	const ownAddr = "osc_hosted_directlink_interface.own"
	own := fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "own" {
  directlink_id      = %q
  name               = "own"
  vlan               = 1401
  bgp_asn            = 65000
  virtual_gateway_id = %q
}
`, env.Owner.DirectLinkIDs[0], env.Owner.VirtualGatewayIDs[0])
	config := handshakeConfig(env, 1400) + own

	identityOf := func(addr string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{
				"id":     knownvalue.StringRegexp(regexp.MustCompile(`^dxvif-[0-9a-f]{8}$`)),
				"region": knownvalue.StringExact(env.Region),
			}),
			statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("id")),
		}
	}
	var checks []statecheck.StateCheck
	for _, addr := range []string{ownAddr, hostedAddr, accepterAddr} {
		checks = append(checks, identityOf(addr)...)
	}
	importStep := func(addr string, kind resource.ImportStateKind) resource.TestStep {
		return resource.TestStep{Config: config, ResourceName: addr, ImportState: true, ImportStateKind: kind}
	}

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactoriesTwoAccounts,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{acctest.ResourceIdentity.Check()},
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: checks},
			// Changing the timeouts goes through Update, which keeps the identity.
			{
				Config:            handshakeConfig(env, 1400, `timeouts { create = "20m" }`) + own,
				ConfigStateChecks: checks,
			},
			importStep(ownAddr, resource.ImportBlockWithResourceIdentity),
			importStep(hostedAddr, resource.ImportBlockWithResourceIdentity),
			importStep(accepterAddr, resource.ImportBlockWithResourceIdentity),
			importStep(ownAddr, resource.ImportBlockWithID),
			importStep(hostedAddr, resource.ImportBlockWithID),
			importStep(accepterAddr, resource.ImportBlockWithID),
		},
	})
}

// An identity naming another Region than the provider configuration's is
// refused at plan, saying which provider configuration to use.
func TestAccHostedDirectLinkInterface_identityOtherRegion(t *testing.T) {
	t.Parallel()
	env := acctest.Start(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{acctest.ResourceIdentity.Check()},
		Steps: []resource.TestStep{{
			Config: env.Config(fmt.Sprintf(`
import {
  to       = osc_hosted_directlink_interface.x
  identity = { id = "dxvif-12345678", region = "cloudgouv-eu-west-1" }
}

resource "osc_hosted_directlink_interface" "x" {
  directlink_id      = %q
  name               = "x"
  vlan               = 1410
  bgp_asn            = 65000
  virtual_gateway_id = %q
}
`, env.Owner.DirectLinkIDs[0], env.Owner.VirtualGatewayIDs[0])),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Wrong Region for Import.*cloudgouv-eu-west-1.*serves\s+Region\s+` + regexp.QuoteMeta(env.Region)),
		}},
	})
}
