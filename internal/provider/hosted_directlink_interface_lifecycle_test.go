package provider_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
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

// Lifecycle tests: the operations users perform on an interface they already
// have (rename, taint, -replace, Ctrl-C, a gateway's 5xx), each checked the
// way the user sees it: the plan's actions, the state, what the API holds
// and the messages.

// namedInterface is osc_hosted_directlink_interface "test" in mode m with
// the given name, VLAN and ASN.
func namedInterface(env *acctest.Env, m mode, name string, vlan, asn int) string {
	return fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "test" {
  directlink_id = %q
  name          = %q
  vlan          = %d
  bgp_asn       = %d
  %s
}
`, env.Owner.DirectLinkIDs[0], name, vlan, asn, m.attribute(env))
}

// createCalls is how many creates, in either API, reached the emulator.
func createCalls(env *acctest.Env) int {
	st := env.Emulator.Stats().Actions
	return st["CreateDirectLinkInterface"] + st["AllocatePrivateVirtualInterface"]
}

// cliAcceptance starts a test that drives the CLI itself (not through
// resource.Test, which skips on its own): it runs only with TF_ACC set, as
// every test that runs Terraform.
func cliAcceptance(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (as for every test that runs Terraform)")
	}
	acctest.PreCheck(t)
}

// adoptionWords is any wording of an adoption: none may show when the
// interface being replaced is the resource's own.
var adoptionWords = regexp.MustCompile(`(?i)adopt|Found After an Unclear Create`)

// A change that forces replacement but keeps the VLAN (the name, then the
// BGP ASN) plans a destroy before the create, applies, and leaves one new
// interface on that VLAN; the next plan is empty.
func TestAccLifecycle_replacementKeepsTheVLAN(t *testing.T) {
	for _, m := range bothModes {
		t.Run(m.name, func(t *testing.T) {
			env := acctest.Start(t)
			ids := statecheck.CompareValue(compare.ValuesDiffer())
			replaced := func(name string, asn int) resource.TestStep {
				return resource.TestStep{
					Config: env.Config(namedInterface(env, m, name, 1000, asn)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionDestroyBeforeCreate)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{
						ids.AddStateValue(testResource, tfjsonpath.New("id")),
						stateValue(testResource, "name", knownvalue.StringExact(name)),
						stateValue(testResource, "bgp_asn", knownvalue.Int64Exact(int64(asn))),
						stateValue(testResource, "vlan", knownvalue.Int64Exact(1000)),
						stateValue(testResource, "state", knownvalue.StringExact(m.readyState)),
					},
					// The one interface left is the new one: the old one
					// was deleted, not kept beside it.
					Check: emulatorHolds(env, m.readyState, 1000),
				}
			}
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             env.CheckDestroy,
				Steps: []resource.TestStep{
					{
						Config:            env.Config(namedInterface(env, m, "before", 1000, 65000)),
						ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(testResource, tfjsonpath.New("id"))},
					},
					replaced("renamed", 65000),
					replaced("renamed", 65001),
				},
			})
		})
	}
}

// A tainted interface is replaced on its own VLAN: the plan starts from its
// ID, the apply deletes it and creates one new interface.
func TestAccLifecycle_taintReplacesOnTheSameVLAN(t *testing.T) {
	for _, m := range bothModes {
		t.Run(m.name, func(t *testing.T) {
			env := acctest.Start(t)
			ids := statecheck.CompareValue(compare.ValuesDiffer())
			var tainted string
			config := env.Config(namedInterface(env, m, "tainted", 1010, 65000))
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             env.CheckDestroy,
				Steps: []resource.TestStep{
					{
						Config:            config,
						ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(testResource, tfjsonpath.New("id"))},
						Check:             captureID(testResource, &tainted),
					},
					{
						Taint:  []string{testResource},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction(testResource, plancheck.ResourceActionDestroyBeforeCreate),
								expectPriorID(testResource, func() string { return tainted }),
							},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue(testResource, tfjsonpath.New("id"))},
						Check:             emulatorHolds(env, m.readyState, 1010),
					},
				},
			})
		})
	}
}

// replaceFromCLI is what a user reads when replacing an interface from the
// CLI, with the built provider: the plan says why the interface is replaced,
// never a word of adoption, and the apply leaves one new interface on the
// VLAN, after which the plan is empty. before runs ahead of the plan (taint),
// args are added to plan and apply (-replace).
func replaceFromCLI(t *testing.T, why *regexp.Regexp, before []string, args ...string) {
	env := acctest.Start(t)
	r := acctest.NewWorkdir(t, env.Config(namedInterface(env, ownMode, "cli", 1020, 65000), `
output "id" {
  value = osc_hosted_directlink_interface.test.id
}
`))
	noAdoption := func(what, out string) {
		t.Helper()
		if m := adoptionWords.FindString(out); m != "" {
			t.Errorf("%s speaks of adoption (%q) while replacing the resource's own interface:\n%s", what, m, out)
		}
	}
	id := func() string { return strings.TrimSpace(r.MustRun("output", "-raw", "id")) }
	r.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	first := id()
	if len(before) > 0 {
		r.MustRun(before...)
	}
	out := r.MustRun(append([]string{"plan", "-input=false", "-no-color"}, args...)...)
	if !why.MatchString(out) {
		t.Errorf("the plan does not match %s:\n%s", why, out)
	}
	noAdoption("the plan", out)
	out = r.MustRun(append([]string{"apply", "-auto-approve", "-input=false", "-no-color"}, args...)...)
	noAdoption("the apply", out)
	second := id()
	if second == first {
		t.Errorf("the interface %s was kept, want it replaced", first)
	}
	if live := env.LiveInterfaces(); len(live) != 1 || live[0].ID != second || live[0].VLAN != 1020 {
		t.Errorf("after the replacement the API holds %+v, want only %s on VLAN 1020", live, second)
	}
	if out, code := r.Run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the plan after the replacement is not empty (exit %d):\n%s", code, out)
	}

	// -replace together with a change that forces replacement anyway.
	r.SetConfig(env.Config(namedInterface(env, ownMode, "cli-renamed", 1020, 65000)))
	out = r.MustRun("apply", "-replace=osc_hosted_directlink_interface.test", "-auto-approve", "-input=false", "-no-color")
	noAdoption("the apply of -replace and a rename", out)
	if live := env.LiveInterfaces(); len(live) != 1 || live[0].ID == second || live[0].Name != "cli-renamed" {
		t.Errorf("after -replace and a rename the API holds %+v, want one new interface named cli-renamed", live)
	}
	r.MustRun("destroy", "-auto-approve", "-input=false", "-no-color")
	if err := env.CheckDestroy(nil); err != nil {
		t.Error(err)
	}
}

// taintedWords is how Terraform ("so must be replaced") and OpenTofu ("so it
// must be replaced") say that a tainted instance is replaced.
var taintedWords = regexp.MustCompile(`osc_hosted_directlink_interface\.test\s+is\s+tainted,\s+so\s+(it\s+)?must\s+be\s+replaced`)

// terraform taint, then plan and apply: no adoption, one new interface.
func TestAccLifecycle_taintFromTheCLI(t *testing.T) {
	t.Parallel()
	cliAcceptance(t)
	replaceFromCLI(t, taintedWords,
		[]string{"taint", "osc_hosted_directlink_interface.test"})
}

// terraform plan and apply -replace: no adoption, one new interface.
func TestAccLifecycle_replaceFromTheCLI(t *testing.T) {
	t.Parallel()
	cliAcceptance(t)
	replaceFromCLI(t, wordsRegexp("osc_hosted_directlink_interface.test will be replaced, as requested"), nil,
		"-replace=osc_hosted_directlink_interface.test")
}

// count = 2 with one fixed VLAN (with two names, or the same arguments
// twice) fails at plan, naming the other instance and the VLAN, before any
// create reaches the API.
func TestAccLifecycle_countOfTwoOnOneVLANFailsAtPlan(t *testing.T) {
	for _, c := range []struct {
		name, nameExpr, first, second string
	}{
		{name: "two names", nameExpr: `"dup-${count.index}"`, first: `"dup-[01]"`, second: `"dup-[01]"`},
		{name: "same arguments", nameExpr: `"dup"`, first: `"dup"`, second: `"dup"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := acctest.Start(t)
			config := env.Config(fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "dup" {
  count              = 2
  directlink_id      = %q
  name               = %s
  vlan               = 1100
  bgp_asn            = 65000
  virtual_gateway_id = %q
}
`, env.Owner.DirectLinkIDs[0], c.nameExpr, env.Owner.VirtualGatewayIDs[0]))
			want := regexp.MustCompile(`(?s)DirectLink VLAN Requested Twice.*VLAN\s+1100\s+of\s+` + regexp.QuoteMeta(env.Owner.DirectLinkIDs[0]) +
				`:\s+this\s+one\s+\(name\s+` + c.first + `\)\s+and\s+the\s+one\s+named\s+` + c.second)
			resource.ParallelTest(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				CheckDestroy:             env.CheckDestroy,
				Steps: []resource.TestStep{
					{Config: config, PlanOnly: true, ExpectError: want},
					// Not only plan: an apply fails the same way, before
					// creating anything.
					{Config: config, ExpectError: want},
				},
			})
			if n := createCalls(env); n != 0 {
				t.Errorf("%d create calls reached the API, want none: the plan should have failed first", n)
			}
		})
	}
}

// plannedChange is one resource change of `terraform show -json PLAN`.
type plannedChange struct {
	Address string `json:"address"`
	Change  struct {
		Actions []string       `json:"actions"`
		Before  map[string]any `json:"before"`
	} `json:"change"`
}

// planOf plans in w and returns the resource changes.
func planOf(t *testing.T, w *acctest.Workdir) []plannedChange {
	t.Helper()
	w.MustRun("plan", "-input=false", "-no-color", "-out=next.tfplan")
	var plan struct {
		ResourceChanges []plannedChange `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(w.MustRun("show", "-json", "next.tfplan")), &plan); err != nil {
		t.Fatalf("reading the plan: %v", err)
	}
	return plan.ResourceChanges
}

