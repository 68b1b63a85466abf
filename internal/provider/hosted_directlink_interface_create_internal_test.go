package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// createAPI scripts the calls Create makes; any other call panics (the
// embedded nil interface).
type createAPI struct {
	oscapi.API
	createErr error
	created   *oscapi.Interface
	listed    []oscapi.Interface
	waitErr   error
}

func (f *createAPI) CreateInterface(context.Context, oscapi.CreateInterfaceInput) (*oscapi.Interface, error) {
	return f.created, f.createErr
}

func (f *createAPI) ListInterfaces(context.Context, oscapi.InterfaceFilter) ([]oscapi.Interface, error) {
	return f.listed, nil
}

func (f *createAPI) WaitInterface(context.Context, string, oscapi.WaitOptions) (*oscapi.Interface, error) {
	return f.created, f.waitErr
}

// runCreate plans the documented sample (own mode) and runs Create on it.
func runCreate(t *testing.T, api oscapi.API) *resource.CreateResponse {
	t.Helper()
	ctx := context.Background()
	r := &hostedInterfaceResource{api: api}
	schemaResp := &resource.SchemaResponse{}
	r.Schema(ctx, resource.SchemaRequest{}, schemaResp)
	objType := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	known := map[string]tftypes.Value{
		"directlink_id":       tftypes.NewValue(tftypes.String, "dxcon-12345678"),
		"name":                tftypes.NewValue(tftypes.String, "MyDirectLinkInterface"),
		"vlan":                tftypes.NewValue(tftypes.Number, 101),
		"bgp_asn":             tftypes.NewValue(tftypes.Number, 65000),
		"bgp_key":             tftypes.NewValue(tftypes.String, "tgyn26example"),
		"outscale_private_ip": tftypes.NewValue(tftypes.String, "172.16.0.4/30"),
		"client_private_ip":   tftypes.NewValue(tftypes.String, "172.16.0.5/30"),
		"virtual_gateway_id":  tftypes.NewValue(tftypes.String, "vgw-12345678"),
		"owner_account_id":    tftypes.NewValue(tftypes.String, nil),
		"mtu":                 tftypes.NewValue(tftypes.Number, 1500),
		"timeouts":            tftypes.NewValue(objType.AttributeTypes["timeouts"], nil),
	}
	values := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		if v, ok := known[name]; ok {
			values[name] = v
		} else {
			values[name] = tftypes.NewValue(typ, tftypes.UnknownValue)
		}
	}
	resp := &resource.CreateResponse{State: tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objType, nil)}}
	r.Create(ctx, resource.CreateRequest{Plan: tfsdk.Plan{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objType, values)}}, resp)
	return resp
}

// A VLAN the API refuses because another interface holds it: the error
// quotes the API, names the holder and shows the import command.
func TestCreateVLANHeldByAnother(t *testing.T) {
	resp := runCreate(t, &createAPI{
		createErr: &oscapi.Error{Kind: oscapi.KindConflict, Action: "CreateDirectLinkInterface",
			Message: "VLAN 101 is already used on DirectLink dxcon-12345678 by interface dxvif-0000abcd", RequestID: "req-42"},
		listed: []oscapi.Interface{{ID: "dxvif-0000abcd", Name: "someone-else", DirectLinkID: "dxcon-12345678", VLAN: 101, BGPASN: 65010, State: "available"}},
	})
	if !resp.Diagnostics.HasError() {
		t.Fatal("create succeeded")
	}
	detail := resp.Diagnostics.Errors()[0].Detail()
	for _, want := range []string{"The API answered: VLAN 101 is already used", "Request ID: req-42", "terraform import osc_hosted_directlink_interface.<name> dxvif-0000abcd"} {
		if !strings.Contains(detail, want) {
			t.Errorf("detail does not say %q:\n%s", want, detail)
		}
	}
	if strings.Contains(detail, "tgyn26example") {
		t.Errorf("detail shows the BGP key:\n%s", detail)
	}
	if !resp.State.Raw.IsNull() {
		t.Error("a refused create left something in the state")
	}
}

// A wait that fails after the API created the interface keeps its ID in the
// state (Terraform then marks it tainted) instead of losing it.
func TestCreateKeepsIDWhenWaitFails(t *testing.T) {
	resp := runCreate(t, &createAPI{
		created: &oscapi.Interface{ID: "dxvif-12345678", DirectLinkID: "dxcon-12345678", Name: "MyDirectLinkInterface", VLAN: 101, BGPASN: 65000,
			OutscalePrivateIP: "172.16.0.4/30", ClientPrivateIP: "172.16.0.5/30", VirtualGatewayID: "vgw-12345678", State: "pending", MTU: 1500},
		waitErr: &oscapi.UnexpectedStateError{ID: "dxvif-12345678", State: "deleted"},
	})
	if !resp.Diagnostics.HasError() {
		t.Fatal("create succeeded")
	}
	var id, bgpKey types.String
	resp.State.GetAttribute(context.Background(), path.Root("id"), &id)
	resp.State.GetAttribute(context.Background(), path.Root("bgp_key"), &bgpKey)
	if id.ValueString() != "dxvif-12345678" {
		t.Errorf("state id = %s, want the created interface's", id)
	}
	if bgpKey.ValueString() != "tgyn26example" {
		t.Errorf("state bgp_key = %s, want the configured one kept", bgpKey)
	}
	if d := resp.Diagnostics.Errors()[0]; !strings.Contains(d.Detail(), "tainted") {
		t.Errorf("the error does not say the interface is kept, tainted: %s", d.Detail())
	}
}
