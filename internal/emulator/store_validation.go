package emulator

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// The rules a new interface must follow that need no stored state, shared
// by CreateDirectLinkInterface and AllocatePrivateVirtualInterface.

// reservedASNs are refused by OUTSCALE although they lie inside the 4-byte range.
var reservedASNs = []int64{50624, 53306, 132418}

const (
	minVLAN, maxVLAN = 2, 4094
	minASN, maxASN   = 1, 4294967295
	onlyMTU          = 1500
)

// newInterface is what a create or an allocate asks for; both go through
// the same rules.
type newInterface struct {
	DirectLinkID      string
	Name              string
	VLAN              int64
	BGPASN            int64
	BGPKey            string
	OutscalePrivateIP string
	ClientPrivateIP   string
	MTU               int64 // 0 = default
	VirtualGatewayID  string
	OwnerAccountID    string // hosted only: the recipient
}

// fieldNames spell the request fields the shared rules refer to, per API, so
// that each refusal names the field as the caller wrote it.
type fieldNames struct {
	VLAN, ASN, BGPKey, OutscaleIP, ClientIP, MTU, Name, Gateway, Owner string
}

var (
	oscFields = fieldNames{VLAN: "DirectLinkInterface.Vlan", ASN: "DirectLinkInterface.BgpAsn", BGPKey: "DirectLinkInterface.BgpKey",
		OutscaleIP: "DirectLinkInterface.OutscalePrivateIp", ClientIP: "DirectLinkInterface.ClientPrivateIp",
		MTU: "Mtu", Name: "DirectLinkInterface.DirectLinkInterfaceName", Gateway: "DirectLinkInterface.VirtualGatewayId"}
	dxFields = fieldNames{VLAN: "newPrivateVirtualInterfaceAllocation.vlan", ASN: "newPrivateVirtualInterfaceAllocation.asn",
		BGPKey: "newPrivateVirtualInterfaceAllocation.authKey",
		OutscaleIP: "newPrivateVirtualInterfaceAllocation.amazonAddress", ClientIP: "newPrivateVirtualInterfaceAllocation.customerAddress",
		MTU: "newPrivateVirtualInterfaceAllocation.mtu", Name: "newPrivateVirtualInterfaceAllocation.virtualInterfaceName",
		Gateway: "virtualGatewayId", Owner: "ownerAccount"}
)

// checkValues applies the rules that need no stored state.
func checkValues(in newInterface, f fieldNames) error {
	if strings.TrimSpace(in.Name) == "" {
		return invalid(f.Name, "%s must not be empty.", f.Name)
	}
	if in.VLAN < minVLAN || in.VLAN > maxVLAN {
		return outOfRange(f.VLAN, "%s %d is out of range: it must be between %d and %d.", f.VLAN, in.VLAN, minVLAN, maxVLAN)
	}
	if in.BGPASN < minASN || in.BGPASN > maxASN {
		return outOfRange(f.ASN, "%s %d is out of range: it must be between %d and %d, except %s.", f.ASN, in.BGPASN, minASN, int64(maxASN), joinInts(reservedASNs))
	}
	if slices.Contains(reservedASNs, in.BGPASN) {
		return invalid(f.ASN, "%s %d is reserved: it must be between %d and %d, except %s.", f.ASN, in.BGPASN, minASN, int64(maxASN), joinInts(reservedASNs))
	}
	if strings.ContainsAny(in.BGPKey, " \t\r\n") {
		// Quoting the refused value, as APIs commonly do: a client must
		// keep this answer out of its logs (the key is a secret).
		return invalid(f.BGPKey, "%s %q is invalid: a BGP key must not contain whitespace.", f.BGPKey, in.BGPKey)
	}
	if in.MTU != 0 && in.MTU != onlyMTU {
		return invalid(f.MTU, "%s %d is not supported: the only allowed value is %d.", f.MTU, in.MTU, onlyMTU)
	}
	return checkAddressPair(in.OutscalePrivateIP, in.ClientPrivateIP, f)
}

// checkAddressPair: both or neither; both /30 in one network; distinct.
func checkAddressPair(outscale, client string, f fieldNames) error {
	if outscale == "" && client == "" {
		return nil
	}
	if outscale == "" || client == "" {
		return &apiError{Kind: errBadCombination, Field: f.OutscaleIP,
			Message: fmt.Sprintf("%s and %s go together: set both or neither.", f.OutscaleIP, f.ClientIP)}
	}
	o, err := parseSlash30(outscale, f.OutscaleIP)
	if err != nil {
		return err
	}
	c, err := parseSlash30(client, f.ClientIP)
	if err != nil {
		return err
	}
	if o.Masked() != c.Masked() {
		return &apiError{Kind: errBadCombination, Field: f.ClientIP,
			Message: fmt.Sprintf("%s %s and %s %s must be in the same /30 network.", f.OutscaleIP, outscale, f.ClientIP, client)}
	}
	if o.Addr() == c.Addr() {
		return &apiError{Kind: errBadCombination, Field: f.ClientIP,
			Message: fmt.Sprintf("%s and %s must be two different addresses of the /30 network.", f.OutscaleIP, f.ClientIP)}
	}
	return nil
}

func parseSlash30(v, field string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(v)
	if err != nil || !p.Addr().Is4() || p.Bits() != 30 {
		return netip.Prefix{}, invalid(field, "%s %q is not valid: it must be an IPv4 address in /30 CIDR notation, such as 172.16.0.4/30.", field, v)
	}
	return p, nil
}

func joinInts(v []int64) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}
