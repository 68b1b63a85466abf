//go:build linux

package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

var applyArgs = []string{"apply", "-auto-approve", "-input=false", "-no-color", "-json"}
var planArgs = []string{"plan", "-input=false", "-no-color", "-json", "-detailed-exitcode"}

func (f *fuzzer) write(wi int) error {
	return f.wd[wi].write(f.w.hcl(f.cfg[wi]))
}

// apply writes the configuration of wi and applies it.
func (f *fuzzer) apply(wi int, intr *interrupt, extra ...string) (result, error) {
	if err := f.write(wi); err != nil {
		return result{}, err
	}
	r, err := f.wd[wi].run(f.opts.cmdTimeout, intr, append(slices.Clone(applyArgs), extra...)...)
	if err != nil {
		return r, f.fail("hang", "%s: %v", f.wd[wi].name, err)
	}
	return r, f.checkRun(wi, r)
}

func (f *fuzzer) plan(wi int) (result, error) {
	if err := f.write(wi); err != nil {
		return result{}, err
	}
	r, err := f.wd[wi].run(f.opts.cmdTimeout, nil, planArgs...)
	if err != nil {
		return r, f.fail("hang", "%s: %v", f.wd[wi].name, err)
	}
	return r, f.checkRun(wi, r)
}

// planned lists the changes a plan or apply output announces.
func planned(r result) string {
	var out []string
	for _, l := range r.lines() {
		if l.Type == "planned_change" || l.Type == "resource_drift" {
			out = append(out, l.Message)
		}
	}
	return strings.Join(out, "; ")
}

func errorText(r result) string {
	var b strings.Builder
	for _, d := range r.errors() {
		fmt.Fprintf(&b, "[%s] %s: %s ", d.Address, d.Summary, oneLine(d.Detail))
	}
	if b.Len() == 0 {
		return tail(r.out, 1500)
	}
	return b.String()
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 600 {
		s = s[:600] + "..."
	}
	return s
}

// applyOK applies wi expecting success, then settles it.
func (f *fuzzer) applyOK(wi int, why string, extra ...string) (result, error) {
	r, err := f.apply(wi, nil, extra...)
	if err != nil {
		return r, err
	}
	if r.code != 0 {
		return r, f.fail("unexpected-failure", "%s: %s failed (%s): %s", f.wd[wi].name, why, r, errorText(r))
	}
	if err := f.noAdoption(wi, r, why); err != nil {
		return r, err
	}
	return r, f.settle(wi, why)
}

// noAdoption: with no lost answer and no killed apply, nothing gives the
// provider a proof that it made an interface it did not get an answer for.
func (f *fuzzer) noAdoption(wi int, r result, why string) error {
	if f.faults.DropResponse > 0 || f.faults.FailAfterCommit > 0 {
		return nil
	}
	for _, d := range r.diagnostics() {
		// An accepter adopting an interface already attached to its gateway
		// is documented behaviour; a hosted interface has no such excuse.
		if strings.Contains(d.Summary, "Adopt") && !strings.Contains(d.Address, "_accepter") {
			return f.fail("adoption-without-proof", "%s: %s: %s warned %q: %s", f.wd[wi].name, why, r, d.Summary, oneLine(d.Detail))
		}
	}
	return nil
}

// settle runs after a successful apply of wi: moved and import blocks have
// done their work and go; the plan must be empty; the invariants hold.
func (f *fuzzer) settle(wi int, why string) error {
	f.dirty[wi] = false
	f.cfg[wi].Moved = nil
	f.cfg[wi].Imports = map[place]string{}
	p, err := f.plan(wi)
	if err != nil {
		return err
	}
	switch p.code {
	case 0:
	case 2:
		return f.fail("plan-after-apply-not-empty", "%s: after %s, the plan wants changes: %s", f.wd[wi].name, why, planned(p))
	default:
		return f.fail("plan-after-apply-fails", "%s: after %s, the plan fails: %s", f.wd[wi].name, why, errorText(p))
	}
	_, err = f.checkInvariants(false)
	return err
}

// idAt is the interface ID a state holds at address ("" when none).
func (f *fuzzer) idAt(wi int, address string) (string, error) {
	hs, err := f.wd[wi].state()
	if err != nil {
		return "", err
	}
	for _, h := range hs {
		if h.Address == address {
			return h.ID, nil
		}
	}
	return "", nil
}

