//go:build linux

package main

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/oscdl/terraform-provider-osc/internal/emulator"
)

// mode is how the configuration's interfaces are made.
type mode string

const (
	// modeOwn: interfaces in the caller's own account (virtual_gateway_id,
	// CreateDirectLinkInterface); the create waits until available.
	modeOwn mode = "own"
	// modeHosted: interfaces hosted for the recipient account
	// (owner_account_id, AllocatePrivateVirtualInterface); the create waits
	// until confirming.
	modeHosted mode = "hosted"
)

// scenario is one fresh emulator and one configuration of n interfaces:
// apply, optionally the no-change plans, destroy.
type scenario struct {
	group      string // which table of the report it belongs to
	mode       mode
	n          int
	seed       int           // interfaces already in the account (-seed-interfaces)
	transition time.Duration // emulator -transition-delay
	jitter     time.Duration // emulator -transition-jitter
	plans      bool          // run the no-change plans
	unbatched  bool          // among them, one with one read per resource
	profile    bool          // batched plans with plugin logs off, and one with the provider's profiles
}

func (sc scenario) label() string {
	if sc.seed > 0 {
		return fmt.Sprintf("%s, N=%d beside %d others", sc.mode, sc.n, sc.seed)
	}
	return fmt.Sprintf("%s, N=%d", sc.mode, sc.n)
}

const (
	planBatched   = "no-change plan, batched reads"
	planUnbatched = "no-change plan, OSC_DISABLE_READ_BATCHING=1"
	planFloor     = "plan -refresh=false (floor)"
	planQuiet     = "no-change plan, batched reads, plugin logs off"
)

// planKinds are the no-change plans in the order they run and are shown.
var planKinds = []string{planBatched, planQuiet, planUnbatched, planFloor}

// quietLogs turns off the plugin side's logs. Unset, terraform-plugin-log
// in the provider formats every SDK, framework and provider line down to
// TRACE, and Terraform throws them away; this plan shows what that costs.
var quietLogs = []string{"TF_LOG_SDK=OFF", "TF_LOG_SDK_FRAMEWORK=OFF", "TF_LOG_SDK_PROTO=OFF", "TF_LOG_PROVIDER=OFF"}

// result is every measurement of one scenario.
type result struct {
	sc        scenario
	apply     step
	plans     map[string][]step // by plan kind, in run order
	destroy   step
	profiled  *step // the extra batched plan with profiles
	profile   *profileSummary
	lags      []lag
	unmatched int // notices with no emulator transition to pair with
	// changes counts the emulator's transitions during apply and destroy
	// that no call caused: what the provider could have noticed. A wait
	// whose first poll already finds the target state logs no change.
	changes int
}

func runScenario(o options, bins binaries, work string, sc scenario, index int) (result, error) {
	r := result{sc: sc, plans: map[string][]step{}}
	dir := filepath.Join(work, fmt.Sprintf("%02d-%s-n%d-s%d-%s", index, sc.mode, sc.n, sc.seed, sc.transition))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return r, err
	}
	emu, err := startEmulator(bins.emulator, dir, sc.transition, sc.jitter, o.latency, sc.seed)
	if err != nil {
		return r, err
	}
	defer emu.stop()
	owner, err := emu.account("owner")
	if err != nil {
		return r, err
	}
	recipient, err := emu.account("recipient")
	if err != nil {
		return r, err
	}
	if len(owner.DirectLinkIDs) == 0 || len(owner.VirtualGatewayIDs) == 0 {
		return r, errors.New("the emulator's owner account has no DirectLink or no virtual gateway")
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(configuration(sc, owner, recipient)), 0o644); err != nil {
		return r, err
	}
	cliConfig := filepath.Join(dir, "cli.tfrc")
	if err := os.WriteFile(cliConfig, []byte(fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"oscdl/osc\" = %q\n  }\n  direct {}\n}\n", bins.wrapper)), 0o644); err != nil {
		return r, err
	}
	t := &tfRunner{
		bin:     o.terraform,
		dir:     dir,
		timeout: o.cmdTimeout,
		emu:     emu,
		env: []string{
			"TF_CLI_CONFIG_FILE=" + cliConfig,
			"TF_IN_AUTOMATION=1",
			"CHECKPOINT_DISABLE=1",
			"OSC_ACCESS_KEY=" + owner.AccessKey,
			"OSC_SECRET_KEY=" + owner.SecretKey,
			"OSC_REGION=" + emu.info.Region,
			"OSC_ENDPOINT_API=" + emu.info.APIEndpoint,
			"OSC_ENDPOINT_DIRECT_LINK=" + emu.info.DirectLinkEndpoint,
			envWrapReal + "=" + bins.provider,
		},
	}
	logged := stepOptions{logs: true}

	log.Printf("%s: apply", sc.label())
	if r.apply, err = t.run("apply", logged, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return r, err
	}
	if got, err := t.stateCount(); err != nil {
		return r, fmt.Errorf("after apply, counting the state's resources: %w", err)
	} else if got != sc.n {
		return r, fmt.Errorf("after apply the state holds %d resources, want %d", got, sc.n)
	}
	if sc.plans {
		if err := r.runPlans(o, t); err != nil {
			return r, err
		}
	}
	log.Printf("%s: destroy", sc.label())
	if r.destroy, err = t.run("destroy", logged, "destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return r, err
	}
	if got, err := t.stateCount(); err != nil {
		return r, fmt.Errorf("after destroy, counting the state's resources: %w", err)
	} else if got != 0 {
		return r, fmt.Errorf("after destroy the state holds %d resources, want 0", got)
	}

	transitions, err := emu.transitions()
	if err != nil {
		return r, fmt.Errorf("reading the emulator's transitions: %w", err)
	}
	for _, s := range []step{r.apply, r.destroy} {
		r.changes += changesDuring(transitions, s.start, s.start.Add(s.wall))
		notices, err := readNotices(s.logs)
		if err != nil {
			return r, err
		}
		ls, unmatched := lags(transitions, notices, sc.transition)
		r.lags = append(r.lags, ls...)
		r.unmatched += unmatched
	}
	return r, nil
}

