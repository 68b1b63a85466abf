package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestHostedHandshake walks the documented hosted flow across both APIs:
// the owner allocates with the AWS CLI sample, the recipient sees it
// confirming, confirms it on its own gateway, and both APIs always show the
// same object in the same state to both parties.
func TestHostedHandshake(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))
	recipient := as(t, srv, emu.Account("recipient"))

	a := owner.dx("AllocatePrivateVirtualInterface", sampleAllocate())
	if a.status != http.StatusOK {
		t.Fatalf("documented allocate sample refused: %d %s", a.status, a.raw)
	}
	if a.header.Get("X-Amzn-Requestid") == "" {
		t.Error("no x-amzn-RequestId header")
	}
	for k, v := range map[string]any{"ownerAccount": "123456789000", "connectionId": "dxcon-12345678", "virtualInterfaceType": "private",
		"virtualInterfaceName": "MyPrivateVirtualInterface", "vlan": 101.0, "asn": 65000.0, "authKey": "tgyn26example",
		"amazonAddress": "172.16.0.1/30", "customerAddress": "172.16.0.2/30", "location": "PAR1", "virtualInterfaceState": "pending", "mtu": 1500.0} {
		if got := a.get(k); got != v {
			t.Errorf("allocate answer %s = %v, want %v", k, got, v)
		}
	}
	id := a.str("virtualInterfaceId")

	osc := waitState(t, recipient, id, stateConfirming)
	sameEverywhere(t, id, stateConfirming, owner, recipient)
	itf := osc.item(0, "DirectLinkInterfaces")
	if itf["AccountId"] != "123456789000" || itf["VirtualGatewayId"] != nil {
		t.Errorf("confirming interface: AccountId %v, VirtualGatewayId %v; want the recipient and none", itf["AccountId"], itf["VirtualGatewayId"])
	}

	// Only the recipient confirms, only on its own gateway, and must name one.
	if _, typ, msg := owner.dx("ConfirmPrivateVirtualInterface", obj{"virtualInterfaceId": id, "virtualGatewayId": "vgw-12345678"}).dxErr(); typ != dxClientException || !strings.Contains(msg, "123456789000") {
		t.Errorf("owner confirming: %s %q", typ, msg)
	}
	if _, typ, msg := recipient.dx("ConfirmPrivateVirtualInterface", obj{"virtualInterfaceId": id, "virtualGatewayId": "vgw-12345678"}).dxErr(); typ != dxClientException || !strings.Contains(msg, "vgw-12345678") {
		t.Errorf("confirming on the owner's gateway: %s %q", typ, msg)
	}
	if _, typ, msg := recipient.dx("ConfirmPrivateVirtualInterface", obj{"virtualInterfaceId": id}).dxErr(); typ != dxClientException || !strings.Contains(msg, "virtualGatewayId") {
		t.Errorf("confirming without a gateway: %s %q", typ, msg)
	}
	c := recipient.dx("ConfirmPrivateVirtualInterface", obj{"virtualInterfaceId": id, "virtualGatewayId": "vgw-87654321"})
	if c.status != http.StatusOK || c.str("virtualInterfaceState") != statePending {
		t.Fatalf("confirm: %d %s", c.status, c.raw)
	}
	osc = waitState(t, recipient, id, stateAvailable)
	if gw := osc.item(0, "DirectLinkInterfaces")["VirtualGatewayId"]; gw != "vgw-87654321" {
		t.Errorf("confirmed interface gateway = %v", gw)
	}
	sameEverywhere(t, id, stateAvailable, owner, recipient)
	if _, typ, msg := recipient.dx("ConfirmPrivateVirtualInterface", obj{"virtualInterfaceId": id, "virtualGatewayId": "vgw-87654321"}).dxErr(); typ != dxClientException || !strings.Contains(msg, "available") {
		t.Errorf("confirming twice: %s %q", typ, msg)
	}
}

