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

var _ datasource.DataSourceWithConfigure = (*directLinksDataSource)(nil)

// NewDirectLinksDataSource is the osc_directlinks data source.
func NewDirectLinksDataSource() datasource.DataSource {
	return &directLinksDataSource{}
}

type directLinksDataSource struct {
	api oscapi.API
}

type directLinksDataSourceModel struct {
	DirectLinks []directLinkView `tfsdk:"directlinks"`
	IDs         []types.String   `tfsdk:"ids"`
}

type directLinkView struct {
	ID        types.String `tfsdk:"id"`
	Name      types.String `tfsdk:"name"`
	AccountID types.String `tfsdk:"account_id"`
	Bandwidth types.String `tfsdk:"bandwidth"`
	Location  types.String `tfsdk:"location"`
	Region    types.String `tfsdk:"region"`
	State     types.String `tfsdk:"state"`
}

func (d *directLinksDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_directlinks"
}

func (d *directLinksDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.Attribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "The DirectLinks (DirectLink connections) of your account: the physical links on which you can create " +
			"interfaces, for yourself or hosted for other accounts.",
		Attributes: map[string]schema.Attribute{
			"directlinks": schema.ListNestedAttribute{
				MarkdownDescription: "Your DirectLinks, sorted by ID.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":         str("ID of the DirectLink (`dxcon-...`)."),
					"name":       str("Name of the DirectLink."),
					"account_id": str("ID of the account that owns the DirectLink."),
					"bandwidth":  str("Physical link bandwidth, e.g. `1Gbps` or `10Gbps`."),
					"location":   str("Code of the datacenter where the DirectLink is (e.g. `PAR1`)."),
					"region":     str("Region of the DirectLink, e.g. `eu-west-2`."),
					"state":      str("State of the DirectLink: `requested`, `pending`, `available`, `deleting` or `deleted`."),
				}},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "IDs of your DirectLinks, sorted.",
				ElementType:         types.StringType,
				Computed:            true,
			},
		},
	}
}

func (d *directLinksDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.api = apiFromProviderData(req.ProviderData, true, &resp.Diagnostics)
}

func (d *directLinksDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	found, err := d.api.ListDirectLinks(ctx)
	if err != nil {
		resp.Diagnostics.AddError("Unable to List DirectLinks",
			apiErrorDetail("Listing your DirectLinks failed.", err, "Check the provider's credentials and endpoints, then retry."))
		return
	}
	slices.SortFunc(found, func(a, b oscapi.DirectLink) int { return strings.Compare(a.ID, b.ID) })

	data := directLinksDataSourceModel{
		DirectLinks: make([]directLinkView, len(found)),
		IDs:         make([]types.String, len(found)),
	}
	for i, dl := range found {
		data.DirectLinks[i] = directLinkView{
			ID:        types.StringValue(dl.ID),
			Name:      stringOrNull(dl.Name),
			AccountID: stringOrNull(dl.AccountID),
			Bandwidth: stringOrNull(dl.Bandwidth),
			Location:  stringOrNull(dl.Location),
			Region:    stringOrNull(dl.Region),
			State:     stringOrNull(dl.State),
		}
		data.IDs[i] = types.StringValue(dl.ID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}