func (f *fuzzer) step(kind string) error {
	switch kind {
	case "add":
		wi := f.rng.IntN(2)
		in, err := f.newInst()
		if err != nil {
			return err
		}
		p := f.newPlace(f.cfg[wi])
		f.cfg[wi].set(p, in)
		f.describe("add %s %s (%s)", f.wd[wi].name, p.address(), f.brief(in))
		_, err = f.applyOK(wi, "adding "+p.address())
		return err
	case "remove":
		wi, p := f.pickInstance()
		p = f.lastIfCount(wi, p)
		f.cfg[wi].remove(p.place)
		f.describe("remove %s %s", f.wd[wi].name, p.address())
		_, err := f.applyOK(wi, "removing "+p.address())
		return err
	case "edit":
		return f.edit()
	case "dupvlan", "other-state-dup":
		return f.dupVLAN(kind == "other-state-dup")
	case "dupvlan-apply":
		return f.dupInOneApply()
	case "moved":
		return f.moved()
	case "count-shift":
		return f.countShift()
	case "cbd":
		return f.createBeforeDestroy()
	case "replace", "taint":
		return f.replace(kind == "taint")
	case "import":
		return f.importStep()
	case "accept-add":
		c := f.hostedWithout(true)
		pick := c[f.rng.IntN(len(c))]
		wi, p := pick.wi, pick.placed
		f.cfg[wi].Accept[p.UID] = true
		f.describe("accept %s %s with an accepter", f.wd[wi].name, p.address())
		_, err := f.applyOK(wi, "adding the accepter of "+p.address())
		return err
	case "accept-remove":
		return f.acceptRemove()
	case "oob-delete", "reject", "oob-accept":
		return f.worldAct(kind)
	case "expire":
		return f.expire()
	case "stranger":
		return f.stranger()
	case "throttle", "drop", "latency", "5xx", "503":
		return f.faulty(kind)
	case "restart":
		f.describe("restart the emulator (-state kept)")
		if err := f.emu.restart(emuFaults{}); err != nil {
			return err
		}
		for wi := range f.wd {
			if err := f.settle(wi, "an emulator restart"); err != nil {
				return err
			}
		}
		return nil
	case "sigint", "sigkill":
		return f.interrupted(kind == "sigkill")
	}
	return fmt.Errorf("unknown step kind %q", kind)
}

func (f *fuzzer) brief(in inst) string {
	mode := "own"
	if in.Hosted {
		mode = "hosted"
	}
	s := fmt.Sprintf("vlan %d on dl%d, %s, asn %d", in.VLAN, in.DL, mode, in.ASN)
	if in.BGPKey != "" {
		s += ", bgp_key"
	}
	if in.Addr >= 0 {
		o, _ := addrPair(in.Addr)
		s += ", " + o
	}
	return s
}

// lastIfCount turns a count index into the last one: removing another
// would shift the others (every later instance replaced), a test of its own.
func (f *fuzzer) lastIfCount(wi int, p placed) placed {
	if p.Kind != "c" {
		return p
	}
	c := f.cfg[wi]
	last := place{"c", fmt.Sprint(len(c.Count) - 1)}
	in := c.get(last)
	return placed{last, in}
}

var editFields = []string{"name", "vlan", "bgp_asn", "bgp_key", "addresses", "mode", "directlink"}

func (f *fuzzer) edit() error {
	wi, p := f.pickInstance()
	in := p.inst
	field := editFields[f.rng.IntN(len(editFields))]
	forcesNew := true
	switch field {
	case "name":
		in.Name = fmt.Sprintf("fz-%d-%d-r%d", f.seed, in.UID, f.rng.IntN(1000))
	case "vlan":
		v, err := f.freeVLAN(in.DL)
		if err != nil {
			return err
		}
		in.VLAN = v
	case "bgp_asn":
		for in.ASN == p.ASN {
			in.ASN = asns[f.rng.IntN(len(asns))]
		}
	case "bgp_key":
		if in.BGPKey != "" && f.rng.IntN(3) == 0 {
			in.BGPKey, forcesNew = "", false // omitted: the key in state stays
		} else {
			in.BGPKey = f.newKey()
		}
	case "addresses":
		if in.Addr >= 0 && f.rng.IntN(3) == 0 {
			in.Addr, forcesNew = -1, false
		} else {
			in.Addr = f.newAddr()
		}
	case "mode":
		in.Hosted = !in.Hosted
		if !in.Hosted {
			delete(f.cfg[wi].Accept, in.UID)
		}
	case "directlink":
		if len(f.w.Owner.DirectLinkIDs) < 2 {
			return f.edit()
		}
		in.DL = (in.DL + 1) % len(f.w.Owner.DirectLinkIDs)
		v, err := f.freeVLAN(in.DL)
		if err != nil {
			return err
		}
		// Half the time the VLAN stays, free on the other DirectLink or not.
		if used, err := f.usedVLANs(); err != nil {
			return err
		} else if f.rng.IntN(2) == 0 || used[[2]int{in.DL, in.VLAN}] {
			in.VLAN = v
		}
	}
	before, err := f.idAt(wi, p.address())
	if err != nil {
		return err
	}
	f.cfg[wi].set(p.place, in)
	f.describe("edit %s %s: %s (%s -> %s)", f.wd[wi].name, p.address(), field, f.brief(p.inst), f.brief(in))
	if _, err := f.applyOK(wi, "changing "+field+" of "+p.address()); err != nil {
		return err
	}
	after, err := f.idAt(wi, p.address())
	if err != nil {
		return err
	}
	if forcesNew && before != "" && after == before {
		return f.fail("replacement-kept-id", "%s: changing %s of %s kept interface %s", f.wd[wi].name, field, p.address(), before)
	}
	return nil
}

// interfaceSet is the IDs of the interfaces not deleted.
func (f *fuzzer) interfaceSet() (map[string]bool, error) {
	list, err := f.emu.interfaces()
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, it := range list {
		if it.State != "deleted" {
			out[it.ID] = true
		}
	}
	return out, nil
}

