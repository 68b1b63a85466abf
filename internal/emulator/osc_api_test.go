package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func TestOSCCreateDocumentedSampleThenAvailable(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))

	a := owner.osc("CreateDirectLinkInterface", sampleCreate())
	if a.status != http.StatusOK {
		t.Fatalf("documented sample refused: %d %s", a.status, a.raw)
	}
	want := map[string]any{
		"AccountId": "123456789012", "BgpAsn": 65000.0, "BgpKey": "tgyn26example", "ClientPrivateIp": "172.16.0.5/30",
		"DirectLinkId": "dxcon-12345678", "DirectLinkInterfaceName": "MyDirectLinkInterface", "InterfaceType": "private",
		"Location": "PAR1", "Mtu": 1500.0, "OutscalePrivateIp": "172.16.0.4/30", "State": "pending",
		"VirtualGatewayId": "vgw-12345678", "Vlan": 101.0,
	}
	got := a.obj("DirectLinkInterface")
	for k, v := range want {
		if got[k] != v {
			t.Errorf("DirectLinkInterface.%s = %v, want %v", k, got[k], v)
		}
	}
	id := a.str("DirectLinkInterface", "DirectLinkInterfaceId")
	if !strings.HasPrefix(id, "dxvif-") || len(id) != len("dxvif-12345678") {
		t.Errorf("DirectLinkInterfaceId = %q, want dxvif- and 8 hex digits", id)
	}
	if rid := a.str("ResponseContext", "RequestId"); len(rid) != 36 {
		t.Errorf("RequestId = %q, want a UUID", rid)
	}
	waitState(t, owner, id, stateAvailable)
}

func TestOSCCreateDefaultsAddressesAndKey(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))
	req := sampleCreate()
	in := sub(req, "DirectLinkInterface")
	delete(in, "OutscalePrivateIp")
	delete(in, "ClientPrivateIp")
	delete(in, "BgpKey")
	first := owner.osc("CreateDirectLinkInterface", req)
	in["Vlan"] = 102
	second := owner.osc("CreateDirectLinkInterface", req)
	for _, a := range []answer{first, second} {
		if a.status != http.StatusOK {
			t.Fatalf("create: %d %s", a.status, a.raw)
		}
	}
	if got := first.str("DirectLinkInterface", "OutscalePrivateIp") + " " + first.str("DirectLinkInterface", "ClientPrivateIp"); got != "169.254.0.1/30 169.254.0.2/30" {
		t.Errorf("first assigned pair = %s", got)
	}
	if got := second.str("DirectLinkInterface", "OutscalePrivateIp") + " " + second.str("DirectLinkInterface", "ClientPrivateIp"); got != "169.254.0.5/30 169.254.0.6/30" {
		t.Errorf("second assigned pair = %s (must not reuse the first /30)", got)
	}
	if k := first.str("DirectLinkInterface", "BgpKey"); len(k) < 16 {
		t.Errorf("generated BgpKey = %q, want a long random key", k)
	}
}

