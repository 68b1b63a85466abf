package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// newAPI builds the client the provider hands to resources and data sources.
func newAPI(ctx context.Context, cfg oscapi.Config) (oscapi.API, error) {
	return oscapi.New(ctx, cfg)
}

// apiFromProviderData is what every resource and data source Configure calls:
// it returns nil (and no error) before the provider is configured, reports a
// wrong type, and, when needCredentials, turns a provider without credentials
// into an error that says how to set them. Only lookups that the API serves
// without authentication (locations) pass needCredentials=false.
func apiFromProviderData(providerData any, needCredentials bool, diags *diag.Diagnostics) oscapi.API {
	if providerData == nil {
		return nil
	}
	api, ok := providerData.(oscapi.API)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected an oscapi.API, got %T. This is a bug in the provider; please report it.", providerData))
		return nil
	}
	if _, missing := api.(withoutCredentials); missing && needCredentials {
		diags.AddError("Missing OUTSCALE Credentials", missingCredentialsDetail)
		return nil
	}
	return api
}

// accountIDer is implemented by the API client: the caller's own account ID,
// which tells an interface of one's own from one hosted for someone else.
type accountIDer interface {
	AccountID(ctx context.Context) (string, error)
}

// withoutCredentials serves what needs no credentials (ListLocations) and
// answers everything else with an authentication error naming the settings.
type withoutCredentials struct {
	oscapi.API
}

func errMissingCredentials(action string) error {
	return &oscapi.Error{Kind: oscapi.KindAuth, Action: action, Message: missingCredentialsDetail}
}

func (withoutCredentials) CreateInterface(context.Context, oscapi.CreateInterfaceInput) (*oscapi.Interface, error) {
	return nil, errMissingCredentials("CreateInterface")
}

func (withoutCredentials) ReadInterface(context.Context, string) (*oscapi.Interface, error) {
	return nil, errMissingCredentials("ReadInterface")
}

func (withoutCredentials) ListInterfaces(context.Context, oscapi.InterfaceFilter) ([]oscapi.Interface, error) {
	return nil, errMissingCredentials("ListInterfaces")
}

func (withoutCredentials) UpdateInterfaceMTU(context.Context, string, int64) (*oscapi.Interface, error) {
	return nil, errMissingCredentials("UpdateInterfaceMTU")
}

func (withoutCredentials) DeleteInterface(context.Context, string) error {
	return errMissingCredentials("DeleteInterface")
}

func (withoutCredentials) ConfirmInterface(context.Context, string, string) error {
	return errMissingCredentials("ConfirmInterface")
}

func (withoutCredentials) WaitInterface(context.Context, string, oscapi.WaitOptions) (*oscapi.Interface, error) {
	return nil, errMissingCredentials("WaitInterface")
}

func (withoutCredentials) ListDirectLinks(context.Context) ([]oscapi.DirectLink, error) {
	return nil, errMissingCredentials("ListDirectLinks")
}

func (withoutCredentials) AccountID(context.Context) (string, error) {
	return "", errMissingCredentials("AccountID")
}
