//go:build linux

package main

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
)

// panicLine is how a Go panic of the provider shows in Terraform's output or
// in the TRACE log (the provider's stderr, prefixed by Terraform).
var panicLine = regexp.MustCompile(`(?m)(^|: )panic: |plugin crashed|Plugin did not respond`)

// checkRun applies the checks every CLI run must pass: no panic, every
// diagnostic with a summary and a detail, no secret in the output or log.
func (f *fuzzer) checkRun(wi int, r result) error {
	if m := panicLine.FindString(r.out); m != "" {
		return f.fail("panic", "%s %s: %q in the output:\n%s", f.wd[wi].name, r, m, tail(r.out, 3000))
	}
	logData, _ := os.ReadFile(r.logPath)
	if m := panicLine.FindIndex(logData); m != nil {
		return f.fail("panic", "%s %s: %q in the TRACE log %s:\n%s", f.wd[wi].name, r, logData[m[0]:m[1]], r.logPath, around(string(logData), m[0], 1500))
	}
	for _, d := range r.diagnostics() {
		if strings.TrimSpace(d.Summary) == "" || strings.TrimSpace(d.Detail) == "" {
			if coreTerse(d) {
				continue
			}
			f.soft("diagnostic-incomplete", "%s %s: a %s diagnostic without summary or detail: summary %q, detail %q", f.wd[wi].name, r, d.Severity, d.Summary, d.Detail)
		}
	}
	for secret, what := range f.secrets {
		if secret == "" {
			continue
		}
		if i := strings.Index(r.out, secret); i >= 0 {
			f.soft("secret-in-output", "%s %s: %s appears in the CLI output: %s", f.wd[wi].name, r, what, redact(around(r.out, i, 300), secret))
		}
		if i := strings.Index(string(logData), secret); i >= 0 {
			f.soft("secret-in-log", "%s %s: %s appears in the TRACE log %s: %s", f.wd[wi].name, r, what, r.logPath, redact(around(string(logData), i, 400), secret))
		}
	}
	return nil
}

// coreTerse are Terraform's own diagnostics that come with no detail by
// design; the provider's diagnostics have no such excuse.
func coreTerse(d diagnostic) bool {
	switch d.Summary {
	case "Operation cancelled", "execution halted", "execution halted.":
		return true
	}
	return false
}

func redact(s, secret string) string {
	return strings.ReplaceAll(s, secret, "<"+fmt.Sprint(len(secret))+"-char secret>")
}

func around(s string, i, n int) string {
	lo, hi := max(0, i-n/2), min(len(s), i+n/2)
	return s[lo:hi]
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// liveStates are the states of an interface that exists and can be used or
// become usable; rejected and expired ones are dead ends a plan replaces.
var liveStates = []string{"pending", "confirming", "available"}

// observed is what the checks compare: every state's instances and the
// emulator's interfaces.
type observed struct {
	held [2][]held
	emu  map[string]emuInterface
}

func (f *fuzzer) observe() (observed, error) {
	var o observed
	for wi := range f.wd {
		h, err := f.wd[wi].state()
		if err != nil {
			return o, err
		}
		o.held[wi] = h
	}
	list, err := f.emu.interfaces()
	if err != nil {
		return o, err
	}
	o.emu = map[string]emuInterface{}
	for _, it := range list {
		o.emu[it.ID] = it
		if it.BGPKey != "" {
			if _, known := f.secrets[it.BGPKey]; !known {
				f.secrets[it.BGPKey] = "a BGP key OUTSCALE generated"
			}
		}
	}
	return o, nil
}

const hostedType = "osc_hosted_directlink_interface"

// checkInvariants checks what must hold between every step: no interface in
// two instances or two states; every instance of a state that is not dirty
// holds a live interface; every live interface is held by a state, made by
// the world on purpose, or (after a SIGKILL, killed=true) reported in
// orphans for the next plan to name.
func (f *fuzzer) checkInvariants(killed bool) (orphans []emuInterface, err error) {
	o, err := f.observe()
	if err != nil {
		return nil, err
	}
	holders := map[string][]string{} // interface ID -> "a: address" of hosted instances
	accepters := map[string][]string{}
	for wi := range f.wd {
		for _, h := range o.held[wi] {
			who := f.wd[wi].name + ": " + h.Address
			if h.Type == hostedType {
				holders[h.ID] = append(holders[h.ID], who)
			} else {
				accepters[h.ID] = append(accepters[h.ID], who)
			}
			if f.dirty[wi] || h.ID == "" {
				continue
			}
			it, ok := o.emu[h.ID]
			switch {
			case !ok:
				return nil, f.fail("state-holds-missing", "%s holds %s, which the API does not know", who, h.ID)
			case !slices.Contains(liveStates, it.State) && !h.Tainted:
				return nil, f.fail("state-holds-dead", "%s holds %s, which is %s, and is not tainted", who, h.ID, it.State)
			case h.Type != hostedType && it.State != "available" && !h.Tainted:
				return nil, f.fail("accepter-not-available", "%s holds %s, which is %s, not available", who, h.ID, it.State)
			}
		}
	}
	for id, who := range holders {
		if len(who) > 1 {
			return nil, f.fail("shared-interface", "interface %s is held by %d instances: %s", id, len(who), strings.Join(who, ", "))
		}
	}
	for id, who := range accepters {
		if len(who) > 1 {
			return nil, f.fail("shared-accepter", "interface %s is accepted by %d instances: %s", id, len(who), strings.Join(who, ", "))
		}
	}
	for _, id := range sortedKeys(o.emu) {
		it := o.emu[id]
		if !slices.Contains(liveStates, it.State) && it.State != "deleting" {
			continue
		}
		if len(holders[id]) > 0 || f.foreign[id] {
			continue
		}
		if !killed {
			return nil, f.fail("orphan", "interface %s (%s, VLAN %d on %s, name %q) exists and no state holds it", id, it.State, it.VLAN, it.DirectLinkID, it.Name)
		}
		orphans = append(orphans, it)
	}
	return orphans, nil
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(mapsKeys(m))
}