// TestOSCRequestRefusals checks each kind of refusal with the code, type and
// status OUTSCALE answers, and that the detail names the field at fault.
func TestOSCRequestRefusals(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))
	if a := owner.osc("CreateDirectLinkInterface", sampleCreate()); a.status != http.StatusOK {
		t.Fatalf("setup create: %s", a.raw)
	}
	with := func(change func(req obj, in obj)) obj {
		req := sampleCreate()
		sub(req, "DirectLinkInterface")["Vlan"] = 200
		change(req, sub(req, "DirectLinkInterface"))
		return req
	}
	tests := []struct {
		name       string
		action     string
		body       any
		wantStatus int
		wantCode   string
		wantType   string
		wantDetail string
	}{
		{"unknown top-level field", "CreateDirectLinkInterface", with(func(r, _ obj) { r["Foo"] = 1 }), 400, "3001", "InvalidParameter", "Foo"},
		{"unknown nested field", "CreateDirectLinkInterface", with(func(_, in obj) { in["Mtu"] = 1500 }), 400, "3001", "InvalidParameter", "DirectLinkInterface.Mtu"},
		{"unknown filter", "ReadDirectLinkInterfaces", obj{"Filters": obj{"States": []string{"available"}}}, 400, "3001", "InvalidParameter", "Filters.States"},
		{"missing DirectLinkId", "CreateDirectLinkInterface", with(func(r, _ obj) { delete(r, "DirectLinkId") }), 400, "7000", "MissingParameter", "DirectLinkId"},
		{"missing nested Vlan", "CreateDirectLinkInterface", with(func(_, in obj) { delete(in, "Vlan") }), 400, "7000", "MissingParameter", "DirectLinkInterface.Vlan"},
		{"missing VirtualGatewayId", "CreateDirectLinkInterface", with(func(_, in obj) { delete(in, "VirtualGatewayId") }), 400, "7000", "MissingParameter", "VirtualGatewayId"},
		{"empty body on create", "CreateDirectLinkInterface", "", 400, "7000", "MissingParameter", "DirectLinkId"},
		{"Vlan as string", "CreateDirectLinkInterface", with(func(_, in obj) { in["Vlan"] = "101" }), 400, "4110", "InvalidParameterValue", "DirectLinkInterface.Vlan must be an integer"},
		{"Vlan fractional", "CreateDirectLinkInterface", with(func(_, in obj) { in["Vlan"] = 101.5 }), 400, "4110", "InvalidParameterValue", "Vlan"},
		{"DryRun as string", "ReadDirectLinks", obj{"DryRun": "true"}, 400, "4110", "InvalidParameterValue", "DryRun"},
		{"filter not a list", "ReadDirectLinkInterfaces", obj{"Filters": obj{"DirectLinkIds": "dxcon-12345678"}}, 400, "4110", "InvalidParameterValue", "Filters.DirectLinkIds"},
		{"body not JSON", "ReadDirectLinks", "{not json", 400, "4110", "InvalidParameterValue", "JSON"},
		{"Vlan 1", "CreateDirectLinkInterface", with(func(_, in obj) { in["Vlan"] = 1 }), 400, "4113", "InvalidParameterValue", "between 2 and 4094"},
		{"Vlan 4095", "CreateDirectLinkInterface", with(func(_, in obj) { in["Vlan"] = 4095 }), 400, "4113", "InvalidParameterValue", "between 2 and 4094"},
		{"BgpAsn 0", "CreateDirectLinkInterface", with(func(_, in obj) { in["BgpAsn"] = 0 }), 400, "4113", "InvalidParameterValue", "BgpAsn"},
		{"BgpAsn above 4-byte range", "CreateDirectLinkInterface", with(func(_, in obj) { in["BgpAsn"] = int64(4294967296) }), 400, "4113", "InvalidParameterValue", "4294967295"},
		{"BgpAsn reserved 50624", "CreateDirectLinkInterface", with(func(_, in obj) { in["BgpAsn"] = 50624 }), 400, "4047", "InvalidParameterValue", "reserved"},
		{"BgpAsn reserved 132418", "CreateDirectLinkInterface", with(func(_, in obj) { in["BgpAsn"] = 132418 }), 400, "4047", "InvalidParameterValue", "reserved"},
		{"BgpKey with whitespace, quoted back", "CreateDirectLinkInterface", with(func(_, in obj) { in["BgpKey"] = "my secret key" }), 400, "4047", "InvalidParameterValue", `"my secret key" is invalid`},
		{"empty name", "CreateDirectLinkInterface", with(func(_, in obj) { in["DirectLinkInterfaceName"] = " " }), 400, "4047", "InvalidParameterValue", "DirectLinkInterfaceName"},
		{"only one private IP", "CreateDirectLinkInterface", with(func(_, in obj) { delete(in, "ClientPrivateIp") }), 400, "3002", "InvalidParameter", "set both or neither"},
		{"IP not /30", "CreateDirectLinkInterface", with(func(_, in obj) { in["OutscalePrivateIp"] = "172.16.0.4/29" }), 400, "4047", "InvalidParameterValue", "OutscalePrivateIp"},
		{"IP without prefix", "CreateDirectLinkInterface", with(func(_, in obj) { in["ClientPrivateIp"] = "172.16.0.5" }), 400, "4047", "InvalidParameterValue", "ClientPrivateIp"},
		{"IPs in different /30", "CreateDirectLinkInterface", with(func(_, in obj) { in["ClientPrivateIp"] = "172.16.0.9/30" }), 400, "3002", "InvalidParameter", "same /30"},
		{"same IP twice", "CreateDirectLinkInterface", with(func(_, in obj) { in["ClientPrivateIp"] = "172.16.0.4/30" }), 400, "3002", "InvalidParameter", "different"},
		{"DirectLinkId wrong prefix", "CreateDirectLinkInterface", with(func(r, _ obj) { r["DirectLinkId"] = "tests" }), 400, "4104", "InvalidParameterValue", "dxcon-"},
		{"DirectLinkId with an upper-case body", "CreateDirectLinkInterface", with(func(r, _ obj) { r["DirectLinkId"] = "dxcon-1234567X" }), 400, "4105", "InvalidParameterValue", "lower-case letters and digits"},
		{"DirectLinkId with an empty body", "CreateDirectLinkInterface", with(func(r, _ obj) { r["DirectLinkId"] = "dxcon-" }), 400, "4105", "InvalidParameterValue", "lower-case letters and digits"},
		{"DirectLinkId of a longer format is looked up", "CreateDirectLinkInterface", with(func(r, _ obj) { r["DirectLinkId"] = "dxcon-0123456789abcdefz" }), 400, "5072", "InvalidResource", "dxcon-0123456789abcdefz"},
		{"gateway id of a longer format is looked up", "CreateDirectLinkInterface", with(func(_, in obj) { in["VirtualGatewayId"] = "vgw-0123456789abcdefz" }), 400, "5068", "InvalidResource", "vgw-0123456789abcdefz"},
		{"gateway id wrong prefix", "CreateDirectLinkInterface", with(func(_, in obj) { in["VirtualGatewayId"] = "test" }), 400, "4104", "InvalidParameterValue", "vgw-"},
		{"unknown DirectLink", "CreateDirectLinkInterface", with(func(r, _ obj) { r["DirectLinkId"] = "dxcon-00000000" }), 400, "5072", "InvalidResource", "dxcon-00000000"},
		{"unknown gateway", "CreateDirectLinkInterface", with(func(_, in obj) { in["VirtualGatewayId"] = "vgw-00000000" }), 400, "5068", "InvalidResource", "vgw-00000000"},
		{"gateway of another account", "CreateDirectLinkInterface", with(func(_, in obj) { in["VirtualGatewayId"] = "vgw-87654321" }), 400, "5068", "InvalidResource", "vgw-87654321"},
		{"VLAN in use", "CreateDirectLinkInterface", with(func(_, in obj) { in["Vlan"] = 101 }), 409, "9061", "ResourceConflict", "VLAN 101 is already used"},
		{"Mtu 9000", "UpdateDirectLinkInterface", obj{"DirectLinkInterfaceId": "dxvif-00000000", "Mtu": 9000}, 400, "4047", "InvalidParameterValue", "1500"},
		{"update unknown interface", "UpdateDirectLinkInterface", obj{"DirectLinkInterfaceId": "dxvif-00000000", "Mtu": 1500}, 400, "5073", "InvalidResource", "dxvif-00000000"},
		{"delete unknown interface", "DeleteDirectLinkInterface", obj{"DirectLinkInterfaceId": "dxvif-00000000"}, 400, "5073", "InvalidResource", "dxvif-00000000"},
		{"delete bad id", "DeleteDirectLinkInterface", obj{"DirectLinkInterfaceId": "id_invalid"}, 400, "4104", "InvalidParameterValue", "dxvif-"},
		{"ResultsPerPage 0", "ReadDirectLinkInterfaces", obj{"ResultsPerPage": 0}, 400, "4113", "InvalidParameterValue", "between 1 and 1000"},
		{"ResultsPerPage 1001", "ReadDirectLinks", obj{"ResultsPerPage": 1001}, 400, "4113", "InvalidParameterValue", "between 1 and 1000"},
		{"NextPageToken not base64", "ReadDirectLinkInterfaces", obj{"NextPageToken": "%%%"}, 400, "4047", "InvalidParameterValue", "NextPageToken"},
		{"NextPageToken not ours", "ReadDirectLinkInterfaces", obj{"NextPageToken": "aGVsbG8="}, 400, "4047", "InvalidParameterValue", "NextPageToken"},
		{"unknown action", "ReadVms", obj{}, 501, "0", "DefaultError", "CreateDirectLinkInterface"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(emu.Interfaces())
			status, code, typ, detail := owner.osc(tt.action, tt.body).oscErr()
			if status != tt.wantStatus || code != tt.wantCode || typ != tt.wantType {
				t.Errorf("got %d %s %s (%s), want %d %s %s", status, code, typ, detail, tt.wantStatus, tt.wantCode, tt.wantType)
			}
			if !strings.Contains(detail, tt.wantDetail) {
				t.Errorf("Details %q does not say %q", detail, tt.wantDetail)
			}
			if after := len(emu.Interfaces()); after != before {
				t.Errorf("a refused request changed the store: %d interfaces, then %d", before, after)
			}
		})
	}
}

