package provider_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// writeOnlyKeyed is an own and a hosted interface whose BGP keys come from
// bgp_key_wo, at the given version.
func writeOnlyKeyed(env *acctest.Env, vlan int, ownKey, hostedKey string, version int) string {
	return fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "own" {
  directlink_id      = %[1]q
  name               = "wo-own"
  vlan               = %[2]d
  bgp_asn            = 65000
  virtual_gateway_id = %[3]q
  bgp_key_wo         = %[4]q
  bgp_key_wo_version = %[7]d
}

resource "osc_hosted_directlink_interface" "hosted" {
  directlink_id      = %[1]q
  name               = "wo-hosted"
  vlan               = %[2]d + 1
  bgp_asn            = 65001
  owner_account_id   = %[5]q
  bgp_key_wo         = %[6]q
  bgp_key_wo_version = %[7]d
}
`, env.Owner.DirectLinkIDs[0], vlan, env.Owner.VirtualGatewayIDs[0], ownKey, env.Recipient.AccountID, hostedKey, version)
}

// With bgp_key_wo, OUTSCALE gets the key and nothing a user can read back
// holds it: not the state file, not show -json, not the plan, not a
// TF_LOG=TRACE log of the CLI and the provider. Bumping bgp_key_wo_version
// replaces both interfaces with the new key. Driven as a user runs it: the
// real CLI and the built provider. Not parallel: nothing is, with TF_LOG set.
func TestAccHostedDirectLinkInterface_writeOnlyKey(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (as for every test that runs Terraform)")
	}
	acctest.PreCheck(t)
	acctest.RequireCLI(t, acctest.WriteOnlyArguments)
	env := acctest.Start(t)
	const own1, hosted1, own2, hosted2 = "wo-own-key-1c2d3e4f", "wo-hosted-key-5a6b7c8d", "wo-own-key-9e8d7c6b", "wo-hosted-key-2f3e4d5c"
	w := acctest.NewWorkdir(t, env.Config(writeOnlyKeyed(env, 1300, own1, hosted1, 1)))
	w.Setenv("TF_LOG", "TRACE")

	var seen strings.Builder // everything a user could read: CLI output and logs, state, show -json
	seen.WriteString(w.MustRun("apply", "-auto-approve", "-no-color"))
	first := checkEmulatorKeys(t, env, map[string]string{"wo-own": own1, "wo-hosted": hosted1})
	seen.WriteString(checkStateHoldsNoKey(t, w, 1))
	out, code := w.Run("plan", "-detailed-exitcode", "-no-color")
	if code != 0 {
		t.Fatalf("plan after apply with bgp_key_wo: exit %d, want 0 (no changes):\n%s", code, out)
	}
	seen.WriteString(out)

	w.SetConfig(env.Config(writeOnlyKeyed(env, 1300, own2, hosted2, 2)))
	out, code = w.Run("plan", "-detailed-exitcode", "-no-color")
	seen.WriteString(out)
	if code != 2 || !strings.Contains(out, "Plan: 2 to add, 0 to change, 2 to destroy") ||
		len(versionForcesReplacement.FindAllString(out, -1)) != 2 {
		t.Fatalf("plan after bumping bgp_key_wo_version: exit %d, want both interfaces replaced for the version:\n%s", code, out)
	}
	seen.WriteString(w.MustRun("apply", "-auto-approve", "-no-color"))
	second := checkEmulatorKeys(t, env, map[string]string{"wo-own": own2, "wo-hosted": hosted2})
	for name, id := range second {
		if id == first[name] {
			t.Errorf("%s kept its ID %s after the version bump: want a new interface", name, id)
		}
		if _, live := first[name]; live {
			if old, ok := env.Interface(first[name]); ok && old.State != "deleted" {
				t.Errorf("%s's old interface %s is %s after the replacement, want deleted", name, old.ID, old.State)
			}
		}
	}
	seen.WriteString(checkStateHoldsNoKey(t, w, 2))
	seen.WriteString(w.MustRun("destroy", "-auto-approve", "-no-color"))
	if err := env.CheckDestroy(nil); err != nil {
		t.Error(err)
	}

	checkLogsKeepSecrets(t, seen.String(),
		[]string{"CreateDirectLinkInterface", "AllocatePrivateVirtualInterface", "ReadDirectLinkInterfaces", "[TRACE]"},
		map[string]string{"first own key": own1, "first hosted key": hosted1, "second own key": own2, "second hosted key": hosted2})
}

var versionForcesReplacement = regexp.MustCompile(`bgp_key_wo_version\s+= 1 -> 2 # forces replacement`)

// checkEmulatorKeys reads the live interfaces named in want through the API
// and checks each has its key; it returns their IDs by name.
func checkEmulatorKeys(t *testing.T, env *acctest.Env, want map[string]string) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for _, i := range env.LiveInterfaces() {
		if _, ok := want[i.Name]; ok {
			ids[i.Name] = i.ID
		}
	}
	api := env.Client(t, env.Owner)
	for name, key := range want {
		id, ok := ids[name]
		if !ok {
			t.Fatalf("no live interface %q in the emulator: %+v", name, env.LiveInterfaces())
		}
		got, err := api.ReadInterface(context.Background(), id, oscapi.Fresh)
		if err != nil {
			t.Fatalf("reading %s: %v", id, err)
		}
		if got.BGPKey != key {
			t.Errorf("%s (%s) has BGP key %q in OUTSCALE, want the bgp_key_wo value %q", name, id, got.BGPKey, key)
		}
	}
	return ids
}

