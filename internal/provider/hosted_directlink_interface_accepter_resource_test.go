package provider_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

const (
	hostedAddr   = "osc_hosted_directlink_interface.hosted"
	accepterAddr = "osc_hosted_directlink_interface_accepter.accepted"
)

// handshakeConfig is the whole handshake in one configuration: the owner
// (default provider) hosts an interface for the recipient, and the recipient
// (provider osc.recipient) accepts it.
// Extra lines go inside the accepter's block.
func handshakeConfig(env *acctest.Env, vlan int, extra ...string) string {
	return env.TwoAccountConfig(env.HostedBlock("hosted", vlan),
		env.AccepterBlock("accepted", "osc_hosted_directlink_interface.hosted.id", extra...))
}

// captureID stores the ID of address in *id after a step.
func captureID(address string, id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s not in state", address)
		}
		*id = rs.Primary.ID
		return nil
	}
}

// emulatorShows checks the emulator's own copy of the interface in address.
func emulatorShows(env *acctest.Env, address, state, gateway, owner string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[address]
		if !ok {
			return fmt.Errorf("%s not in state", address)
		}
		it, ok := env.Interface(rs.Primary.ID)
		if !ok {
			return fmt.Errorf("the emulator has no interface %s", rs.Primary.ID)
		}
		if it.State != state || it.VirtualGatewayID != gateway || it.OwnerAccountID != owner {
			return fmt.Errorf("the emulator has %s %s on gateway %q owned by %s, want %s on %q owned by %s",
				it.ID, it.State, it.VirtualGatewayID, it.OwnerAccountID, state, gateway, owner)
		}
		return nil
	}
}