func TestOSCAcceptedValues(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))
	tests := []struct {
		name   string
		change func(in obj)
	}{
		{"lowest VLAN and ASN", func(in obj) { in["Vlan"] = 2; in["BgpAsn"] = 1 }},
		{"highest VLAN and 4-byte ASN", func(in obj) { in["Vlan"] = 4094; in["BgpAsn"] = int64(4294967295) }},
		{"network and broadcast of the /30", func(in obj) {
			in["Vlan"] = 300
			in["OutscalePrivateIp"] = "10.0.0.4/30"
			in["ClientPrivateIp"] = "10.0.0.7/30"
		}},
		{"no addresses, no key", func(in obj) {
			in["Vlan"] = 301
			delete(in, "OutscalePrivateIp")
			delete(in, "ClientPrivateIp")
			delete(in, "BgpKey")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := sampleCreate()
			tt.change(sub(req, "DirectLinkInterface"))
			if a := owner.osc("CreateDirectLinkInterface", req); a.status != http.StatusOK {
				t.Errorf("refused: %d %s", a.status, a.raw)
			}
		})
	}
}

func TestOSCDryRunChangesNothing(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))
	req := sampleCreate()
	req["DryRun"] = true
	a := owner.osc("CreateDirectLinkInterface", req)
	if a.status != http.StatusOK || a.get("DirectLinkInterface") != nil || a.str("ResponseContext", "RequestId") == "" {
		t.Fatalf("dry run answer: %d %s", a.status, a.raw)
	}
	if n := len(emu.Interfaces()); n != 0 {
		t.Errorf("dry run created %d interfaces", n)
	}
	// A dry run still checks the request.
	req["Foo"] = 1
	if _, code, _, _ := owner.osc("CreateDirectLinkInterface", req).oscErr(); code != "3001" {
		t.Errorf("dry run with an unknown parameter: code %s, want 3001", code)
	}
}

