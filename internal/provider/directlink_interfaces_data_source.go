package provider

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

var _ datasource.DataSourceWithConfigure = (*interfacesDataSource)(nil)

// interfaceStates are the states an interface can be in, in lifecycle order.
var interfaceStates = []string{
	oscapi.StatePending, oscapi.StateConfirming, oscapi.StateAvailable, oscapi.StateDeleting,
	oscapi.StateDeleted, oscapi.StateRejected, oscapi.StateExpired,
}

// NewInterfacesDataSource is the osc_directlink_interfaces data source.
func NewInterfacesDataSource() datasource.DataSource {
	return &interfacesDataSource{}
}

type interfacesDataSource struct {
	api oscapi.API
}

type interfacesDataSourceModel struct {
	DirectLinkIDs []types.String  `tfsdk:"directlink_ids"`
	InterfaceIDs  []types.String  `tfsdk:"interface_ids"`
	States        []types.String  `tfsdk:"states"`
	NameRegex     types.String    `tfsdk:"name_regex"`
	Interfaces    []interfaceView `tfsdk:"interfaces"`
	IDs           []types.String  `tfsdk:"ids"`
}

func (d *interfacesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_directlink_interfaces"
}

func (d *interfacesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The DirectLink interfaces visible to your account (yours, those hosted for you, and those on your " +
			"DirectLinks), optionally filtered. Every filter left out matches everything; the filters set must all match. " +
			"All pages of the API's answer are read.",
		Attributes: map[string]schema.Attribute{
			"directlink_ids": schema.SetAttribute{
				MarkdownDescription: "Only interfaces on these DirectLinks (`dxcon-...`).",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Set{setvalidator.ValueStringsAre(directLinkID())},
			},
			"interface_ids": schema.SetAttribute{
				MarkdownDescription: "Only these interfaces (`dxvif-...`).",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Set{setvalidator.ValueStringsAre(interfaceID())},
			},
			"states": schema.SetAttribute{
				MarkdownDescription: "Only interfaces in one of these states: `" + strings.Join(interfaceStates, "`, `") + "`.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Set{setvalidator.ValueStringsAre(stringvalidator.OneOf(interfaceStates...))},
			},
			"name_regex": schema.StringAttribute{
				MarkdownDescription: "Only interfaces whose name matches this regular expression ([RE2 syntax](https://github.com/google/re2/wiki/Syntax); " +
					"unanchored: use `^` and `$` to match the whole name).",
				Optional:   true,
				Validators: []validator.String{regexValidator()},
			},
			"interfaces": schema.ListNestedAttribute{
				MarkdownDescription: "The matching interfaces, sorted by ID, with the attributes of the `osc_directlink_interface` data source " +
					"except `bgp_key` (read one interface with that data source to get its key).",
				Computed:     true,
				NestedObject: schema.NestedAttributeObject{Attributes: interfaceViewAttributes()},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "IDs of the matching interfaces, sorted.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *interfacesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.api = apiFromProviderData(req.ProviderData, true, &resp.Diagnostics)
}

func (d *interfacesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data interfacesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var nameRegex *regexp.Regexp
	if isKnown(data.NameRegex) {
		// Validated at plan time; compiling cannot fail here.
		nameRegex = regexp.MustCompile(data.NameRegex.ValueString())
	}

	found, err := d.api.ListInterfaces(ctx, oscapi.InterfaceFilter{
		DirectLinkIDs: stringValues(data.DirectLinkIDs),
		InterfaceIDs:  stringValues(data.InterfaceIDs),
		Freshness:     oscapi.FromSnapshot,
	})
	if err != nil {
		resp.Diagnostics.AddError("Unable to List DirectLink Interfaces",
			apiErrorDetail("Listing DirectLink interfaces failed.", err, "Check the provider's credentials and endpoints, then retry."))
		return
	}

	states := stringValues(data.States)
	matching := filterInterfaces(found, states, nameRegex)
	data.Interfaces = make([]interfaceView, len(matching))
	data.IDs = make([]types.String, len(matching))
	for i := range matching {
		data.Interfaces[i].setFromAPI(&matching[i])
		data.IDs[i] = types.StringValue(matching[i].ID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}

// filterInterfaces keeps the interfaces in one of states (all when empty)
// whose name matches nameRegex (all when nil), sorted by ID.
func filterInterfaces(in []oscapi.Interface, states []string, nameRegex *regexp.Regexp) []oscapi.Interface {
	out := make([]oscapi.Interface, 0, len(in))
	for _, it := range in {
		if len(states) > 0 && !slices.Contains(states, it.State) {
			continue
		}
		if nameRegex != nil && !nameRegex.MatchString(it.Name) {
			continue
		}
		out = append(out, it)
	}
	slices.SortFunc(out, func(a, b oscapi.Interface) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func stringValues(in []types.String) []string {
	if len(in) == 0 {
		return nil
	}
	out := make([]string, 0, len(in))
	for _, v := range in {
		out = append(out, v.ValueString())
	}
	return out
}
