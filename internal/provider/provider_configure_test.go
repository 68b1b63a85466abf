package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// configureWith runs the provider's Configure on a provider block given as
// attribute values (absent ones null), with a client constructor that only
// records the configuration it is given.
func configureWith(t *testing.T, attrs map[string]tftypes.Value) (oscapi.Config, *provider.ConfigureResponse) {
	t.Helper()
	ctx := context.Background()
	var captured oscapi.Config
	p := &oscProvider{version: "1.2.3", newAPI: func(_ context.Context, cfg oscapi.Config) (oscapi.API, error) {
		captured = cfg
		return stubAPI{}, nil
	}}
	schemaResp := &provider.SchemaResponse{}
	p.Schema(ctx, provider.SchemaRequest{}, schemaResp)
	objType := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	values := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		if v, ok := attrs[name]; ok {
			values[name] = v
		} else {
			values[name] = tftypes.NewValue(typ, nil)
		}
	}
	resp := &provider.ConfigureResponse{}
	p.Configure(ctx, provider.ConfigureRequest{
		TerraformVersion: "1.11.4",
		Config:           tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(objType, values)},
	}, resp)
	return captured, resp
}

type stubAPI struct{ oscapi.API }

func TestConfigure(t *testing.T) {
	isolateEnv(t)
	endpointsType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"api": tftypes.String, "direct_link": tftypes.String}}
	cfg, resp := configureWith(t, map[string]tftypes.Value{
		"access_key_id": tftypes.NewValue(tftypes.String, "AK"),
		"secret_key_id": tftypes.NewValue(tftypes.String, "SK"),
		"max_retries":   tftypes.NewValue(tftypes.Number, 3),
		"endpoints": tftypes.NewValue(endpointsType, map[string]tftypes.Value{
			"api":         tftypes.NewValue(tftypes.String, "http://127.0.0.1:1/api/v1"),
			"direct_link": tftypes.NewValue(tftypes.String, nil),
		}),
	})
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if cfg.UserAgent != "terraform-provider-osc/1.2.3 (+terraform 1.11.4)" {
		t.Errorf("user agent %q", cfg.UserAgent)
	}
	if cfg.AccessKey != "AK" || cfg.SecretKey != "SK" || cfg.MaxRetries != 3 ||
		cfg.APIEndpoint != "http://127.0.0.1:1/api/v1" || cfg.DirectLinkEndpoint != "https://directlink.eu-west-2.outscale.com" {
		t.Errorf("resolved configuration %+v", cfg)
	}
	var diags diag.Diagnostics
	if api := apiFromProviderData(resp.ResourceData, true, &diags); api == nil || diags.HasError() {
		t.Errorf("resources get no usable API: %v", diags)
	}
}

// Without credentials the provider still configures (locations need none),
// and whatever needs them fails with a message saying how to set them.
func TestConfigureWithoutCredentials(t *testing.T) {
	isolateEnv(t)
	_, resp := configureWith(t, nil)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	var diags diag.Diagnostics
	if api := apiFromProviderData(resp.DataSourceData, false, &diags); api == nil || diags.HasError() {
		t.Errorf("a lookup without credentials gets no API: %v", diags)
	}
	if api := apiFromProviderData(resp.ResourceData, true, &diags); api != nil || !diags.HasError() {
		t.Fatal("a resource got an API without credentials")
	}
	if d := diags.Errors()[0]; d.Summary() != "Missing OUTSCALE Credentials" {
		t.Errorf("diagnostic %q: %s", d.Summary(), d.Detail())
	}
	if _, err := resp.ResourceData.(*providerData).api.ReadInterface(context.Background(), "dxvif-12345678", oscapi.Fresh); !oscapi.IsAuth(err) {
		t.Errorf("a call without credentials returned %v, want an authentication error", err)
	}
}

func TestConfigureUnknownValue(t *testing.T) {
	isolateEnv(t)
	_, resp := configureWith(t, map[string]tftypes.Value{
		"access_key_id": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"secret_key_id": tftypes.NewValue(tftypes.String, "SK"),
	})
	if !resp.Diagnostics.HasError() || resp.ResourceData != nil {
		t.Fatalf("an unknown access_key_id configured the provider: %v", resp.Diagnostics)
	}
}
