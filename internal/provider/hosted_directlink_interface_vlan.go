package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// checkVLANForCreate is the plan-time half of "one VLAN, one interface, one
// resource". Called from ModifyPlan when the plan creates an interface (no
// prior state: a new instance, or the create half of a replacement) and its
// DirectLink and VLAN are known, it fails the plan when the create would
// fail or share an interface:
//
//   - another create of this walk asks for the same VLAN (count = 2 with a
//     fixed vlan, a copy-paste): the second one fails, naming the first;
//   - the VLAN is held by the interface of another instance of this
//     configuration that is not being replaced by this create;
//   - the VLAN is held by an interface in no state this walk has seen (an
//     apply killed before recording it, another workspace, the console):
//     never adopted silently, the error prints the import block instead.
//
// The interface that this create's replacement destroys first is not in the
// way (the ledger knows it from the instance's own plan), nor is one this
// walk deleted. A deleting interface still holds its VLAN until deleted, as
// the API says. The lookup costs no call beyond the operation's snapshot; a
// failed lookup fails the plan, since apply could not do better.
func checkVLANForCreate(ctx context.Context, client oscapi.API, ledger *operationLedger, in oscapi.CreateInterfaceInput) diag.Diagnostics {
	var diags diag.Diagnostics
	if client == nil || in.DirectLinkID == "" || in.VLAN == 0 {
		return diags
	}
	if first, ok := ledger.claimVLAN(in); !ok {
		diags.AddAttributeError(path.Root("vlan"), "DirectLink VLAN Requested Twice",
			fmt.Sprintf("Two resource instances of this configuration create an interface on VLAN %d of %s: this one (name %q) and the one named %q. "+
				"A VLAN carries one interface per DirectLink, so only one of them could exist.\n\n"+
				"Give each instance its own vlan (with count or for_each, derive it from count.index or each.value).",
				in.VLAN, in.DirectLinkID, in.Name, first))
		return diags
	}
	// Interfaces this walk created or deleted are left out: its own creates
	// hold other VLANs of the configuration, its deletes free theirs.
	holder, err := findVLANHolder(ctx, client, oscapi.InterfaceFilter{
		DirectLinkIDs: []string{in.DirectLinkID}, OthersOnly: true, Freshness: oscapi.FromSnapshot,
	}, in.VLAN)
	if err != nil {
		diags.AddAttributeError(path.Root("vlan"), "Unable to Check VLAN Availability",
			apiErrorDetail(fmt.Sprintf("Listing the interfaces of %s, to check that VLAN %d is free before planning its create, failed.", in.DirectLinkID, in.VLAN),
				err, adviceFor(err, "Retry the plan.")))
		return diags
	}
	if holder == nil {
		return diags
	}
	switch ledger.roleOf(holder.ID, in) {
	case holderPredecessor:
		return diags
	case holderDestroyed:
		diags.AddAttributeError(path.Root("vlan"), "DirectLink VLAN Destroyed and Created in Parallel",
			destroyedAndCreatedDetail(holder.ID, holder.Name, in.VLAN))
	case holderSibling:
		diags.AddAttributeError(path.Root("vlan"), "DirectLink VLAN Already In Use",
			fmt.Sprintf("VLAN %d on %s is used by DirectLink interface %s (name %q, state %s), which another resource instance of this "+
				"configuration manages (the one that plans name %q) and keeps: two interfaces cannot hold one VLAN.\n\n"+
				"Give this instance another vlan, or remove the duplicate.",
				in.VLAN, in.DirectLinkID, holder.ID, holder.Name, holder.State, ledger.plannedName(holder.ID)))
	default:
		diags.AddAttributeError(path.Root("vlan"), "DirectLink VLAN Already In Use", vlanHeldDetail(*holder, in))
	}
	return diags
}

// destroyedAndCreatedDetail explains a VLAN that one instance gives up (it
// left the configuration) while another asks for it: Terraform runs the two
// in parallel, and the create would meet the interface still being deleted.
func destroyedAndCreatedDetail(id, name string, vlan int64) string {
	return fmt.Sprintf("DirectLink interface %s (name %q) holds VLAN %d, and this plan both destroys it on its own (its resource instance "+
		"left the configuration, or it is the old object Terraform kept after a failed create_before_destroy replacement) and creates "+
		"another interface on the same VLAN. Terraform does not order the two: the create would meet the interface still being deleted.\n\n%s",
		id, name, vlan, vlanWaysOut(id))
}

// vlanHeldDetail explains a VLAN held by an interface in no state of this
// walk, and how to adopt it deliberately: the provider adopts an interface
// only with proof that this process made it (DESIGN §4, README "One
// interface per resource").
func vlanHeldDetail(holder oscapi.Interface, in oscapi.CreateInterfaceInput) string {
	var b strings.Builder
	fmt.Fprintf(&b, "VLAN %d on %s is already used by DirectLink interface %s (name %q, state %s), which is in no Terraform state this run knows of.",
		holder.VLAN, holder.DirectLinkID, holder.ID, holder.Name, holder.State)
	if d := specDiffs(holder, in); len(d) > 0 {
		fmt.Fprintf(&b, " It differs from this configuration: %s.", strings.Join(d, "; "))
	} else {
		b.WriteString(" It matches this configuration.")
	}
	b.WriteString(" The provider does not adopt an interface it cannot prove it created.\n\n")
	b.WriteString(vlanWaysOut(holder.ID))
	return b.String()
}

// vlanWaysOut says what to do about an interface in the way of a create,
// by where it comes from: the provider cannot tell which applies.
func vlanWaysOut(id string) string {
	return fmt.Sprintf("What to do, depending on where %[1]s comes from:\n"+
		"- another Terraform state, the console or someone else: give this resource another vlan;\n"+
		"- this configuration, under another address (a renamed resource, a changed count index or for_each key): "+
		"add a moved block from the old address to this one, and the interface is kept;\n"+
		"- a replacement with lifecycle { create_before_destroy = true }: two interfaces cannot hold one VLAN, so remove "+
		"create_before_destroy (the replacement then deletes the old interface first); if such an apply failed already, Terraform "+
		"keeps the old interface as a deposed object: run terraform state rm on this resource, then import it as below;\n"+
		"- a tainted resource, or one named by -replace, planned with -refresh=false: plan again without -refresh=false;\n"+
		"- an earlier apply that was stopped after OUTSCALE created it: import it. Add this block, with the address Terraform "+
		"shows for this resource, and apply:\n\n%[2]s\n\nor run: %[3]s",
		id, importBlock(id), importCommand(id))
}

// importBlock and importCommand are the two ways to adopt id deliberately.
// The provider is never told the resource's address: Terraform prints it
// beside the diagnostic ("with osc_hosted_directlink_interface.NAME").
func importBlock(id string) string {
	return fmt.Sprintf("import {\n  to = %s\n  id = %q\n}", importPlaceholder, id)
}

func importCommand(id string) string {
	return fmt.Sprintf("terraform import '%s' %s", importPlaceholder, id)
}