func TestOSCUpdateMTURepairsDriftAndRefusesWhenDeleting(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))
	id := owner.osc("CreateDirectLinkInterface", sampleCreate()).str("DirectLinkInterface", "DirectLinkInterfaceId")
	waitState(t, owner, id, stateAvailable)

	if err := emu.Modify(id, func(i *Interface) { i.MTU = 9000 }); err != nil {
		t.Fatal(err)
	}
	read := owner.osc("ReadDirectLinkInterfaces", obj{"Filters": obj{"DirectLinkInterfaceIds": []string{id}}})
	if mtu := read.item(0, "DirectLinkInterfaces")["Mtu"]; mtu != 9000.0 {
		t.Fatalf("drift not visible: Mtu %v", mtu)
	}
	up := owner.osc("UpdateDirectLinkInterface", obj{"DirectLinkInterfaceId": id, "Mtu": 1500})
	if up.status != http.StatusOK || up.get("DirectLinkInterface", "Mtu") != 1500.0 {
		t.Fatalf("update: %d %s", up.status, up.raw)
	}
	if owner.osc("DeleteDirectLinkInterface", obj{"DirectLinkInterfaceId": id}).status != http.StatusOK {
		t.Fatal("delete failed")
	}
	status, code, typ, _ := owner.osc("UpdateDirectLinkInterface", obj{"DirectLinkInterfaceId": id, "Mtu": 1500}).oscErr()
	if status != http.StatusConflict || code != "6003" || typ != "InvalidState" {
		t.Errorf("update while deleting: %d %s %s, want 409 6003 InvalidState", status, code, typ)
	}
}

