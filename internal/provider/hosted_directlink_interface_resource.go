package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

var (
	_ resource.ResourceWithConfigure        = (*hostedInterfaceResource)(nil)
	_ resource.ResourceWithConfigValidators = (*hostedInterfaceResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*hostedInterfaceResource)(nil)
	_ resource.ResourceWithImportState      = (*hostedInterfaceResource)(nil)
	_ resource.ResourceWithIdentity         = (*hostedInterfaceResource)(nil)
)

const defaultInterfaceTimeout = 10 * time.Minute

// NewHostedInterfaceResource is the osc_hosted_directlink_interface resource.
func NewHostedInterfaceResource() resource.Resource {
	return &hostedInterfaceResource{}
}

type hostedInterfaceResource struct {
	api    oscapi.API
	ledger *operationLedger
}

type hostedInterfaceModel struct {
	ID types.String `tfsdk:"id"`
	interfaceAttributes
	BGPKey           types.String   `tfsdk:"bgp_key"`
	BGPKeyWO         types.String   `tfsdk:"bgp_key_wo"`
	BGPKeyWOVersion  types.Int64    `tfsdk:"bgp_key_wo_version"`
	VirtualGatewayID types.String   `tfsdk:"virtual_gateway_id"`
	OwnerAccountID   types.String   `tfsdk:"owner_account_id"`
	InterfaceType    types.String   `tfsdk:"interface_type"`
	Timeouts         timeouts.Value `tfsdk:"timeouts"`
}

func (r *hostedInterfaceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_hosted_directlink_interface"
}