// dupVLAN adds an instance on a VLAN that an applied instance holds, in the
// same state or the other one, with the holder's very arguments half the
// time (a copy-paste, or two workspaces of one module): the apply must fail
// and name the holder, and nothing may be created or merged.
func (f *fuzzer) dupVLAN(otherState bool) error {
	hw, h := f.pickInstance()
	holderID, err := f.idAt(hw, h.address())
	if err != nil || holderID == "" {
		return err
	}
	wi := hw
	if otherState {
		wi = 1 - hw
	}
	in, err := f.newInst()
	if err != nil {
		return err
	}
	same := otherState || f.rng.IntN(2) == 0
	if same {
		uid := in.UID
		in = h.inst
		in.UID = uid
	} else {
		in.DL, in.VLAN = h.DL, h.VLAN
	}
	p := f.newPlace(f.cfg[wi])
	saved := f.cfg[wi].clone()
	f.cfg[wi].set(p, in)
	f.describe("duplicate VLAN: add %s %s with the VLAN of %s %s (%s), same arguments: %v", f.wd[wi].name, p.address(), f.wd[hw].name, h.address(), holderID, same)
	return f.expectConflict(wi, saved, holderID, h.address())
}

// expectConflict applies wi expecting a failure that names the holder (its
// ID or its address), with no interface created; then the configuration
// goes back to saved.
func (f *fuzzer) expectConflict(wi int, saved *config, holderID, holderAddr string) error {
	before, err := f.interfaceSet()
	if err != nil {
		return err
	}
	r, err := f.apply(wi, nil)
	if err != nil {
		return err
	}
	if _, err := f.checkInvariants(false); err != nil {
		return err
	}
	if r.code == 0 {
		return f.fail("duplicate-vlan-applied", "%s: the apply of a second instance on the VLAN of %s (%s) succeeded", f.wd[wi].name, holderAddr, holderID)
	}
	text := r.text()
	if !strings.Contains(text, holderID) && !strings.Contains(text, holderAddr) {
		f.soft("duplicate-vlan-unnamed", "%s: the duplicate VLAN failed without naming %s or %s: %s", f.wd[wi].name, holderID, holderAddr, errorText(r))
	}
	after, err := f.interfaceSet()
	if err != nil {
		return err
	}
	for id := range after {
		if !before[id] {
			return f.fail("duplicate-vlan-created", "%s: the failed duplicate VLAN apply created %s", f.wd[wi].name, id)
		}
	}
	f.cfg[wi] = saved
	return f.settle(wi, "reverting the duplicate VLAN")
}

// dupInOneApply adds two instances with one VLAN in one apply. The VLAN is
// known at plan, so the plan fails naming the VLAN and the other instance,
// and nothing is created (the provider's choice: bad input fails before any
// API call; when a VLAN is only known at apply, exactly one is created and
// the other fails naming it, which the acceptance tests cover).
func (f *fuzzer) dupInOneApply() error {
	wi := f.rng.IntN(2)
	a, err := f.newInst()
	if err != nil {
		return err
	}
	b, _ := f.newInst()
	b.DL, b.VLAN = a.DL, a.VLAN
	if f.rng.IntN(2) == 0 {
		uid := b.UID
		b = a
		b.UID = uid
	}
	pa := f.newPlace(f.cfg[wi])
	f.cfg[wi].set(pa, a)
	pb := f.newPlace(f.cfg[wi])
	for pb == pa || (pb.Kind == "c" && pa.Kind == "c") {
		pb = f.newPlace(f.cfg[wi])
	}
	f.cfg[wi].set(pb, b)
	f.describe("two new instances with VLAN %d on dl%d in one apply: %s %s and %s", a.VLAN, a.DL, f.wd[wi].name, pa.address(), pb.address())
	r, err := f.apply(wi, nil)
	if err != nil {
		return err
	}
	if _, err := f.checkInvariants(false); err != nil {
		return err
	}
	if r.code == 0 {
		return f.fail("duplicate-vlan-applied", "%s: both %s and %s applied with VLAN %d", f.wd[wi].name, pa.address(), pb.address(), a.VLAN)
	}
	ida, _ := f.idAt(wi, pa.address())
	idb, _ := f.idAt(wi, pb.address())
	if ida != "" || idb != "" {
		return f.fail("duplicate-vlan-one-apply", "%s: the plan should have failed before creating either of %s (%q) and %s (%q); error: %s", f.wd[wi].name, pa.address(), ida, pb.address(), idb, errorText(r))
	}
	loser := pb
	if text := r.text(); !strings.Contains(text, "VLAN "+fmt.Sprint(a.VLAN)) || !strings.Contains(text, "DirectLink VLAN Requested Twice") {
		f.soft("duplicate-vlan-unnamed", "%s: the plan's failure does not name VLAN %d as requested twice: %s", f.wd[wi].name, a.VLAN, errorText(r))
	}
	f.cfg[wi].remove(loser)
	_, err = f.applyOK(wi, "dropping the duplicate "+loser.address())
	return err
}

