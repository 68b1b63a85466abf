package provider_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// Brownfield discovery as a user does it: interfaces made outside Terraform
// (one in the owner's account, one hosted for the recipient and accepted by
// it, one hosted and waiting for the recipient, one deleted) are found by terraform query; -generate-config-out writes
// configuration that plans imports only, applies, and then plans nothing.
// Driven with the real CLI and the built provider.
func TestAccHostedDirectLinkInterfaceList_queryGeneratesConfig(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (as for every test that runs Terraform)")
	}
	acctest.PreCheck(t)
	acctest.RequireCLI(t, acctest.ListResources)
	t.Parallel()
	env := acctest.Start(t)

	seeded := env.Seed(t, env.Owner,
		oscapi.CreateInterfaceInput{
			DirectLinkID: env.Owner.DirectLinkIDs[0], Name: "console-own", VLAN: 1500, BGPASN: 65010,
			VirtualGatewayID: env.Owner.VirtualGatewayIDs[0],
		},
		oscapi.CreateInterfaceInput{
			DirectLinkID: env.Owner.DirectLinkIDs[1], Name: "console-gone", VLAN: 1501, BGPASN: 65011,
			VirtualGatewayID: env.Owner.VirtualGatewayIDs[0],
		})
	own := env.WaitState(t, env.Owner, seeded[0].ID, oscapi.StateAvailable, oscapi.StatePending)
	env.WaitState(t, env.Owner, seeded[1].ID, oscapi.StateAvailable, oscapi.StatePending)
	env.DeleteAs(t, env.Owner, seeded[1].ID)
	hosted := env.HostForRecipient(t, "cli-hosted", 1502)
	env.AcceptAs(t, env.Recipient, hosted.ID)
	waiting := env.HostForRecipient(t, "cli-waiting", 1503)

	w := acctest.NewWorkdir(t, env.SingleAccountConfig(env.Owner))
	query := func(config string) string {
		w.WriteFile("find.tfquery.hcl", `
list "osc_hosted_directlink_interface" "found" {
  provider = osc
  config {
`+config+`
  }
}
`)
		return w.MustRun("query", "-no-color")
	}

	// Filters: each finds what it says, and never the deleted interface.
	for _, tt := range []struct {
		config    string
		want, not []string
	}{
		{"", []string{own.ID, hosted.ID, waiting.ID}, []string{seeded[1].ID}},
		{`mode = "own"`, []string{own.ID}, []string{hosted.ID, waiting.ID}},
		{`mode = "hosted"`, []string{hosted.ID, waiting.ID}, []string{own.ID}},
		{`name_regex = "^console-"`, []string{own.ID}, []string{hosted.ID, waiting.ID, seeded[1].ID}},
		{`directlink_ids = ["` + env.Owner.DirectLinkIDs[1] + `"]`, nil, []string{own.ID, hosted.ID, waiting.ID, seeded[1].ID}},
		{`states = ["confirming"]`, []string{waiting.ID}, []string{own.ID, hosted.ID}},
	} {
		out := query(tt.config)
		for _, id := range tt.want {
			if !strings.Contains(out, id) {
				t.Errorf("query with {%s} does not list %s:\n%s", tt.config, id, out)
			}
		}
		for _, id := range tt.not {
			if strings.Contains(out, id) {
				t.Errorf("query with {%s} lists %s:\n%s", tt.config, id, out)
			}
		}
	}

	query("")
	w.MustRun("query", "-no-color", "-generate-config-out=found.tf")
	found := w.ReadFile("found.tf")
	for _, want := range []string{
		`virtual_gateway_id  = "` + env.Owner.VirtualGatewayIDs[0] + `"`,
		`owner_account_id    = "` + env.Recipient.AccountID + `"`,
		`id     = "` + own.ID + `"`, `id     = "` + hosted.ID + `"`, `id     = "` + waiting.ID + `"`,
	} {
		if !strings.Contains(found, want) {
			t.Errorf("found.tf lacks %s:\n%s", want, found)
		}
	}
	if err := os.Remove(w.Path("find.tfquery.hcl")); err != nil {
		t.Fatal(err)
	}

	out, code := w.Run("plan", "-detailed-exitcode", "-no-color")
	if code != 2 || !strings.Contains(out, "Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("plan of the generated configuration: exit %d, want 3 imports and nothing else:\n%s\n\nfound.tf:\n%s", code, out, found)
	}
	w.MustRun("apply", "-auto-approve", "-no-color")
	if out, code := w.Run("plan", "-detailed-exitcode", "-no-color"); code != 0 {
		t.Fatalf("plan after importing: exit %d, want 0 (no changes):\n%s", code, out)
	}
	shown := w.MustRun("state", "list")
	if n := len(regexp.MustCompile(`(?m)^osc_hosted_directlink_interface\.`).FindAllString(shown, -1)); n != 3 {
		t.Errorf("state lists %d interfaces after the import, want 3:\n%s", n, shown)
	}
}