// Ctrl-C while a create waits for the interface: Terraform reports an
// interrupt, not a timeout, and keeps the interface's ID in the state
// (tainted): the next plan replaces that very interface.
func TestAccLifecycle_ctrlCDuringCreateIsAnInterrupt(t *testing.T) {
	t.Parallel()
	cliAcceptance(t)
	// Slow enough that the create is still waiting when the signal comes.
	env := acctest.StartWith(t, emulator.Options{TransitionDelay: 20 * time.Second})
	r := acctest.NewWorkdir(t, env.Config(namedInterface(env, ownMode, "interrupted", 1200, 65000)))
	apply := startApply(t, r)

	// Waiting: the API created the interface and has since been polled.
	reads := -1
	apply.until(t, 3*time.Minute, "its create was waiting", func() bool {
		st := env.Emulator.Stats().Actions["ReadDirectLinkInterfaces"]
		if reads < 0 && len(env.LiveInterfaces()) == 1 {
			reads = st
			return false
		}
		return reads >= 0 && st > reads
	})
	id := onlyLiveInterface(t, env).ID
	apply.interrupt(t)
	interruptedReplacesKept(t, r, id)
}

// Ctrl-C while the create request is in flight (the API has carried it out,
// its answer is on the way): the answer is awaited, so the interface the
// create made is in the state (tainted), not in no state at all; the next
// plan replaces it instead of failing on a VLAN held by a stranger.
func TestAccLifecycle_ctrlCWhileCreateIsInFlight(t *testing.T) {
	for _, m := range bothModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			cliAcceptance(t)
			// Every answer is held 3 s after the API has served the request.
			env := acctest.StartWith(t, emulator.Options{TransitionDelay: 20 * time.Second, Latency: 3 * time.Second})
			r := acctest.NewWorkdir(t, env.Config(namedInterface(env, m, "in-flight", 1250, 65000)))
			apply := startApply(t, r)
			apply.until(t, 3*time.Minute, "the API carried out its create", func() bool { return len(env.LiveInterfaces()) == 1 })
			id := onlyLiveInterface(t, env).ID
			apply.interrupt(t)
			if !wordsRegexp(`last seen state was "pending"`).MatchString(apply.out.String()) {
				t.Errorf("the interrupt does not report the state the create answered (pending):\n%s", apply.out.String())
			}
			if n := createCalls(env); n != 1 {
				t.Errorf("%d create calls reached the API, want 1", n)
			}
			interruptedReplacesKept(t, r, id)
		})
	}
}

