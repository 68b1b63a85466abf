package provider

import (
	"context"
	"fmt"
	"net/netip"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The rules below are the API's own (the emulator enforces the same ones), so
// that a mistake fails at `terraform plan` with the attribute's path instead
// of half-way through an apply.

const (
	minVLAN       = 2
	maxVLAN       = 4094
	minASN        = 1
	maxASN  int64 = 4294967295 // typed: it overflows int on 32-bit platforms
	onlyMTU       = 1500
)

// reservedASNs are OUTSCALE's own ASNs: a customer side using one of them
// could not peer with OUTSCALE.
var reservedASNs = []int64{50624, 53306, 132418}

var (
	// The documented prefix and a lower-case alphanumeric body: today's IDs
	// have 8 hexadecimal digits, but a longer format from OUTSCALE must not
	// break every configuration.
	directLinkIDPattern     = regexp.MustCompile(`^dxcon-[0-9a-z]+$`)
	interfaceIDPattern      = regexp.MustCompile(`^dxvif-[0-9a-z]+$`)
	virtualGatewayIDPattern = regexp.MustCompile(`^vgw-[0-9a-z]+$`)
	accountIDPattern        = regexp.MustCompile(`^[0-9]{12}$`)
)

func directLinkID() validator.String {
	return stringvalidator.RegexMatches(directLinkIDPattern, `must be a DirectLink ID such as "dxcon-12345678"`)
}

func interfaceID() validator.String {
	return stringvalidator.RegexMatches(interfaceIDPattern, `must be a DirectLink interface ID such as "dxvif-12345678"`)
}

func virtualGatewayID() validator.String {
	return stringvalidator.RegexMatches(virtualGatewayIDPattern, `must be a virtual gateway ID such as "vgw-12345678"`)
}

func accountID() validator.String {
	return stringvalidator.RegexMatches(accountIDPattern, `must be an OUTSCALE account ID of 12 digits such as "123456789012"`)
}

// bgpASN accepts 2-byte and 4-byte ASNs except OUTSCALE's own.
func bgpASN() validator.Int64 {
	return int64Check{
		description: fmt.Sprintf("value must be between %d and %d, and none of OUTSCALE's own ASNs %v", minASN, maxASN, reservedASNs),
		summary:     "Invalid BGP ASN",
		check:       checkBGPASN,
	}
}

func checkBGPASN(asn int64) string {
	if asn < minASN || asn > maxASN {
		return fmt.Sprintf("The BGP ASN must be between %d and %d, got %d.", minASN, maxASN, asn)
	}
	for _, r := range reservedASNs {
		if asn == r {
			return fmt.Sprintf("The BGP ASN %d is one of OUTSCALE's own ASNs (%v) and cannot be used on the customer side. "+
				"Use your own ASN, or a private one (64512-65534 or 4200000000-4294967294).", asn, reservedASNs)
		}
	}
	return ""
}

// cidr30 accepts an IPv4 address written with a /30 prefix, the form both
// APIs use for the two ends of an interface.
func cidr30() validator.String {
	return stringCheck{
		description: `value must be an IPv4 address with a /30 prefix, such as "172.16.0.5/30"`,
		summary:     "Invalid Private IP",
		check: func(v string) string {
			if _, err := parseCIDR30(v); err != nil {
				return err.Error()
			}
			return ""
		},
	}
}

func parseCIDR30(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() || p.Bits() != 30 {
		return netip.Prefix{}, fmt.Errorf("%q is not an IPv4 address with a /30 prefix, such as \"172.16.0.5/30\"", s)
	}
	return p, nil
}

// checkPrivateIPPair says what is wrong with a pair of /30 addresses, or "".
// Both must sit in the same /30 network and differ; the network address
// itself is allowed, as in OUTSCALE's documented pair 172.16.0.4/30 + 172.16.0.5/30.
func checkPrivateIPPair(outscaleIP, clientIP string) string {
	o, err := parseCIDR30(outscaleIP)
	if err != nil {
		return ""
	}
	c, err := parseCIDR30(clientIP)
	if err != nil {
		return ""
	}
	if o.Masked() != c.Masked() {
		return fmt.Sprintf("outscale_private_ip %s and client_private_ip %s must be in the same /30 network (%s and %s differ).",
			outscaleIP, clientIP, o.Masked(), c.Masked())
	}
	if o.Addr() == c.Addr() {
		return fmt.Sprintf("outscale_private_ip and client_private_ip must be two different addresses of the /30 network, both are %s.", o.Addr())
	}
	return ""
}

// privateIPPairValidator checks the two ends of an interface together; each
// end's own format is checked by cidr30 and their presence by AlsoRequires.
type privateIPPairValidator struct{}

var _ resource.ConfigValidator = privateIPPairValidator{}

func (privateIPPairValidator) Description(_ context.Context) string {
	return "outscale_private_ip and client_private_ip must be two different addresses of the same /30 network"
}

func (v privateIPPairValidator) MarkdownDescription(ctx context.Context) string {
	return "`outscale_private_ip` and `client_private_ip` must be two different addresses of the same /30 network"
}

func (v privateIPPairValidator) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var outscaleIP, clientIP types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("outscale_private_ip"), &outscaleIP)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("client_private_ip"), &clientIP)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !isKnown(outscaleIP) || !isKnown(clientIP) {
		return
	}
	if msg := checkPrivateIPPair(outscaleIP.ValueString(), clientIP.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(path.Root("client_private_ip"), "Invalid Private IP Pair", msg)
	}
}

// endpointURL accepts an endpoint in the forms OUTSCALE's CLIs write: a
// host, with or without scheme, with or without a path.
func endpointURL() validator.String {
	return stringCheck{
		description: `value must be an endpoint: a host such as "api.eu-west-2.outscale.com", optionally with http:// or https:// and a path such as /api/v1`,
		summary:     "Invalid Endpoint",
		check: func(v string) string {
			_, msg := normalizeEndpoint(v, false)
			return msg
		},
	}
}

// regexValidator accepts a regular expression Go's regexp package compiles.
func regexValidator() validator.String {
	return stringCheck{
		description: "value must be a valid regular expression (RE2 syntax)",
		summary:     "Invalid Regular Expression",
		check: func(v string) string {
			if _, err := regexp.Compile(v); err != nil {
				return fmt.Sprintf("%q is not a valid regular expression: %s.", v, err)
			}
			return ""
		},
	}
}

// stringCheck and int64Check adapt a check (the value in, what is wrong with
// it out, "" when nothing) to the framework's validator interfaces: one
// shell for every custom validator. Null and unknown values pass: presence
// is the schema's business, and unknown values are checked at apply.
type stringCheck struct {
	description, summary string
	check                func(string) string
}

func (c stringCheck) Description(context.Context) string             { return c.description }
func (c stringCheck) MarkdownDescription(ctx context.Context) string { return c.Description(ctx) }

func (c stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !isKnown(req.ConfigValue) {
		return
	}
	if msg := c.check(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, c.summary, msg)
	}
}

type int64Check struct {
	description, summary string
	check                func(int64) string
}

func (c int64Check) Description(context.Context) string             { return c.description }
func (c int64Check) MarkdownDescription(ctx context.Context) string { return c.Description(ctx) }

func (c int64Check) ValidateInt64(_ context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if !isKnown(req.ConfigValue) {
		return
	}
	if msg := c.check(req.ConfigValue.ValueInt64()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, c.summary, msg)
	}
}

func isKnown(v interface {
	IsNull() bool
	IsUnknown() bool
}) bool {
	return !v.IsNull() && !v.IsUnknown()
}