func (r *hostedInterfaceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	// Values the API assigns when the configuration leaves them out: keep the
	// assigned value in plans, and replace only when the configuration asks
	// for another one.
	assigned := []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()}
	fixed := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}

	resp.Schema = schema.Schema{
		MarkdownDescription: "A DirectLink interface (private virtual interface) on one of your DirectLinks, either in your own account " +
			"(set `virtual_gateway_id`) or hosted for another OUTSCALE account (set `owner_account_id`), which must then accept it " +
			"(see `osc_hosted_directlink_interface_accepter`).\n\n" +
			"Creating waits until the interface is `confirming` (hosted, waiting for its recipient) or `available`. " +
			"Only `mtu` can change in place; changing any other argument replaces the interface. " +
			"An interface its recipient rejected, that expired unconfirmed, or that is being deleted outside Terraform is planned for replacement; " +
			"one deleted outside Terraform is planned for creation.\n\n" +
			"A VLAN that another interface already uses on the DirectLink fails the plan, naming that interface, and, when it is in no " +
			"Terraform state, printing the `import` block that adopts it; so does a VLAN that two instances of the configuration ask for. " +
			"Replacing an interface on the same VLAN (a rename, `-replace`, taint) works: the old one is deleted first. " +
			"An interface is adopted without an import only when this apply's own create made it but its answer was lost or was a server " +
			"error; `create_before_destroy` cannot keep the VLAN, since two interfaces cannot hold one.\n\n" +
			"Create, update and delete each wait at most 10 minutes, unless the `timeouts` block says otherwise.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "ID of the interface (`dxvif-...`).",
				Computed:            true,
				PlanModifiers:       fixed,
			},
			"directlink_id": schema.StringAttribute{
				MarkdownDescription: "ID of your DirectLink (`dxcon-` and a lower-case alphanumeric ID) that carries the interface. It must be `available`. Changing it replaces the interface.",
				Required:            true,
				PlanModifiers:       replace,
				Validators:          []validator.String{directLinkID()},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the interface. Changing it replaces the interface.",
				Required:            true,
				PlanModifiers:       replace,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 255)},
			},
			"vlan": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("VLAN number of the interface, from %d to %d, unique among the interfaces of the DirectLink. Changing it replaces the interface.", minVLAN, maxVLAN),
				Required:            true,
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
				Validators:          []validator.Int64{int64validator.Between(minVLAN, maxVLAN)},
			},
			"bgp_asn": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("BGP Autonomous System Number of the customer side, from %d to %d except OUTSCALE's own ASNs (%s). "+
					"OUTSCALE's documentation recommends a private ASN (64512 to 65534). Changing it replaces the interface.", minASN, maxASN, joinInts(reservedASNs)),
				Required:      true,
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
				Validators:    []validator.Int64{bgpASN()},
			},
			"bgp_key": schema.StringAttribute{
				MarkdownDescription: "BGP authentication key. When omitted, OUTSCALE generates one, which is stored here. Never shown in plans or logs, " +
					"but stored in the state: to keep the key out of the state, set `bgp_key_wo` instead. Changing it replaces the interface.",
				Optional:      true,
				Computed:      true,
				Sensitive:     true,
				PlanModifiers: bgpKeyPlanModifiers(assigned),
				Validators:    []validator.String{stringvalidator.LengthBetween(1, 255)},
			},
			"bgp_key_wo":         bgpKeyWOAttribute(),
			"bgp_key_wo_version": bgpKeyWOVersionAttribute(),
			"outscale_private_ip": schema.StringAttribute{
				MarkdownDescription: "IP of the OUTSCALE side, with its /30 prefix (e.g. `172.16.0.4/30`). Set it together with `client_private_ip`, " +
					"in the same /30 network; when both are omitted OUTSCALE assigns a pair in 169.254.0.0/16. Changing it replaces the interface.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: assigned,
				Validators: []validator.String{
					cidr30(),
					stringvalidator.AlsoRequires(path.MatchRoot("client_private_ip")),
				},
			},
			"client_private_ip": schema.StringAttribute{
				MarkdownDescription: "IP of the customer side, with its /30 prefix (e.g. `172.16.0.5/30`). Set it together with `outscale_private_ip`, " +
					"a different address of the same /30 network. Changing it replaces the interface.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: assigned,
				Validators: []validator.String{
					cidr30(),
					stringvalidator.AlsoRequires(path.MatchRoot("outscale_private_ip")),
				},
			},
			"virtual_gateway_id": schema.StringAttribute{
				MarkdownDescription: "ID of one of your virtual gateways (`vgw-` and a lower-case alphanumeric ID): the interface is created in your own account and attached to it. " +
					"Exactly one of `virtual_gateway_id` and `owner_account_id` is required. Changing it replaces the interface.",
				Optional:      true,
				PlanModifiers: replace,
				Validators:    []validator.String{virtualGatewayID()},
			},
			"owner_account_id": schema.StringAttribute{
				MarkdownDescription: "ID (12 digits) of the OUTSCALE account the interface is hosted for: it stays `confirming` until that account accepts it " +
					"and attaches it to one of its virtual gateways. Exactly one of `virtual_gateway_id` and `owner_account_id` is required. Changing it replaces the interface.",
				Optional:      true,
				PlanModifiers: replace,
				Validators:    []validator.String{accountID()},
			},
			"mtu": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Maximum transmission unit, in bytes. OUTSCALE supports only `%d`, the default. Changed in place.", onlyMTU),
				Optional:            true,
				Computed:            true,
				Default:             int64default.StaticInt64(onlyMTU),
				Validators:          []validator.Int64{int64validator.OneOf(onlyMTU)},
			},
			"state": schema.StringAttribute{
				MarkdownDescription: "State of the interface: `pending`, `confirming` (hosted, waiting for its recipient), `available`, `deleting`, `deleted`, " +
					"`rejected` (its recipient declined it) or `expired` (never confirmed). A `rejected`, `expired` or `deleting` interface is planned for replacement.",
				Computed: true,
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "ID of the account that owns the interface: yours, or the recipient's for a hosted interface.",
				Computed:            true,
				PlanModifiers:       fixed,
			},
			"interface_type": schema.StringAttribute{
				MarkdownDescription: "Type of the interface (always `private`).",
				Computed:            true,
				PlanModifiers:       fixed,
			},
			"location": schema.StringAttribute{
				MarkdownDescription: "Code of the datacenter where the DirectLink, and so the interface, is located (e.g. `PAR1`).",
				Computed:            true,
				PlanModifiers:       fixed,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true}),
		},
	}
}

func (r *hostedInterfaceResource) ConfigValidators(_ context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("virtual_gateway_id"), path.MatchRoot("owner_account_id")),
		privateIPPairValidator{},
	}
}

func (r *hostedInterfaceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.api = apiFromProviderData(req.ProviderData, true, &resp.Diagnostics)
	r.ledger = ledgerFromProviderData(req.ProviderData)
}