// moved moves an instance to another place with a moved block: the same
// interface must follow, nothing created or destroyed.
func (f *fuzzer) moved() error {
	wi, p := f.pickInstance()
	p = f.lastIfCount(wi, p)
	c := f.cfg[wi]
	id, err := f.idAt(wi, p.address())
	if err != nil {
		return err
	}
	c.remove(p.place)
	to := f.newPlace(c)
	for to == p.place {
		to = f.newPlace(c)
	}
	c.set(to, p.inst)
	if had := f.hadAccepter(wi, p.UID); had {
		c.Accept[p.UID] = true
	}
	c.Moved = append(c.Moved, [2]place{p.place, to})
	f.describe("moved %s %s -> %s", f.wd[wi].name, p.address(), to.address())
	r, err := f.applyOK(wi, "moving "+p.address())
	if err != nil {
		return err
	}
	if add, remove, ok := r.changes(); ok && (add > 0 || remove > 0) {
		return f.fail("moved-replaced", "%s: moving %s to %s added %d and destroyed %d", f.wd[wi].name, p.address(), to.address(), add, remove)
	}
	if now, _ := f.idAt(wi, to.address()); now != id {
		return f.fail("moved-lost", "%s: %s held %s, %s now holds %q", f.wd[wi].name, p.address(), id, to.address(), now)
	}
	return nil
}

// hadAccepter reads the state: remove() dropped the accepter from the
// configuration, and a moved instance keeps it.
func (f *fuzzer) hadAccepter(wi, uid int) bool {
	hs, _ := f.wd[wi].state()
	for _, h := range hs {
		if h.Type != hostedType && h.UID == uid {
			return true
		}
	}
	return false
}

func (f *fuzzer) replace(taint bool) error {
	wi, p := f.pickInstance()
	before, err := f.idAt(wi, p.address())
	if err != nil {
		return err
	}
	var extra []string
	if taint {
		f.describe("taint %s %s, apply", f.wd[wi].name, p.address())
		r, err := f.wd[wi].run(f.opts.cmdTimeout, nil, "taint", "-no-color", p.address())
		if err != nil {
			return f.fail("hang", "%v", err)
		}
		if err := f.checkRun(wi, r); err != nil {
			return err
		}
		if r.code != 0 {
			return f.fail("unexpected-failure", "%s: taint %s: %s", f.wd[wi].name, p.address(), tail(r.out, 1500))
		}
	} else {
		f.describe("apply -replace=%s in %s", p.address(), f.wd[wi].name)
		extra = []string{"-replace=" + p.address()}
	}
	if _, err := f.applyOK(wi, "replacing "+p.address(), extra...); err != nil {
		return err
	}
	after, err := f.idAt(wi, p.address())
	if err != nil {
		return err
	}
	if before != "" && after == before {
		return f.fail("replacement-kept-id", "%s: replacing %s kept interface %s", f.wd[wi].name, p.address(), before)
	}
	return nil
}

// create makes an interface outside Terraform, as the owner, for in.
func (f *fuzzer) create(in inst) (string, error) {
	c, err := f.emu.client("owner")
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ci := oscapi.CreateInterfaceInput{DirectLinkID: f.w.Owner.DirectLinkIDs[in.DL], Name: in.Name, VLAN: int64(in.VLAN), BGPASN: int64(in.ASN), BGPKey: in.BGPKey}
	if in.Addr >= 0 {
		ci.OutscalePrivateIP, ci.ClientPrivateIP = addrPair(in.Addr)
	}
	if in.Hosted {
		ci.OwnerAccountID = f.w.Recipient.AccountID
	} else {
		ci.VirtualGatewayID = f.w.Owner.VirtualGatewayIDs[0]
	}
	it, err := c.CreateInterface(ctx, ci)
	if err != nil {
		return "", fmt.Errorf("creating an interface outside Terraform: %w", err)
	}
	_, err = c.WaitInterface(ctx, it.ID, oscapi.WaitOptions{Target: []string{oscapi.StateConfirming, oscapi.StateAvailable}, Pending: []string{oscapi.StatePending}})
	return it.ID, err
}

func (f *fuzzer) importStep() error {
	wi := f.rng.IntN(2)
	in, err := f.newInst()
	if err != nil {
		return err
	}
	id, err := f.create(in)
	if err != nil {
		return err
	}
	p := f.newPlace(f.cfg[wi])
	f.cfg[wi].set(p, in)
	f.cfg[wi].Imports[p] = id
	f.describe("import block: %s %s <- %s made outside Terraform (%s)", f.wd[wi].name, p.address(), id, f.brief(in))
	if _, err := f.applyOK(wi, "importing "+id); err != nil {
		return err
	}
	if now, _ := f.idAt(wi, p.address()); now != id {
		return f.fail("import-lost", "%s: import of %s into %s left %q there", f.wd[wi].name, id, p.address(), now)
	}
	return nil
}

