package provider_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
	"github.com/oscdl/terraform-provider-osc/internal/emulator"
	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// Accepter lifecycle tests: what the recipient sees when the interface is
// not where the plan left it (still pending, accepted meanwhile) and when a
// plan would replace an acceptance.

// clockedEnv is an emulator whose clock moves only when the test says, so
// that an interface stays in a transitional state exactly as long as the
// test needs; transitions take step each.
func clockedEnv(t *testing.T, step time.Duration) (*acctest.Env, *emulator.FakeClock) {
	t.Helper()
	clock := emulator.NewFakeClock(time.Now())
	return acctest.StartWith(t, emulator.Options{TransitionDelay: step, Now: clock.Now}), clock
}

// driveClock moves clock by step, every few milliseconds until the test
// ends, whenever move says so.
func driveClock(t *testing.T, clock *emulator.FakeClock, step time.Duration, move func() bool) {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			if move() {
				clock.Advance(step)
			}
		}
	}()
	t.Cleanup(func() { close(stop); wg.Wait() })
}

// anyInState tells whether some interface of env is in one of states.
func anyInState(env *acctest.Env, states ...string) bool {
	for _, it := range env.Emulator.Interfaces() {
		for _, s := range states {
			if it.State == s {
				return true
			}
		}
	}
	return false
}

func interfaceReads(env *acctest.Env) int {
	a := env.Emulator.Stats().Actions
	return a["ReadDirectLinkInterfaces"] + a["DescribeVirtualInterfaces"]
}

func confirmCalls(env *acctest.Env) int {
	return env.Emulator.Stats().Actions["ConfirmPrivateVirtualInterface"]
}

// An accepter applied right after the owner allocated the interface, while
// it is still pending (no gateway yet): the accepter waits until it is
// confirming, confirms it and ends available; it does not take the pending
// interface for one accepted already.
//
// Not parallel: the emulator's clock stands still while the test waits for
// its turn, and the signatures must stay within the API's clock skew.
func TestAccLifecycle_accepterWaitsForAPendingInterface(t *testing.T) {
	const step = 20 * time.Second
	env, clock := clockedEnv(t, step)
	it := env.Seed(t, env.Owner, oscapi.CreateInterfaceInput{
		DirectLinkID:   env.Owner.DirectLinkIDs[0],
		Name:           "just-allocated",
		VLAN:           1400,
		BGPASN:         65000,
		OwnerAccountID: env.Recipient.AccountID,
	})[0]
	if it.State != oscapi.StatePending {
		t.Fatalf("the allocated interface is %s, want pending", it.State)
	}
	confirms := confirmCalls(env)
	var sawPending bool
	var mu sync.Mutex
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactoriesTwoAccounts,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				reads := interfaceReads(env)
				driveClock(t, clock, step, func() bool {
					cur, _ := env.Interface(it.ID)
					switch {
					case cur.State == oscapi.StatePending && cur.VirtualGatewayID == "":
						// Only once the accepter has read it pending and
						// polled it at least once: it is waiting.
						if interfaceReads(env) < reads+2 {
							return false
						}
						mu.Lock()
						sawPending = true
						mu.Unlock()
						return true
					default:
						return anyInState(env, oscapi.StatePending, oscapi.StateDeleting)
					}
				})
			},
			Config: env.TwoAccountConfig(env.AccepterBlock("accepted", fmt.Sprintf("%q", it.ID))),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accepterAddr, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				stateValue(accepterAddr, "id", knownvalue.StringExact(it.ID)),
				stateValue(accepterAddr, "state", knownvalue.StringExact(oscapi.StateAvailable)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				emulatorShows(env, accepterAddr, oscapi.StateAvailable, env.Recipient.VirtualGatewayIDs[0], env.Recipient.AccountID),
				func(*terraform.State) error {
					mu.Lock()
					defer mu.Unlock()
					if !sawPending {
						return fmt.Errorf("the accepter never waited on the pending interface: the test exercised nothing")
					}
					if n := confirmCalls(env) - confirms; n != 1 {
						return fmt.Errorf("the accepter sent %d confirmations, want 1", n)
					}
					return nil
				},
			),
		}},
	})
}

