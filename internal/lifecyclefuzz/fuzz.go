//go:build linux

package main

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// finding is an invariant or an expected outcome that did not hold.
type finding struct {
	Step  int
	Check string // short name of what failed, the same for the same bug
	What  string // what was seen
}

// errFinding stops a seed: after a finding the model no longer knows what
// the world holds, so later steps would report its consequences only.
var errFinding = errors.New("finding")

// fuzzer runs one seed: two working directories on the owner's DirectLinks,
// one emulator process, and the model of what each configuration means.
type fuzzer struct {
	opts  options
	seed  int64
	rng   *rand.Rand
	dir   string
	emu   *emulator
	w     world
	wd    [2]*workdir
	cfg   [2]*config
	dirty [2]bool // the world changed what that state holds since its last apply

	nextUID, nextAddr int
	secrets           map[string]string // secret -> what it is
	foreign           map[string]bool   // interfaces the world made on purpose, held by no state
	steps             []string
	findings          []finding
	cur               int // 1-based index of the running step
	faults            emuFaults
}

func newFuzzer(o options, seed int64, bins binaries) (*fuzzer, error) {
	dir, err := os.MkdirTemp("", fmt.Sprintf("osc-fuzz-%d-", seed))
	if err != nil {
		return nil, err
	}
	f := &fuzzer{
		opts: o, seed: seed, dir: dir,
		rng:     rand.New(rand.NewPCG(uint64(seed), 0x6c6966656379636c)),
		emu:     &emulator{bin: bins.emulator, dir: dir, seed: seed},
		secrets: map[string]string{},
		foreign: map[string]bool{},
	}
	if err := f.emu.start(emuFaults{}); err != nil {
		return nil, err
	}
	f.w = world{
		Region:             f.emu.info.Region,
		APIEndpoint:        f.emu.info.APIEndpoint,
		DirectLinkEndpoint: f.emu.info.DirectLinkEndpoint,
		Owner:              f.emu.account("owner"),
		Recipient:          f.emu.account("recipient"),
	}
	if len(f.w.Owner.DirectLinkIDs) == 0 || len(f.w.Owner.VirtualGatewayIDs) == 0 || len(f.w.Recipient.VirtualGatewayIDs) == 0 {
		return nil, errors.New("the emulator's owner needs a DirectLink and a gateway, its recipient a gateway")
	}
	for _, a := range f.emu.info.Accounts {
		f.secrets[a.SecretKey] = "secret key of " + a.Name
	}
	for i, name := range []string{"a", "b"} {
		d := filepath.Join(dir, name)
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, err
		}
		f.wd[i] = &workdir{name: name, dir: d, cli: o.terraform, cliConfig: bins.cliConfig, logDir: filepath.Join(dir, "logs")}
		f.cfg[i] = newConfig()
	}
	return f, os.MkdirAll(filepath.Join(dir, "logs"), 0o700)
}

func (f *fuzzer) close() {
	f.emu.stop()
	if !f.opts.keep {
		_ = os.RemoveAll(f.dir)
	}
}

func (f *fuzzer) logf(format string, args ...any) {
	if f.opts.verbose {
		fmt.Printf("  seed %d step %d: %s\n", f.seed, f.cur, fmt.Sprintf(format, args...))
	}
}

// fail records a finding and stops the seed.
func (f *fuzzer) fail(check, format string, args ...any) error {
	f.findings = append(f.findings, finding{Step: f.cur, Check: check, What: fmt.Sprintf(format, args...)})
	return errFinding
}

// soft records a finding that leaves the model right (a wording, a log
// line): the seed goes on, and still counts as one with a finding. Each
// check is recorded once per seed.
func (f *fuzzer) soft(check, format string, args ...any) {
	for _, fd := range f.findings {
		if fd.Check == check {
			return
		}
	}
	f.findings = append(f.findings, finding{Step: f.cur, Check: check, What: fmt.Sprintf(format, args...)})
}

// run runs n steps; it returns errFinding after a finding, another error
// when the fuzzer itself could not go on.
func (f *fuzzer) run(n int) error {
	for f.cur = 1; f.cur <= n; f.cur++ {
		kind := f.pick()
		f.steps = append(f.steps, kind) // completed by the step with its details
		if err := f.step(kind); err != nil {
			return err
		}
	}
	return nil
}

// describe completes the current step's line in the step list.
func (f *fuzzer) describe(format string, args ...any) {
	f.steps[len(f.steps)-1] = fmt.Sprintf(format, args...)
	f.logf("%s", f.steps[len(f.steps)-1])
}

// weights of the step kinds; kinds that need something the model lacks
// (an instance to edit, a hosted one to accept) are drawn again.
var stepWeights = []struct {
	kind   string
	weight int
}{
	{"add", 14}, {"remove", 5}, {"edit", 14}, {"dupvlan", 4}, {"dupvlan-apply", 2}, {"other-state-dup", 3},
	{"count-shift", 2}, {"cbd", 2},
	{"moved", 4}, {"replace", 3}, {"taint", 3}, {"import", 3},
	{"accept-add", 5}, {"accept-remove", 2},
	{"oob-delete", 3}, {"reject", 2}, {"oob-accept", 2}, {"expire", 1}, {"stranger", 2},
	{"throttle", 2}, {"drop", 2}, {"latency", 1}, {"restart", 2},
	{"sigint", 4}, {"sigkill", 3},
}

func (f *fuzzer) pick() string {
	total := 0
	for _, s := range stepWeights {
		if !f.opts.skip[s.kind] {
			total += s.weight
		}
	}
	for {
		r := f.rng.IntN(total)
		for _, s := range stepWeights {
			if f.opts.skip[s.kind] {
				continue
			}
			if r < s.weight {
				if f.possible(s.kind) {
					return s.kind
				}
				break
			}
			r -= s.weight
		}
	}
}

