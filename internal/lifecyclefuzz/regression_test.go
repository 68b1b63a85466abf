//go:build linux

package main

import (
	"os"
	"strings"
	"testing"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
)

// Found by the fuzzer (seed 3004, step 11, `make fuzz-lifecycle SEED=3004
// STEPS=11` on main cfd0925): create_before_destroy with a rename on the
// same VLAN failed at apply with a VLAN conflict that named the
// interface's own predecessor as "in no Terraform state" and said nothing of
// create_before_destroy. Terraform had already deposed the old object, so
// the configuration that had worked no longer planned: the VLAN was "in no
// state" again, or the plan deleted the interface and created it again.
// The provider cannot see create_before_destroy at plan, nor make Terraform
// take a deposed object back; what a user needs is an error that says why,
// and a way back to the interface they had that works as written.
func TestAccLifecycleRegression_createBeforeDestroySameVLAN(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (as for every test that runs Terraform)")
	}
	acctest.PreCheck(t)
	t.Parallel()
	env := acctest.Start(t)
	block := func(name, extra string) string {
		return env.SingleAccountConfig(env.Owner, `
resource "osc_hosted_directlink_interface" "cbd" {
  directlink_id      = "`+env.Owner.DirectLinkIDs[0]+`"
  name               = "`+name+`"
  vlan               = 1700
  bgp_asn            = 65000
  virtual_gateway_id = "`+env.Owner.VirtualGatewayIDs[0]+`"
`+extra+`
}
`)
	}
	const addr = "osc_hosted_directlink_interface.cbd"
	w := acctest.NewWorkdir(t, block("cbd", ""))
	w.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	live := env.LiveInterfaces()
	if len(live) != 1 {
		t.Fatalf("after the first apply: %d live interfaces, want 1", len(live))
	}
	id := live[0].ID

	w.SetConfig(block("cbd-renamed", "  lifecycle {\n    create_before_destroy = true\n  }"))
	out, code := w.Run("apply", "-auto-approve", "-input=false", "-no-color")
	if code == 0 {
		t.Fatalf("create_before_destroy on the same VLAN applied:\n%s", out)
	}
	if !strings.Contains(out, "create_before_destroy") {
		t.Errorf("the failure does not say that create_before_destroy cannot keep the VLAN:\n%s", out)
	}

	// Back to the configuration that was applied: either it plans nothing,
	// or it fails saying the old interface is a deposed object and how to
	// take it back; that way must then work as written.
	w.SetConfig(block("cbd", ""))
	out, code = w.Run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	switch {
	case code == 0:
	case code == 1 && strings.Contains(out, id) && strings.Contains(out, "deposed") && strings.Contains(out, "state rm"):
		w.MustRun("state", "rm", addr)
		w.SetConfig(block("cbd", "") + "\nimport {\n  to = " + addr + "\n  id = \"" + id + "\"\n}\n")
		w.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
		if out, code := w.Run("plan", "-input=false", "-no-color", "-detailed-exitcode"); code != 0 {
			t.Errorf("after state rm and the import of %s, plan exits %d (want 0):\n%s", id, code, out)
		}
	default:
		t.Errorf("back to the configuration that was applied, plan exits %d without naming %s as a deposed object to take back with state rm and import:\n%s", code, id, out)
	}
	if now := env.LiveInterfaces(); len(now) != 1 || now[0].ID != id {
		t.Errorf("live interfaces at the end: %+v, want only %s", now, id)
	}
	if state := w.MustRun("state", "show", "-no-color", addr); !strings.Contains(state, id) {
		t.Errorf("%s does not hold %s at the end:\n%s", addr, id, state)
	}
}