func (r *hostedInterfaceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan hostedInterfaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// A write-only value is only in the configuration, never in the plan.
	var keyWO types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("bgp_key_wo"), &keyWO)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, done, ok := beginOperation(ctx, plan.Timeouts.Create, r.api, &resp.Diagnostics, plan.BGPKey, keyWO)
	if !ok {
		return
	}
	defer done()

	in := plan.createInput()
	if isKnown(keyWO) {
		in.BGPKey = keyWO.ValueString()
	}
	what := fmt.Sprintf("Creating interface %q (VLAN %d) on DirectLink %s failed.", in.Name, in.VLAN, in.DirectLinkID)
	// A create whose answer was lost or was a 5xx is reconciled by reading,
	// never sent again blindly; see createOrAdopt.
	api := &createRecorder{API: r.api}
	created, adopted, err := createOrAdopt(ctx, api, r.ledger, in)
	switch {
	case err != nil && interrupted(ctx, err):
		resp.Diagnostics.AddError(interruptedDiagnostic(op, "Create of DirectLink Interface Interrupted",
			fmt.Sprintf("creating interface %q (VLAN %d) on DirectLink %s, before the API answered", in.Name, in.VLAN, in.DirectLinkID), "",
			"Whether OUTSCALE created the interface is unknown. The next plan reads the VLAN: if an interface holds it, the plan fails, "+
				"names it and prints the import block that adopts it; otherwise the next apply creates it."))
		return
	case err != nil && isVLANInUse(err) && api.lastErr != nil:
		resp.Diagnostics.AddAttributeError(path.Root("vlan"), "Unable to Create DirectLink Interface",
			apiErrorDetail(what, api.lastErr, err.Error()))
		return
	case err != nil:
		resp.Diagnostics.AddError("Unable to Create DirectLink Interface",
			apiErrorDetail(what, err, adviceFor(err, "Fix the configuration according to the message above, then apply again.")))
		return
	}
	if adopted {
		resp.Diagnostics.Append(adoptedWarning(created))
	}
	tflog.Info(ctx, "Created DirectLink interface", map[string]any{"id": created.ID, "state": created.State, "adopted": adopted})

	// The ID reaches the state before the wait: if the wait fails, Terraform
	// keeps the interface as tainted instead of losing track of it.
	plan.setFromAPI(created)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setInterfaceIdentity(ctx, resp.Identity, r.api, plan.ID)...)
	if resp.Diagnostics.HasError() {
		return
	}

	ready, err := r.api.WaitInterface(ctx, created.ID, oscapi.WaitOptions{
		Target:  []string{oscapi.StateConfirming, oscapi.StateAvailable},
		Pending: []string{oscapi.StatePending},
	})
	if err != nil {
		resp.Diagnostics.AddError(waitErrorDiagnostic(ctx, op, created.ID, "to be ready (confirming or available)", lastSeen(ready, created), err,
			fmt.Sprintf("Interface %s is kept in the Terraform state, marked tainted: the next apply deletes it and creates a new one "+
				"(terraform untaint keeps it instead, if it becomes ready).", created.ID)))
		return
	}
	plan.setFromAPI(ready)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *hostedInterfaceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state hostedInterfaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, unredacted := secured(ctx, r.api, &resp.Diagnostics, state.BGPKey)
	defer unredacted()

	found, err := r.api.ReadInterface(oscapi.OnDirectLink(ctx, state.DirectLinkID.ValueString()), state.ID.ValueString(), oscapi.FromSnapshot)
	if oscapi.IsNotFound(err) || (err == nil && found.State == oscapi.StateDeleted) {
		resp.Diagnostics.AddWarning("DirectLink Interface Not Found",
			fmt.Sprintf("DirectLink interface %s no longer exists (it was deleted outside Terraform), so it is removed from the Terraform state. "+
				"A plan that still declares this resource proposes to create it again; a -refresh-only plan only records that it is gone.",
				state.ID.ValueString()))
		// terraform-plugin-framework wants an identity after every Read
		// without error, even one that removes the resource.
		resp.Diagnostics.Append(setInterfaceIdentity(ctx, resp.Identity, r.api, state.ID)...)
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read DirectLink Interface",
			apiErrorDetail(fmt.Sprintf("Reading interface %s failed.", state.ID.ValueString()), err,
				adviceFor(err, "Retry; if it keeps failing, check the interface in the OUTSCALE console.")))
		return
	}

	if state.VirtualGatewayID.IsNull() && state.OwnerAccountID.IsNull() {
		// Just imported: only the ID is known, the mode is not.
		hosted, err := r.isHostedForAnother(ctx, found)
		if err != nil {
			resp.Diagnostics.AddError("Unable to Import DirectLink Interface",
				apiErrorDetail(fmt.Sprintf("Finding out whether interface %s is yours or hosted for another account failed.", found.ID), err,
					adviceFor(err, "Retry the import.")))
			return
		}
		if hosted {
			state.OwnerAccountID = types.StringValue(found.AccountID)
		}
	}
	state.setFromAPI(found)
	// A tainted instance is planned as a create with no prior state: the
	// ledger then knows this interface is the one its replacement destroys.
	r.ledger.noteRead(state.ID.ValueString(), state.createInput())
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setInterfaceIdentity(ctx, resp.Identity, r.api, state.ID)...)
}