func (f *fuzzer) acceptRemove() error {
	c := f.hostedWithout(false)
	pick := c[f.rng.IntN(len(c))]
	wi, p := pick.wi, pick.placed
	delete(f.cfg[wi].Accept, p.UID)
	if f.rng.IntN(2) == 0 && f.lastIfCount(wi, p).UID == p.UID {
		f.cfg[wi].remove(p.place)
		f.describe("remove %s %s and its accepter", f.wd[wi].name, p.address())
		_, err := f.applyOK(wi, "removing an accepted instance")
		return err
	}
	f.describe("remove the accepter of %s %s (documented: deletes the interface; the next plan creates it again)", f.wd[wi].name, p.address())
	r, err := f.apply(wi, nil)
	if err != nil {
		return err
	}
	if r.code != 0 {
		return f.fail("unexpected-failure", "%s: removing the accepter of %s failed: %s", f.wd[wi].name, p.address(), errorText(r))
	}
	pl, err := f.plan(wi)
	if err != nil {
		return err
	}
	if pl.code != 2 || !strings.Contains(planned(pl), p.address()) {
		return f.fail("accepter-destroy-undocumented", "%s: after destroying the accepter of %s, the plan (exit %d) does not recreate it: %s", f.wd[wi].name, p.address(), pl.code, planned(pl)+errorText(pl))
	}
	_, err = f.applyOK(wi, "recreating "+p.address())
	return err
}

// worldAct is someone else acting on an interface a state holds: the owner
// deleting it, the recipient rejecting or accepting it. The next apply must
// converge.
func (f *fuzzer) worldAct(kind string) error {
	var wi int
	var p placed
	if kind == "oob-delete" {
		wi, p = f.pickInstance()
	} else {
		// Only a confirming interface can be rejected or accepted; one
		// accepted behind Terraform's back earlier is available.
		o, err := f.observe()
		if err != nil {
			return err
		}
		var cands []located
		for _, c := range f.hostedWithout(true) {
			id, _ := f.idAt(c.wi, c.address())
			if o.emu[id].State == "confirming" {
				cands = append(cands, c)
			}
		}
		if len(cands) == 0 {
			return f.worldAct("oob-delete")
		}
		pick := cands[f.rng.IntN(len(cands))]
		wi, p = pick.wi, pick.placed
	}
	id, err := f.idAt(wi, p.address())
	if err != nil || id == "" {
		return err
	}
	who := map[string]string{"oob-delete": "owner", "reject": "recipient", "oob-accept": "recipient"}[kind]
	c, err := f.emu.client(who)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	f.describe("%s of %s %s (%s) as the %s, then apply", kind, f.wd[wi].name, p.address(), id, who)
	switch kind {
	case "oob-accept":
		if err := c.ConfirmInterface(ctx, id, f.w.Recipient.VirtualGatewayIDs[0]); err != nil {
			return fmt.Errorf("accepting %s outside Terraform: %w", id, err)
		}
		if _, err := c.WaitInterface(ctx, id, oscapi.WaitOptions{Target: []string{oscapi.StateAvailable}, Pending: []string{oscapi.StatePending, oscapi.StateConfirming}}); err != nil {
			return err
		}
	default:
		if err := c.DeleteInterface(ctx, id); err != nil {
			return fmt.Errorf("%s of %s: %w", kind, id, err)
		}
		if _, err := c.WaitInterface(ctx, id, oscapi.WaitOptions{
			Target:           []string{oscapi.StateDeleted, oscapi.StateRejected},
			Pending:          []string{oscapi.StateDeleting, oscapi.StateConfirming, oscapi.StatePending, oscapi.StateAvailable},
			NotFoundIsTarget: true,
		}); err != nil {
			return err
		}
	}
	f.dirty[wi] = true
	_, err = f.applyOK(wi, "converging after "+kind)
	return err
}

// expire restarts the emulator with a confirmation window so short that
// every confirming interface expires, then with the usual one again.
func (f *fuzzer) expire() error {
	f.describe("expiry: every confirming interface expires (emulator restarted with -confirm-expiry 1ms), then apply both")
	if err := f.emu.restart(emuFaults{ConfirmExpiry: time.Millisecond}); err != nil {
		return err
	}
	time.Sleep(20 * time.Millisecond)
	if _, err := f.emu.interfaces(); err != nil {
		return err
	}
	if err := f.emu.restart(emuFaults{}); err != nil {
		return err
	}
	f.dirty = [2]bool{true, true}
	for wi := range f.wd {
		if _, err := f.applyOK(wi, "converging after expiry"); err != nil {
			return err
		}
	}
	return nil
}

// stranger: an interface made outside Terraform holds a VLAN; a new
// instance on that VLAN (with the stranger's very arguments half the time)
// must fail naming it, never adopt it.
func (f *fuzzer) stranger() error {
	in, err := f.newInst()
	if err != nil {
		return err
	}
	id, err := f.create(in)
	if err != nil {
		return err
	}
	f.foreign[id] = true
	wi := f.rng.IntN(2)
	mine, _ := f.newInst()
	if f.rng.IntN(2) == 0 {
		uid := mine.UID
		mine = in
		mine.UID = uid
	} else {
		mine.DL, mine.VLAN = in.DL, in.VLAN
	}
	p := f.newPlace(f.cfg[wi])
	saved := f.cfg[wi].clone()
	f.cfg[wi].set(p, mine)
	f.describe("stranger %s made outside Terraform on VLAN %d dl%d; add %s %s on it (same arguments: %v)", id, in.VLAN, in.DL, f.wd[wi].name, p.address(), mine.Name == in.Name)
	return f.expectConflict(wi, saved, id, id)
}

