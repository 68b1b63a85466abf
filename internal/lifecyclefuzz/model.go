//go:build linux

package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// inst is what the fuzzer means one resource instance to be: the arguments
// it writes in the configuration. UID follows the instance through moves, so
// that its accepter keeps its own address while the reference changes.
type inst struct {
	UID    int
	Name   string
	VLAN   int
	ASN    int
	BGPKey string // "" = omitted (OUTSCALE generates one)
	Addr   int    // index of a /30 pair; -1 = omitted
	Hosted bool   // owner_account_id (hosted for the recipient) instead of virtual_gateway_id
	DL     int    // index into the owner's DirectLinks
	CBD    bool   // lifecycle { create_before_destroy = true } (single resources only)
}

// place is where an instance sits in the configuration: the count list
// "c" (index), the for_each map "m" (key) or a single resource (name).
type place struct {
	Kind string // "c", "m" or "s"
	Key  string // index for c, key for m, resource name for s
}

func (p place) address() string {
	const t = "osc_hosted_directlink_interface"
	switch p.Kind {
	case "c":
		return fmt.Sprintf("%s.c[%s]", t, p.Key)
	case "m":
		return fmt.Sprintf("%s.m[%q]", t, p.Key)
	default:
		return t + "." + p.Key
	}
}

// config is one working directory's configuration.
type config struct {
	Count   []inst
	Each    map[string]inst
	Singles map[string]inst
	Accept  map[int]bool     // UID -> has an accepter
	Moved   [][2]place       // moved blocks (from, to), dropped after the apply
	Imports map[place]string // import blocks (to -> interface ID), dropped after the apply
}

func newConfig() *config {
	return &config{Each: map[string]inst{}, Singles: map[string]inst{}, Accept: map[int]bool{}, Imports: map[place]string{}}
}

func (c *config) clone() *config {
	n := &config{
		Count:   slices.Clone(c.Count),
		Each:    maps.Clone(c.Each),
		Singles: maps.Clone(c.Singles),
		Accept:  maps.Clone(c.Accept),
		Moved:   slices.Clone(c.Moved),
		Imports: maps.Clone(c.Imports),
	}
	return n
}

// placed is an instance with its place.
type placed struct {
	place
	inst
}

// all lists every instance, in a stable order.
func (c *config) all() []placed {
	var out []placed
	for i, in := range c.Count {
		out = append(out, placed{place{"c", fmt.Sprint(i)}, in})
	}
	for _, k := range slices.Sorted(maps.Keys(c.Each)) {
		out = append(out, placed{place{"m", k}, c.Each[k]})
	}
	for _, k := range slices.Sorted(maps.Keys(c.Singles)) {
		out = append(out, placed{place{"s", k}, c.Singles[k]})
	}
	return out
}

func (c *config) get(p place) (inst, bool) {
	switch p.Kind {
	case "c":
		var i int
		if _, err := fmt.Sscan(p.Key, &i); err != nil || i < 0 || i >= len(c.Count) {
			return inst{}, false
		}
		return c.Count[i], true
	case "m":
		in, ok := c.Each[p.Key]
		return in, ok
	default:
		in, ok := c.Singles[p.Key]
		return in, ok
	}
}

// set replaces the instance at p, which must exist (or be the next count index).
func (c *config) set(p place, in inst) {
	switch p.Kind {
	case "c":
		var i int
		fmt.Sscan(p.Key, &i)
		if i == len(c.Count) {
			c.Count = append(c.Count, in)
		} else {
			c.Count[i] = in
		}
	case "m":
		c.Each[p.Key] = in
	default:
		c.Singles[p.Key] = in
	}
}

// remove drops the instance at p; only the last count index can go, so that
// the others keep their index (a shift is a different test).
func (c *config) remove(p place) {
	in, _ := c.get(p)
	delete(c.Accept, in.UID)
	switch p.Kind {
	case "c":
		c.Count = c.Count[:len(c.Count)-1]
	case "m":
		delete(c.Each, p.Key)
	default:
		delete(c.Singles, p.Key)
	}
}

// byUID finds the place of the instance with that UID.
func (c *config) byUID(uid int) (placed, bool) {
	for _, p := range c.all() {
		if p.UID == uid {
			return p, true
		}
	}
	return placed{}, false
}

// world is what every configuration refers to: the emulator's accounts.
type world struct {
	Region, APIEndpoint, DirectLinkEndpoint string
	Owner, Recipient                        account
}

type account struct {
	Name              string   `json:"name"`
	AccountID         string   `json:"account_id"`
	AccessKey         string   `json:"access_key"`
	SecretKey         string   `json:"secret_key"`
	DirectLinkIDs     []string `json:"directlink_ids"`
	VirtualGatewayIDs []string `json:"virtual_gateway_ids"`
}

