package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/list"
	listschema "github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

var _ list.ListResourceWithConfigure = (*hostedInterfaceList)(nil)

// The two modes of osc_hosted_directlink_interface, as the list filter names them.
const (
	modeOwn    = "own"
	modeHosted = "hosted"
)

// NewHostedInterfaceListResource lists the interfaces osc_hosted_directlink_interface
// can manage, for terraform query (Terraform 1.14+).
func NewHostedInterfaceListResource() list.ListResource {
	return &hostedInterfaceList{}
}

type hostedInterfaceList struct {
	api oscapi.API
}

type hostedInterfaceListModel struct {
	DirectLinkIDs []types.String `tfsdk:"directlink_ids"`
	States        []types.String `tfsdk:"states"`
	NameRegex     types.String   `tfsdk:"name_regex"`
	Mode          types.String   `tfsdk:"mode"`
}

func (l *hostedInterfaceList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_hosted_directlink_interface"
}

func (l *hostedInterfaceList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = listschema.Schema{
		MarkdownDescription: "Finds the interfaces on your DirectLinks, those in your own account and those hosted for other accounts, " +
			"including the ones made outside Terraform (console, OUTSCALE CLIs), so that `terraform query -generate-config-out=FILE` " +
			"writes their `osc_hosted_directlink_interface` blocks and `import` blocks. Interfaces other accounts host for yours are " +
			"not listed: accept those with `osc_hosted_directlink_interface_accepter`. Needs Terraform 1.14 or later.",
		Attributes: map[string]listschema.Attribute{
			"directlink_ids": listschema.ListAttribute{
				MarkdownDescription: "Only interfaces on these DirectLinks (`dxcon-...`). Default: all of yours.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.List{listvalidator.ValueStringsAre(directLinkID())},
			},
			"states": listschema.ListAttribute{
				MarkdownDescription: "Only interfaces in one of these states: `" + strings.Join(interfaceStates, "`, `") + "`. " +
					"Default: every state but `deleted`.",
				ElementType: types.StringType,
				Optional:    true,
				Validators:  []validator.List{listvalidator.ValueStringsAre(stringvalidator.OneOf(interfaceStates...))},
			},
			"name_regex": listschema.StringAttribute{
				MarkdownDescription: "Only interfaces whose name matches this regular expression ([RE2 syntax](https://github.com/google/re2/wiki/Syntax); " +
					"unanchored: use `^` and `$` to match the whole name).",
				Optional:   true,
				Validators: []validator.String{regexValidator()},
			},
			"mode": listschema.StringAttribute{
				MarkdownDescription: "Only interfaces in your own account (`" + modeOwn + "`, declared with `virtual_gateway_id`) " +
					"or only those hosted for another account (`" + modeHosted + "`, declared with `owner_account_id`). Default: both.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(modeOwn, modeHosted)},
			},
		},
	}
}

func (l *hostedInterfaceList) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.api = apiFromProviderData(req.ProviderData, true, &resp.Diagnostics)
}