// mutate makes one to three configuration changes in wi, for the steps
// that apply under a fault or interrupt the apply.
func (f *fuzzer) mutate(wi int) (string, error) {
	var did []string
	for n := 1 + f.rng.IntN(3); n > 0; n-- {
		all := f.cfg[wi].all()
		var open []placed // hosted instances of wi without an accepter
		for _, c := range f.hostedWithout(true) {
			if c.wi == wi {
				open = append(open, c.placed)
			}
		}
		switch r := f.rng.IntN(5); {
		case r == 4 && len(open) > 0:
			// So that interrupts also land in an accepter's confirm and wait.
			p := open[f.rng.IntN(len(open))]
			f.cfg[wi].Accept[p.UID] = true
			did = append(did, "accept "+p.address())
		case r < 2 || r == 4 || len(all) == 0:
			in, err := f.newInst()
			if err != nil {
				return "", err
			}
			p := f.newPlace(f.cfg[wi])
			f.cfg[wi].set(p, in)
			did = append(did, "add "+p.address()+" ("+f.brief(in)+")")
		case r == 2:
			p := f.lastIfCount(wi, all[f.rng.IntN(len(all))])
			f.cfg[wi].remove(p.place)
			did = append(did, "remove "+p.address())
		default:
			p := all[f.rng.IntN(len(all))]
			in := p.inst
			if f.opts.skip["edit"] {
				// Edits are left out: replace on a new VLAN instead of a rename on the same one.
				v, err := f.freeVLAN(in.DL)
				if err != nil {
					return "", err
				}
				in.VLAN = v
				did = append(did, fmt.Sprintf("move %s to VLAN %d", p.address(), v))
			} else {
				in.Name += "x"
				did = append(did, "rename "+p.address())
			}
			f.cfg[wi].set(p.place, in)
		}
	}
	return strings.Join(did, ", "), nil
}

func (f *fuzzer) faulty(kind string) error {
	fl := map[string]emuFaults{
		"throttle": {Throttle: 0.3},
		"drop":     {DropResponse: 0.3},
		"latency":  {Latency: 300 * time.Millisecond},
		"5xx":      {FailAfterCommit: 0.3, FailStatus: []int{502, 503, 504}[f.rng.IntN(3)]},
		"503":      {Fail503Plain: 0.2},
	}[kind]
	wi := f.rng.IntN(2)
	did, err := f.mutate(wi)
	if err != nil {
		return err
	}
	f.describe("under %s: %s in %s", fl, did, f.wd[wi].name)
	if err := f.emu.restart(fl); err != nil {
		return err
	}
	f.faults = fl
	r, err := f.apply(wi, nil)
	f.faults = emuFaults{}
	if rerr := f.emu.restart(emuFaults{}); rerr != nil {
		return rerr
	}
	if err != nil {
		return err
	}
	if r.code != 0 && fl.Fail503Plain > 0 && strings.Contains(r.text(), "HTTP 503 Service Unavailable") {
		// The provider reads and sends a mutation once more after a plain
		// 503 page, but an outage can outlast that. What must hold then:
		// the failure says what came back, nothing is lost or doubled, and
		// the next apply, the outage over, converges.
		f.dirty[wi] = true
		if _, err := f.checkInvariants(false); err != nil {
			return err
		}
		_, err := f.applyOK(wi, "the apply after an outage of plain 503 pages")
		return err
	}
	if r.code != 0 {
		return f.fail("unexpected-failure", "%s: apply under %s failed: %s", f.wd[wi].name, fl, errorText(r))
	}
	if fl.DropResponse == 0 && fl.FailAfterCommit == 0 {
		if err := f.noAdoption(wi, r, "apply under "+fl.String()); err != nil {
			return err
		}
	}
	return f.settle(wi, "an apply under "+fl.String())
}

// interrupted applies changes and signals Terraform and its providers
// (the process group, as a terminal does) once the apply has begun.
func (f *fuzzer) interrupted(kill bool) error {
	wi := f.rng.IntN(2)
	did, err := f.mutate(wi)
	if err != nil {
		return err
	}
	sig, name := syscall.SIGINT, "SIGINT"
	if kill {
		sig, name = syscall.SIGKILL, "SIGKILL"
	}
	delay := randDelay(f.rng, 1500*time.Millisecond)
	f.describe("%s %s after %s of apply: %s", name, f.wd[wi].name, delay.Round(time.Millisecond), did)
	r, err := f.apply(wi, &interrupt{sig: sig, delay: delay})
	if err != nil {
		return err
	}
	if !kill && r.signal != "" && r.code != 0 {
		text := strings.ToLower(r.text())
		if strings.Contains(text, "timed out") || strings.Contains(text, "raise the timeout") || strings.Contains(text, "still pending after") {
			f.soft("interrupt-reported-as-timeout", "%s: SIGINT after %s was reported as a timeout: %s", f.wd[wi].name, delay, errorText(r))
		}
	}
	// An interrupted delete may leave a deleting interface in state, which
	// the next apply finishes; the checks of what state holds wait for it.
	f.dirty[wi] = true
	orphans, err := f.checkInvariants(kill)
	if err != nil {
		return err
	}
	if kill && len(orphans) > 0 {
		return f.adoptOrphans(wi, orphans)
	}
	if !kill {
		if err := f.untaintAccepters(wi, r); err != nil {
			return err
		}
	}
	_, err = f.applyOK(wi, "the apply after "+name)
	return err
}