// addrPair is the /30 pair number n: OUTSCALE's side .1, the client's .2.
func addrPair(n int) (string, string) {
	b := n * 4
	return fmt.Sprintf("172.16.%d.%d/30", b/256, b%256+1), fmt.Sprintf("172.16.%d.%d/30", b/256, b%256+2)
}

func hclString(s string) string { return fmt.Sprintf("%q", s) }

// object is the HCL object of an instance's arguments; every key is always
// present (null when omitted) so that the count tuple and the for_each map
// hold values of one shape.
func (w *world) object(in inst) string {
	null := func(ok bool, s string) string {
		if !ok {
			return "null"
		}
		return hclString(s)
	}
	o, cl := addrPair(in.Addr)
	return fmt.Sprintf("{ directlink_id = %s, name = %s, vlan = %d, bgp_asn = %d, bgp_key = %s, outscale_private_ip = %s, client_private_ip = %s, virtual_gateway_id = %s, owner_account_id = %s }",
		hclString(w.Owner.DirectLinkIDs[in.DL]), hclString(in.Name), in.VLAN, in.ASN,
		null(in.BGPKey != "", in.BGPKey), null(in.Addr >= 0, o), null(in.Addr >= 0, cl),
		null(!in.Hosted, w.Owner.VirtualGatewayIDs[0]), null(in.Hosted, w.Recipient.AccountID))
}

const resourceBody = `  directlink_id       = %[1]s.directlink_id
  name                = %[1]s.name
  vlan                = %[1]s.vlan
  bgp_asn             = %[1]s.bgp_asn
  bgp_key             = %[1]s.bgp_key
  outscale_private_ip = %[1]s.outscale_private_ip
  client_private_ip   = %[1]s.client_private_ip
  virtual_gateway_id  = %[1]s.virtual_gateway_id
  owner_account_id    = %[1]s.owner_account_id
`

// hcl renders the whole main.tf of a working directory.
func (w *world) hcl(c *config) string {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    osc = {\n      source = \"oscdl/osc\"\n    }\n  }\n}\n\n")
	for _, a := range []account{w.Owner, w.Recipient} {
		fmt.Fprintf(&b, "provider \"osc\" {\n  alias         = %q\n  access_key_id = %q\n  secret_key_id = %q\n  region        = %q\n  endpoints {\n    api         = %q\n    direct_link = %q\n  }\n}\n\n",
			a.Name, a.AccessKey, a.SecretKey, w.Region, w.APIEndpoint, w.DirectLinkEndpoint)
	}
	b.WriteString("locals {\n  c = [\n")
	for _, in := range c.Count {
		fmt.Fprintf(&b, "    %s,\n", w.object(in))
	}
	b.WriteString("  ]\n  m = {\n")
	for _, k := range slices.Sorted(maps.Keys(c.Each)) {
		fmt.Fprintf(&b, "    %q = %s\n", k, w.object(c.Each[k]))
	}
	b.WriteString("  }\n}\n\n")
	b.WriteString("resource \"osc_hosted_directlink_interface\" \"c\" {\n  provider = osc.owner\n  count    = length(local.c)\n")
	fmt.Fprintf(&b, resourceBody, "local.c[count.index]")
	b.WriteString("}\n\n")
	b.WriteString("resource \"osc_hosted_directlink_interface\" \"m\" {\n  provider = osc.owner\n  for_each = local.m\n")
	fmt.Fprintf(&b, resourceBody, "each.value")
	b.WriteString("}\n\n")
	for _, k := range slices.Sorted(maps.Keys(c.Singles)) {
		fmt.Fprintf(&b, "resource \"osc_hosted_directlink_interface\" %q {\n  provider = osc.owner\n", k)
		fmt.Fprintf(&b, resourceBody, "local.s_"+k)
		if c.Singles[k].CBD {
			b.WriteString("\n  lifecycle {\n    create_before_destroy = true\n  }\n")
		}
		b.WriteString("}\n\n")
		fmt.Fprintf(&b, "locals {\n  s_%s = %s\n}\n\n", k, w.object(c.Singles[k]))
	}
	for _, p := range c.all() {
		if !c.Accept[p.UID] {
			continue
		}
		fmt.Fprintf(&b, "resource \"osc_hosted_directlink_interface_accepter\" \"acc_%d\" {\n  provider                = osc.recipient\n  directlink_interface_id = %s.id\n  virtual_gateway_id      = %q\n}\n\n",
			p.UID, p.address(), w.Recipient.VirtualGatewayIDs[0])
	}
	for _, mv := range c.Moved {
		fmt.Fprintf(&b, "moved {\n  from = %s\n  to   = %s\n}\n\n", mv[0].address(), mv[1].address())
	}
	for _, p := range slices.SortedFunc(maps.Keys(c.Imports), func(a, b place) int { return strings.Compare(a.address(), b.address()) }) {
		fmt.Fprintf(&b, "import {\n  to = %s\n  id = %q\n}\n\n", p.address(), c.Imports[p])
	}
	return b.String()
}