// runPlans runs the no-change plans interleaved, so that a change in the
// machine's load weighs on each kind alike. One read per resource costs N /
// rate seconds whatever else happens, so it runs once.
func (r *result) runPlans(o options, t *tfRunner) error {
	plan := func(kind string, so stepOptions) (step, error) {
		args := []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"}
		switch kind {
		case planUnbatched:
			so.env = append(so.env, "OSC_DISABLE_READ_BATCHING=1")
		case planQuiet:
			so.env = append(so.env, quietLogs...)
		case planFloor:
			args = append(args, "-refresh=false")
		}
		// Exit code 2 (changes) is an error too: the plan must be empty.
		return t.run(kind, so, args...)
	}
	for i := range o.repeat {
		for _, kind := range planKinds {
			if kind == planUnbatched && (!r.sc.unbatched || i > 0) || kind == planQuiet && !r.sc.profile {
				continue
			}
			log.Printf("%s: %s (%d/%d)", r.sc.label(), kind, i+1, o.repeat)
			s, err := plan(kind, stepOptions{})
			if err != nil {
				return err
			}
			r.plans[kind] = append(r.plans[kind], s)
		}
	}
	if r.sc.profile {
		log.Printf("%s: %s, profiled", r.sc.label(), planBatched)
		s, err := plan(planBatched, stepOptions{profiles: true})
		if err != nil {
			return err
		}
		r.profiled = &s
	}
	return nil
}

// configuration is sc.n interfaces on distinct VLANs of one DirectLink, in
// the caller's own account or hosted for the recipient. In a seeded account
// they go on the last DirectLink, from the top VLAN down, where the seeded
// interfaces (from the bottom up) leave room. Credentials and endpoints come
// from the environment.
func configuration(sc scenario, owner, recipient emulator.Account) string {
	link := owner.DirectLinkIDs[0]
	vlan := "100 + count.index"
	if sc.seed > 0 {
		link = owner.DirectLinkIDs[len(owner.DirectLinkIDs)-1]
		vlan = "4094 - count.index"
	}
	target := fmt.Sprintf("virtual_gateway_id = %q", owner.VirtualGatewayIDs[0])
	if sc.mode == modeHosted {
		target = fmt.Sprintf("owner_account_id   = %q", recipient.AccountID)
	}
	return fmt.Sprintf(`terraform {
  required_providers {
    osc = {
      source = "oscdl/osc"
    }
  }
}

provider "osc" {}

resource "osc_hosted_directlink_interface" "bench" {
  count              = %d
  directlink_id      = %q
  name               = "bench-${count.index}"
  vlan               = %s
  bgp_asn            = 65000
  %s
}
`, sc.n, link, vlan, target)
}

// Groups of scenarios, one table of the report each.
const (
	groupMain = "main run"
	groupBig  = "big account"
	groupLag  = "second run, for the lag"
	groupLong = "long waits"
)