// The owner hosts and the recipient accepts in a single apply; the
// interface ends available on the recipient's gateway, both sides plan
// empty, the acceptance imports, timeouts change in place, a VLAN change
// replaces both sides in one apply, and destroying both leaves nothing behind.
func TestAccAccepter_handshakeInOneApply(t *testing.T) {
	env := acctest.Start(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactoriesTwoAccounts,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: handshakeConfig(env, 300),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(hostedAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(accepterAddr, plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(accepterAddr, "state", knownvalue.StringExact("available")),
					statecheck.CompareValuePairs(accepterAddr, tfjsonpath.New("id"), hostedAddr, tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.CompareValuePairs(accepterAddr, tfjsonpath.New("directlink_interface_id"), hostedAddr, tfjsonpath.New("id"), compare.ValuesSame()),
					stateValue(accepterAddr, "virtual_gateway_id", knownvalue.StringExact(env.Recipient.VirtualGatewayIDs[0])),
					stateValue(accepterAddr, "account_id", knownvalue.StringExact(env.Recipient.AccountID)),
					stateValue(accepterAddr, "directlink_id", knownvalue.StringExact(env.Owner.DirectLinkIDs[0])),
					stateValue(accepterAddr, "name", knownvalue.StringExact("hosted-hosted")),
					stateValue(accepterAddr, "vlan", knownvalue.Int64Exact(300)),
					stateValue(accepterAddr, "bgp_asn", knownvalue.Int64Exact(65000)),
					stateValue(accepterAddr, "location", knownvalue.StringExact("PAR1")),
					stateValue(accepterAddr, "mtu", knownvalue.Int64Exact(1500)),
					stateValue(accepterAddr, "interface_type", knownvalue.StringExact("private")),
					statecheck.CompareValuePairs(accepterAddr, tfjsonpath.New("outscale_private_ip"), hostedAddr, tfjsonpath.New("outscale_private_ip"), compare.ValuesSame()),
					statecheck.CompareValuePairs(accepterAddr, tfjsonpath.New("client_private_ip"), hostedAddr, tfjsonpath.New("client_private_ip"), compare.ValuesSame()),
				},
				Check: emulatorShows(env, accepterAddr, oscapi.StateAvailable, env.Recipient.VirtualGatewayIDs[0], env.Recipient.AccountID),
			},
			{
				// The owner's next refresh sees the interface it hosts accepted.
				Config: handshakeConfig(env, 300),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(hostedAddr, "state", knownvalue.StringExact("available")),
					stateValue(accepterAddr, "state", knownvalue.StringExact("available")),
				},
			},
			{
				ResourceName:            accepterAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				// Timeouts change in place: nothing is confirmed or deleted again.
				Config: handshakeConfig(env, 300, `timeouts {
    create = "5m"
    delete = "5m"
  }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(accepterAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(hostedAddr, plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(accepterAddr, "state", knownvalue.StringExact("available")),
				},
			},
			{
				// The owner changing the VLAN replaces the interface, and so
				// the acceptance, in one apply that ends available again.
				Config: handshakeConfig(env, 320),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(hostedAddr, plancheck.ResourceActionDestroyBeforeCreate),
						plancheck.ExpectResourceAction(accepterAddr, plancheck.ResourceActionDestroyBeforeCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(accepterAddr, "state", knownvalue.StringExact("available")),
					stateValue(accepterAddr, "vlan", knownvalue.Int64Exact(320)),
				},
				Check: func(s *terraform.State) error {
					live := env.LiveInterfaces()
					if len(live) != 1 || live[0].VLAN != 320 || live[0].State != oscapi.StateAvailable {
						return fmt.Errorf("after the VLAN change the emulator holds %+v, want one available interface on VLAN 320", live)
					}
					return nil
				},
			},
		},
	})
}

// Destroying the accepter alone deletes the interface (the recipient owns
// it once accepted), and the owner's next plan shows it must be hosted again:
// nothing is left running unknowingly.
func TestAccAccepter_destroyDeletesTheInterface(t *testing.T) {
	env := acctest.Start(t)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactoriesTwoAccounts,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: handshakeConfig(env, 301),
				Check:  captureID(accepterAddr, &id),
			},
			{
				Config: env.TwoAccountConfig(env.HostedBlock("hosted", 301)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(accepterAddr, plancheck.ResourceActionDestroy),
						plancheck.ExpectResourceAction(hostedAddr, plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(hostedAddr, plancheck.ResourceActionCreate),
					},
				},
				Check: func(*terraform.State) error {
					if it, ok := env.Interface(id); ok && it.State != oscapi.StateDeleted {
						return fmt.Errorf("after destroying the accepter, %s is %s, want deleted", id, it.State)
					}
					return nil
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// The recipient deleting the interface before accepting it (rejecting it,
// behind Terraform's back) makes the owner's next plan replace it; the
// replacement can then be accepted.
func TestAccAccepter_recipientRejectsThenOwnerReplaces(t *testing.T) {
	env := acctest.Start(t)
	var rejected string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactoriesTwoAccounts,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: env.TwoAccountConfig(env.HostedBlock("hosted", 302)),
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(hostedAddr, "state", knownvalue.StringExact("confirming")),
				},
				Check: captureID(hostedAddr, &rejected),
			},
			{
				PreConfig: func() {
					env.DeleteAs(t, env.Recipient, rejected)
					if it, _ := env.Interface(rejected); it.State != oscapi.StateRejected {
						t.Fatalf("the recipient deleting %s while confirming left it %q, want rejected", rejected, it.State)
					}
				},
				Config: env.TwoAccountConfig(env.HostedBlock("hosted", 302)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(hostedAddr, plancheck.ResourceActionDestroyBeforeCreate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(hostedAddr, "state", knownvalue.StringExact("confirming")),
				},
				Check: func(s *terraform.State) error {
					if id := s.RootModule().Resources[hostedAddr].Primary.ID; id == rejected {
						return fmt.Errorf("the rejected interface %s was kept", rejected)
					}
					if it, ok := env.Interface(rejected); ok && it.State != oscapi.StateDeleted {
						return fmt.Errorf("the rejected interface %s is %s, want deleted by the replacement", rejected, it.State)
					}
					return nil
				},
			},
			{
				Config: handshakeConfig(env, 302),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(hostedAddr, plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction(accepterAddr, plancheck.ResourceActionCreate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(accepterAddr, "state", knownvalue.StringExact("available")),
				},
			},
		},
	})
}

// The DirectLink owner deleting an accepted interface behind Terraform's
// back removes the acceptance from the state with a warning; the next apply
// hosts and accepts a new one.
func TestAccAccepter_interfaceDeletedByOwnerIsAcceptedAgain(t *testing.T) {
	env := acctest.Start(t)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactoriesTwoAccounts,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: handshakeConfig(env, 303),
				Check:  captureID(accepterAddr, &id),
			},
			{
				PreConfig: func() { env.DeleteAs(t, env.Owner, id) },
				Config:    handshakeConfig(env, 303),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(hostedAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(accepterAddr, plancheck.ResourceActionCreate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(accepterAddr, "state", knownvalue.StringExact("available")),
				},
				Check: emulatorShows(env, accepterAddr, oscapi.StateAvailable, env.Recipient.VirtualGatewayIDs[0], env.Recipient.AccountID),
			},
		},
	})
}

// An interface accepted outside Terraform, on the configured gateway, is
// adopted without confirming it again; destroying the adopted acceptance
// deletes the interface.
func TestAccAccepter_adoptsAnInterfaceAcceptedAlready(t *testing.T) {
	env := acctest.Start(t)
	it := env.HostForRecipient(t, "accepted-elsewhere", 304)
	env.AcceptAs(t, env.Recipient, it.ID)
	confirms := env.Emulator.Stats().Actions["ConfirmPrivateVirtualInterface"]
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactoriesTwoAccounts,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: env.TwoAccountConfig(env.AccepterBlock("accepted", fmt.Sprintf("%q", it.ID))),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(accepterAddr, "id", knownvalue.StringExact(it.ID)),
					stateValue(accepterAddr, "state", knownvalue.StringExact("available")),
					stateValue(accepterAddr, "name", knownvalue.StringExact("accepted-elsewhere")),
				},
				Check: func(*terraform.State) error {
					if n := env.Emulator.Stats().Actions["ConfirmPrivateVirtualInterface"]; n != confirms {
						return fmt.Errorf("the provider confirmed an interface accepted already (%d confirmations, want %d)", n, confirms)
					}
					return nil
				},
			},
		},
	})
}

// What cannot be accepted fails with an error that says why, and leaves the
// interface as it was: one that does not exist, one the recipient rejected,
// one accepted already on another gateway; an import of an interface not
// accepted yet is refused rather than planned for replacement.
func TestAccAccepter_refusals(t *testing.T) {
	env := acctest.Start(t)
	rejected := env.HostForRecipient(t, "rejected", 305)
	env.DeleteAs(t, env.Recipient, rejected.ID)
	waiting := env.HostForRecipient(t, "waiting", 306)
	elsewhere := env.HostForRecipient(t, "elsewhere", 307)
	env.AcceptAs(t, env.Recipient, elsewhere.ID)
	otherGateway := `
resource "osc_hosted_directlink_interface_accepter" "accepted" {
  provider                = oscrecipient
  directlink_interface_id = %q
  virtual_gateway_id      = "vgw-0000000a"
}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactoriesTwoAccounts,
		CheckDestroy: func(*terraform.State) error {
			for id, want := range map[string]string{rejected.ID: oscapi.StateRejected, waiting.ID: oscapi.StateConfirming, elsewhere.ID: oscapi.StateAvailable} {
				if it, ok := env.Interface(id); !ok || it.State != want {
					return fmt.Errorf("a refused acceptance changed %s: now %q, want %q", id, it.State, want)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:      env.TwoAccountConfig(env.AccepterBlock("accepted", `"dxvif-0000000a"`)),
				ExpectError: wordsRegexp("DirectLink interface dxvif-0000000a does not exist or is not hosted for your account"),
			},
			{
				Config:      env.TwoAccountConfig(env.AccepterBlock("accepted", fmt.Sprintf("%q", rejected.ID))),
				ExpectError: wordsRegexp(fmt.Sprintf(`DirectLink interface %s is "rejected"`, rejected.ID)),
			},
			{
				Config:      env.TwoAccountConfig(fmt.Sprintf(otherGateway, elsewhere.ID)),
				ExpectError: wordsRegexp(fmt.Sprintf("is attached to virtual gateway %s, not vgw-0000000a", env.Recipient.VirtualGatewayIDs[0])),
			},
			{
				// The owner cannot accept what it hosts for someone else.
				Config: env.TwoAccountConfig(fmt.Sprintf(`
resource "osc_hosted_directlink_interface_accepter" "accepted" {
  directlink_interface_id = %q
  virtual_gateway_id      = %q
}
`, waiting.ID, env.Owner.VirtualGatewayIDs[0])),
				ExpectError: regexp.MustCompile(`Unable to Accept DirectLink Interface`),
			},
			{
				Config:        env.TwoAccountConfig(env.AccepterBlock("accepted", fmt.Sprintf("%q", waiting.ID))),
				ResourceName:  accepterAddr,
				ImportState:   true,
				ImportStateId: waiting.ID,
				ExpectError:   wordsRegexp("is still waiting for its recipient"),
			},
		},
	})
}

// Malformed IDs fail at plan time, naming the attribute, before any call.
func TestAccAccepter_validation(t *testing.T) {
	env := acctest.Start(t)
	accepter := func(interfaceID, gateway string) string {
		return env.TwoAccountConfig(fmt.Sprintf(`
resource "osc_hosted_directlink_interface_accepter" "accepted" {
  provider                = oscrecipient
  directlink_interface_id = %q
  virtual_gateway_id      = %q
}
`, interfaceID, gateway))
	}
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactoriesTwoAccounts,
		Steps: []resource.TestStep{
			{
				Config:      accepter("vif-12345678", "vgw-87654321"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)directlink_interface_id.*must be a DirectLink interface ID`),
			},
			{
				Config:      accepter("dxvif-12345678", "vgw-87_65"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)virtual_gateway_id.*must be a virtual gateway ID`),
			},
		},
	})
	if n := env.Emulator.Stats().Total; n != 0 {
		t.Errorf("plan-time validation sent %d API requests, want none", n)
	}
}