func (l *hostedInterfaceList) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg hostedInterfaceListModel
	diags := req.Config.Get(ctx, &cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if l.api == nil {
		diags.AddError("Provider Not Configured", "The provider block of this list could not be configured; see the errors above.")
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	found, hosted, err := l.listManageable(ctx, stringValues(cfg.DirectLinkIDs))
	if err != nil {
		diags.AddError("Unable to List DirectLink Interfaces",
			apiErrorDetail("Listing the interfaces on your DirectLinks failed.", err, "Check the provider's credentials and endpoints, then retry."))
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	keep := listFilter(cfg)
	stream.Results = func(push func(list.ListResult) bool) {
		for i := range found {
			in := &found[i]
			if !keep(in, hosted[in.ID]) {
				continue
			}
			if !push(l.result(ctx, req, in, hosted[in.ID])) {
				return
			}
		}
	}
}

// listManageable returns the interfaces on the caller's DirectLinks (every
// page, sorted by ID), and which of them are hosted for another account.
func (l *hostedInterfaceList) listManageable(ctx context.Context, directLinkIDs []string) ([]oscapi.Interface, map[string]bool, error) {
	links, err := l.api.ListDirectLinks(ctx)
	if err != nil {
		return nil, nil, err
	}
	mine := map[string]bool{}
	caller := ""
	for _, dl := range links {
		mine[dl.ID] = true
		if caller == "" {
			caller = dl.AccountID
		}
	}
	if len(links) == 0 {
		return nil, nil, nil // no DirectLink, nothing this resource can manage
	}
	if caller == "" {
		a, ok := l.api.(accountIDer)
		if !ok {
			return nil, nil, fmt.Errorf("the API client cannot tell its own account ID")
		}
		if caller, err = a.AccountID(ctx); err != nil {
			return nil, nil, err
		}
	}
	all, err := l.api.ListInterfaces(ctx, oscapi.InterfaceFilter{DirectLinkIDs: directLinkIDs})
	if err != nil {
		return nil, nil, err
	}
	found := filterInterfaces(all, nil, nil)
	hosted := map[string]bool{}
	n := 0
	for _, in := range found {
		// An interface on someone else's DirectLink is hosted for the
		// caller: the accepter's to manage, not this resource's.
		if !mine[in.DirectLinkID] {
			continue
		}
		hosted[in.ID] = in.AccountID != caller
		found[n] = in
		n++
	}
	return found[:n], hosted, nil
}

// listFilter is the configuration's filters, besides the DirectLinks, which
// the API applies.
func listFilter(cfg hostedInterfaceListModel) func(in *oscapi.Interface, hosted bool) bool {
	states := stringValues(cfg.States)
	var nameRegex *regexp.Regexp
	if isKnown(cfg.NameRegex) {
		// Validated before List is called; compiling cannot fail here.
		nameRegex = regexp.MustCompile(cfg.NameRegex.ValueString())
	}
	mode := cfg.Mode.ValueString()
	return func(in *oscapi.Interface, hosted bool) bool {
		switch {
		case len(states) == 0 && in.State == oscapi.StateDeleted,
			len(states) > 0 && !slices.Contains(states, in.State),
			nameRegex != nil && !nameRegex.MatchString(in.Name),
			mode == modeOwn && hosted,
			mode == modeHosted && !hosted:
			return false
		}
		return true
	}
}

// result is one listed interface: its identity, a name for people and, when
// asked, the resource object a refresh after importing it would store.
func (l *hostedInterfaceList) result(ctx context.Context, req list.ListRequest, in *oscapi.Interface, hosted bool) list.ListResult {
	r := req.NewListResult(ctx)
	mode := modeOwn
	if hosted {
		mode = modeHosted + " for " + in.AccountID
	}
	r.DisplayName = fmt.Sprintf("%s (%s, VLAN %d on %s, %s, %s)", in.Name, in.ID, in.VLAN, in.DirectLinkID, mode, in.State)
	r.Diagnostics.Append(r.Identity.Set(ctx, interfaceIdentityModel{ID: types.StringValue(in.ID), Region: regionOf(l.api)})...)
	if req.IncludeResource {
		r.Diagnostics.Append(r.Resource.Set(ctx, listedModel(in, hosted))...)
	}
	return r
}

// listedModel is the state of in as Read would refresh it after an import.
func listedModel(in *oscapi.Interface, hosted bool) hostedInterfaceModel {
	m := hostedInterfaceModel{
		BGPKey:          types.StringNull(),
		BGPKeyWO:        types.StringNull(),
		BGPKeyWOVersion: types.Int64Null(),
		OwnerAccountID:  types.StringNull(),
		Timeouts:        timeouts.Value{Object: types.ObjectNull(timeoutAttrTypes)},
	}
	if hosted {
		m.OwnerAccountID = types.StringValue(in.AccountID)
	}
	m.setFromAPI(in)
	return m
}

// timeoutAttrTypes is the object type of the resource's timeouts block.
var timeoutAttrTypes = map[string]attr.Type{
	"create": types.StringType,
	"update": types.StringType,
	"delete": types.StringType,
}