// The recipient's provider took its snapshot of the interfaces (a data
// source read during the apply) while the interface was confirming; someone
// then accepted it on the configured gateway before the accepter's create.
// The accepter decides from a fresh read: it adopts the interface as it is,
// without confirming it a second time, and ends available.
func TestAccLifecycle_accepterDecidesFromAFreshRead(t *testing.T) {
	const step = 20 * time.Second
	env, clock := clockedEnv(t, step)
	it := env.Seed(t, env.Owner, oscapi.CreateInterfaceInput{
		DirectLinkID:   env.Owner.DirectLinkIDs[0],
		Name:           "accepted-meanwhile",
		VLAN:           1410,
		BGPASN:         65000,
		OwnerAccountID: env.Recipient.AccountID,
	})[0]
	clock.Advance(step)
	if cur, _ := env.Interface(it.ID); cur.State != oscapi.StateConfirming {
		t.Fatalf("the hosted interface is %s, want confirming", cur.State)
	}
	recipient := env.Client(t, env.Recipient)
	config := env.TwoAccountConfig(fmt.Sprintf(`
resource "terraform_data" "gate" {
  input = "go"
}

# Read during the apply (it waits for the gate): the recipient's snapshot.
data "osc_directlink_interfaces" "seen" {
  provider   = %[1]s
  depends_on = [terraform_data.gate]
}

# The owner's create that stands between the snapshot and the accept.
resource "osc_hosted_directlink_interface" "slow" {
  directlink_id      = %[2]q
  name               = "slow"
  vlan               = 1411
  bgp_asn            = 65000
  virtual_gateway_id = %[3]q
  depends_on         = [data.osc_directlink_interfaces.seen]
}

resource "osc_hosted_directlink_interface_accepter" "accepted" {
  provider                = %[1]s
  directlink_interface_id = %[4]q
  virtual_gateway_id      = %[5]q
  depends_on              = [osc_hosted_directlink_interface.slow]
}
`, acctest.RecipientProvider, env.Owner.DirectLinkIDs[0], env.Owner.VirtualGatewayIDs[0], it.ID, env.Recipient.VirtualGatewayIDs[0]))

	var confirms int
	var acceptErr error
	var mu sync.Mutex
	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactoriesTwoAccounts,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				accepted := false
				driveClock(t, clock, step, func() bool {
					if !accepted {
						// "slow" exists: the snapshot was taken, and the
						// accepter cannot start before "slow" is available,
						// which needs the clock.
						for _, i := range env.LiveInterfaces() {
							if i.Name != "slow" {
								continue
							}
							ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
							err := recipient.ConfirmInterface(ctx, it.ID, env.Recipient.VirtualGatewayIDs[0])
							cancel()
							mu.Lock()
							acceptErr, confirms = err, confirmCalls(env)
							mu.Unlock()
							accepted = true
						}
						return false
					}
					return anyInState(env, oscapi.StatePending, oscapi.StateDeleting)
				})
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(accepterAddr, plancheck.ResourceActionCreate)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				stateValue(accepterAddr, "id", knownvalue.StringExact(it.ID)),
				stateValue(accepterAddr, "state", knownvalue.StringExact(oscapi.StateAvailable)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				emulatorShows(env, accepterAddr, oscapi.StateAvailable, env.Recipient.VirtualGatewayIDs[0], env.Recipient.AccountID),
				func(*terraform.State) error {
					mu.Lock()
					defer mu.Unlock()
					if confirms == 0 {
						return fmt.Errorf("the interface was not accepted behind the accepter's back: the test exercised nothing")
					}
					if acceptErr != nil {
						return fmt.Errorf("accepting behind the accepter's back failed: %w", acceptErr)
					}
					if n := confirmCalls(env) - confirms; n != 0 {
						return fmt.Errorf("the accepter confirmed an interface accepted already (%d confirmations): it decided from the snapshot", n)
					}
					return nil
				},
			),
		}},
	})
}