// ModifyPlan keeps one VLAN to one interface and one interface to one
// resource instance (see checkVLANForCreate and operationLedger), and
// replaces an interface that can never carry traffic again: one its
// recipient rejected, one that expired unconfirmed, or one being deleted.
func (r *hostedInterfaceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		// A destroy on its own (the instance left the configuration).
		var id, name types.String
		var vlan types.Int64
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("name"), &name)...)
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("vlan"), &vlan)...)
		if !resp.Diagnostics.HasError() && !r.ledger.noteDestroyed(id.ValueString()) {
			resp.Diagnostics.AddError("DirectLink VLAN Destroyed and Created in Parallel", destroyedAndCreatedDetail(id.ValueString(), name.ValueString(), vlan.ValueInt64()))
		}
		return
	}
	var plan hostedInterfaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, unredacted := secured(ctx, r.api, &resp.Diagnostics, plan.BGPKey)
	defer unredacted()
	if req.State.Raw.IsNull() {
		// A create, or the create half of a replacement: fail now, not at
		// apply, when the VLAN is taken.
		resp.Diagnostics.Append(checkVLANForCreate(ctx, r.api, r.ledger, plan.createInput())...)
		return
	}
	var state hostedInterfaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The create half of this instance's replacement, if Terraform plans one
	// (a changed argument, -replace, taint), comes next with no prior state
	// and these arguments: the ledger tells it that this interface is its
	// predecessor, not a foreign holder of the VLAN.
	r.ledger.noteInState(state.ID.ValueString(), plan.createInput())

	var why string
	switch state.State.ValueString() {
	case oscapi.StateRejected:
		why = "was rejected by the account it is hosted for (deleted before being accepted)"
	case oscapi.StateExpired:
		why = "expired: the account it is hosted for did not accept it in time"
	case oscapi.StateDeleting:
		why = "is being deleted outside Terraform"
	default:
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("state"), types.StringUnknown())...)
	resp.RequiresReplace = append(resp.RequiresReplace, path.Root("state"))
	resp.Diagnostics.AddWarning("DirectLink Interface Will Be Replaced",
		fmt.Sprintf("DirectLink interface %s %s, so it can never carry traffic. Terraform plans to delete it and create a new one with the same arguments.",
			state.ID.ValueString(), why))
}

func (r *hostedInterfaceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state hostedInterfaceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, done, ok := beginOperation(ctx, plan.Timeouts.Update, r.api, &resp.Diagnostics, state.BGPKey)
	if !ok {
		return
	}
	defer done()
	id := state.ID.ValueString()

	if !plan.MTU.Equal(state.MTU) {
		if _, err := r.api.UpdateInterfaceMTU(ctx, id, plan.MTU.ValueInt64()); err != nil {
			if interrupted(ctx, err) {
				resp.Diagnostics.AddError(interruptedDiagnostic(op, "Update of DirectLink Interface Interrupted",
					fmt.Sprintf("setting the MTU of interface %s to %d", id, plan.MTU.ValueInt64()), state.State.ValueString(),
					"The state keeps the MTU it had; the next plan reads the interface and proposes the change again if it was not made."))
				return
			}
			resp.Diagnostics.AddError("Unable to Update DirectLink Interface",
				apiErrorDetail(fmt.Sprintf("Setting the MTU of interface %s to %d failed.", id, plan.MTU.ValueInt64()), err,
					adviceFor(err, "Retry the apply; if it keeps failing, check the interface's state.")))
			return
		}
		tflog.Info(ctx, "Updated DirectLink interface MTU", map[string]any{"id": id, "mtu": plan.MTU.ValueInt64()})
	}

	updated, err := r.api.ReadInterface(ctx, id, oscapi.Fresh)
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read DirectLink Interface",
			apiErrorDetail(fmt.Sprintf("Reading interface %s after its update failed.", id), err,
				adviceFor(err, "The update was made; run terraform plan to refresh the state.")))
		return
	}
	plan.setFromAPI(updated)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setInterfaceIdentity(ctx, resp.Identity, r.api, plan.ID)...)
}