// sameEverywhere checks that each caller reads the same interface, in the
// same state, through both APIs.
func sameEverywhere(t *testing.T, id, state string, callers ...*caller) {
	t.Helper()
	for _, c := range callers {
		o := c.osc("ReadDirectLinkInterfaces", obj{"Filters": obj{"DirectLinkInterfaceIds": []string{id}}}).list("DirectLinkInterfaces")
		d := c.dx("DescribeVirtualInterfaces", obj{"virtualInterfaceId": id}).list("virtualInterfaces")
		if len(o) != 1 || len(d) != 1 {
			t.Fatalf("%s: %d via the OUTSCALE API, %d via the DirectLink API", c.account.Name, len(o), len(d))
		}
		oi, di := asObj(o[0]), asObj(d[0])
		pairs := [][2]string{{"DirectLinkInterfaceId", "virtualInterfaceId"}, {"State", "virtualInterfaceState"}, {"AccountId", "ownerAccount"},
			{"DirectLinkId", "connectionId"}, {"DirectLinkInterfaceName", "virtualInterfaceName"}, {"Vlan", "vlan"}, {"BgpAsn", "asnLong"},
			{"BgpKey", "authKey"}, {"OutscalePrivateIp", "amazonAddress"}, {"ClientPrivateIp", "customerAddress"}, {"Location", "location"},
			{"Mtu", "mtu"}, {"VirtualGatewayId", "virtualGatewayId"}, {"InterfaceType", "virtualInterfaceType"}}
		for _, p := range pairs {
			if oi[p[0]] != di[p[1]] {
				t.Errorf("%s: OUTSCALE API %s = %v but DirectLink API %s = %v", c.account.Name, p[0], oi[p[0]], p[1], di[p[1]])
			}
		}
		if oi["State"] != state {
			t.Errorf("%s: state %v, want %s", c.account.Name, oi["State"], state)
		}
	}
}

func TestAllocateRefusals(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))
	recipient := as(t, srv, emu.Account("recipient"))
	if a := owner.dx("AllocatePrivateVirtualInterface", sampleAllocate()); a.status != http.StatusOK {
		t.Fatalf("setup: %s", a.raw)
	}
	with := func(change func(req, alloc obj)) obj {
		req := sampleAllocate()
		alloc := sub(req, "newPrivateVirtualInterfaceAllocation")
		alloc["vlan"] = 200
		change(req, alloc)
		return req
	}
	tests := []struct {
		name     string
		by       *caller
		body     any
		wantType string
		wantMsg  string
	}{
		{"hosted for oneself", owner, with(func(r, _ obj) { r["ownerAccount"] = "123456789012" }), dxClientException, "your own account"},
		{"unknown owner account", owner, with(func(r, _ obj) { r["ownerAccount"] = "999999999999" }), dxClientException, "999999999999"},
		{"missing ownerAccount", owner, with(func(r, _ obj) { delete(r, "ownerAccount") }), dxClientException, "ownerAccount is required"},
		{"missing asn", owner, with(func(_, a obj) { delete(a, "asn") }), dxClientException, "asn"},
		{"asn and asnLong differ", owner, with(func(_, a obj) { a["asnLong"] = 65001 }), dxClientException, "differ"},
		{"reserved asnLong", owner, with(func(_, a obj) { delete(a, "asn"); a["asnLong"] = 53306 }), dxClientException, "reserved"},
		{"mtu 9001", owner, with(func(_, a obj) { a["mtu"] = 9001 }), dxClientException, "mtu 9001 is not supported"},
		{"ipv6", owner, with(func(_, a obj) { a["addressFamily"] = "ipv6" }), dxClientException, "ipv4"},
		{"vlan 0", owner, with(func(_, a obj) { a["vlan"] = 0 }), dxClientException, "between 2 and 4094"},
		{"vlan in use", owner, with(func(_, a obj) { a["vlan"] = 101 }), dxClientException, "already used"},
		{"only amazonAddress", owner, with(func(_, a obj) { delete(a, "customerAddress") }), dxClientException, "set both or neither"},
		{"unknown field", owner, with(func(_, a obj) { a["jumbo"] = true }), dxClientException, "jumbo is not a known parameter"},
		{"vlan as string", owner, with(func(_, a obj) { a["vlan"] = "200" }), dxSerialization, "vlan must be an integer"},
		{"body not JSON", owner, "{", dxSerialization, "JSON"},
		{"connection of another account", recipient, with(func(r, _ obj) { r["ownerAccount"] = "123456789012" }), dxClientException, "Connection dxcon-12345678 does not exist"},
		{"unknown connection", owner, with(func(r, _ obj) { r["connectionId"] = "dxcon-00000000" }), dxClientException, "dxcon-00000000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(emu.Interfaces())
			status, typ, msg := tt.by.dx("AllocatePrivateVirtualInterface", tt.body).dxErr()
			if status != http.StatusBadRequest || typ != tt.wantType || !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("got %d %s %q, want 400 %s saying %q", status, typ, msg, tt.wantType, tt.wantMsg)
			}
			if after := len(emu.Interfaces()); after != before {
				t.Errorf("a refused allocate changed the store")
			}
		})
	}
}