// runningApply is a terraform apply started in its own process group.
type runningApply struct {
	cmd    *exec.Cmd
	out    *lockedBuffer
	exited chan error
}

func startApply(t *testing.T, w *acctest.Workdir) *runningApply {
	t.Helper()
	a := &runningApply{out: &lockedBuffer{}, exited: make(chan error, 1)}
	a.cmd = w.Command(a.out, "apply", "-auto-approve", "-input=false", "-no-color")
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { a.exited <- a.cmd.Wait() }()
	t.Cleanup(func() { _ = syscall.Kill(-a.cmd.Process.Pid, syscall.SIGKILL) })
	return a
}

// until polls cond every 20 ms while the apply runs.
func (a *runningApply) until(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(limit)
	for !cond() {
		select {
		case err := <-a.exited:
			t.Fatalf("terraform apply ended (%v) before %s:\n%s", err, what, a.out.String())
		case <-deadline:
			t.Fatalf("not the case within %s: %s:\n%s", limit, what, a.out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// interrupt sends Ctrl-C and checks that the apply fails with an interrupt
// diagnostic, not a timeout.
func (a *runningApply) interrupt(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(-a.cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	select {
	case err := <-a.exited:
		if err == nil {
			t.Fatalf("the interrupted apply succeeded:\n%s", a.out.String())
		}
	case <-time.After(2 * time.Minute):
		t.Fatalf("terraform did not stop within 2 minutes of Ctrl-C:\n%s", a.out.String())
	}
	t.Logf("terraform stopped %s after SIGINT", time.Since(start).Round(time.Millisecond))
	text := a.out.String()
	if !regexp.MustCompile(`DirectLink Interface Interrupted`).MatchString(text) {
		t.Errorf("the output does not say the create was interrupted:\n%s", text)
	}
	if m := regexp.MustCompile(`Timed Out|raise the timeout`).FindString(text); m != "" {
		t.Errorf("the output reports the interrupt as a timeout (%q):\n%s", m, text)
	}
	t.Logf("the interrupted apply said:\n%s", text)
}

// interruptedReplacesKept checks that the plan after an interrupted create
// replaces the interface id, which the state kept (tainted).
func interruptedReplacesKept(t *testing.T, r *acctest.Workdir, id string) {
	t.Helper()
	changes := planOf(t, r)
	if len(changes) != 1 {
		t.Fatalf("the plan after the interrupt changes %d resources, want 1: %+v", len(changes), changes)
	}
	c := changes[0]
	if strings.Join(c.Change.Actions, ",") != "delete,create" || c.Change.Before["id"] != id {
		t.Errorf("the plan after the interrupt does %v from id %v, want delete,create from %s (kept in state, tainted)", c.Change.Actions, c.Change.Before["id"], id)
	}
}

// A create whose answer is a 502 after the API carried it out: the provider
// reads what was done instead of sending the create again, records the one
// interface with a warning that says so; a destroy answered 502 too is found
// done, with one delete call.
func TestAccLifecycle_5xxAfterCommit(t *testing.T) {
	for _, m := range bothModes {
		t.Run(m.name, func(t *testing.T) {
			t.Parallel()
			cliAcceptance(t)
			env := acctest.StartWith(t, emulator.Options{TransitionDelay: acctest.TransitionDelay, FailAfterCommit: 1, FailAfterCommitStatus: 502})
			w := acctest.NewWorkdir(t, env.Config(namedInterface(env, m, "after-502", 1300, 65000), `
output "id" {
  value = osc_hosted_directlink_interface.test.id
}
`))
			out, code := w.Run("apply", "-auto-approve", "-input=false", "-no-color")
			if code != 0 {
				t.Fatalf("the apply failed (exit %d):\n%s", code, out)
			}
			if !wordsRegexp("Warning: DirectLink Interface Found After an Unclear Create").MatchString(out) {
				t.Errorf("the apply does not warn that the interface was found after an unclear create:\n%s", out)
			}
			if n := env.Emulator.Stats().FailedAfterCommit; n == 0 {
				t.Fatal("the emulator answered no request with a 502: the test exercised nothing")
			}
			if n := createCalls(env); n != 1 {
				t.Errorf("%d create calls reached the API, want 1: a create answered 502 was sent again", n)
			}
			live := onlyLiveInterface(t, env)
			if got := strings.TrimSpace(w.MustRun("output", "-raw", "id")); got != live.ID {
				t.Errorf("the state holds %s, want the interface the create made, %s", got, live.ID)
			}
			if out, code := w.Run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
				t.Errorf("the plan after the apply is not empty (exit %d):\n%s", code, out)
			}

			deletes := env.Emulator.Stats().Actions["DeleteDirectLinkInterface"]
			if out, code := w.Run("destroy", "-auto-approve", "-input=false", "-no-color"); code != 0 {
				t.Fatalf("the destroy failed (exit %d):\n%s", code, out)
			}
			if err := env.CheckDestroy(nil); err != nil {
				t.Error(err)
			}
			if n := env.Emulator.Stats().Actions["DeleteDirectLinkInterface"] - deletes; n != 1 {
				t.Errorf("%d delete calls reached the API, want 1: a delete answered 502 was sent again", n)
			}
		})
	}
}

// A plan that skips the refresh (-refresh=false) shows the provider no trace
// of a tainted instance (Terraform plans it as a plain create, a limit of the
// plugin protocol), so the provider cannot tell its interface from a foreign
// holder of the VLAN. It refuses, naming the way out, instead of adopting or
// duplicating anything; the normal plan replaces it.
func TestAccLifecycle_taintWithoutRefresh(t *testing.T) {
	t.Parallel()
	cliAcceptance(t)
	env := acctest.Start(t)
	r := acctest.NewWorkdir(t, env.Config(namedInterface(env, ownMode, "no-refresh", 1030, 65000)))
	r.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	first := onlyLiveInterface(t, env).ID
	r.MustRun("taint", "osc_hosted_directlink_interface.test")
	out, code := r.Run("plan", "-refresh=false", "-input=false", "-no-color")
	if code == 0 || !wordsRegexp("DirectLink VLAN Already In Use", first, "plan again without -refresh=false").MatchString(out) {
		t.Fatalf("the plan -refresh=false of the tainted interface does not name the way out (exit %d):\n%s", code, out)
	}
	out, code = r.Run("plan", "-input=false", "-no-color")
	if code != 0 || !taintedWords.MatchString(out) {
		t.Fatalf("the plan of the tainted interface does not replace it (exit %d):\n%s", code, out)
	}
	r.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if live := env.LiveInterfaces(); len(live) != 1 || live[0].ID == first || live[0].VLAN != 1030 {
		t.Errorf("after the replacement the API holds %+v, want one new interface on VLAN 1030 instead of %s", live, first)
	}
}

// An interface given a new address keeps working on its VLAN with a moved
// block: the same interface, untouched. Without one, Terraform would destroy
// the old address and create the new one in parallel on the same VLAN, and
// the create would meet the interface still being deleted: the plan fails
// and says to add the moved block; nothing is created or deleted.
func TestAccLifecycle_newAddressOnTheSameVLAN(t *testing.T) {
	const movedBlock = `
moved {
  from = osc_hosted_directlink_interface.old
  to   = osc_hosted_directlink_interface.new
}
`
	t.Run("moved block", func(t *testing.T) {
		env := acctest.Start(t)
		ids := statecheck.CompareValue(compare.ValuesSame())
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { acctest.PreCheck(t) },
			ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
			CheckDestroy:             env.CheckDestroy,
			Steps: []resource.TestStep{
				{
					Config:            env.Config(ownInterface(env, "old", "same", 1600)),
					ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue("osc_hosted_directlink_interface.old", tfjsonpath.New("id"))},
				},
				{
					Config: env.Config(ownInterface(env, "new", "same", 1600), movedBlock),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("osc_hosted_directlink_interface.new", plancheck.ResourceActionNoop)},
						PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
					ConfigStateChecks: []statecheck.StateCheck{ids.AddStateValue("osc_hosted_directlink_interface.new", tfjsonpath.New("id"))},
					Check:             checkStateMatchesEmulator(env, 1),
				},
			},
		})
	})
	t.Run("no moved block", func(t *testing.T) {
		env := acctest.Start(t)
		var id string
		resource.ParallelTest(t, resource.TestCase{
			PreCheck:                 func() { acctest.PreCheck(t) },
			ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
			CheckDestroy:             env.CheckDestroy,
			Steps: []resource.TestStep{
				{
					Config: env.Config(ownInterface(env, "old", "same", 1600)),
					Check:  captureID("osc_hosted_directlink_interface.old", &id),
				},
				{
					Config: env.Config(ownInterface(env, "new", "same", 1600)),
					// Which of the two errors depends on the order in which
					// Terraform plans the old and the new address; both fail
					// the plan and give the moved block.
					ExpectError: regexp.MustCompile(`DirectLink VLAN (Destroyed and Created in Parallel|Already In Use)[\s\S]*add\s+a\s+moved\s+block`),
				},
				{
					PreConfig: func() {
						if it := onlyLiveInterface(t, env); it.ID != id {
							t.Errorf("after the refused plan the API holds %+v, want %s untouched", it, id)
						}
					},
					Config:   env.Config(ownInterface(env, "old", "same", 1600)),
					PlanOnly: true,
				},
			},
		})
	})
}

