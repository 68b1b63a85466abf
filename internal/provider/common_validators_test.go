package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestCheckBGPASN(t *testing.T) {
	tests := []struct {
		asn     int64
		wantErr string // substring of the message, "" for valid
	}{
		{asn: 65000},
		{asn: 1},
		{asn: 64512},
		{asn: 4294967295},
		{asn: 0, wantErr: "between 1 and 4294967295"},
		{asn: 4294967296, wantErr: "between 1 and 4294967295"},
		{asn: -1, wantErr: "between 1 and 4294967295"},
		{asn: 50624, wantErr: "OUTSCALE's own ASNs"},
		{asn: 53306, wantErr: "OUTSCALE's own ASNs"},
		{asn: 132418, wantErr: "OUTSCALE's own ASNs"},
	}
	for _, tt := range tests {
		got := checkBGPASN(tt.asn)
		if tt.wantErr == "" && got != "" {
			t.Errorf("checkBGPASN(%d) = %q, want valid", tt.asn, got)
		}
		if tt.wantErr != "" && !strings.Contains(got, tt.wantErr) {
			t.Errorf("checkBGPASN(%d) = %q, want a message containing %q", tt.asn, got, tt.wantErr)
		}
	}
}

func TestParseCIDR30(t *testing.T) {
	tests := []struct {
		in    string
		valid bool
	}{
		{"172.16.0.4/30", true},
		{"172.16.0.5/30", true},
		{"169.254.255.254/30", true},
		{"172.16.0.5", false},
		{"172.16.0.5/29", false},
		{"172.16.0.5/31", false},
		{"2001:db8::1/30", false},
		{"172.16.0.256/30", false},
		{"", false},
		{"not an ip/30", false},
	}
	for _, tt := range tests {
		_, err := parseCIDR30(tt.in)
		if (err == nil) != tt.valid {
			t.Errorf("parseCIDR30(%q) error = %v, want valid=%v", tt.in, err, tt.valid)
		}
	}
}

func TestCheckPrivateIPPair(t *testing.T) {
	tests := []struct {
		name             string
		outscale, client string
		wantErr          string
	}{
		{name: "documented pair, network address allowed", outscale: "172.16.0.4/30", client: "172.16.0.5/30"},
		{name: "AWS CLI sample pair", outscale: "172.16.0.1/30", client: "172.16.0.2/30"},
		{name: "reversed", outscale: "172.16.0.6/30", client: "172.16.0.5/30"},
		{name: "different networks", outscale: "172.16.0.4/30", client: "172.16.0.9/30", wantErr: "same /30 network"},
		{name: "same address", outscale: "172.16.0.5/30", client: "172.16.0.5/30", wantErr: "two different addresses"},
		{name: "malformed is left to cidr30", outscale: "172.16.0.5", client: "172.16.0.9/30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := checkPrivateIPPair(tt.outscale, tt.client)
			if tt.wantErr == "" && got != "" {
				t.Errorf("got %q, want valid", got)
			}
			if tt.wantErr != "" && !strings.Contains(got, tt.wantErr) {
				t.Errorf("got %q, want a message containing %q", got, tt.wantErr)
			}
		})
	}
}

func TestCheckEndpointURL(t *testing.T) {
	for _, ok := range []string{"https://api.eu-west-2.outscale.com/api/v1", "http://127.0.0.1:7575", "https://directlink.eu-west-2.outscale.com"} {
		if msg := checkEndpointURL(ok); msg != "" {
			t.Errorf("checkEndpointURL(%q) = %q, want valid", ok, msg)
		}
	}
	for _, bad := range []string{"api.eu-west-2.outscale.com", "ftp://x", "", "https://"} {
		if msg := checkEndpointURL(bad); msg == "" {
			t.Errorf("checkEndpointURL(%q) accepted, want an error", bad)
		}
	}
}

// Values computed from other resources are unknown at plan time; validators
// must let them through (the API checks them at apply).
func TestValidatorsAcceptUnknownAndNull(t *testing.T) {
	ctx := context.Background()
	for _, v := range []types.String{types.StringUnknown(), types.StringNull()} {
		for name, sv := range map[string]validator.String{
			"cidr30":           cidr30(),
			"endpointURL":      endpointURL(),
			"directLinkID":     directLinkID(),
			"virtualGatewayID": virtualGatewayID(),
			"accountID":        accountID(),
		} {
			resp := &validator.StringResponse{}
			sv.ValidateString(ctx, validator.StringRequest{Path: path.Root("x"), ConfigValue: v}, resp)
			if resp.Diagnostics.HasError() {
				t.Errorf("%s rejected %s: %v", name, v, resp.Diagnostics)
			}
		}
	}
	for _, v := range []types.Int64{types.Int64Unknown(), types.Int64Null()} {
		resp := &validator.Int64Response{}
		bgpASN().ValidateInt64(ctx, validator.Int64Request{Path: path.Root("bgp_asn"), ConfigValue: v}, resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("bgpASN rejected %s: %v", v, resp.Diagnostics)
		}
	}
}

func TestIDValidators(t *testing.T) {
	tests := []struct {
		name  string
		v     validator.String
		value string
		valid bool
	}{
		{"directlink ok", directLinkID(), "dxcon-12345678", true},
		{"directlink upper", directLinkID(), "dxcon-1234567A", false},
		{"directlink short", directLinkID(), "dxcon-1234567", false},
		{"directlink wrong prefix", directLinkID(), "vgw-12345678", false},
		{"gateway ok", virtualGatewayID(), "vgw-87654321", true},
		{"gateway wrong", virtualGatewayID(), "vgw-8765432z", false},
		{"account ok", accountID(), "123456789000", true},
		{"account short", accountID(), "12345678900", false},
		{"account letters", accountID(), "12345678900a", false},
		{"interface ok", interfaceID(), "dxvif-abcdef01", true},
		{"interface wrong", interfaceID(), "dxcon-abcdef01", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &validator.StringResponse{}
			tt.v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: types.StringValue(tt.value)}, resp)
			if resp.Diagnostics.HasError() == tt.valid {
				t.Errorf("%q: valid=%v, diagnostics %v", tt.value, tt.valid, resp.Diagnostics)
			}
		})
	}
}
