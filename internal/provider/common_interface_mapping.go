package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// interfaceAttributes are the attributes every Terraform view of a DirectLink
// interface shares: the hosted interface resource, its accepter and the data
// sources embed this struct in their models and fill it with setFromAPI, so
// that one interface reads the same everywhere.
type interfaceAttributes struct {
	DirectLinkID      types.String `tfsdk:"directlink_id"`
	Name              types.String `tfsdk:"name"`
	VLAN              types.Int64  `tfsdk:"vlan"`
	BGPASN            types.Int64  `tfsdk:"bgp_asn"`
	OutscalePrivateIP types.String `tfsdk:"outscale_private_ip"`
	ClientPrivateIP   types.String `tfsdk:"client_private_ip"`
	MTU               types.Int64  `tfsdk:"mtu"`
	State             types.String `tfsdk:"state"`
	AccountID         types.String `tfsdk:"account_id"`
	Location          types.String `tfsdk:"location"`
}

// setFromAPI overwrites every attribute with what the API reported.
func (a *interfaceAttributes) setFromAPI(in *oscapi.Interface) {
	a.DirectLinkID = stringOrNull(in.DirectLinkID)
	a.Name = stringOrNull(in.Name)
	a.VLAN = types.Int64Value(in.VLAN)
	a.BGPASN = types.Int64Value(in.BGPASN)
	a.OutscalePrivateIP = stringOrNull(in.OutscalePrivateIP)
	a.ClientPrivateIP = stringOrNull(in.ClientPrivateIP)
	a.MTU = types.Int64Value(in.MTU)
	a.State = stringOrNull(in.State)
	a.AccountID = stringOrNull(in.AccountID)
	a.Location = stringOrNull(in.Location)
}

// createInput is the create call for these attributes; the caller adds the
// mode (VirtualGatewayID or OwnerAccountID) and the BGP key.
func (a *interfaceAttributes) createInput() oscapi.CreateInterfaceInput {
	return oscapi.CreateInterfaceInput{
		DirectLinkID:      a.DirectLinkID.ValueString(),
		Name:              a.Name.ValueString(),
		VLAN:              a.VLAN.ValueInt64(),
		BGPASN:            a.BGPASN.ValueInt64(),
		OutscalePrivateIP: a.OutscalePrivateIP.ValueString(),
		ClientPrivateIP:   a.ClientPrivateIP.ValueString(),
	}
}

// stringOrNull maps the API's "absent" (an empty string) to null, so that an
// unset value never reads as a change from "" to null.
func stringOrNull(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}