// untaintAccepters does what an interrupted accept tells the user: an
// accepter whose wait was interrupted is tainted, and replacing it would
// delete the interface (the provider refuses that plan), so once the
// interface is available the user runs terraform untaint.
func (f *fuzzer) untaintAccepters(wi int, r result) error {
	hs, err := f.wd[wi].state()
	if err != nil {
		return err
	}
	for _, h := range hs {
		if h.Type == hostedType || !h.Tainted {
			continue
		}
		if !strings.Contains(r.text(), "terraform untaint") {
			return f.fail("tainted-accepter-unexplained", "%s: the interrupted apply left %s tainted without saying to untaint it: %s", f.wd[wi].name, h.Address, errorText(r))
		}
		f.waitAvailable(h.ID)
		u, err := f.wd[wi].run(f.opts.cmdTimeout, nil, "untaint", "-no-color", h.Address)
		if err != nil {
			return f.fail("hang", "%v", err)
		}
		if err := f.checkRun(wi, u); err != nil {
			return err
		}
		if u.code != 0 {
			return f.fail("unexpected-failure", "%s: untaint %s: %s", f.wd[wi].name, h.Address, tail(u.out, 1500))
		}
		f.describe("%s; untaint %s as told", f.steps[len(f.steps)-1], h.Address)
	}
	return nil
}

// waitAvailable waits, as the recipient, until interface id is available
// (or is something an untaint cannot help: the next apply says what then).
func (f *fuzzer) waitAvailable(id string) {
	c, err := f.emu.client("recipient")
	if err != nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, _ = c.WaitInterface(ctx, id, oscapi.WaitOptions{Target: []string{oscapi.StateAvailable}, Pending: []string{oscapi.StatePending, oscapi.StateConfirming}})
}

// adoptOrphans: after a SIGKILL, the interfaces no state holds must make
// the next plan fail, naming each with an import block; the user then
// writes those blocks and applies.
func (f *fuzzer) adoptOrphans(wi int, orphans []emuInterface) error {
	pl, err := f.plan(wi)
	if err != nil {
		return err
	}
	text := pl.text()
	var ids []string
	for _, o := range orphans {
		ids = append(ids, o.ID)
		target, ok := f.wantedBy(wi, o)
		if !ok {
			// Nothing in the configuration wants it (the killed apply was
			// removing what made it): the user deletes it.
			f.describe("%s; orphan %s wanted by no instance, deleted as the owner", f.steps[len(f.steps)-1], o.ID)
			if err := f.deleteAsOwner(o.ID); err != nil {
				return err
			}
			continue
		}
		if pl.code != 1 || !strings.Contains(text, o.ID) || !strings.Contains(text, "import") {
			return f.fail("orphan-not-named", "%s: after SIGKILL, %s (VLAN %d) is held by no state; the next plan exited %d without naming it in an import block: %s",
				f.wd[wi].name, o.ID, o.VLAN, pl.code, planned(pl)+" "+oneLine(text))
		}
		f.cfg[wi].Imports[target] = o.ID
	}
	f.describe("%s; orphans %s named by the plan, imported", f.steps[len(f.steps)-1], strings.Join(ids, ", "))
	f.dirty[wi] = true
	_, err = f.applyOK(wi, "importing the orphans of a SIGKILL")
	return err
}

// wantedBy finds the instance of wi whose DirectLink and VLAN are o's and
// that its state does not hold.
func (f *fuzzer) wantedBy(wi int, o emuInterface) (place, bool) {
	for _, p := range f.cfg[wi].all() {
		if f.w.Owner.DirectLinkIDs[p.DL] != o.DirectLinkID || p.VLAN != o.VLAN {
			continue
		}
		if id, _ := f.idAt(wi, p.address()); id == "" {
			return p.place, true
		}
	}
	return place{}, false
}

func (f *fuzzer) deleteAsOwner(id string) error {
	c, err := f.emu.client("owner")
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := c.DeleteInterface(ctx, id); err != nil {
		return err
	}
	_, err = c.WaitInterface(ctx, id, oscapi.WaitOptions{Target: []string{oscapi.StateDeleted}, Pending: []string{oscapi.StateDeleting}, NotFoundIsTarget: true})
	return err
}

// countShift removes a count index other than the last: every later
// instance takes its successor's arguments, VLAN included, so replacements
// meet VLANs that the neighbours being destroyed still hold. Succeeding is
// right; so is failing with an error that names a holder. After a failure
// the configuration goes back and must apply.
func (f *fuzzer) countShift() error {
	wi := 0
	if len(f.cfg[0].Count) < 2 || (len(f.cfg[1].Count) >= 2 && f.rng.IntN(2) == 0) {
		wi = 1
	}
	c := f.cfg[wi]
	i := f.rng.IntN(len(c.Count) - 1)
	saved := c.clone()
	gone := c.Count[i]
	delete(c.Accept, gone.UID)
	c.Count = append(c.Count[:i:i], c.Count[i+1:]...)
	f.describe("count shift in %s: remove c[%d] of %d (later instances move down one index)", f.wd[wi].name, i, len(saved.Count))
	r, err := f.apply(wi, nil)
	if err != nil {
		return err
	}
	if r.code == 0 {
		return f.settle(wi, "a count shift")
	}
	if _, err := f.checkInvariants(false); err != nil {
		return err
	}
	if text := r.text(); !strings.Contains(text, "dxvif-") && !strings.Contains(text, hostedType+".c[") {
		f.soft("count-shift-unexplained", "%s: the count shift failed naming no interface and no instance: %s", f.wd[wi].name, errorText(r))
	}
	f.describe("%s; failed naming the holder, reverted", f.steps[len(f.steps)-1])
	f.cfg[wi] = saved
	f.dirty[wi] = true
	_, err = f.applyOK(wi, "reverting a failed count shift")
	return err
}

