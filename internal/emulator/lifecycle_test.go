package emulator

import (
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func fakeEmulator(t *testing.T, opts Options) (*Emulator, *FakeClock, *caller, *caller) {
	t.Helper()
	clock := NewFakeClock(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	opts.Now = clock.Now
	if opts.TransitionDelay == 0 {
		opts.TransitionDelay = 10 * time.Second
	}
	emu, srv := startTest(t, opts)
	owner, recipient := as(t, srv, emu.Account("owner")), as(t, srv, emu.Account("recipient"))
	owner.now, recipient.now = clock.Now, clock.Now
	return emu, clock, owner, recipient
}

func stateOf(t *testing.T, emu *Emulator, id string) string {
	t.Helper()
	for _, i := range emu.Interfaces() {
		if i.ID == id {
			return i.State
		}
	}
	return "(gone)"
}

// Every state change is recorded with the time it happened on the
// emulator's clock, however late someone looks.
func TestTransitionsAreRecordedWithTheirTime(t *testing.T) {
	emu, clock, owner, recipient := fakeEmulator(t, Options{})
	start := clock.Now()
	a := owner.dx("AllocatePrivateVirtualInterface", sampleAllocate())
	id := a.str("virtualInterfaceId")
	if a.status != http.StatusOK || id == "" {
		t.Fatalf("allocate: %d %s", a.status, a.raw)
	}
	clock.Advance(25 * time.Second) // confirming since start+10s
	confirmedAt := clock.Now()
	if a := recipient.dx("ConfirmPrivateVirtualInterface", obj{"virtualInterfaceId": id, "virtualGatewayId": "vgw-87654321"}); a.status != http.StatusOK {
		t.Fatalf("confirm: %d %s", a.status, a.raw)
	}
	clock.Advance(time.Hour) // available since confirmedAt+10s, seen an hour later

	resp, err := http.Get(owner.base + "/_emulator/transitions")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var got []struct {
		ID, From, To string
		At           string
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	want := []struct {
		from, to string
		at       time.Time
	}{
		{"", "pending", start},
		{"pending", "confirming", start.Add(10 * time.Second)},
		{"confirming", "pending", confirmedAt},
		{"pending", "available", confirmedAt.Add(10 * time.Second)},
	}
	if len(got) != len(want) {
		t.Fatalf("transitions %s, want %d of them", raw, len(want))
	}
	for i, w := range want {
		at, err := time.Parse(time.RFC3339Nano, got[i].At)
		if got[i].ID != id || got[i].From != w.from || got[i].To != w.to || err != nil || !at.Equal(w.at) {
			t.Errorf("transition %d: %+v, want %s %q -> %q at %s", i, got[i], id, w.from, w.to, w.at.Format(time.RFC3339Nano))
		}
	}
	if len(emu.Transitions()) != len(want) {
		t.Errorf("Transitions() has %d, want %d", len(emu.Transitions()), len(want))
	}
}

func TestUnconfirmedExpiresOnTheEmulatorsClock(t *testing.T) {
	emu, clock, owner, _ := fakeEmulator(t, Options{ConfirmExpiry: time.Hour})
	id := owner.dx("AllocatePrivateVirtualInterface", sampleAllocate()).str("virtualInterfaceId")
	clock.Advance(10*time.Second + time.Hour - time.Nanosecond)
	if s := stateOf(t, emu, id); s != stateConfirming {
		t.Errorf("just before the expiry: %s, want confirming", s)
	}
	clock.Advance(time.Nanosecond)
	if s := stateOf(t, emu, id); s != stateExpired {
		t.Errorf("at the expiry: %s, want expired", s)
	}
}

// A deleting interface still holds its VLAN until it is deleted: the
// conservative answer, so that a replacement on the same VLAN never finds
// two interfaces on it.
func TestDeletingInterfaceHoldsItsVLAN(t *testing.T) {
	emu, clock, owner, _ := fakeEmulator(t, Options{})
	id := owner.osc("CreateDirectLinkInterface", sampleCreate()).str("DirectLinkInterface", "DirectLinkInterfaceId")
	clock.Advance(10 * time.Second)
	if a := owner.osc("DeleteDirectLinkInterface", obj{"DirectLinkInterfaceId": id}); a.status != http.StatusOK {
		t.Fatalf("delete: %d %s", a.status, a.raw)
	}
	if s := stateOf(t, emu, id); s != stateDeleting {
		t.Fatalf("after delete: %s, want deleting", s)
	}
	status, code, _, details := owner.osc("CreateDirectLinkInterface", sampleCreate()).oscErr()
	if status != http.StatusConflict || code != "9061" || !strings.Contains(details, id) {
		t.Errorf("create on the VLAN of a deleting interface: %d %s %s, want 409 9061 naming %s", status, code, details, id)
	}
	alloc := sampleAllocate()
	if status, typ, msg := owner.dx("AllocatePrivateVirtualInterface", alloc).dxErr(); status != http.StatusBadRequest || typ != dxClientException || !strings.Contains(msg, id) {
		t.Errorf("allocate on the VLAN of a deleting interface: %d %s %s, want 400 DirectConnectClientException naming %s", status, typ, msg, id)
	}
	clock.Advance(10 * time.Second)
	if s := stateOf(t, emu, id); s != stateDeleted {
		t.Fatalf("one delay later: %s, want deleted", s)
	}
	if a := owner.osc("CreateDirectLinkInterface", sampleCreate()); a.status != http.StatusOK {
		t.Errorf("create on the VLAN of a deleted interface: %d %s, want 200", a.status, a.raw)
	}
}

func TestFailAfterCommitCarriesOutThenAnswers5xx(t *testing.T) {
	emu, clock, owner, _ := fakeEmulator(t, Options{FailAfterCommit: 1, FailAfterCommitStatus: http.StatusGatewayTimeout})
	a := owner.callPath("/api/v1/CreateDirectLinkInterface", string(encode(t, sampleCreate())), nil)
	if a.status != http.StatusGatewayTimeout || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") {
		t.Fatalf("create: %d %q, want 504 with a gateway page", a.status, a.header.Get("Content-Type"))
	}
	list := emu.Interfaces()
	if len(list) != 1 || list[0].VLAN != 101 {
		t.Fatalf("after the 504: %+v, want the interface created", list)
	}
	if a := owner.osc("ReadDirectLinkInterfaces", obj{}); a.status != http.StatusOK || len(a.list("DirectLinkInterfaces")) != 1 {
		t.Errorf("reads are not faulted: %d %s", a.status, a.raw)
	}
	// A refused request changed nothing: it gets its real answer.
	if status, code, _, _ := owner.osc("CreateDirectLinkInterface", sampleCreate()).oscErr(); status != http.StatusConflict || code != "9061" {
		t.Errorf("refused create: %d %s, want the real 409 9061", status, code)
	}
	clock.Advance(10 * time.Second)
	a = owner.callPath("/api/v1/DeleteDirectLinkInterface", `{"DirectLinkInterfaceId":"`+list[0].ID+`"}`, nil)
	if a.status != http.StatusGatewayTimeout || stateOf(t, emu, list[0].ID) != stateDeleting {
		t.Errorf("delete: %d, state %s; want 504 and the interface deleting", a.status, stateOf(t, emu, list[0].ID))
	}
	if s := emu.Stats(); s.FailedAfterCommit != 2 {
		t.Errorf("failed_after_commit %d, want 2", s.FailedAfterCommit)
	}
	emu.SetFailAfterCommit(0)
	if a := owner.osc("UpdateDirectLinkInterface", obj{"DirectLinkInterfaceId": list[0].ID, "Mtu": 1500}); a.status == http.StatusGatewayTimeout {
		t.Errorf("SetFailAfterCommit(0) left the fault on")
	}
}

func TestFail503PlainIsNotThrottling(t *testing.T) {
	emu, _, owner, _ := fakeEmulator(t, Options{Fail503Plain: 1})
	for _, a := range []answer{
		owner.callPath("/api/v1/CreateDirectLinkInterface", string(encode(t, sampleCreate())), nil),
		owner.callPath("/api/v1/ReadDirectLinks", `{}`, nil),
	} {
		if a.status != http.StatusServiceUnavailable || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") || strings.Contains(string(a.raw), "Throttl") {
			t.Errorf("%d %q %s, want 503 with a gateway page that says nothing of throttling", a.status, a.header.Get("Content-Type"), a.raw)
		}
	}
	if n := len(emu.Interfaces()); n != 0 {
		t.Errorf("%d interfaces created behind a 503 page, want none", n)
	}
	if s := emu.Stats(); s.Failed503Plain != 2 || s.Throttled != 0 {
		t.Errorf("stats %+v, want failed_503_plain 2 and throttled 0", s)
	}
	emu.SetFail503Plain(0)
	if a := owner.osc("ReadDirectLinks", obj{}); a.status != http.StatusOK {
		t.Errorf("after SetFail503Plain(0): %d", a.status)
	}
}

// Transitions of many interfaces found at one look come out in time order.
func TestTransitionsOfManyInterfacesInTimeOrder(t *testing.T) {
	emu, clock, owner, _ := fakeEmulator(t, Options{})
	for vlan := 200; vlan < 220; vlan++ {
		req := sampleCreate()
		sub(req, "DirectLinkInterface")["Vlan"] = vlan
		delete(sub(req, "DirectLinkInterface"), "OutscalePrivateIp")
		delete(sub(req, "DirectLinkInterface"), "ClientPrivateIp")
		if a := owner.osc("CreateDirectLinkInterface", req); a.status != http.StatusOK {
			t.Fatalf("create VLAN %d: %d %s", vlan, a.status, a.raw)
		}
		clock.Advance(time.Second)
	}
	clock.Advance(time.Minute)
	list := emu.Transitions()
	if len(list) != 40 {
		t.Fatalf("%d transitions, want 40", len(list))
	}
	for i := 1; i < len(list); i++ {
		if list[i].At.Before(list[i-1].At) {
			t.Fatalf("transition %d at %s comes after one at %s", i, list[i].At, list[i-1].At)
		}
	}
}

// With TransitionJitter, each pending and deleting state lasts between
// TransitionDelay and TransitionDelay + TransitionJitter, not all the same,
// and the same seed and calls give the same transitions; the purge of a
// deleted interface keeps its one TransitionDelay.
func TestTransitionJitterSpreadsPendingAndDeleting(t *testing.T) {
	const delay, jitter = 10 * time.Second, 4 * time.Second
	run := func() (pending, deleting []time.Duration, gone int) {
		emu, clock, owner, _ := fakeEmulator(t, Options{TransitionDelay: delay, TransitionJitter: jitter, Seed: 7})
		var ids []string
		for vlan := 200; vlan < 220; vlan++ {
			req := sampleCreate()
			sub(req, "DirectLinkInterface")["Vlan"] = vlan
			delete(sub(req, "DirectLinkInterface"), "OutscalePrivateIp")
			delete(sub(req, "DirectLinkInterface"), "ClientPrivateIp")
			a := owner.osc("CreateDirectLinkInterface", req)
			if a.status != http.StatusOK {
				t.Fatalf("create VLAN %d: %d %s", vlan, a.status, a.raw)
			}
			ids = append(ids, a.str("DirectLinkInterface", "DirectLinkInterfaceId"))
		}
		clock.Advance(delay + jitter)
		for _, id := range ids {
			if a := owner.osc("DeleteDirectLinkInterface", obj{"DirectLinkInterfaceId": id}); a.status != http.StatusOK {
				t.Fatalf("delete %s: %d %s", id, a.status, a.raw)
			}
		}
		clock.Advance(delay + jitter)
		// Every deletion completed by now; a purge comes delay after it.
		deletedAt := map[string]time.Time{}
		since := map[string]time.Time{}
		for _, tr := range emu.Transitions() {
			switch {
			case tr.From == "" || tr.To == "deleting":
				since[tr.ID] = tr.At
			case tr.From == "pending":
				pending = append(pending, tr.At.Sub(since[tr.ID]))
			case tr.To == "deleted":
				deleting = append(deleting, tr.At.Sub(since[tr.ID]))
				deletedAt[tr.ID] = tr.At
			}
		}
		byDeletion := slices.SortedFunc(maps.Keys(deletedAt), func(a, b string) int { return deletedAt[a].Compare(deletedAt[b]) })
		for _, id := range byDeletion { // in time order: the clock only moves on
			clock.Set(deletedAt[id].Add(delay - time.Millisecond))
			if stateOf(t, emu, id) != "deleted" {
				t.Errorf("%s gone before one transition delay after its deletion", id)
			}
		}
		clock.Set(clock.Now().Add(delay + jitter))
		for _, id := range ids {
			if stateOf(t, emu, id) == "(gone)" {
				gone++
			}
		}
		return pending, deleting, gone
	}
	pending, deleting, gone := run()
	if len(pending) != 20 || len(deleting) != 20 || gone != 20 {
		t.Fatalf("%d pending and %d deleting spans, %d purged; want 20 of each", len(pending), len(deleting), gone)
	}
	for _, spans := range [][]time.Duration{pending, deleting} {
		distinct := map[time.Duration]bool{}
		for _, d := range spans {
			if d < delay || d >= delay+jitter {
				t.Errorf("a state lasted %s, want within [%s, %s)", d, delay, delay+jitter)
			}
			distinct[d] = true
		}
		if len(distinct) < 15 {
			t.Errorf("only %d distinct spans of 20: %v", len(distinct), spans)
		}
	}
	again, _, _ := run()
	if !slices.Equal(pending, again) {
		t.Errorf("the same seed and calls gave other spans:\n%v\n%v", pending, again)
	}
}