// A plan that would replace an accepter of the same interface fails, and
// the interface stays accepted: a new virtual_gateway_id ("Cannot Move"),
// and a tainted accepter ("Cannot Be Replaced").
func TestAccLifecycle_accepterReplacementRefusedAtPlan(t *testing.T) {
	env := acctest.Start(t)
	var id string
	stillAccepted := func() {
		t.Helper()
		got, ok := env.Interface(id)
		if !ok || got.State != oscapi.StateAvailable || got.VirtualGatewayID != env.Recipient.VirtualGatewayIDs[0] {
			t.Fatalf("after the refused plan the interface %s is %+v, want still available on %s", id, got, env.Recipient.VirtualGatewayIDs[0])
		}
	}
	moved := env.TwoAccountConfig(env.HostedBlock("hosted", 1420), fmt.Sprintf(`
resource "osc_hosted_directlink_interface_accepter" "accepted" {
  provider                = %s
  directlink_interface_id = osc_hosted_directlink_interface.hosted.id
  virtual_gateway_id      = "vgw-0000000b"
}
`, acctest.RecipientProvider))
	deletes := 0
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactoriesTwoAccounts,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{
				Config: handshakeConfig(env, 1420),
				Check: resource.ComposeAggregateTestCheckFunc(captureID(accepterAddr, &id), func(*terraform.State) error {
					deletes = env.Emulator.Stats().Actions["DeleteDirectLinkInterface"]
					return nil
				}),
			},
			{
				Config: moved,
				ExpectError: wordsRegexp("Accepted DirectLink Interface Cannot Move",
					fmt.Sprintf("Keep virtual_gateway_id = %q", env.Recipient.VirtualGatewayIDs[0])),
			},
			{
				PreConfig:   stillAccepted,
				Taint:       []string{accepterAddr},
				Config:      handshakeConfig(env, 1420),
				ExpectError: wordsRegexp("Accepted DirectLink Interface Cannot Be Replaced", "terraform untaint"),
			},
			{
				PreConfig: func() {
					stillAccepted()
					if n := env.Emulator.Stats().Actions["DeleteDirectLinkInterface"]; n != deletes {
						t.Fatalf("the refused plans sent %d delete calls", n-deletes)
					}
				},
				// Still tainted, still refused. (Not PlanOnly: that plans with
				// -refresh=false first, which
				// TestAccLifecycle_accepterTaintRefusedOrWarned covers.)
				Config:      handshakeConfig(env, 1420),
				ExpectError: wordsRegexp("Accepted DirectLink Interface Cannot Be Replaced"),
			},
		},
	})
}

// A tainted accepter is refused at plan: its replacement would delete the
// interface and fail to accept it again. A plan that skips the refresh
// (-refresh=false) shows the provider no trace of the taint, so there it
// can only warn. The configuration users write, two aliases of the built
// provider.
func TestAccLifecycle_accepterTaintRefusedOrWarned(t *testing.T) {
	t.Parallel()
	cliAcceptance(t)
	env := acctest.Start(t)
	w := acctest.NewWorkdir(t, env.Config(fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "hosted" {
  directlink_id    = %q
  name             = "taint-accepter"
  vlan             = 1430
  bgp_asn          = 65000
  owner_account_id = %q
}

resource "osc_hosted_directlink_interface_accepter" "accepted" {
  provider                = osc.recipient
  directlink_interface_id = osc_hosted_directlink_interface.hosted.id
  virtual_gateway_id      = %q
}
`, env.Owner.DirectLinkIDs[0], env.Recipient.AccountID, env.Recipient.VirtualGatewayIDs[0])))
	w.MustRun("apply", "-auto-approve", "-input=false", "-no-color")
	id := onlyLiveInterface(t, env).ID
	w.MustRun("taint", "osc_hosted_directlink_interface_accepter.accepted")
	// With a refresh, the provider sees the tainted accepter and refuses.
	for _, args := range [][]string{
		{"plan", "-input=false", "-no-color"},
		{"apply", "-auto-approve", "-input=false", "-no-color"},
	} {
		out, code := w.Run(args...)
		if code == 0 || !wordsRegexp("Accepted DirectLink Interface Cannot Be Replaced").MatchString(out) {
			t.Errorf("terraform %s of the tainted accepter was not refused (exit %d):\n%s", strings.Join(args, " "), code, out)
		}
		if it, ok := env.Interface(id); !ok || it.State != oscapi.StateAvailable {
			t.Fatalf("after terraform %s the accepted interface %s is %+v, want still available", strings.Join(args, " "), id, it)
		}
	}
	// With -refresh=false Terraform shows the provider nothing of the
	// tainted accepter but a create (a limit of the plugin protocol): the
	// plan cannot be refused, but it warns and names the way out.
	out, _ := w.Run("plan", "-refresh=false", "-input=false", "-no-color")
	if !wordsRegexp("DirectLink Interface Accepted Already", "run terraform untaint instead").MatchString(out) {
		t.Errorf("plan -refresh=false of the tainted accepter does not warn:\n%s", out)
	}
}
