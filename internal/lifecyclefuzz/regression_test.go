//go:build linux

package main

import (
	"os"
	"strings"
	"testing"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
)

// Found by the fuzzer (seed 3004, step 11, `make fuzz-lifecycle SEED=3004
// STEPS=11` on 9b5d551+main cfd0925): create_before_destroy with a rename on
// the same VLAN is not refused at plan. The apply fails when Terraform plans
// the create again, after it has already deposed the old object, so the
// state keeps the user's interface only as a deposed object; going back to
// the configuration that worked then fails to plan (the VLAN is "in no
// Terraform state", yet it is this state's deposed object) or plans to
// delete the interface and create it again. Issue 8 item 1: the plan must
// fail and say why, and nothing of the working state may be lost.
func TestAccLifecycleRegression_createBeforeDestroySameVLAN(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (as for every test that runs Terraform)")
	}
	acctest.PreCheck(t)
	t.Parallel()
	env := acctest.Start(t)
	block := func(name, lifecycle string) string {
		return env.SingleAccountConfig(env.Owner, `
resource "osc_hosted_directlink_interface" "cbd" {
  directlink_id      = "`+env.Owner.DirectLinkIDs[0]+`"
  name               = "`+name+`"
  vlan               = 1700
  bgp_asn            = 65000
  virtual_gateway_id = "`+env.Owner.VirtualGatewayIDs[0]+`"
`+lifecycle+`
}
`)
	}
	w := acctest.NewWorkdir(t, block("cbd", ""))
	w.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	live := env.LiveInterfaces()
	if len(live) != 1 {
		t.Fatalf("after the first apply: %d live interfaces, want 1", len(live))
	}

	w.SetConfig(block("cbd-renamed", "  lifecycle {\n    create_before_destroy = true\n  }"))
	out, code := w.Run("apply", "-auto-approve", "-input=false", "-no-color")
	if code == 0 {
		t.Fatalf("create_before_destroy on the same VLAN applied:\n%s", out)
	}
	if !strings.Contains(out, "create_before_destroy") {
		t.Errorf("the failure does not say that create_before_destroy cannot keep the VLAN:\n%s", out)
	}

	// The configuration that worked must still plan nothing: the failed
	// attempt may not have cost the user the interface they had.
	w.SetConfig(block("cbd", ""))
	out, code = w.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if code != 0 {
		t.Errorf("back to the configuration that was applied, plan exits %d (want 0, no changes):\n%s", code, out)
	}
	if now := env.LiveInterfaces(); len(now) != 1 || now[0].ID != live[0].ID {
		t.Errorf("live interfaces after the refused replacement: %+v, want only %s", now, live[0].ID)
	}
}
