package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestPermissions: the owner of an interface and the owner of its DirectLink
// see, update and delete it; anyone else gets each API's not-found answer.
func TestPermissions(t *testing.T) {
	emu, srv := startTest(t, Options{TransitionDelay: time.Hour}) // states stand still
	owner := as(t, srv, emu.Account("owner"))
	recipient := as(t, srv, emu.Account("recipient"))
	outsider := as(t, srv, emu.Account("outsider"))

	hosted := owner.dx("AllocatePrivateVirtualInterface", sampleAllocate()).str("virtualInterfaceId")
	req := sampleCreate()
	sub(req, "DirectLinkInterface")["Vlan"] = 102
	own := owner.osc("CreateDirectLinkInterface", req).str("DirectLinkInterface", "DirectLinkInterfaceId")
	if hosted == "" || own == "" {
		t.Fatal("setup failed")
	}

	tests := []struct {
		who     *caller
		id      string
		visible bool
	}{
		{owner, own, true},
		{owner, hosted, true},
		{recipient, hosted, true},
		{recipient, own, false},
		{outsider, own, false},
		{outsider, hosted, false},
	}
	for _, tt := range tests {
		name := tt.who.account.Name + " on " + map[bool]string{true: "own", false: "hosted"}[tt.id == own]
		t.Run(name, func(t *testing.T) {
			read := tt.who.osc("ReadDirectLinkInterfaces", obj{"Filters": obj{"DirectLinkInterfaceIds": []string{tt.id}}})
			if n := len(read.list("DirectLinkInterfaces")); (n == 1) != tt.visible {
				t.Errorf("ReadDirectLinkInterfaces returned %d, visible=%v", n, tt.visible)
			}
			all := tt.who.osc("ReadDirectLinkInterfaces", obj{})
			found := strings.Contains(string(all.raw), tt.id)
			if found != tt.visible {
				t.Errorf("unfiltered read lists it: %v, visible=%v", found, tt.visible)
			}
			desc := tt.who.dx("DescribeVirtualInterfaces", obj{"virtualInterfaceId": tt.id})
			if (desc.status == http.StatusOK) != tt.visible {
				t.Errorf("DescribeVirtualInterfaces: %d %s", desc.status, desc.raw)
			}
			up := tt.who.osc("UpdateDirectLinkInterface", obj{"DirectLinkInterfaceId": tt.id, "Mtu": 1500})
			if tt.visible && up.status != http.StatusOK {
				t.Errorf("update refused: %s", up.raw)
			}
			if !tt.visible {
				if _, code, _, _ := up.oscErr(); code != "5073" {
					t.Errorf("update by a stranger: %s, want 5073", up.raw)
				}
				if _, code, _, _ := tt.who.osc("DeleteDirectLinkInterface", obj{"DirectLinkInterfaceId": tt.id}).oscErr(); code != "5073" {
					t.Errorf("delete by a stranger: code %s, want 5073", code)
				}
				if _, typ, _ := tt.who.dx("DeleteVirtualInterface", obj{"virtualInterfaceId": tt.id}).dxErr(); typ != dxClientException {
					t.Errorf("DeleteVirtualInterface by a stranger: %s", typ)
				}
				if _, typ, msg := tt.who.dx("ConfirmPrivateVirtualInterface", obj{"virtualInterfaceId": tt.id, "virtualGatewayId": tt.who.account.VirtualGatewayIDs[0]}).dxErr(); typ != dxClientException || !strings.Contains(msg, "does not exist") {
					t.Errorf("confirm by a stranger: %s %q", typ, msg)
				}
			}
		})
	}
	for _, i := range emu.Interfaces() {
		if i.State != statePending {
			t.Errorf("%s was changed by a stranger: %s", i.ID, i.State)
		}
	}
}

