package provider_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
	"github.com/oscdl/terraform-provider-osc/internal/emulator"
)

const testResource = "osc_hosted_directlink_interface.test"

// mode is one of the resource's two ways to create an interface.
type mode struct {
	name string
	// attribute is the HCL line that selects the mode.
	attribute func(env *acctest.Env) string
	// readyState is the state a create waits for in this mode.
	readyState string
}

var (
	ownMode = mode{
		name: "own",
		attribute: func(env *acctest.Env) string {
			return fmt.Sprintf("virtual_gateway_id = %q", env.Owner.VirtualGatewayIDs[0])
		},
		readyState: "available",
	}
	hostedMode = mode{
		name:       "hosted",
		attribute:  func(env *acctest.Env) string { return fmt.Sprintf("owner_account_id = %q", env.Recipient.AccountID) },
		readyState: "confirming",
	}
	bothModes = []mode{ownMode, hostedMode}
)

// interfaceConfig is a minimal osc_hosted_directlink_interface "test" in mode
// m on the owner's first DirectLink; extra lines go inside the block.
func interfaceConfig(env *acctest.Env, m mode, vlan int, extra ...string) string {
	return env.Config(fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "test" {
  directlink_id = %q
  name          = "acc-%s"
  vlan          = %d
  bgp_asn       = 65000
  %s
  %s
}
`, env.Owner.DirectLinkIDs[0], m.name, vlan, m.attribute(env), strings.Join(extra, "\n  ")))
}

// onlyLiveInterface returns the one interface of the emulator that is not
// deleted, failing the test when there is not exactly one.
func onlyLiveInterface(t *testing.T, env *acctest.Env) emulator.Interface {
	t.Helper()
	live := env.LiveInterfaces()
	if len(live) != 1 {
		t.Fatalf("want exactly one interface in the emulator, got %+v", live)
	}
	return live[0]
}

// emulatorHolds checks, on the emulator's side, that exactly the interface
// Terraform knows exists, in the given state.
func emulatorHolds(env *acctest.Env, state string, vlan int64) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[testResource]
		if !ok {
			return fmt.Errorf("%s not in state", testResource)
		}
		live := env.LiveInterfaces()
		if len(live) != 1 || live[0].ID != rs.Primary.ID {
			return fmt.Errorf("emulator holds %+v, want only %s", live, rs.Primary.ID)
		}
		if live[0].State != state || live[0].VLAN != vlan {
			return fmt.Errorf("emulator has %s in state %s with VLAN %d, want %s and VLAN %d", live[0].ID, live[0].State, live[0].VLAN, state, vlan)
		}
		return nil
	}
}

// The request sample of OUTSCALE's "Creating a Hosted DirectLink Interface"
// page, written as a configuration, plans, applies, reads back exactly,
// imports and plans empty.
func TestAccHostedDirectLinkInterface_documentedSample(t *testing.T) {
	env := acctest.Start(t)
	config := env.Config(`
resource "osc_hosted_directlink_interface" "test" {
  directlink_id       = "dxcon-12345678"
  name                = "MyDirectLinkInterface"
  vlan                = 101
  bgp_asn             = 65000
  bgp_key             = "tgyn26example"
  outscale_private_ip = "172.16.0.4/30"
  client_private_ip   = "172.16.0.5/30"
  virtual_gateway_id  = "vgw-12345678"
}
`)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(testResource, "id", knownvalue.StringRegexp(regexp.MustCompile(`^dxvif-[0-9a-f]{8}$`))),
					stateValue(testResource, "directlink_id", knownvalue.StringExact("dxcon-12345678")),
					stateValue(testResource, "name", knownvalue.StringExact("MyDirectLinkInterface")),
					stateValue(testResource, "vlan", knownvalue.Int64Exact(101)),
					stateValue(testResource, "bgp_asn", knownvalue.Int64Exact(65000)),
					stateValue(testResource, "bgp_key", knownvalue.StringExact("tgyn26example")),
					stateValue(testResource, "outscale_private_ip", knownvalue.StringExact("172.16.0.4/30")),
					stateValue(testResource, "client_private_ip", knownvalue.StringExact("172.16.0.5/30")),
					stateValue(testResource, "virtual_gateway_id", knownvalue.StringExact("vgw-12345678")),
					stateValue(testResource, "owner_account_id", knownvalue.Null()),
					stateValue(testResource, "mtu", knownvalue.Int64Exact(1500)),
					stateValue(testResource, "state", knownvalue.StringExact("available")),
					stateValue(testResource, "account_id", knownvalue.StringExact("123456789012")),
					stateValue(testResource, "interface_type", knownvalue.StringExact("private")),
					stateValue(testResource, "location", knownvalue.StringExact("PAR1")),
				},
				Check: emulatorHolds(env, "available", 101),
			},
			{
				ResourceName:            testResource,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})
}

// A hosted interface: the API assigns the addresses and the BGP key, the
// create ends at confirming, the recipient's account owns it, and an import
// by ID finds it is hosted.
func TestAccHostedDirectLinkInterface_hosted(t *testing.T) {
	env := acctest.Start(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: interfaceConfig(env, hostedMode, 200),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(testResource, "state", knownvalue.StringExact("confirming")),
					stateValue(testResource, "owner_account_id", knownvalue.StringExact(env.Recipient.AccountID)),
					stateValue(testResource, "account_id", knownvalue.StringExact(env.Recipient.AccountID)),
					stateValue(testResource, "virtual_gateway_id", knownvalue.Null()),
					stateValue(testResource, "bgp_key", knownvalue.StringRegexp(regexp.MustCompile(`.`))),
					stateValue(testResource, "outscale_private_ip", knownvalue.StringRegexp(regexp.MustCompile(`^169\.254\.\d+\.\d+/30$`))),
					stateValue(testResource, "client_private_ip", knownvalue.StringRegexp(regexp.MustCompile(`^169\.254\.\d+\.\d+/30$`))),
					stateValue(testResource, "location", knownvalue.StringExact("PAR1")),
					stateValue(testResource, "mtu", knownvalue.Int64Exact(1500)),
				},
				Check: emulatorHolds(env, "confirming", 200),
			},
			{
				ResourceName:            testResource,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
			{
				ResourceName:  testResource,
				ImportState:   true,
				ImportStateId: "vgw-12345678",
				ExpectError:   wordsRegexp("Invalid Import ID"),
			},
		},
	})
}

// MTU drift (someone set 9000 outside Terraform) shows as an in-place update
// and apply brings it back to 1500 on the same interface.
func TestAccHostedDirectLinkInterface_mtuDriftIsUpdatedInPlace(t *testing.T) {
	for _, m := range bothModes {
		t.Run(m.name, func(t *testing.T) {
			env := acctest.Start(t)
			sameID := statecheck.CompareValue(compare.ValuesSame())
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             env.CheckDestroy,
				Steps: []resource.TestStep{
					{
						Config: interfaceConfig(env, m, 300),
						ConfigStateChecks: []statecheck.StateCheck{
							sameID.AddStateValue(testResource, tfjsonpath.New("id")),
							stateValue(testResource, "mtu", knownvalue.Int64Exact(1500)),
						},
					},
					{
						PreConfig: func() {
							id := onlyLiveInterface(t, env).ID
							if err := env.Emulator.Modify(id, func(i *emulator.Interface) { i.MTU = 9000 }); err != nil {
								t.Fatal(err)
							}
						},
						Config: interfaceConfig(env, m, 300),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionUpdate),
								plancheck.ExpectKnownValue(testResource, tfjsonpath.New("mtu"), knownvalue.Int64Exact(1500)),
							},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							sameID.AddStateValue(testResource, tfjsonpath.New("id")),
							stateValue(testResource, "mtu", knownvalue.Int64Exact(1500)),
							stateValue(testResource, "state", knownvalue.StringExact(m.readyState)),
						},
						Check: func(*terraform.State) error {
							if got := onlyLiveInterface(t, env).MTU; got != 1500 {
								return fmt.Errorf("emulator MTU is %d after apply, want 1500", got)
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// Changing the VLAN replaces the interface: the old one is deleted, a new
// one holds the new VLAN.
func TestAccHostedDirectLinkInterface_vlanChangeReplaces(t *testing.T) {
	for _, m := range bothModes {
		t.Run(m.name, func(t *testing.T) {
			env := acctest.Start(t)
			differentID := statecheck.CompareValue(compare.ValuesDiffer())
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             env.CheckDestroy,
				Steps: []resource.TestStep{
					{
						Config:            interfaceConfig(env, m, 400),
						ConfigStateChecks: []statecheck.StateCheck{differentID.AddStateValue(testResource, tfjsonpath.New("id"))},
					},
					{
						Config: interfaceConfig(env, m, 401),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionDestroyBeforeCreate)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							differentID.AddStateValue(testResource, tfjsonpath.New("id")),
							stateValue(testResource, "vlan", knownvalue.Int64Exact(401)),
						},
						Check: emulatorHolds(env, m.readyState, 401),
					},
				},
			})
		})
	}
}

// An interface deleted outside Terraform leaves the state at refresh, and
// the plan creates it again.
func TestAccHostedDirectLinkInterface_deletedOutsideTerraformIsCreatedAgain(t *testing.T) {
	for _, m := range bothModes {
		t.Run(m.name, func(t *testing.T) {
			env := acctest.Start(t)
			differentID := statecheck.CompareValue(compare.ValuesDiffer())
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             env.CheckDestroy,
				Steps: []resource.TestStep{
					{
						Config:            interfaceConfig(env, m, 500),
						ConfigStateChecks: []statecheck.StateCheck{differentID.AddStateValue(testResource, tfjsonpath.New("id"))},
					},
					{
						PreConfig: func() { env.DeleteAs(t, env.Owner, onlyLiveInterface(t, env).ID) },
						Config:    interfaceConfig(env, m, 500),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionCreate)},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							differentID.AddStateValue(testResource, tfjsonpath.New("id")),
							stateValue(testResource, "state", knownvalue.StringExact(m.readyState)),
						},
						Check: emulatorHolds(env, m.readyState, 500),
					},
				},
			})
		})
	}
}

// A hosted interface that can never carry traffic, because its recipient
// rejected it (deleted it while it was confirming) or never confirmed it
// (expired), is replaced at the owner's next apply; the dead one is deleted.
func TestAccHostedDirectLinkInterface_unusableIsReplaced(t *testing.T) {
	cases := []struct {
		name    string
		makeDie func(t *testing.T, env *acctest.Env, id string)
	}{
		{
			name: "rejected",
			makeDie: func(t *testing.T, env *acctest.Env, id string) {
				env.DeleteAs(t, env.Recipient, id)
				if got, _ := env.Interface(id); got.State != "rejected" {
					t.Fatalf("the recipient's delete left %s %s, want rejected", id, got.State)
				}
			},
		},
		{
			// Seven days pass: the emulator's clock is not the test's.
			name: "expired",
			makeDie: func(t *testing.T, env *acctest.Env, id string) {
				if err := env.Emulator.Modify(id, func(i *emulator.Interface) { i.State = "expired" }); err != nil {
					t.Fatal(err)
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := acctest.Start(t)
			differentID := statecheck.CompareValue(compare.ValuesDiffer())
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             env.CheckDestroy,
				Steps: []resource.TestStep{
					{
						Config:            interfaceConfig(env, hostedMode, 600),
						ConfigStateChecks: []statecheck.StateCheck{differentID.AddStateValue(testResource, tfjsonpath.New("id"))},
					},
					{
						PreConfig: func() { c.makeDie(t, env, onlyLiveInterface(t, env).ID) },
						Config:    interfaceConfig(env, hostedMode, 600),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionReplace)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							differentID.AddStateValue(testResource, tfjsonpath.New("id")),
							stateValue(testResource, "state", knownvalue.StringExact("confirming")),
						},
						// Only the new interface is left: the replacement
						// deleted the dead one.
						Check: emulatorHolds(env, "confirming", 600),
					},
				},
			})
		})
	}
}

// Two resources of the configuration asking for one VLAN fail at plan, the
// second naming the first and the VLAN, before anything is created.
func TestAccHostedDirectLinkInterface_duplicateVLANFails(t *testing.T) {
	env := acctest.Start(t)
	config := env.Config(fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "first" {
  directlink_id      = %[1]q
  name               = "first"
  vlan               = 700
  bgp_asn            = 65000
  virtual_gateway_id = %[2]q
}

resource "osc_hosted_directlink_interface" "second" {
  directlink_id    = %[1]q
  name             = "second"
  vlan             = 700
  bgp_asn          = 65001
  owner_account_id = %[3]q
  depends_on       = [osc_hosted_directlink_interface.first]
}
`, env.Owner.DirectLinkIDs[0], env.Owner.VirtualGatewayIDs[0], env.Recipient.AccountID))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: config,
				ExpectError: wordsRegexp("DirectLink VLAN Requested Twice",
					fmt.Sprintf(`VLAN 700 of %s: this one (name "second") and the one named "first"`, env.Owner.DirectLinkIDs[0])),
			},
		},
	})
	if n := createCalls(env); n != 0 {
		t.Errorf("%d create calls reached the API, want none: the plan should have failed first", n)
	}
}

