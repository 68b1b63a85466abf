//go:build linux

package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var testWorld = world{
	Region: "eu-west-2", APIEndpoint: "http://127.0.0.1:1/api/v1", DirectLinkEndpoint: "http://127.0.0.1:1",
	Owner:     account{Name: "owner", AccountID: "123456789012", AccessKey: "AK", SecretKey: "SK", DirectLinkIDs: []string{"dxcon-12345678", "dxcon-23456789"}, VirtualGatewayIDs: []string{"vgw-12345678"}},
	Recipient: account{Name: "recipient", AccountID: "123456789000", AccessKey: "AK2", SecretKey: "SK2", VirtualGatewayIDs: []string{"vgw-87654321"}},
}

// The configuration the fuzzer writes is what the checks compare states
// with: each instance at its address, with its own arguments, its accepter
// following it through a move.
func TestHCL(t *testing.T) {
	c := newConfig()
	c.set(place{"c", "0"}, inst{UID: 1, Name: "one", VLAN: 101, ASN: 65000, Addr: -1, Hosted: true})
	c.set(place{"m", "k1"}, inst{UID: 2, Name: "two", VLAN: 102, ASN: 65001, BGPKey: "fzkey", Addr: 1, DL: 1})
	c.set(place{"s", "s1"}, inst{UID: 3, Name: "three", VLAN: 103, ASN: 65000, Addr: -1, Hosted: true})
	c.Accept[3] = true
	c.Moved = [][2]place{{{"c", "1"}, {"s", "s1"}}}
	c.Imports[place{"m", "k1"}] = "dxvif-0000abcd"
	got := testWorld.hcl(c)

	for _, want := range []string{
		`{ directlink_id = "dxcon-12345678", name = "one", vlan = 101, bgp_asn = 65000, bgp_key = null, outscale_private_ip = null, client_private_ip = null, virtual_gateway_id = null, owner_account_id = "123456789000" },`,
		`"k1" = { directlink_id = "dxcon-23456789", name = "two", vlan = 102, bgp_asn = 65001, bgp_key = "fzkey", outscale_private_ip = "172.16.0.5/30", client_private_ip = "172.16.0.6/30", virtual_gateway_id = "vgw-12345678", owner_account_id = null }`,
		"count    = length(local.c)",
		"for_each = local.m",
		`resource "osc_hosted_directlink_interface" "s1" {`,
		"s_s1 = { directlink_id",
		"resource \"osc_hosted_directlink_interface_accepter\" \"acc_3\" {\n  provider                = osc.recipient\n  directlink_interface_id = osc_hosted_directlink_interface.s1.id\n  virtual_gateway_id      = \"vgw-87654321\"",
		"moved {\n  from = osc_hosted_directlink_interface.c[1]\n  to   = osc_hosted_directlink_interface.s1\n}",
		"import {\n  to = osc_hosted_directlink_interface.m[\"k1\"]\n  id = \"dxvif-0000abcd\"\n}",
		`alias         = "recipient"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("configuration lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "resource \""); n != 4 {
		t.Errorf("%d resource blocks, want 4 (c, m, s1, one accepter):\n%s", n, got)
	}
}

// Removing keeps the other instances where they were, so that a removal is
// not also a shift of every later count index; an accepter goes with its
// instance.
func TestRemove(t *testing.T) {
	c := newConfig()
	for i := range 3 {
		c.set(place{"c", string(rune('0' + i))}, inst{UID: i + 1, Name: "n"})
	}
	c.Accept[3] = true
	c.remove(place{"c", "2"})
	if len(c.Count) != 2 || c.Count[1].UID != 2 || c.Accept[3] {
		t.Fatalf("after removing c[2]: %+v, accept %v", c.Count, c.Accept)
	}
	d := c.clone()
	d.set(place{"m", "k"}, inst{UID: 9})
	if len(c.Each) != 0 {
		t.Fatal("clone shares its for_each map with the original")
	}
	if p, ok := d.byUID(9); !ok || p.address() != `osc_hosted_directlink_interface.m["k"]` {
		t.Fatalf("byUID(9) = %+v, %v", p, ok)
	}
}

func TestResultParsing(t *testing.T) {
	r := result{out: strings.Join([]string{
		`{"@level":"warn","type":"diagnostic","diagnostic":{"severity":"warning","summary":"Provider development overrides are in effect","detail":"x"}}`,
		`{"@level":"error","type":"diagnostic","diagnostic":{"severity":"error","summary":"DirectLink VLAN Already In Use","detail":"VLAN 7 is used by dxvif-1","address":"osc_hosted_directlink_interface.c[0]"}}`,
		`{"@level":"info","@message":"osc_hosted_directlink_interface.c[0]: Plan to create","type":"planned_change"}`,
		`{"@level":"info","type":"change_summary","changes":{"add":1,"change":0,"import":0,"remove":2,"operation":"plan"}}`,
		`not json`,
	}, "\n")}
	if d := r.diagnostics(); len(d) != 1 || d[0].Summary != "DirectLink VLAN Already In Use" {
		t.Errorf("diagnostics = %+v, want the VLAN error only (the dev_overrides warning says nothing about the provider)", d)
	}
	if add, _, remove, ok := r.changes(); !ok || add != 1 || remove != 2 {
		t.Errorf("changes = %d, %d, %v", add, remove, ok)
	}
	if got := planned(r); got != "osc_hosted_directlink_interface.c[0]: Plan to create" {
		t.Errorf("planned = %q", got)
	}
	if !strings.Contains(r.text(), "dxvif-1") {
		t.Errorf("text() lacks the detail: %q", r.text())
	}
}

func TestPanicLine(t *testing.T) {
	for s, want := range map[string]bool{
		"2026-12-01T21:00:00.000Z [DEBUG] provider.terraform-provider-osc: panic: runtime error: index out of range": true,
		"panic: assignment to entry in nil map":                     true,
		"Error: The terraform-provider-osc plugin crashed!":         true,
		`[TRACE] provider: "panicked" is a word in a name`:          false,
		"[DEBUG] checking for provider panics in the stderr stream": false,
	} {
		if got := panicLine.MatchString(s); got != want {
			t.Errorf("panicLine(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestState(t *testing.T) {
	dir := t.TempDir()
	state := `{"version":4,"resources":[
 {"mode":"data","type":"osc_directlinks","name":"d","instances":[{"attributes":{"id":"x"}}]},
 {"mode":"managed","type":"osc_hosted_directlink_interface","name":"c","instances":[{"index_key":0,"attributes":{"id":"dxvif-a"}},{"index_key":1,"status":"tainted","attributes":{"id":"dxvif-b"}}]},
 {"mode":"managed","type":"osc_hosted_directlink_interface","name":"m","instances":[{"index_key":"k1","attributes":{"id":"dxvif-c"}}]},
 {"mode":"managed","type":"osc_hosted_directlink_interface_accepter","name":"acc_12","instances":[{"attributes":{"id":"dxvif-c"}}]}]}`
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfstate"), []byte(state), 0o600); err != nil {
		t.Fatal(err)
	}
	hs, err := (&workdir{name: "a", dir: dir}).state()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range hs {
		got = append(got, h.Address+"="+h.ID)
	}
	want := []string{
		"osc_hosted_directlink_interface.c[0]=dxvif-a", "osc_hosted_directlink_interface.c[1]=dxvif-b",
		`osc_hosted_directlink_interface.m["k1"]=dxvif-c`, "osc_hosted_directlink_interface_accepter.acc_12=dxvif-c",
	}
	if !slices.Equal(got, want) {
		t.Errorf("state = %v, want %v", got, want)
	}
	if !hs[1].Tainted || hs[3].UID != 12 {
		t.Errorf("tainted %v, accepter UID %d", hs[1].Tainted, hs[3].UID)
	}
}
