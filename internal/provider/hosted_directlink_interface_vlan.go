package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// checkVLANForCreate is the plan-time half of crash-safe create. Called from
// ModifyPlan only when the plan creates an interface (no prior state) and
// its DirectLink and VLAN are known, it looks at who holds that VLAN now:
//
//   - nobody: nothing to say;
//   - an interface that does not match the configuration: an error on vlan,
//     naming it and the import command, so that plan fails before apply would;
//   - an interface that matches (the orphan of an apply that was stopped
//     before the ID reached state): a warning that apply will adopt it.
//
// Zero values in in (not configured, or unknown until apply) match anything.
// Resources already in state never come here, so a no-change plan costs no
// extra call; a create costs none beyond the operation's snapshot. A failed
// lookup is a warning: the API has the last word at apply.
func checkVLANForCreate(ctx context.Context, client oscapi.API, in oscapi.CreateInterfaceInput) diag.Diagnostics {
	var diags diag.Diagnostics
	if client == nil || in.DirectLinkID == "" || in.VLAN == 0 {
		return diags
	}
	// Interfaces this operation created or deleted are left out: its own
	// creates hold other VLANs of the configuration, its deletes free theirs.
	// That lets the answer come from the operation's snapshot, with no call
	// of its own, each time Terraform plans a create again during apply.
	holder, err := findVLANHolder(ctx, client, oscapi.InterfaceFilter{DirectLinkIDs: []string{in.DirectLinkID}, OthersOnly: true}, in.VLAN)
	if err != nil {
		diags.AddAttributeWarning(path.Root("vlan"), "Unable to Check VLAN Availability",
			fmt.Sprintf("Could not list the interfaces of %s to check that VLAN %d is free: %s. "+
				"The plan goes on; apply will fail if the VLAN is taken.", in.DirectLinkID, in.VLAN, err))
		return diags
	}
	if holder == nil {
		return diags
	}
	if d := specDiffs(*holder, in); len(d) > 0 {
		diags.AddAttributeError(path.Root("vlan"), "DirectLink VLAN Already In Use",
			fmt.Sprintf("VLAN %d on %s is already used by DirectLink interface %s (name %q, state %s), which this resource does not manage "+
				"and which does not match this configuration: %s.\n\n"+
				"Choose another VLAN, or, if that interface is the one you mean, import it: terraform import %s %s",
				in.VLAN, in.DirectLinkID, holder.ID, holder.Name, holder.State, strings.Join(d, "; "), importPlaceholder, holder.ID))
		return diags
	}
	diags.AddAttributeWarning(path.Root("vlan"), "Existing DirectLink Interface Will Be Adopted",
		fmt.Sprintf("VLAN %d on %s is held by DirectLink interface %s (name %q, state %s), which is not in the Terraform state "+
			"but matches this configuration: most likely an earlier apply created it and was stopped before recording it. "+
			"Apply will adopt it instead of creating a second one.",
			in.VLAN, in.DirectLinkID, holder.ID, holder.Name, holder.State))
	return diags
}