// possible says whether the model holds what the step kind acts on.
func (f *fuzzer) possible(kind string) bool {
	n := len(f.cfg[0].all()) + len(f.cfg[1].all())
	switch kind {
	case "add", "import", "stranger", "restart", "dupvlan-apply":
		return true
	case "accept-add", "oob-accept", "reject", "expire":
		return len(f.hostedWithout(true)) > 0
	case "accept-remove":
		return len(f.hostedWithout(false)) > 0
	case "count-shift":
		return len(f.cfg[0].Count) >= 2 || len(f.cfg[1].Count) >= 2
	case "cbd":
		return len(f.cfg[0].Singles)+len(f.cfg[1].Singles) > 0
	case "moved":
		return n > 0 && len(f.cfg[0].Moved)+len(f.cfg[1].Moved) == 0
	default:
		return n > 0
	}
}

// hostedWithout lists (workdir, instance) pairs of hosted instances
// without an accepter (accepted=true asks for those with one instead... the
// flag reads "without" an accepter when true).
func (f *fuzzer) hostedWithout(without bool) [][2]any {
	var out [][2]any
	for wi := range f.cfg {
		for _, p := range f.cfg[wi].all() {
			if p.Hosted && f.cfg[wi].Accept[p.UID] != without {
				out = append(out, [2]any{wi, p})
			}
		}
	}
	return out
}

// pickInstance draws an instance of either working directory.
func (f *fuzzer) pickInstance() (int, placed) {
	var all [][2]any
	for wi := range f.cfg {
		for _, p := range f.cfg[wi].all() {
			all = append(all, [2]any{wi, p})
		}
	}
	c := all[f.rng.IntN(len(all))]
	return c[0].(int), c[1].(placed)
}

// usedVLANs are the VLANs of each DirectLink taken by a configuration or by
// an interface not deleted.
func (f *fuzzer) usedVLANs() (map[[2]int]bool, error) {
	used := map[[2]int]bool{}
	for wi := range f.cfg {
		for _, p := range f.cfg[wi].all() {
			used[[2]int{p.DL, p.VLAN}] = true
		}
	}
	live, err := f.emu.interfaces()
	if err != nil {
		return nil, err
	}
	for _, it := range live {
		if it.State == "deleted" {
			continue
		}
		used[[2]int{slices.Index(f.w.Owner.DirectLinkIDs, it.DirectLinkID), it.VLAN}] = true
	}
	return used, nil
}

func (f *fuzzer) freeVLAN(dl int) (int, error) {
	used, err := f.usedVLANs()
	if err != nil {
		return 0, err
	}
	for {
		v := 100 + f.rng.IntN(900)
		if !used[[2]int{dl, v}] {
			return v, nil
		}
	}
}

var asns = []int{64512, 65000, 65001, 65100, 65534}

func (f *fuzzer) newKey() string {
	k := fmt.Sprintf("fzk%08x%04x", f.rng.Uint32(), f.rng.IntN(1<<16))
	f.secrets[k] = "a BGP key"
	return k
}

// newInst draws a complete, valid instance on a free VLAN.
func (f *fuzzer) newInst() (inst, error) {
	f.nextUID++
	in := inst{UID: f.nextUID, ASN: asns[f.rng.IntN(len(asns))], Addr: -1, Hosted: f.rng.IntN(3) > 0, DL: f.rng.IntN(len(f.w.Owner.DirectLinkIDs))}
	in.Name = fmt.Sprintf("fz-%d-%d", f.seed, in.UID)
	if f.rng.IntN(2) == 0 {
		in.BGPKey = f.newKey()
	}
	if f.rng.IntN(3) == 0 {
		in.Addr = f.newAddr()
	}
	v, err := f.freeVLAN(in.DL)
	in.VLAN = v
	return in, err
}

func (f *fuzzer) newAddr() int {
	f.nextAddr++
	return f.nextAddr
}

// newPlace draws a free place for a new instance in cfg.
func (f *fuzzer) newPlace(c *config) place {
	switch f.rng.IntN(3) {
	case 0:
		return place{"c", fmt.Sprint(len(c.Count))}
	case 1:
		for {
			k := fmt.Sprintf("k%d", f.rng.IntN(50))
			if _, taken := c.Each[k]; !taken {
				return place{"m", k}
			}
		}
	default:
		for {
			k := fmt.Sprintf("s%d", f.rng.IntN(50))
			if _, taken := c.Singles[k]; !taken {
				return place{"s", k}
			}
		}
	}
}

func since(t time.Time) string { return time.Since(t).Round(100 * time.Millisecond).String() }

// report is what a failed seed prints: the findings, the step list and the
// command that replays it.
func (f *fuzzer) report() string {
	var b strings.Builder
	for _, fd := range f.findings {
		fmt.Fprintf(&b, "FINDING seed %d step %d [%s]: %s\n", f.seed, fd.Step, fd.Check, fd.What)
	}
	b.WriteString("steps:\n")
	for i, s := range f.steps {
		fmt.Fprintf(&b, "  %2d. %s\n", i+1, s)
	}
	skip := ""
	if len(f.opts.skip) > 0 {
		skip = " SKIP=" + strings.Join(slices.Sorted(mapsKeys(f.opts.skip)), ",")
	}
	fmt.Fprintf(&b, "replay: make fuzz-lifecycle SEED=%d STEPS=%d%s\n", f.seed, len(f.steps), skip)
	return b.String()
}