// A replacement with create_before_destroy on the same VLAN cannot work (the
// new interface would need the VLAN the old one holds). Terraform does not tell a provider that a replacement is
// create_before_destroy, so the plan cannot refuse it; the apply does,
// before any create call, and says why and what to do.
func TestAccLifecycle_createBeforeDestroyOnTheSameVLANFailsBeforeAnyCreate(t *testing.T) {
	env := acctest.Start(t)
	cbd := func(name string) string {
		return env.Config(fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "test" {
  directlink_id      = %q
  name               = %q
  vlan               = 1040
  bgp_asn            = 65000
  virtual_gateway_id = %q
  lifecycle {
    create_before_destroy = true
  }
}
`, env.Owner.DirectLinkIDs[0], name, env.Owner.VirtualGatewayIDs[0]))
	}
	var id string
	creates := 0
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: cbd("before"),
				Check: resource.ComposeAggregateTestCheckFunc(captureID(testResource, &id), func(*terraform.State) error {
					creates = createCalls(env)
					return nil
				}),
			},
			{
				Config:      cbd("renamed"),
				ExpectError: wordsRegexp("DirectLink VLAN Already In Use", "create_before_destroy = true", "two interfaces cannot hold one VLAN", "remove create_before_destroy"),
			},
			{
				PreConfig: func() {
					if n := createCalls(env) - creates; n != 0 {
						t.Errorf("the refused replacement sent %d creates", n)
					}
					if it := onlyLiveInterface(t, env); it.ID != id || it.Name != "before" {
						t.Errorf("after the refused replacement the API holds %+v, want %s untouched", it, id)
					}
				},
				// Terraform keeps the old interface as a deposed object after
				// such an apply; it is still there and nothing was created.
				Config:      cbd("renamed"),
				ExpectError: regexp.MustCompile(`DirectLink VLAN (Destroyed and Created in Parallel|Already In Use)[\s\S]*create_before_destroy\s+=\s+true[\s\S]*terraform\s+state\s+rm`),
			},
		},
	})
}