// The configuration users write: two aliases of the one provider "osc" (the
// owner's and the recipient's credentials) host and accept an interface in a
// single apply, with the built provider binary (one process per alias, as
// Terraform runs it outside tests); the interface ends available, the next
// plan is empty, and destroy leaves nothing behind. The in-process steps
// look at the result through the recipient's data source.
func TestAccAccepter_handshakeWithAliases(t *testing.T) {
	env := acctest.Start(t)
	var w *acctest.Workdir
	const lookup = `
data "osc_directlink_interfaces" "live" {
  states = ["pending", "confirming", "available", "deleting"]
}
`
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					w = acctest.NewWorkdir(t, env.Config(fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "hosted" {
  directlink_id    = %q
  name             = "aliases"
  vlan             = 310
  bgp_asn          = 65000
  owner_account_id = %q
}

resource "osc_hosted_directlink_interface_accepter" "accepted" {
  provider                = osc.recipient
  directlink_interface_id = osc_hosted_directlink_interface.hosted.id
  virtual_gateway_id      = %q
}

output "state" {
  value = osc_hosted_directlink_interface_accepter.accepted.state
}
`, env.Owner.DirectLinkIDs[0], env.Recipient.AccountID, env.Recipient.VirtualGatewayIDs[0])))
					w.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
					if out := strings.TrimSpace(w.MustRun("output", "-raw", "state")); out != "available" {
						t.Errorf("after one apply the accepter's state is %q, want available", out)
					}
					if out, code := w.Run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
						t.Errorf("the plan after the apply is not empty (exit %d):\n%s", code, out)
					}
				},
				Config: env.SingleAccountConfig(env.Recipient, lookup),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.osc_directlink_interfaces.live", tfjsonpath.New("interfaces"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"name":               knownvalue.StringExact("aliases"),
							"state":              knownvalue.StringExact("available"),
							"account_id":         knownvalue.StringExact(env.Recipient.AccountID),
							"virtual_gateway_id": knownvalue.StringExact(env.Recipient.VirtualGatewayIDs[0]),
						}),
					})),
				},
			},
			{
				PreConfig: func() { w.MustRun("destroy", "-auto-approve", "-input=false", "-no-color") },
				Config:    env.SingleAccountConfig(env.Recipient, lookup),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.osc_directlink_interfaces.live", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
				},
			},
		},
	})
}