// TestDeleteLifecycle: deleting -> deleted -> purged; the VLAN stays taken
// until the interface is deleted; deleting twice succeeds.
func TestDeleteLifecycle(t *testing.T) {
	// On the emulator's clock, so that the short-lived states are seen
	// however loaded the machine is.
	emu, clock, owner, _ := fakeEmulator(t, Options{})
	id := owner.osc("CreateDirectLinkInterface", sampleCreate()).str("DirectLinkInterface", "DirectLinkInterfaceId")
	clock.Advance(15 * time.Second)
	if got := stateOf(t, emu, id); got != stateAvailable {
		t.Fatalf("created interface is %s, want %s", got, stateAvailable)
	}

	if a := owner.osc("DeleteDirectLinkInterface", obj{"DirectLinkInterfaceId": id}); a.status != http.StatusOK || a.str("ResponseContext", "RequestId") == "" {
		t.Fatalf("delete: %s", a.raw)
	}
	if status, code, _, _ := owner.osc("CreateDirectLinkInterface", sampleCreate()).oscErr(); status != http.StatusConflict || code != "9061" {
		t.Errorf("VLAN of a deleting interface reused: %d %s", status, code)
	}
	if a := owner.osc("DeleteDirectLinkInterface", obj{"DirectLinkInterfaceId": id}); a.status != http.StatusOK {
		t.Errorf("deleting twice: %s", a.raw)
	}
	clock.Advance(15 * time.Second)
	if got := stateOf(t, emu, id); got != stateDeleted {
		t.Fatalf("deleted interface is %s, want %s", got, stateDeleted)
	}
	if a := owner.dx("DeleteVirtualInterface", obj{"virtualInterfaceId": id}); a.str("virtualInterfaceState") != stateDeleted {
		t.Errorf("deleting a deleted interface: %s", a.raw)
	}
	again := owner.osc("CreateDirectLinkInterface", sampleCreate())
	if again.status != http.StatusOK {
		t.Errorf("VLAN of a deleted interface not freed: %s", again.raw)
	}
	clock.Advance(time.Hour)
	if got := stateOf(t, emu, id); got != "(gone)" {
		t.Fatalf("deleted interface is %s an hour later, want purged", got)
	}
	if _, code, _, _ := owner.osc("DeleteDirectLinkInterface", obj{"DirectLinkInterfaceId": id}).oscErr(); code != "5073" {
		t.Errorf("purged interface: code %s, want 5073", code)
	}
}

func TestCreateNeedsAvailableDirectLink(t *testing.T) {
	emu, srv := startTest(t, Options{})
	emu.store.mu.Lock()
	emu.store.directLinks["dxcon-23456789"].State = statePending
	emu.store.mu.Unlock()
	owner := as(t, srv, emu.Account("owner"))
	req := sampleCreate()
	req["DirectLinkId"] = "dxcon-23456789"
	status, code, typ, detail := owner.osc("CreateDirectLinkInterface", req).oscErr()
	if status != http.StatusConflict || code != "6003" || typ != "InvalidState" || !strings.Contains(detail, "pending") {
		t.Errorf("pending DirectLink: %d %s %s %q", status, code, typ, detail)
	}
	alloc := sampleAllocate()
	alloc["connectionId"] = "dxcon-23456789"
	if _, typ, msg := owner.dx("AllocatePrivateVirtualInterface", alloc).dxErr(); typ != dxClientException || !strings.Contains(msg, "available") {
		t.Errorf("allocate on a pending DirectLink: %s %q", typ, msg)
	}
}

// TestModifyAndInterfacesSnapshot: tests can change an interface out of
// band, but never its ID.
func TestModifyAndInterfacesSnapshot(t *testing.T) {
	emu, srv := startTest(t, Options{TransitionDelay: time.Hour})
	owner := as(t, srv, emu.Account("owner"))
	id := owner.osc("CreateDirectLinkInterface", sampleCreate()).str("DirectLinkInterface", "DirectLinkInterfaceId")
	if err := emu.Modify(id, func(i *Interface) { i.State = stateAvailable; i.ID = "dxvif-ffffffff" }); err != nil {
		t.Fatal(err)
	}
	got := emu.Interfaces()
	if len(got) != 1 || got[0].ID != id || got[0].State != stateAvailable || got[0].CreatorAccountID != "123456789012" || got[0].Hosted {
		t.Errorf("after Modify: %+v", got)
	}
	if err := emu.Modify("dxvif-00000000", func(*Interface) {}); err == nil {
		t.Error("Modify of an unknown interface succeeded")
	}
}