// checkStateHoldsNoKey checks, in show -json, that both interfaces have a
// null bgp_key and bgp_key_wo and the given version; it returns the state
// file and show -json output, for the caller's search for the keys.
func checkStateHoldsNoKey(t *testing.T, w *acctest.Workdir, version int) string {
	t.Helper()
	shown := w.MustRun("show", "-json")
	var doc struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	// With TF_LOG set, log lines go to stderr, around the JSON document.
	start, end := strings.Index(shown, "\n{\"format_version\""), strings.LastIndex(shown, "}")
	if start < 0 || end < start {
		t.Fatalf("no JSON document in show -json:\n%s", shown)
	}
	if err := json.Unmarshal([]byte(shown[start+1:end+1]), &doc); err != nil {
		t.Fatalf("show -json: %v", err)
	}
	found := 0
	for _, r := range doc.Values.RootModule.Resources {
		found++
		v := r.Values
		if v["bgp_key"] != nil || v["bgp_key_wo"] != nil || v["bgp_key_wo_version"] != float64(version) {
			t.Errorf("%s: bgp_key=%v bgp_key_wo=%v bgp_key_wo_version=%v, want null, null, %d",
				r.Address, v["bgp_key"], v["bgp_key_wo"], v["bgp_key_wo_version"], version)
		}
	}
	if found != 2 {
		t.Errorf("show -json lists %d resources, want 2", found)
	}
	return w.ReadFile("terraform.tfstate") + shown
}

// bgp_key and bgp_key_wo cannot both be set, and the version goes with
// bgp_key_wo: both are refused at plan, before any API call.
func TestAccHostedDirectLinkInterface_writeOnlyKeyConflicts(t *testing.T) {
	t.Parallel()
	env := acctest.Start(t)
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{acctest.WriteOnlyArguments.Check()},
		Steps: []resource.TestStep{
			{
				Config: env.Config(fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "x" {
  directlink_id      = %q
  name               = "both"
  vlan               = 1310
  bgp_asn            = 65000
  virtual_gateway_id = %q
  bgp_key            = "plain-key-1234"
  bgp_key_wo         = "wo-key-1234"
  bgp_key_wo_version = 1
}
`, env.Owner.DirectLinkIDs[0], env.Owner.VirtualGatewayIDs[0])),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*bgp_key`),
			},
			{
				Config: env.Config(fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "x" {
  directlink_id      = %q
  name               = "version-alone"
  vlan               = 1311
  bgp_asn            = 65000
  virtual_gateway_id = %q
  bgp_key_wo_version = 1
}
`, env.Owner.DirectLinkIDs[0], env.Owner.VirtualGatewayIDs[0])),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*bgp_key_wo`),
			},
		},
	})
	if n := env.Emulator.Stats().Actions["CreateDirectLinkInterface"]; n != 0 {
		t.Errorf("%d create calls reached the API, want 0", n)
	}
}

// Moving an interface from bgp_key to bgp_key_wo with the same key keeps it
// (an in-place update that drops the key from the state); after that, only
// the version can change the key.
func TestAccHostedDirectLinkInterface_writeOnlyKeyMove(t *testing.T) {
	t.Parallel()
	env := acctest.Start(t)
	const addr = "osc_hosted_directlink_interface.x"
	config := func(key string) string {
		return env.Config(fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "x" {
  directlink_id      = %q
  name               = "moved"
  vlan               = 1320
  bgp_asn            = 65000
  virtual_gateway_id = %q
  %s
}
`, env.Owner.DirectLinkIDs[0], env.Owner.VirtualGatewayIDs[0], key))
	}
	var id string
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{acctest.WriteOnlyArguments.Check()},
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config:            config(`bgp_key = "move-key-1234"`),
				ConfigStateChecks: []statecheck.StateCheck{stateValue(addr, "bgp_key", knownvalue.StringExact("move-key-1234"))},
				Check:             captureID(addr, &id),
			},
			{
				Config: config("bgp_key_wo = \"move-key-1234\"\n  bgp_key_wo_version = 1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue(addr, "bgp_key", knownvalue.Null()),
					stateValue(addr, "bgp_key_wo_version", knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
						if v != id {
							return fmt.Errorf("interface replaced (%s, was %s): want it kept", v, id)
						}
						return nil
					})),
				},
			},
			{
				// Terraform cannot compare a write-only value with anything.
				Config: config("bgp_key_wo = \"another-key-5678\"\n  bgp_key_wo_version = 1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				Config: config("bgp_key_wo = \"another-key-5678\"\n  bgp_key_wo_version = 2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
			},
		},
	})
}

// A CLI without write-only arguments refuses bgp_key_wo at plan, with a
// message naming the version that has them, before any API call: the key
// can never end up in its state.
func TestAccHostedDirectLinkInterface_writeOnlyKeyOnOlderCLI(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (as for every test that runs Terraform)")
	}
	acctest.PreCheck(t)
	if ok, _ := acctest.WriteOnlyArguments.Supports(acctest.CurrentCLI(t)); ok {
		t.Skip("this CLI has write-only arguments: TestAccHostedDirectLinkInterface_writeOnlyKey tests them")
	}
	t.Parallel()
	env := acctest.Start(t)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.Config(writeOnlyKeyed(env, 1330, "old-cli-key-1a2b", "old-cli-key-3c4d", 1)),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`Write-only attributes are only supported in Terraform 1\.11\s+and later`),
		}},
	})
	if n := env.Emulator.Stats().Total; n != 0 {
		t.Errorf("%d API calls reached the emulator, want 0", n)
	}
}