func TestOSCReadPagination(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))
	created := map[string]bool{}
	for vlan := 10; vlan < 15; vlan++ {
		req := sampleCreate()
		in := sub(req, "DirectLinkInterface")
		in["Vlan"] = vlan
		delete(in, "OutscalePrivateIp")
		delete(in, "ClientPrivateIp")
		created[owner.osc("CreateDirectLinkInterface", req).str("DirectLinkInterface", "DirectLinkInterfaceId")] = true
	}
	seen := map[string]bool{}
	token, pages := "", 0
	for {
		req := obj{"ResultsPerPage": 2}
		if token != "" {
			req["NextPageToken"] = token
		}
		a := owner.osc("ReadDirectLinkInterfaces", req)
		if a.status != http.StatusOK {
			t.Fatalf("page %d: %s", pages, a.raw)
		}
		pages++
		for _, i := range a.list("DirectLinkInterfaces") {
			id, _ := asObj(i)["DirectLinkInterfaceId"].(string)
			if seen[id] {
				t.Errorf("%s served twice", id)
			}
			seen[id] = true
		}
		token = a.str("NextPageToken")
		if token == "" {
			break
		}
	}
	if pages != 3 || len(seen) != 5 {
		t.Errorf("got %d interfaces in %d pages, want 5 in 3", len(seen), pages)
	}
	for id := range created {
		if !seen[id] {
			t.Errorf("%s never served", id)
		}
	}
	// Filters narrow the result.
	a := owner.osc("ReadDirectLinkInterfaces", obj{"Filters": obj{"DirectLinkIds": []string{"dxcon-23456789"}}})
	if list := a.list("DirectLinkInterfaces"); len(list) != 0 {
		t.Errorf("filter on the other DirectLink returned %d interfaces", len(list))
	}
}

func TestOSCReadDirectLinksAndLocations(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))
	a := owner.osc("ReadDirectLinks", obj{})
	links := a.list("DirectLinks")
	if len(links) != 2 {
		t.Fatalf("owner DirectLinks: %s", a.raw)
	}
	first := asObj(links[0])
	for k, v := range map[string]string{"AccountId": "123456789012", "DirectLinkId": "dxcon-12345678", "Location": "PAR1", "RegionName": "eu-west-2", "State": "available", "Bandwidth": "1Gbps"} {
		if first[k] != v {
			t.Errorf("DirectLinks[0].%s = %v, want %s", k, first[k], v)
		}
	}
	if n := len(as(t, srv, emu.Account("recipient")).osc("ReadDirectLinks", obj{}).list("DirectLinks")); n != 0 {
		t.Errorf("recipient sees %d DirectLinks, want 0", n)
	}
	if n := len(owner.osc("ReadDirectLinks", obj{"Filters": obj{"DirectLinkIds": []string{"dxcon-23456789"}}}).list("DirectLinks")); n != 1 {
		t.Errorf("filtered DirectLinks: %d, want 1", n)
	}

	anon := &caller{t: t, base: srv.URL, unsigned: true}
	loc := anon.osc("ReadLocations", "")
	if loc.status != http.StatusOK || len(loc.list("Locations")) != 2 {
		t.Fatalf("unsigned ReadLocations: %d %s", loc.status, loc.raw)
	}
	if status, code, _, _ := anon.osc("ReadDirectLinks", obj{}).oscErr(); status != 401 || code != "1" {
		t.Errorf("unsigned ReadDirectLinks: %d %s, want 401 1", status, code)
	}
}

func TestOSCRefusesOtherMethods(t *testing.T) {
	_, srv := startTest(t, Options{})
	resp, err := http.Get(srv.URL + "/api/v1/ReadLocations")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: status %d, want 405", resp.StatusCode)
	}
}