// The same with VLANs known only at apply (the output of another resource):
// the plan cannot tell, so the first interface is created and the second
// fails naming the first and the VLAN; the API holds the first only, which
// the state records.
func TestAccHostedDirectLinkInterface_duplicateVLANKnownAtApplyFails(t *testing.T) {
	env := acctest.Start(t)
	first := fmt.Sprintf(`
resource "terraform_data" "v" {
  input = 700
}

resource "osc_hosted_directlink_interface" "first" {
  directlink_id      = %q
  name               = "first"
  vlan               = terraform_data.v.output
  bgp_asn            = 65000
  virtual_gateway_id = %q
}
`, env.Owner.DirectLinkIDs[0], env.Owner.VirtualGatewayIDs[0])
	second := fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "second" {
  directlink_id    = %q
  name             = "second"
  vlan             = terraform_data.v.output
  bgp_asn          = 65001
  owner_account_id = %q
  depends_on       = [osc_hosted_directlink_interface.first]
}
`, env.Owner.DirectLinkIDs[0], env.Recipient.AccountID)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: env.Config(first, second),
				ExpectError: regexp.MustCompile(`(?s)Error: DirectLink VLAN (Requested Twice|Already In Use).*` +
					`VLAN\s+700\s+(of|on)\s+` + regexp.QuoteMeta(env.Owner.DirectLinkIDs[0]) + `.*"first"`),
			},
			{
				PreConfig: func() {
					if it := onlyLiveInterface(t, env); it.Name != "first" || it.VLAN != 700 {
						t.Fatalf("after the failed apply the API holds %+v, want only \"first\" on VLAN 700", it)
					}
					if n := createCalls(env); n != 1 {
						t.Fatalf("%d create calls reached the API, want only the first's", n)
					}
				},
				Config: env.Config(first),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkStateMatchesEmulator(env, 1),
			},
		},
	})
}

// A create that outlives its timeout fails, and the interface stays in the
// state, tainted, with its ID: the next plan replaces that very interface
// instead of forgetting it.
func TestAccHostedDirectLinkInterface_createTimeoutLeavesTaintedResource(t *testing.T) {
	env := acctest.StartWith(t, emulator.Options{TransitionDelay: 3 * time.Second})
	var tainted string
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config:      interfaceConfig(env, ownMode, 800, `timeouts { create = "1s" }`),
				ExpectError: wordsRegexp("Timed Out Waiting for DirectLink Interface"),
			},
			{
				PreConfig: func() {
					i := onlyLiveInterface(t, env)
					if i.State != "pending" {
						t.Fatalf("the timed-out interface is %s, want still pending", i.State)
					}
					tainted = i.ID
				},
				Config: interfaceConfig(env, ownMode, 800, `timeouts { create = "2m" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionDestroyBeforeCreate),
						expectPriorID(testResource, func() string { return tainted }),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(testResource, "state", knownvalue.StringExact("available")),
				},
				Check: func(s *terraform.State) error {
					if id := s.RootModule().Resources[testResource].Primary.ID; id == tainted {
						return fmt.Errorf("%s was kept, want it replaced", tainted)
					}
					// emulatorHolds also proves the tainted interface was
					// deleted, not left behind.
					return emulatorHolds(env, "available", 800)(s)
				},
			},
		},
	})
}

