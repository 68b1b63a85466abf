package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

var _ datasource.DataSourceWithConfigure = (*interfaceDataSource)(nil)

// NewInterfaceDataSource is the osc_directlink_interface data source.
func NewInterfaceDataSource() datasource.DataSource {
	return &interfaceDataSource{}
}

type interfaceDataSource struct {
	api oscapi.API
}

// interfaceView is one interface as the data sources show it; the list data
// source shows the same attributes except the BGP key.
type interfaceView struct {
	ID types.String `tfsdk:"id"`
	interfaceAttributes
	VirtualGatewayID types.String `tfsdk:"virtual_gateway_id"`
	InterfaceType    types.String `tfsdk:"interface_type"`
}

type interfaceDataSourceModel struct {
	interfaceView
	BGPKey types.String `tfsdk:"bgp_key"`
}

func (d *interfaceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_directlink_interface"
}

func (d *interfaceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := interfaceViewAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "ID of the interface (`dxvif-` and a lower-case alphanumeric ID). It must be visible to you: yours, " +
			"hosted for you, or on one of your DirectLinks.",
		Required:   true,
		Validators: []validator.String{interfaceID()},
	}
	attrs["bgp_key"] = schema.StringAttribute{
		MarkdownDescription: "BGP authentication key of the interface. Sensitive.",
		Computed:            true,
		Sensitive:           true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One DirectLink interface, by ID. Reading an interface that does not exist, or that is not visible " +
			"to your account, is an error.",
		Attributes: attrs,
	}
}

// interfaceViewAttributes are the computed attributes of interfaceView, for
// both interface data sources.
func interfaceViewAttributes() map[string]schema.Attribute {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	num := func(desc string) schema.Attribute {
		return schema.Int64Attribute{MarkdownDescription: desc, Computed: true}
	}
	return map[string]schema.Attribute{
		"id":                  str("ID of the interface (`dxvif-...`)."),
		"directlink_id":       str("ID of the DirectLink that carries the interface."),
		"name":                str("Name of the interface."),
		"vlan":                num(fmt.Sprintf("VLAN number of the interface (%d to %d).", minVLAN, maxVLAN)),
		"bgp_asn":             num("BGP Autonomous System Number of the customer side."),
		"outscale_private_ip": str("IP of the OUTSCALE side, with its /30 prefix (e.g. `172.16.0.4/30`)."),
		"client_private_ip":   str("IP of the customer side, with its /30 prefix (e.g. `172.16.0.5/30`)."),
		"mtu":                 num("Maximum transmission unit, in bytes."),
		"state": str("State of the interface: `pending`, `confirming` (hosted, waiting for its recipient), `available`, " +
			"`deleting`, `deleted`, `rejected` or `expired`."),
		"account_id":         str("ID of the account that owns the interface (the recipient, for a hosted interface)."),
		"location":           str("Code of the datacenter where the interface is located (e.g. `PAR1`)."),
		"virtual_gateway_id": str("ID of the virtual gateway the interface is attached to; null while a hosted interface waits for its recipient."),
		"interface_type":     str("Type of the interface (always `private`)."),
	}
}

func (d *interfaceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.api = apiFromProviderData(req.ProviderData, true, &resp.Diagnostics)
}

func (d *interfaceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data interfaceDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := data.ID.ValueString()

	found, err := d.api.ReadInterface(ctx, id, oscapi.FromSnapshot)
	if oscapi.IsNotFound(err) {
		resp.Diagnostics.AddError("DirectLink Interface Not Found",
			apiErrorDetail(fmt.Sprintf("DirectLink interface %s does not exist or is not visible to your account.", id), err,
				"Check the ID, and that the provider uses the credentials of the interface's owner or of its DirectLink's owner."))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read DirectLink Interface",
			apiErrorDetail(fmt.Sprintf("Reading interface %s failed.", id), err, "Check the provider's credentials and endpoints, then retry."))
		return
	}
	ctx = maskSecrets(ctx, d.api, types.StringValue(found.BGPKey))
	data.setFromAPI(found)
	data.BGPKey = stringOrNull(found.BGPKey)
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

func (v *interfaceView) setFromAPI(in *oscapi.Interface) {
	v.ID = types.StringValue(in.ID)
	v.interfaceAttributes.setFromAPI(in)
	v.VirtualGatewayID = stringOrNull(in.VirtualGatewayID)
	v.InterfaceType = stringOrNull(in.InterfaceType)
}
