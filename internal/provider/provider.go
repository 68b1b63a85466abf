package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

var _ provider.Provider = (*oscProvider)(nil)

// New returns the provider factory main.go serves. version is set at release
// ("dev" for local builds, "test" in acceptance tests).
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &oscProvider{version: version, newAPI: newAPI}
	}
}

type oscProvider struct {
	version string
	// newAPI builds the API client; tests of Configure replace it to see the
	// resolved configuration without a network.
	newAPI func(context.Context, oscapi.Config) (oscapi.API, error)
}

type providerModel struct {
	AccessKeyID          types.String  `tfsdk:"access_key_id"`
	SecretKeyID          types.String  `tfsdk:"secret_key_id"`
	Region               types.String  `tfsdk:"region"`
	Profile              types.String  `tfsdk:"profile"`
	ConfigFile           types.String  `tfsdk:"config_file"`
	Endpoints            types.Object  `tfsdk:"endpoints"`
	Insecure             types.Bool    `tfsdk:"insecure"`
	MaxRequestsPerSecond types.Float64 `tfsdk:"max_requests_per_second"`
	MaxRetries           types.Int64   `tfsdk:"max_retries"`
}

type endpointsModel struct {
	API        types.String `tfsdk:"api"`
	DirectLink types.String `tfsdk:"direct_link"`
}

func (p *oscProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "osc"
	resp.Version = p.version
}

func (p *oscProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages OUTSCALE DirectLink interfaces, including interfaces hosted for other OUTSCALE accounts.\n\n" +
			"Each setting is taken from the first place that sets it: the provider block, then the environment " +
			"(`OSC_ACCESS_KEY`, `OSC_SECRET_KEY`, `OSC_REGION`, `OSC_ENDPOINT_API`, `OSC_ENDPOINT_DIRECT_LINK`, " +
			"`OSC_TLS_SKIP_VERIFY`), then the profile file (`~/.osc/config.json`, or `config_file` / `OSC_CONFIG_FILE`; " +
			"profile `profile` / `OSC_PROFILE`, else the file's default profile), the same order as the official OUTSCALE tools.",
		Attributes: map[string]schema.Attribute{
			"access_key_id": schema.StringAttribute{
				MarkdownDescription: "Access key ID of the OUTSCALE account. Falls back to `OSC_ACCESS_KEY`, then to `access_key` of the profile.",
				Optional:            true,
			},
			"secret_key_id": schema.StringAttribute{
				MarkdownDescription: "Secret key of the OUTSCALE account. Falls back to `OSC_SECRET_KEY`, then to `secret_key` of the profile. Never logged.",
				Optional:            true,
				Sensitive:           true,
			},
			"region": schema.StringAttribute{
				MarkdownDescription: "OUTSCALE Region, e.g. `eu-west-2`. Falls back to `OSC_REGION`, then to `region` of the profile, then to `eu-west-2`. " +
					"The default endpoints are derived from it.",
				Optional: true,
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
				},
			},
			"profile": schema.StringAttribute{
				MarkdownDescription: "Name of the profile to read from the profile file. Falls back to `OSC_PROFILE`, then to the file's default profile (`default`).",
				Optional:            true,
			},
			"config_file": schema.StringAttribute{
				MarkdownDescription: "Path of the profile file, in the format of the OUTSCALE CLIs. Falls back to `OSC_CONFIG_FILE`, then to `~/.osc/config.json`.",
				Optional:            true,
			},
			"insecure": schema.BoolAttribute{
				MarkdownDescription: "Skip the verification of the endpoints' TLS certificates. Falls back to `OSC_TLS_SKIP_VERIFY` (`true`), then to `tls_skip_verify` of the profile. Defaults to `false`.",
				Optional:            true,
			},
			"max_requests_per_second": schema.Float64Attribute{
				MarkdownDescription: "Upper bound on the requests per second this provider sends (both APIs together, as OUTSCALE throttles per account). Defaults to 10.",
				Optional:            true,
				Validators: []validator.Float64{
					float64validator.AtLeast(0.1),
				},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: "Maximum number of retries of one API call answered with a throttling or server error, from 1 to 100; the operation's timeout bounds them too. Defaults to 10.",
				Optional:            true,
				Validators: []validator.Int64{
					int64validator.Between(1, 100),
				},
			},
		},
		Blocks: map[string]schema.Block{
			"endpoints": schema.SingleNestedBlock{
				MarkdownDescription: "Endpoint overrides, e.g. for a private endpoint or a local emulator.",
				Attributes: map[string]schema.Attribute{
					"api": schema.StringAttribute{
						MarkdownDescription: "Base URL of the OUTSCALE API. Falls back to `OSC_ENDPOINT_API`, then to `endpoints.api` of the profile, then to `https://api.<region>.outscale.com/api/v1`.",
						Optional:            true,
						Validators:          []validator.String{endpointURL()},
					},
					"direct_link": schema.StringAttribute{
						MarkdownDescription: "Base URL of the DirectLink API. Falls back to `OSC_ENDPOINT_DIRECT_LINK`, then to `endpoints.direct_link` of the profile, then to `https://directlink.<region>.outscale.com`.",
						Optional:            true,
						Validators:          []validator.String{endpointURL()},
					},
				},
			},
		},
	}
}

func (p *oscProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	settings, diags := config.settings(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	cfg, diags := resolveConfig(settings)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	cfg.UserAgent = fmt.Sprintf("terraform-provider-osc/%s (+terraform %s)", p.version, req.TerraformVersion)

	api, err := p.newAPI(ctx, cfg)
	if err != nil {
		resp.Diagnostics.AddError(
			"Unable to Create OUTSCALE API Client",
			fmt.Sprintf("The provider could not set up its API client: %s\n\nCheck the provider configuration (endpoints, region, credentials).", err),
		)
		return
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		// Locations need no credentials, so a missing key only fails what needs one.
		api = withoutCredentials{api}
	}
	resp.ResourceData = api
	resp.DataSourceData = api
}

func (p *oscProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewHostedInterfaceResource,
		NewHostedInterfaceAccepterResource,
	}
}

func (p *oscProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewInterfaceDataSource,
		NewInterfacesDataSource,
		NewDirectLinksDataSource,
		NewLocationsDataSource,
	}
}
