package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

var (
	_ resource.ResourceWithConfigure   = (*accepterResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*accepterResource)(nil)
	_ resource.ResourceWithImportState = (*accepterResource)(nil)
	_ resource.ResourceWithIdentity    = (*accepterResource)(nil)
)

// NewHostedInterfaceAccepterResource is the osc_hosted_directlink_interface_accepter resource.
func NewHostedInterfaceAccepterResource() resource.Resource {
	return &accepterResource{}
}

type accepterResource struct {
	api    oscapi.API
	ledger *operationLedger
}

type accepterModel struct {
	ID                    types.String `tfsdk:"id"`
	DirectLinkInterfaceID types.String `tfsdk:"directlink_interface_id"`
	VirtualGatewayID      types.String `tfsdk:"virtual_gateway_id"`
	interfaceAttributes
	InterfaceType types.String   `tfsdk:"interface_type"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

// accepterDestroyNote is said in the schema, the examples and the docs: the
// AWS provider's accepter leaves the interface in place on destroy, this one
// does not, and users coming from it must know.
const accepterDestroyNote = "**Destroying this resource deletes the interface.** Once accepted, the interface belongs to your " +
	"account (its `account_id` is yours), so destroying the resource that accepted it deletes it and waits until it is gone; " +
	"the DirectLink owner's `osc_hosted_directlink_interface` then finds it gone and treats its own destroy as done. " +
	"This differs from the AWS provider's `aws_dx_hosted_private_virtual_interface_accepter`, which only forgets the interface " +
	"and leaves it running. To stop managing the interface without deleting it, remove it from the state instead " +
	"(`terraform state rm`, or a `removed` block with `lifecycle { destroy = false }`)."

func (r *accepterResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_hosted_directlink_interface_accepter"
}

func (r *accepterResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	// Every mirrored value is set by the DirectLink owner at creation and never
	// changes; keeping it in plans avoids "(known after apply)" noise when only
	// the timeouts change.
	fixed := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	fixedInt := []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}

	resp.Schema = schema.Schema{
		MarkdownDescription: "Accepts, as its recipient, a DirectLink interface that another OUTSCALE account hosts for yours " +
			"(an `osc_hosted_directlink_interface` with `owner_account_id`), and attaches it to one of your virtual gateways.\n\n" +
			"Creating confirms the interface (it must be `confirming`; one its owner just allocated, still `pending`, is waited for first) " +
			"and waits until it is `available`. An interface already accepted and attached to the same virtual gateway is adopted as it is; " +
			"every such decision is taken on a fresh read of the interface. A plan that would replace an accepter of the same interface " +
			"(a new `virtual_gateway_id`, taint, `-replace`) fails: the destroy would delete the interface, which could then not be accepted again. The other attributes mirror the interface, " +
			"as set by the DirectLink owner. If the interface is deleted, rejected or expires, the next refresh removes this " +
			"resource from the state with a warning.\n\n" + accepterDestroyNote,
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "ID of the accepted interface, the same as `directlink_interface_id`.",
				Computed:            true,
				PlanModifiers:       fixed,
			},
			"directlink_interface_id": schema.StringAttribute{
				MarkdownDescription: "ID of the interface hosted for your account (`dxvif-` and a lower-case alphanumeric ID). Changing it replaces the resource: the interface accepted before is deleted.",
				Required:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{interfaceID()},
			},
			"virtual_gateway_id": schema.StringAttribute{
				MarkdownDescription: "ID of one of your virtual gateways (`vgw-` and a lower-case alphanumeric ID) to attach the interface to. " +
					"OUTSCALE cannot move an accepted interface to another gateway, so changing it for the same interface fails the plan " +
					"(a replacement would delete the interface and then fail to accept it); ask the DirectLink owner for a new interface instead.",
				Required:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{virtualGatewayID()},
			},
			"directlink_id": schema.StringAttribute{
				MarkdownDescription: "ID of the DirectLink that carries the interface (it belongs to the account that hosts the interface).",
				Computed:            true,
				PlanModifiers:       fixed,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the interface, as the DirectLink owner set it.",
				Computed:            true,
				PlanModifiers:       fixed,
			},
			"vlan": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("VLAN number of the interface (%d to %d).", minVLAN, maxVLAN),
				Computed:            true,
				PlanModifiers:       fixedInt,
			},
			"bgp_asn": schema.Int64Attribute{
				MarkdownDescription: "BGP Autonomous System Number of the customer side, the side you configure on your router.",
				Computed:            true,
				PlanModifiers:       fixedInt,
			},
			"outscale_private_ip": schema.StringAttribute{
				MarkdownDescription: "IP of the OUTSCALE side, with its /30 prefix (e.g. `172.16.0.4/30`).",
				Computed:            true,
				PlanModifiers:       fixed,
			},
			"client_private_ip": schema.StringAttribute{
				MarkdownDescription: "IP of the customer side, with its /30 prefix (e.g. `172.16.0.5/30`): the address of your router.",
				Computed:            true,
				PlanModifiers:       fixed,
			},
			"mtu": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Maximum transmission unit, in bytes (always `%d`).", onlyMTU),
				Computed:            true,
				PlanModifiers:       fixedInt,
			},
			"state": schema.StringAttribute{
				MarkdownDescription: "State of the interface: `available` once accepted; `pending` while OUTSCALE sets it up.",
				Computed:            true,
				PlanModifiers:       fixed,
			},
			"account_id": schema.StringAttribute{
				MarkdownDescription: "ID of the account that owns the interface: yours, once accepted.",
				Computed:            true,
				PlanModifiers:       fixed,
			},
			"interface_type": schema.StringAttribute{
				MarkdownDescription: "Type of the interface (always `private`).",
				Computed:            true,
				PlanModifiers:       fixed,
			},
			"location": schema.StringAttribute{
				MarkdownDescription: "Code of the datacenter where the interface is located (e.g. `PAR1`).",
				Computed:            true,
				PlanModifiers:       fixed,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Delete: true}),
		},
	}
}

func (r *accepterResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.api = apiFromProviderData(req.ProviderData, true, &resp.Diagnostics)
	r.ledger = ledgerFromProviderData(req.ProviderData)
}

// ModifyPlan refuses, at plan time, a replacement that would delete the
// accepted interface and then fail: OUTSCALE cannot accept an interface
// twice, nor move it to another gateway. A replacement that follows a new
// interface (directlink_interface_id changes) is fine.
func (r *accepterResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return
	}
	var plan accepterModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !isKnown(plan.DirectLinkInterfaceID) {
		return
	}
	id := plan.DirectLinkInterfaceID.ValueString()
	if req.State.Raw.IsNull() {
		// The create half of a replacement Terraform decided alone (taint,
		// -replace): the same interface, accepted by this configuration.
		if r.ledger.isAccepted(id) {
			resp.Diagnostics.AddError("Accepted DirectLink Interface Cannot Be Replaced", accepterReplaceDetail(id,
				"this resource is planned for replacement (tainted, or named by -replace)",
				"Run terraform untaint on it (or drop -replace): the accepted interface is fine as it is."))
			return
		}
		// A plan with -refresh=false shows the provider nothing of a tainted
		// accepter but this create: an interface accepted already may be
		// adopted, or may be about to be deleted by the replacement.
		if r.api == nil {
			return
		}
		found, err := r.api.ReadInterface(ctx, id, oscapi.FromSnapshot)
		if err == nil && found.VirtualGatewayID != "" && (found.State == oscapi.StateAvailable || found.State == oscapi.StatePending) {
			resp.Diagnostics.AddAttributeWarning(path.Root("directlink_interface_id"), "DirectLink Interface Accepted Already",
				fmt.Sprintf("DirectLink interface %s is accepted already and attached to virtual gateway %s. If this plan creates the accepter, "+
					"apply adopts the interface as it is. If it replaces an accepter (tainted, or named by -replace, planned with -refresh=false), "+
					"applying it deletes the interface first, and it cannot be accepted again: run terraform untaint instead, "+
					"or plan without -refresh=false, which refuses that replacement.", id, found.VirtualGatewayID))
		}
		return
	}
	var state accepterModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.ledger.noteAccepted(state.ID.ValueString())
	if id != state.DirectLinkInterfaceID.ValueString() || !isKnown(plan.VirtualGatewayID) ||
		plan.VirtualGatewayID.Equal(state.VirtualGatewayID) {
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root("virtual_gateway_id"), "Accepted DirectLink Interface Cannot Move",
		accepterReplaceDetail(id,
			fmt.Sprintf("virtual_gateway_id changes from %s to %s, and OUTSCALE cannot move an accepted interface to another gateway",
				state.VirtualGatewayID.ValueString(), plan.VirtualGatewayID.ValueString()),
			fmt.Sprintf("Keep virtual_gateway_id = %q. To attach the DirectLink to the other gateway, ask the DirectLink owner to host a new "+
				"interface for your account and point directlink_interface_id at it.", state.VirtualGatewayID.ValueString())))
}

// accepterReplaceDetail explains why replacing an accepter of the same
// interface is refused, and the way out.
func accepterReplaceDetail(id, why, wayOut string) string {
	return fmt.Sprintf("Interface %s would be replaced because %s. Replacing an accepter destroys it first, which deletes the accepted interface "+
		"(see the resource's destroy semantics), and then the new accepter fails: a deleted interface cannot be accepted again. "+
		"Traffic would stop until the DirectLink owner hosts a new interface.\n\n%s\n\n"+
		"To stop managing the interface without deleting it, remove it from the state instead "+
		"(terraform state rm, or a removed block with lifecycle { destroy = false }).", id, why, wayOut)
}

func (r *accepterResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan accepterModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, done, ok := beginOperation(ctx, plan.Timeouts.Create, r.api, &resp.Diagnostics)
	if !ok {
		return
	}
	defer done()
	id, gateway := plan.DirectLinkInterfaceID.ValueString(), plan.VirtualGatewayID.ValueString()

	// Every decision here is taken on a fresh read: a snapshot taken at the
	// start of the operation may predate the owner's allocation or an accept.
	found, err := r.api.ReadInterface(ctx, id, oscapi.Fresh)
	if oscapi.IsNotFound(err) {
		resp.Diagnostics.AddError("DirectLink Interface Not Found",
			apiErrorDetail(fmt.Sprintf("DirectLink interface %s does not exist or is not hosted for your account.", id), err,
				"Check directlink_interface_id, and that this provider uses the credentials of the account the interface is hosted for."))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Unable to Read DirectLink Interface",
			apiErrorDetail(fmt.Sprintf("Reading interface %s before accepting it failed.", id), err, adviceFor(err, "Check the provider's credentials and endpoints, then retry.")))
		return
	}

	if found.State == oscapi.StatePending && found.VirtualGatewayID == "" {
		// Just allocated by its owner: it can be confirmed once OUTSCALE
		// has made it "confirming".
		confirming, err := r.api.WaitInterface(ctx, id, oscapi.WaitOptions{
			Target:  []string{oscapi.StateConfirming},
			Pending: []string{oscapi.StatePending},
		})
		if err != nil {
			resp.Diagnostics.AddError(waitErrorDiagnostic(ctx, op, id, "to wait for its recipient (confirming)", lastSeen(confirming, found), err,
				"Nothing was accepted and nothing is in the state: the next apply tries again."))
			return
		}
		found = confirming
	}

	switch {
	case found.State == oscapi.StateConfirming:
		if !r.confirm(ctx, op, id, gateway, &resp.Diagnostics) {
			return
		}
	case (found.State == oscapi.StatePending || found.State == oscapi.StateAvailable) && found.VirtualGatewayID != "":
		// Accepted already, outside this resource: adopt it, but only as it
		// is, attached to the configured gateway.
		if !r.checkAdoptable(ctx, found, gateway, &resp.Diagnostics) {
			return
		}
		tflog.Info(ctx, "Adopting a DirectLink interface accepted already", map[string]any{"id": id, "state": found.State})
	default:
		resp.Diagnostics.AddError("DirectLink Interface Cannot Be Accepted",
			fmt.Sprintf("DirectLink interface %s %s: only an interface waiting for its recipient (\"confirming\") can be accepted.\n\n"+
				"Ask the DirectLink owner to host a new interface for your account.", id, notConfirmingReason(found)))
		return
	}

	// The ID reaches the state before the wait: if the wait fails, Terraform
	// keeps the accepted interface as tainted instead of losing track of it.
	plan.ID = types.StringValue(id)
	plan.setFromAPI(found)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setInterfaceIdentity(ctx, resp.Identity, r.api, plan.ID)...)
	if resp.Diagnostics.HasError() {
		return
	}

	ready, err := r.api.WaitInterface(ctx, id, oscapi.WaitOptions{
		Target:  []string{oscapi.StateAvailable},
		Pending: []string{oscapi.StateConfirming, oscapi.StatePending},
	})
	if err != nil {
		resp.Diagnostics.AddError(waitErrorDiagnostic(ctx, op, id, "to be available", lastSeen(ready, found), err,
			fmt.Sprintf("Interface %s was accepted and is kept in the Terraform state, marked tainted. Once it is available, "+
				"run terraform untaint on this resource: replacing it would delete the interface.", id)))
		return
	}
	plan.setFromAPI(ready)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// confirm accepts the interface. When the API refuses or does not answer,
// the interface's state tells what happened: accepted all the same (a lost
// answer), or no longer waiting for confirmation, which is said plainly.
func (r *accepterResource) confirm(ctx context.Context, op operation, id, gateway string, diags *diag.Diagnostics) bool {
	err := r.api.ConfirmInterface(ctx, id, gateway)
	if err == nil {
		tflog.Info(ctx, "Accepted DirectLink interface", map[string]any{"id": id, "virtual_gateway_id": gateway})
		return true
	}
	if interrupted(ctx, err) {
		diags.AddError(interruptedDiagnostic(op, "Accept of DirectLink Interface Interrupted",
			fmt.Sprintf("accepting interface %s, before the API answered", id), oscapi.StateConfirming,
			"Whether OUTSCALE accepted the interface is unknown; nothing is in the state. The next apply reads it: it accepts it "+
				"if it is still confirming, and adopts it if it was accepted and attached to this virtual gateway."))
		return false
	}
	now, readErr := r.api.ReadInterface(ctx, id, oscapi.Fresh)
	if readErr == nil && now.State == oscapi.StateConfirming && oscapi.MaybeDone(err) {
		// A server error or a lost answer, and the fresh read shows the
		// confirmation was not carried out: sending it once more is safe.
		tflog.Warn(ctx, "The confirmation was not carried out (the interface is still confirming): sending it once more", map[string]any{"id": id})
		if err = r.api.ConfirmInterface(ctx, id, gateway); err == nil {
			tflog.Info(ctx, "Accepted DirectLink interface", map[string]any{"id": id, "virtual_gateway_id": gateway})
			return true
		}
		now, readErr = r.api.ReadInterface(ctx, id, oscapi.Fresh)
	}
	switch {
	case readErr != nil || now.State == oscapi.StateConfirming:
		diags.AddError("Unable to Accept DirectLink Interface",
			apiErrorDetail(fmt.Sprintf("Accepting interface %s and attaching it to virtual gateway %s failed.", id, gateway), err,
				"Check that virtual_gateway_id is one of your virtual gateways and that the interface is hosted for your account."))
		return false
	case (now.State == oscapi.StatePending || now.State == oscapi.StateAvailable) && now.VirtualGatewayID == gateway:
		tflog.Info(ctx, "DirectLink interface accepted although the confirmation failed", map[string]any{"id": id, "error": err.Error()})
		return true
	default:
		diags.AddError("DirectLink Interface Cannot Be Accepted",
			apiErrorDetail(fmt.Sprintf("DirectLink interface %s %s: only an interface waiting for its recipient (\"confirming\") can be accepted.",
				id, notConfirmingReason(now)), err,
				"If it was accepted meanwhile, run the apply again to adopt it; otherwise ask the DirectLink owner to host a new interface."))
		return false
	}
}

// notConfirmingReason says why an interface cannot be confirmed.
func notConfirmingReason(it *oscapi.Interface) string {
	if (it.State == oscapi.StatePending || it.State == oscapi.StateAvailable) && it.VirtualGatewayID != "" {
		return fmt.Sprintf("was accepted already and is attached to virtual gateway %s (state %q)", it.VirtualGatewayID, it.State)
	}
	return fmt.Sprintf("is %q%s", it.State, stateMeaning(it.State))
}

// checkAdoptable allows adopting an interface accepted already only if it is
// the caller's and attached to the configured gateway: anything else would
// show as a replacement, whose destroy deletes the interface.
func (r *accepterResource) checkAdoptable(ctx context.Context, found *oscapi.Interface, gateway string, diags *diag.Diagnostics) bool {
	if found.VirtualGatewayID != "" && found.VirtualGatewayID != gateway {
		diags.AddError("DirectLink Interface Accepted Already",
			fmt.Sprintf("DirectLink interface %s was accepted already and is attached to virtual gateway %s, not %s. "+
				"OUTSCALE cannot move it to another gateway.\n\nTo manage it as it is, set virtual_gateway_id = %q.",
				found.ID, found.VirtualGatewayID, gateway, found.VirtualGatewayID))
		return false
	}
	// Who may see the interface tells whose it is, without the caller's
	// account ID (which an account without DirectLinks cannot learn): the
	// owner of its DirectLink, or the interface's own account.
	links, err := r.api.ListDirectLinks(ctx)
	if err != nil {
		diags.AddError("Unable to Accept DirectLink Interface",
			apiErrorDetail(fmt.Sprintf("DirectLink interface %s was accepted already; telling whether it is yours needs your DirectLinks, which could not be read.", found.ID), err,
				"Check the provider's credentials, then retry."))
		return false
	}
	for _, dl := range links {
		if dl.ID == found.DirectLinkID && found.AccountID != dl.AccountID {
			diags.AddError("DirectLink Interface Not Hosted for You",
				fmt.Sprintf("DirectLink interface %s is hosted on your DirectLink %s for account %s: only that account can accept it.\n\n"+
					"Use a provider configuration with that account's credentials.", found.ID, dl.ID, found.AccountID))
			return false
		}
	}
	return true
}

func (r *accepterResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state accepterModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	id := state.ID.ValueString()

	found, err := r.api.ReadInterface(ctx, id, oscapi.FromSnapshot)
	if err != nil && !oscapi.IsNotFound(err) {
		resp.Diagnostics.AddError("Unable to Read DirectLink Interface",
			apiErrorDetail(fmt.Sprintf("Reading interface %s failed.", id), err, "Check the provider's credentials and endpoints, then retry."))
		return
	}
	if gone, why := accepterGone(found, err); gone {
		resp.Diagnostics.AddWarning("Accepted DirectLink Interface Gone",
			fmt.Sprintf("DirectLink interface %s %s, so this resource is removed from the Terraform state. "+
				"The next plan accepts it again, which fails unless the DirectLink owner hosts it again for your account.", id, why))
		// terraform-plugin-framework wants an identity after every Read
		// without error, even one that removes the resource.
		resp.Diagnostics.Append(setInterfaceIdentity(ctx, resp.Identity, r.api, state.ID)...)
		resp.State.RemoveResource(ctx)
		return
	}
	r.ledger.noteAccepted(state.ID.ValueString())
	state.setFromAPI(found)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setInterfaceIdentity(ctx, resp.Identity, r.api, state.ID)...)
}

// accepterGone tells whether an accepted interface can never carry traffic
// again, and why, from the result of reading it.
func accepterGone(found *oscapi.Interface, err error) (bool, string) {
	if oscapi.IsNotFound(err) {
		return true, "no longer exists (it was deleted outside Terraform)"
	}
	switch found.State {
	case oscapi.StateDeleting, oscapi.StateDeleted:
		return true, fmt.Sprintf("is %s (deleted outside Terraform, by you or the DirectLink owner)", found.State)
	case oscapi.StateRejected:
		return true, "was rejected (deleted before being accepted)"
	case oscapi.StateExpired:
		return true, "expired before being accepted"
	}
	return false, ""
}

// Update only ever changes timeouts: every argument forces replacement.
func (r *accepterResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state accepterModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.Timeouts = plan.Timeouts
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(setInterfaceIdentity(ctx, resp.Identity, r.api, state.ID)...)
}

func (r *accepterResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state accepterModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, done, ok := beginOperation(ctx, state.Timeouts.Delete, r.api, &resp.Diagnostics)
	if !ok {
		return
	}
	defer done()
	id := state.ID.ValueString()

	// The recipient owns an accepted interface: destroying the acceptance
	// deletes it (see accepterDestroyNote). A recipient deleting an interface
	// it never confirmed rejects it, which is as final as deleted.
	resp.Diagnostics.Append(deleteInterface(ctx, r.api, op, id,
		fmt.Sprintf("Deleting the accepted interface %s failed.", id), oscapi.StateRejected)...)
}

// ImportState takes the interface's ID. Only an accepted interface can be
// imported: importing one still waiting for confirmation would plan its
// replacement, whose destroy deletes it.
func (r *accepterResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if req.ID = importID(ctx, r.api, req, &resp.Diagnostics); resp.Diagnostics.HasError() {
		return
	}
	if !interfaceIDPattern.MatchString(req.ID) {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("%q is not a DirectLink interface ID. Import with the interface's ID, such as dxvif-12345678.", req.ID))
		return
	}
	if r.api != nil {
		found, err := r.api.ReadInterface(ctx, req.ID, oscapi.Fresh)
		if err != nil {
			resp.Diagnostics.AddError("Unable to Import DirectLink Interface",
				apiErrorDetail(fmt.Sprintf("Reading interface %s failed.", req.ID), err,
					"Check the ID, and that this provider uses the credentials of the account that accepted the interface."))
			return
		}
		if found.State == oscapi.StateConfirming {
			resp.Diagnostics.AddError("DirectLink Interface Not Accepted Yet",
				fmt.Sprintf("DirectLink interface %s is still waiting for its recipient (\"confirming\"), so there is no acceptance to import. "+
					"Declare the osc_hosted_directlink_interface_accepter resource and apply instead: that accepts it.", req.ID))
			return
		}
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("directlink_interface_id"), req.ID)...)
}

func (r *accepterResource) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	interfaceIdentitySchema(ctx, req, resp)
}

// setFromAPI refreshes the model from the API.
func (m *accepterModel) setFromAPI(in *oscapi.Interface) {
	m.ID = types.StringValue(in.ID)
	m.DirectLinkInterfaceID = types.StringValue(in.ID)
	m.interfaceAttributes.setFromAPI(in)
	m.InterfaceType = stringOrNull(in.InterfaceType)
	// A confirming interface has no gateway yet: keep the one being attached.
	if in.VirtualGatewayID != "" {
		m.VirtualGatewayID = types.StringValue(in.VirtualGatewayID)
	}
}
