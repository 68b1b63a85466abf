package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// The resource identity both interface resources share (Terraform 1.12+,
// OpenTofu 1.12+): an interface ID is unique within a Region, and a provider
// configuration serves one Region, so the two name an interface for good.

type interfaceIdentityModel struct {
	ID     types.String `tfsdk:"id"`
	Region types.String `tfsdk:"region"`
}

func interfaceIdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       "ID of the interface (dxvif-...).",
				RequiredForImport: true,
			},
			"region": identityschema.StringAttribute{
				Description:       "Region of the interface; when given on import, it must be the provider configuration's Region.",
				OptionalForImport: true,
			},
		},
	}
}

// regioner is implemented by the API client: the Region it is configured for.
type regioner interface {
	Region() string
}

func regionOf(api oscapi.API) types.String {
	if r, ok := api.(regioner); ok && r.Region() != "" {
		return types.StringValue(r.Region())
	}
	return types.StringNull()
}

// setInterfaceIdentity records the identity of interface id. identity is nil
// when the CLI knows nothing of identities (before Terraform 1.12).
func setInterfaceIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, api oscapi.API, id types.String) diag.Diagnostics {
	if identity == nil || !isKnown(id) {
		return nil
	}
	return identity.Set(ctx, interfaceIdentityModel{ID: id, Region: regionOf(api)})
}

// importID is the interface ID to import: the import ID, or the identity's
// id when importing by identity, whose region must be this provider's.
func importID(ctx context.Context, api oscapi.API, req resource.ImportStateRequest, diags *diag.Diagnostics) string {
	if req.ID != "" || req.Identity == nil {
		return req.ID
	}
	var ident interfaceIdentityModel
	diags.Append(req.Identity.Get(ctx, &ident)...)
	if diags.HasError() {
		return ""
	}
	if want := regionOf(api); isKnown(ident.Region) && isKnown(want) && ident.Region.ValueString() != want.ValueString() {
		diags.AddError("Wrong Region for Import",
			fmt.Sprintf("The identity names interface %s in Region %s, but this provider configuration serves Region %s. "+
				"Import it with a provider configuration for %s (provider = osc.<alias> in the import block).",
				ident.ID.ValueString(), ident.Region.ValueString(), want.ValueString(), ident.Region.ValueString()))
		return ""
	}
	return ident.ID.ValueString()
}