// Every validator fails `terraform plan` with the attribute's rule, before
// any API call.
func TestAccHostedDirectLinkInterface_validation(t *testing.T) {
	env := acctest.Start(t)
	base := map[string]string{
		"directlink_id":      fmt.Sprintf("%q", env.Owner.DirectLinkIDs[0]),
		"name":               `"validation"`,
		"vlan":               "900",
		"bgp_asn":            "65000",
		"virtual_gateway_id": fmt.Sprintf("%q", env.Owner.VirtualGatewayIDs[0]),
	}
	config := func(change map[string]string) string {
		attrs := map[string]string{}
		for k, v := range base {
			attrs[k] = v
		}
		for k, v := range change {
			if v == "" {
				delete(attrs, k)
			} else {
				attrs[k] = v
			}
		}
		var b strings.Builder
		b.WriteString("resource \"osc_hosted_directlink_interface\" \"test\" {\n")
		for _, k := range []string{"directlink_id", "name", "vlan", "bgp_asn", "bgp_key", "outscale_private_ip", "client_private_ip", "virtual_gateway_id", "owner_account_id", "mtu"} {
			if v, ok := attrs[k]; ok {
				fmt.Fprintf(&b, "  %s = %s\n", k, v)
			}
		}
		b.WriteString("}\n")
		return env.Config(b.String())
	}
	cases := []struct {
		change map[string]string
		want   string
	}{
		{map[string]string{"vlan": "1"}, "vlan value must be between 2 and 4094, got: 1"},
		{map[string]string{"vlan": "4095"}, "vlan value must be between 2 and 4094, got: 4095"},
		{map[string]string{"bgp_asn": "0"}, "The BGP ASN must be between 1 and 4294967295, got 0"},
		{map[string]string{"bgp_asn": "4294967296"}, "The BGP ASN must be between 1 and 4294967295"},
		{map[string]string{"bgp_asn": "50624"}, "The BGP ASN 50624 is one of OUTSCALE's own ASNs"},
		{map[string]string{"bgp_asn": "132418"}, "The BGP ASN 132418 is one of OUTSCALE's own ASNs"},
		{map[string]string{"outscale_private_ip": `"172.16.0.4/30"`}, `Attribute "client_private_ip" must be specified when "outscale_private_ip" is specified`},
		{map[string]string{"client_private_ip": `"172.16.0.5/30"`}, `Attribute "outscale_private_ip" must be specified when "client_private_ip" is specified`},
		{map[string]string{"outscale_private_ip": `"172.16.0.4/29"`, "client_private_ip": `"172.16.0.5/30"`}, `"172.16.0.4/29" is not an IPv4 address with a /30 prefix`},
		{map[string]string{"outscale_private_ip": `"172.16.0.4/30"`, "client_private_ip": `"172.16.0.5"`}, `"172.16.0.5" is not an IPv4 address with a /30 prefix`},
		{map[string]string{"outscale_private_ip": `"172.16.0.4/30"`, "client_private_ip": `"172.16.0.9/30"`}, "must be in the same /30 network"},
		{map[string]string{"outscale_private_ip": `"172.16.0.5/30"`, "client_private_ip": `"172.16.0.5/30"`}, "must be two different addresses of the /30 network"},
		{map[string]string{"directlink_id": `"dxcon-XYZ"`}, `must be a DirectLink ID such as "dxcon-12345678"`},
		{map[string]string{"virtual_gateway_id": `"vgw-1_2"`}, `must be a virtual gateway ID such as "vgw-12345678"`},
		{map[string]string{"virtual_gateway_id": "", "owner_account_id": `"12345"`}, "must be an OUTSCALE account ID of 12 digits"},
		{map[string]string{"owner_account_id": fmt.Sprintf("%q", env.Recipient.AccountID)}, "Exactly one of these attributes must be configured"},
		{map[string]string{"virtual_gateway_id": ""}, "Exactly one of these attributes must be configured"},
		{map[string]string{"mtu": "9000"}, "mtu value must be one of"},
		{map[string]string{"name": `""`}, "name string length must be between 1 and 255, got: 0"},
		{map[string]string{"bgp_key": `""`}, "bgp_key string length must be between 1 and 255, got: 0"},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      config(c.change),
			PlanOnly:    true,
			ExpectError: wordsRegexp(c.want),
		})
	}
	// Values that are unknown until apply (here, outputs of another
	// resource) are not rejected at plan time.
	steps = append(steps, resource.TestStep{
		Config: env.Config(fmt.Sprintf(`
resource "terraform_data" "later" {
  input = { ip = "172.16.0.5/30", vlan = 901 }
}

resource "osc_hosted_directlink_interface" "test" {
  directlink_id       = %q
  name                = "unknown-values"
  vlan                = terraform_data.later.output.vlan
  bgp_asn             = 65000
  outscale_private_ip = "172.16.0.4/30"
  client_private_ip   = terraform_data.later.output.ip
  virtual_gateway_id  = %q
}
`, env.Owner.DirectLinkIDs[0], env.Owner.VirtualGatewayIDs[0])),
		PlanOnly:           true,
		ExpectNonEmptyPlan: true,
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps:                    steps,
		CheckDestroy: func(*terraform.State) error {
			if stats := env.Emulator.Stats(); stats.Total != 0 {
				return fmt.Errorf("validation should fail before any API call, the emulator received %v", stats.Actions)
			}
			return nil
		},
	})
}

// expectPriorID checks that the plan changes the resource whose ID, before
// the change, is want(): the state still knew it.
func expectPriorID(address string, want func() string) plancheck.PlanCheck {
	return priorIDCheck{address: address, want: want}
}

type priorIDCheck struct {
	address string
	want    func() string
}

func (c priorIDCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.address {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		if got := before["id"]; got != c.want() {
			resp.Error = fmt.Errorf("%s: planned change starts from id %v, want %s", c.address, got, c.want())
		}
		return
	}
	resp.Error = fmt.Errorf("%s: no planned change", c.address)
}

// The resource's documentation example applies as written (its IDs are the
// emulator's fixtures), in both modes, and plans empty afterwards.
func TestAccHostedDirectLinkInterface_documentationExample(t *testing.T) {
	example, err := os.ReadFile("../../examples/resources/osc_hosted_directlink_interface/resource.tf")
	if err != nil {
		t.Fatal(err)
	}
	env := acctest.Start(t)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{{
			Config: env.Config(string(example)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				stateValue("osc_hosted_directlink_interface.own", "state", knownvalue.StringExact("available")),
				stateValue("osc_hosted_directlink_interface.hosted", "state", knownvalue.StringExact("confirming")),
			},
		}},
	})
}