func TestAllocateFourByteASN(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))
	req := sampleAllocate()
	alloc := sub(req, "newPrivateVirtualInterfaceAllocation")
	delete(alloc, "asn")
	alloc["asnLong"] = int64(4200000000)
	a := owner.dx("AllocatePrivateVirtualInterface", req)
	if a.status != http.StatusOK || a.get("asnLong") != 4200000000.0 || a.get("asn") != nil {
		t.Fatalf("4-byte ASN: %d %s (want asnLong set and no int32 asn)", a.status, a.raw)
	}
}

func TestRecipientRejectsAndUnconfirmedExpires(t *testing.T) {
	emu, srv := startTest(t, Options{ConfirmExpiry: 150 * time.Millisecond})
	owner := as(t, srv, emu.Account("owner"))
	recipient := as(t, srv, emu.Account("recipient"))

	rejected := owner.dx("AllocatePrivateVirtualInterface", sampleAllocate()).str("virtualInterfaceId")
	req := sampleAllocate()
	sub(req, "newPrivateVirtualInterfaceAllocation")["vlan"] = 102
	expiring := owner.dx("AllocatePrivateVirtualInterface", req).str("virtualInterfaceId")
	waitState(t, recipient, rejected, stateConfirming)

	d := recipient.dx("DeleteVirtualInterface", obj{"virtualInterfaceId": rejected})
	if d.status != http.StatusOK || d.str("virtualInterfaceState") != stateRejected {
		t.Fatalf("recipient deleting a confirming interface: %d %s", d.status, d.raw)
	}
	waitState(t, owner, expiring, stateExpired)
	// Rejected is final: it does not expire.
	sameEverywhere(t, rejected, stateRejected, owner, recipient)
}

func TestOwnerWithdrawsConfirmingInterface(t *testing.T) {
	// On the emulator's clock: a real 30 ms window in "deleted" is missed
	// by polls on a loaded machine.
	emu, clock, owner, _ := fakeEmulator(t, Options{})
	id := owner.dx("AllocatePrivateVirtualInterface", sampleAllocate()).str("virtualInterfaceId")
	clock.Advance(15 * time.Second)
	if got := stateOf(t, emu, id); got != stateConfirming {
		t.Fatalf("allocated interface is %s, want %s", got, stateConfirming)
	}
	d := owner.dx("DeleteVirtualInterface", obj{"virtualInterfaceId": id})
	if d.str("virtualInterfaceState") != stateDeleting {
		t.Fatalf("owner deleting: %s", d.raw)
	}
	clock.Advance(15 * time.Second)
	if got := stateOf(t, emu, id); got != stateDeleted {
		t.Fatalf("withdrawn interface is %s, want %s", got, stateDeleted)
	}
	clock.Advance(time.Hour)
	if got := stateOf(t, emu, id); got != "(gone)" {
		t.Fatalf("withdrawn interface is %s an hour after deletion, want purged", got)
	}
}