// createBeforeDestroy replaces a single resource with create_before_destroy:
// on the same VLAN two interfaces cannot exist at once, so the plan must fail
// and say so; on a new VLAN it must apply.
func (f *fuzzer) createBeforeDestroy() error {
	var cands []located
	for wi := range f.cfg {
		for _, p := range f.cfg[wi].all() {
			if p.Kind == "s" {
				cands = append(cands, located{wi, p})
			}
		}
	}
	pick := cands[f.rng.IntN(len(cands))]
	wi, p := pick.wi, pick.placed
	saved := f.cfg[wi].clone()
	in := p.inst
	in.CBD = true
	in.Name += "-cbd"
	// With an accepter, the accepter's replacement deletes the old interface
	// (destroying an accepter deletes what it accepted) before the new one is
	// created, so the VLAN is free again: only an instance without one meets
	// the conflict.
	sameVLAN := f.rng.IntN(2) == 0 && !f.cfg[wi].Accept[p.UID]
	if !sameVLAN {
		v, err := f.freeVLAN(in.DL)
		if err != nil {
			return err
		}
		in.VLAN = v
	}
	f.cfg[wi].set(p.place, in)
	f.describe("create_before_destroy on %s %s and a rename, same VLAN: %v", f.wd[wi].name, p.address(), sameVLAN)
	if !sameVLAN {
		if _, err := f.applyOK(wi, "a create_before_destroy replacement on a new VLAN"); err != nil {
			return err
		}
		in.CBD = false
		f.cfg[wi].set(p.place, in)
		return f.settle(wi, "dropping create_before_destroy")
	}
	before, err := f.interfaceSet()
	if err != nil {
		return err
	}
	r, err := f.apply(wi, nil)
	if err != nil {
		return err
	}
	if _, err := f.checkInvariants(false); err != nil {
		return err
	}
	if r.code == 0 {
		return f.fail("cbd-same-vlan-applied", "%s: a create_before_destroy replacement of %s on the same VLAN applied", f.wd[wi].name, p.address())
	}
	if !strings.Contains(r.text(), "create_before_destroy") {
		f.soft("cbd-same-vlan-unexplained", "%s: a create_before_destroy replacement of %s on the same VLAN failed without saying create_before_destroy is why: %s", f.wd[wi].name, p.address(), errorText(r))
	}
	after, err := f.interfaceSet()
	if err != nil {
		return err
	}
	for id := range after {
		if !before[id] {
			return f.fail("cbd-same-vlan-created", "%s: the refused create_before_destroy replacement created %s", f.wd[wi].name, id)
		}
	}
	f.cfg[wi] = saved
	return f.backFromDeposed(wi, p)
}

// backFromDeposed goes back to the configuration that worked after a
// refused create_before_destroy. Terraform keeps the old interface as a
// deposed object, which the provider cannot hand back: either the plan is
// empty, or it fails naming the deposed interface and the way back (state rm,
// then import), which must then work as written and keep the interface.
func (f *fuzzer) backFromDeposed(wi int, p placed) error {
	id := ""
	hs, err := f.wd[wi].state()
	if err != nil {
		return err
	}
	for _, h := range hs {
		if h.Address == p.address() {
			id = h.ID
		}
	}
	pl, err := f.plan(wi)
	if err != nil {
		return err
	}
	if pl.code == 0 {
		return f.settle(wi, "reverting create_before_destroy")
	}
	text := pl.text()
	if pl.code != 1 || id == "" || !strings.Contains(text, id) || !strings.Contains(text, "deposed") || !strings.Contains(text, "state rm") {
		return f.fail("cbd-revert", "%s: back to the configuration that was applied, the plan exits %d without naming the deposed %q and the way back (state rm, import): %s",
			f.wd[wi].name, pl.code, id, planned(pl)+" "+errorText(pl))
	}
	r, err := f.wd[wi].run(f.opts.cmdTimeout, nil, "state", "rm", "-no-color", p.address())
	if err != nil {
		return f.fail("hang", "%v", err)
	}
	if err := f.checkRun(wi, r); err != nil {
		return err
	}
	if r.code != 0 {
		return f.fail("unexpected-failure", "%s: state rm %s: %s", f.wd[wi].name, p.address(), tail(r.out, 1500))
	}
	f.cfg[wi].Imports[p.place] = id
	f.describe("%s; the plan named deposed %s: state rm, import", f.steps[len(f.steps)-1], id)
	if _, err := f.applyOK(wi, "taking back the deposed "+id); err != nil {
		return err
	}
	if now, _ := f.idAt(wi, p.address()); now != id {
		return f.fail("cbd-revert", "%s: after state rm and the import of %s, %s holds %q", f.wd[wi].name, id, p.address(), now)
	}
	return nil
}
