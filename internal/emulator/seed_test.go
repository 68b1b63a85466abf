package emulator

import (
	"fmt"
	"net/http"
	"testing"
)

// A 10,000-interface account exists at start, on distinct VLANs of the
// owner's DirectLinks, half of it hosted for the recipient, and serves
// every rule as if it had been created one call at a time.
func TestSeedInterfaces(t *testing.T) {
	emu, srv := startTest(t, Options{SeedInterfaces: 10000, SeedHosted: true})
	list := emu.Interfaces()
	if len(list) != 10000 {
		t.Fatalf("%d interfaces, want 10000", len(list))
	}
	owner := emu.Account("owner")
	if len(owner.DirectLinkIDs) != 3 || owner.DirectLinkIDs[0] != "dxcon-12345678" || owner.DirectLinkIDs[1] != "dxcon-23456789" {
		t.Errorf("owner's DirectLinks %v, want the two fixtures and one more", owner.DirectLinkIDs)
	}
	vlans := map[string]bool{}
	hosted := 0
	for _, i := range list {
		key := fmt.Sprintf("%s/%d", i.DirectLinkID, i.VLAN)
		if vlans[key] || i.VLAN < minVLAN || i.VLAN > maxVLAN || i.State != stateAvailable {
			t.Fatalf("interface %+v: VLAN taken twice, out of range or not available", i)
		}
		vlans[key] = true
		if i.Hosted {
			hosted++
			if i.OwnerAccountID != recipientAccountID(emu) || i.VirtualGatewayID != "vgw-87654321" {
				t.Fatalf("hosted interface %+v not attached to the recipient's gateway", i)
			}
		}
	}
	if hosted != 5000 {
		t.Errorf("%d hosted, want 5000", hosted)
	}

	c := as(t, srv, owner)
	a := c.osc("ReadDirectLinkInterfaces", obj{"ResultsPerPage": 1000})
	if a.status != http.StatusOK || len(a.list("DirectLinkInterfaces")) != 1000 || a.str("NextPageToken") == "" {
		t.Errorf("first page: %d, %d interfaces, token %q; want 1000 and a next page", a.status, len(a.list("DirectLinkInterfaces")), a.str("NextPageToken"))
	}
	if a := as(t, srv, emu.Account("recipient")).dx("DescribeVirtualInterfaces", obj{}); len(a.list("virtualInterfaces")) != 5000 {
		t.Errorf("the recipient sees %d, want its 5000", len(a.list("virtualInterfaces")))
	}
	// The seeded VLANs are held like any other.
	if status, code, _, _ := c.osc("CreateDirectLinkInterface", sampleCreate()).oscErr(); status != http.StatusConflict || code != "9061" {
		t.Errorf("create on a seeded VLAN: %d %s, want 409 9061", status, code)
	}
	if a := c.osc("ReadDirectLinks", obj{}); len(a.list("DirectLinks")) != 3 {
		t.Errorf("ReadDirectLinks lists %d, want 3", len(a.list("DirectLinks")))
	}
}

func recipientAccountID(emu *Emulator) string { return emu.Account("recipient").AccountID }

func TestSeedInterfacesNoneKeepsTheFixtures(t *testing.T) {
	emu, _ := startTest(t, Options{})
	if n := len(emu.Interfaces()); n != 0 {
		t.Errorf("%d interfaces, want none", n)
	}
	if ids := emu.Account("owner").DirectLinkIDs; len(ids) != 2 {
		t.Errorf("owner's DirectLinks %v, want the two fixtures", ids)
	}
}