func TestDescribeVirtualInterfacesAndConnections(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))
	recipient := as(t, srv, emu.Account("recipient"))
	hosted := owner.dx("AllocatePrivateVirtualInterface", sampleAllocate()).str("virtualInterfaceId")
	own := owner.osc("CreateDirectLinkInterface", sampleCreate()) // VLAN 101 is taken by the hosted one
	if own.status != http.StatusConflict {
		t.Fatalf("same VLAN across APIs: %d %s, want 409", own.status, own.raw)
	}
	req := sampleCreate()
	sub(req, "DirectLinkInterface")["Vlan"] = 102
	ownID := owner.osc("CreateDirectLinkInterface", req).str("DirectLinkInterface", "DirectLinkInterfaceId")

	count := func(c *caller, body obj) int {
		a := c.dx("DescribeVirtualInterfaces", body)
		if a.status != http.StatusOK {
			t.Fatalf("%s DescribeVirtualInterfaces %v: %s", c.account.Name, body, a.raw)
		}
		return len(a.list("virtualInterfaces"))
	}
	if n := count(owner, obj{}); n != 2 {
		t.Errorf("owner sees %d interfaces, want 2", n)
	}
	if n := count(owner, obj{"connectionId": "dxcon-12345678"}); n != 2 {
		t.Errorf("owner by connection: %d, want 2", n)
	}
	if n := count(owner, obj{"connectionId": "dxcon-23456789"}); n != 0 {
		t.Errorf("owner by its other connection: %d, want 0", n)
	}
	if n := count(recipient, obj{}); n != 1 {
		t.Errorf("recipient sees %d interfaces, want only the hosted one", n)
	}
	if n := count(recipient, obj{"connectionId": "dxcon-12345678"}); n != 1 {
		t.Errorf("recipient by the owner's connection: %d, want 1", n)
	}
	if _, typ, msg := recipient.dx("DescribeVirtualInterfaces", obj{"virtualInterfaceId": ownID}).dxErr(); typ != dxClientException || !strings.Contains(msg, ownID) {
		t.Errorf("recipient describing the owner's own interface: %s %q", typ, msg)
	}
	page := owner.dx("DescribeVirtualInterfaces", obj{"maxResults": 1})
	if len(page.list("virtualInterfaces")) != 1 || page.str("nextToken") == "" {
		t.Errorf("first page of 1: %s", page.raw)
	}
	rest := owner.dx("DescribeVirtualInterfaces", obj{"maxResults": 1, "nextToken": page.str("nextToken")})
	if len(rest.list("virtualInterfaces")) != 1 || rest.str("nextToken") != "" {
		t.Errorf("second page of 1: %s", rest.raw)
	}
	_ = hosted

	conns := owner.dx("DescribeConnections", obj{})
	list := conns.list("connections")
	if len(list) != 2 {
		t.Fatalf("owner connections: %s", conns.raw)
	}
	first := asObj(list[0])
	for k, v := range map[string]string{"connectionId": "dxcon-12345678", "ownerAccount": "123456789012", "connectionState": "available", "location": "PAR1", "region": "eu-west-2"} {
		if first[k] != v {
			t.Errorf("connections[0].%s = %v, want %s", k, first[k], v)
		}
	}
	if n := len(owner.dx("DescribeConnections", obj{"connectionId": "dxcon-23456789"}).list("connections")); n != 1 {
		t.Errorf("one connection by id: %d", n)
	}
	if n := len(recipient.dx("DescribeConnections", obj{}).list("connections")); n != 0 {
		t.Errorf("recipient connections: %d, want 0", n)
	}
	if _, typ, _ := recipient.dx("DescribeConnections", obj{"connectionId": "dxcon-12345678"}).dxErr(); typ != dxClientException {
		t.Errorf("recipient describing the owner's connection: %s", typ)
	}
}

func TestDirectLinkProtocolErrors(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))
	if status, typ, _ := owner.dx("CreateVirtualInterface", obj{}).dxErr(); status != 400 || typ != dxUnknownOperation {
		t.Errorf("unknown target: %d %s", status, typ)
	}
	if status, typ, _ := owner.dx("ConfirmPrivateVirtualInterface", obj{"virtualInterfaceId": "dxvif-00000000", "directConnectGatewayId": "x"}).dxErr(); status != 400 || typ != dxClientException {
		t.Errorf("direct connect gateway: %d %s", status, typ)
	}
	a := owner.dx("DeleteVirtualInterface", obj{"virtualInterfaceId": "dxvif-00000000"})
	if status, typ, msg := a.dxErr(); status != 400 || typ != dxClientException || !strings.Contains(msg, "dxvif-00000000") || a.header.Get("X-Amzn-Errortype") != dxClientException {
		t.Errorf("unknown interface: %d %s %q", status, typ, msg)
	}
}
