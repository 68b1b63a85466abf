package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

var _ datasource.DataSourceWithConfigure = (*locationsDataSource)(nil)

// NewLocationsDataSource is the osc_directlink_locations data source.
func NewLocationsDataSource() datasource.DataSource {
	return &locationsDataSource{}
}

type locationsDataSource struct {
	api oscapi.API
}

type locationsDataSourceModel struct {
	Locations []locationView `tfsdk:"locations"`
	Codes     []types.String `tfsdk:"codes"`
}

type locationView struct {
	Code types.String `tfsdk:"code"`
	Name types.String `tfsdk:"name"`
}

func (d *locationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_directlink_locations"
}

func (d *locationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The OUTSCALE locations (datacenters) where a DirectLink can be set up, in the provider's Region. " +
			"Needs no credentials: it works with a provider configured with only a `region` (or endpoints).",
		Attributes: map[string]schema.Attribute{
			"locations": schema.ListNestedAttribute{
				MarkdownDescription: "The locations, sorted by code.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"code": schema.StringAttribute{MarkdownDescription: "Code of the location, as DirectLinks and interfaces report it (e.g. `PAR1`).", Computed: true},
					"name": schema.StringAttribute{MarkdownDescription: "Name and address of the location.", Computed: true},
				}},
			},
			"codes": schema.ListAttribute{
				MarkdownDescription: "Codes of the locations, sorted.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *locationsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.api = apiFromProviderData(req.ProviderData, false, &resp.Diagnostics)
}

func (d *locationsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	found, err := d.api.ListLocations(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Unable to List DirectLink Locations",
			apiErrorDetail("Listing the DirectLink locations failed.", err, "Check the provider's region and endpoints, then retry."))
		return
	}
	slices.SortFunc(found, func(a, b oscapi.Location) int { return strings.Compare(a.Code, b.Code) })

	data := locationsDataSourceModel{
		Locations: make([]locationView, len(found)),
		Codes:     make([]types.String, len(found)),
	}
	for i, l := range found {
		data.Locations[i] = locationView{Code: types.StringValue(l.Code), Name: stringOrNull(l.Name)}
		data.Codes[i] = types.StringValue(l.Code)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}