func (r *hostedInterfaceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state hostedInterfaceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, done, ok := beginOperation(ctx, state.Timeouts.Delete, r.api, &resp.Diagnostics, state.BGPKey)
	if !ok {
		return
	}
	defer done()
	id := state.ID.ValueString()
	resp.Diagnostics.Append(deleteInterface(ctx, r.api, op, id, fmt.Sprintf("Deleting interface %s failed.", id))...)
}

func (r *hostedInterfaceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID = importID(ctx, r.api, req, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	if !interfaceIDPattern.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("%q is not a DirectLink interface ID. Import with the interface's ID, such as dxvif-12345678.", req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}

func (r *hostedInterfaceResource) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	interfaceIdentitySchema(ctx, req, resp)
}

// setFromAPI refreshes the model from the API. The mode attribute that is set
// (virtual_gateway_id or owner_account_id) says which mode the model is in;
// the other stays null: in hosted mode the gateway belongs to the recipient.
func (m *hostedInterfaceModel) setFromAPI(in *oscapi.Interface) {
	m.ID = types.StringValue(in.ID)
	m.interfaceAttributes.setFromAPI(in)
	m.InterfaceType = stringOrNull(in.InterfaceType)
	// The API may withhold the key from some readers; keep the one we know.
	if in.BGPKey != "" || m.BGPKey.IsUnknown() {
		m.BGPKey = stringOrNull(in.BGPKey)
	}
	if !m.BGPKeyWOVersion.IsNull() {
		// The key came from bgp_key_wo: the API echoes it, the state never holds it.
		m.BGPKey = types.StringNull()
	}
	if !m.OwnerAccountID.IsNull() {
		m.OwnerAccountID = stringOrNull(in.AccountID)
		m.VirtualGatewayID = types.StringNull()
	} else {
		m.VirtualGatewayID = stringOrNull(in.VirtualGatewayID)
	}
}

func (m *hostedInterfaceModel) createInput() oscapi.CreateInterfaceInput {
	in := m.interfaceAttributes.createInput()
	in.BGPKey = m.BGPKey.ValueString()
	in.VirtualGatewayID = m.VirtualGatewayID.ValueString()
	in.OwnerAccountID = m.OwnerAccountID.ValueString()
	return in
}

// isHostedForAnother tells the two modes apart for an interface known only by
// its ID: hosted when it sits on one of the caller's DirectLinks but belongs
// to another account. The caller sees an interface on someone else's
// DirectLink only as its owner: that is an interface of its own.
func (r *hostedInterfaceResource) isHostedForAnother(ctx context.Context, in *oscapi.Interface) (bool, error) {
	links, err := r.api.ListDirectLinks(ctx)
	if err != nil {
		return false, err
	}
	for _, l := range links {
		if l.ID != in.DirectLinkID {
			continue
		}
		caller := l.AccountID
		if caller == "" {
			a, ok := r.api.(accountIDer)
			if !ok {
				return false, errors.New("the API client cannot tell its own account ID")
			}
			if caller, err = a.AccountID(ctx); err != nil {
				return false, err
			}
		}
		return in.AccountID != caller, nil
	}
	return false, nil
}

// createRecorder keeps the API's own answer to the last create, so that a
// diagnostic can quote it even when the create's failure was then explained.
type createRecorder struct {
	oscapi.API
	lastErr error
}

func (c *createRecorder) CreateInterface(ctx context.Context, in oscapi.CreateInterfaceInput) (*oscapi.Interface, error) {
	out, err := c.API.CreateInterface(ctx, in)
	c.lastErr = err
	return out, err
}

func joinInts(v []int64) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}
