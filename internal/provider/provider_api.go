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

// providerData is what Configure hands to every resource and data source:
// the API client, and the ledger of the operation this configuration of
// the provider serves (Terraform configures the provider anew for each of
// its walks: plan, apply, import).
type providerData struct {
	api    oscapi.API
	ledger *operationLedger
}

// apiFromProviderData is what every resource and data source Configure calls:
// it returns nil (and no error) before the provider is configured, reports a
// wrong type, and, when needCredentials, turns a provider without credentials
// into an error that says how to set them. Only lookups that the API serves
// without authentication (locations) pass needCredentials=false.
func apiFromProviderData(data any, needCredentials bool, diags *diag.Diagnostics) oscapi.API {
	pd := providerDataFrom(data, diags)
	if pd == nil {
		return nil
	}
	if _, missing := pd.api.(withoutCredentials); missing && needCredentials {
		diags.AddError("Missing OUTSCALE Credentials", missingCredentialsDetail)
		return nil
	}
	return pd.api
}

// ledgerFromProviderData returns the operation's ledger, or a private one
// before the provider is configured (the resource then makes no API call).
func ledgerFromProviderData(data any) *operationLedger {
	if pd, ok := data.(*providerData); ok && pd.ledger != nil {
		return pd.ledger
	}
	return newOperationLedger()
}

func providerDataFrom(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return pd
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

func (withoutCredentials) ReadInterface(context.Context, string, oscapi.Freshness) (*oscapi.Interface, error) {
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

// sourcedAPI names, in every authentication failure, where the credentials
// it signed with came from: with two aliases and keys in the environment,
// "permission denied" alone does not say which keys were refused.
type sourcedAPI struct {
	oscapi.API
	source string // e.g. `profile "recipient" of /home/me/.osc/config.json`
}

// credentialError is an authentication failure with the credentials' origin.
type credentialError struct {
	err    error
	source string
}

func (e *credentialError) Error() string { return e.err.Error() }
func (e *credentialError) Unwrap() error { return e.err }

func (s sourcedAPI) annotate(err error) error {
	if err != nil && oscapi.IsAuth(err) && s.source != "" {
		return &credentialError{err: err, source: s.source}
	}
	return err
}

func (s sourcedAPI) CreateInterface(ctx context.Context, in oscapi.CreateInterfaceInput) (*oscapi.Interface, error) {
	out, err := s.API.CreateInterface(ctx, in)
	return out, s.annotate(err)
}

func (s sourcedAPI) ReadInterface(ctx context.Context, id string, fr oscapi.Freshness) (*oscapi.Interface, error) {
	out, err := s.API.ReadInterface(ctx, id, fr)
	return out, s.annotate(err)
}

func (s sourcedAPI) ListInterfaces(ctx context.Context, f oscapi.InterfaceFilter) ([]oscapi.Interface, error) {
	out, err := s.API.ListInterfaces(ctx, f)
	return out, s.annotate(err)
}

func (s sourcedAPI) UpdateInterfaceMTU(ctx context.Context, id string, mtu int64) (*oscapi.Interface, error) {
	out, err := s.API.UpdateInterfaceMTU(ctx, id, mtu)
	return out, s.annotate(err)
}

func (s sourcedAPI) DeleteInterface(ctx context.Context, id string) error {
	return s.annotate(s.API.DeleteInterface(ctx, id))
}

func (s sourcedAPI) ConfirmInterface(ctx context.Context, id, gateway string) error {
	return s.annotate(s.API.ConfirmInterface(ctx, id, gateway))
}

func (s sourcedAPI) WaitInterface(ctx context.Context, id string, opts oscapi.WaitOptions) (*oscapi.Interface, error) {
	out, err := s.API.WaitInterface(ctx, id, opts)
	return out, s.annotate(err)
}

func (s sourcedAPI) ListDirectLinks(ctx context.Context) ([]oscapi.DirectLink, error) {
	out, err := s.API.ListDirectLinks(ctx)
	return out, s.annotate(err)
}

func (s sourcedAPI) AccountID(ctx context.Context) (string, error) {
	a, ok := s.API.(accountIDer)
	if !ok {
		return "", fmt.Errorf("the API client cannot tell its own account ID")
	}
	id, err := a.AccountID(ctx)
	return id, s.annotate(err)
}

// Region passes the client's Region through, for resource identities.
func (s sourcedAPI) Region() string {
	if r, ok := s.API.(regioner); ok {
		return r.Region()
	}
	return ""
}
