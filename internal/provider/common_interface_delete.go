package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// deleteInterface is every destroy of an interface: delete it, treat "already
// gone" as done, and wait until it really is gone (or in one of alsoDone, such
// as rejected when a recipient deletes an interface it never confirmed).
// failed says, in the user's terms, what could not be done.
func deleteInterface(ctx context.Context, api oscapi.API, op operation, id, failed string, alsoDone ...string) diag.Diagnostics {
	var diags diag.Diagnostics
	next := fmt.Sprintf("Interface %s stays in the Terraform state: the next apply or destroy deletes it again (an interface already being deleted is waited for).", id)
	err := api.DeleteInterface(ctx, id)
	if err != nil && oscapi.MaybeDone(err) && !interrupted(ctx, err) {
		// The answer was lost or was a server error, not necessarily the
		// delete: a mutating call is never sent twice blindly, so look at
		// what the API did, and send it once more only if it was not done.
		var carried bool
		if carried, err = deleteCarriedOut(ctx, api, id, err, alsoDone); !carried && err != nil && !oscapi.IsNotFound(err) {
			tflog.Warn(ctx, "The delete was not carried out (the interface is still there): sending it once more", map[string]any{"id": id})
			err = api.DeleteInterface(ctx, id)
		}
	}
	if oscapi.IsNotFound(err) {
		return diags
	}
	if err != nil {
		if interrupted(ctx, err) {
			diags.AddError(interruptedDiagnostic(op, "Delete of DirectLink Interface Interrupted",
				fmt.Sprintf("deleting interface %s, before the API answered", id), "", next))
			return diags
		}
		diags.AddError("Unable to Delete DirectLink Interface",
			apiErrorDetail(failed, err, adviceFor(err, "Retry the destroy; if it keeps failing, check the interface's state.")))
		return diags
	}
	tflog.Info(ctx, "Deleting DirectLink interface", map[string]any{"id": id})

	last, err := api.WaitInterface(ctx, id, oscapi.WaitOptions{
		Target:           append([]string{oscapi.StateDeleted}, alsoDone...),
		Pending:          []string{oscapi.StateDeleting},
		NotFoundIsTarget: true,
	})
	if err != nil {
		diags.AddError(waitErrorDiagnostic(ctx, op, id, "to be deleted", last, err, next))
	}
	return diags
}

// deleteCarriedOut tells whether a delete whose outcome is unclear was
// carried out: (true, nil) when the interface is on its way out, a not-found
// error when it is gone, (false, unclear) when a fresh read shows it still
// there, and (true, unclear) when the read fails too (nothing is known, so
// nothing is sent again).
func deleteCarriedOut(ctx context.Context, api oscapi.API, id string, unclear error, alsoDone []string) (bool, error) {
	cur, err := api.ReadInterface(ctx, id, oscapi.Fresh)
	if oscapi.IsNotFound(err) {
		return true, err
	}
	if err != nil {
		return true, unclear
	}
	switch {
	case cur.State == oscapi.StateDeleting, cur.State == oscapi.StateDeleted, slices.Contains(alsoDone, cur.State):
		tflog.Warn(ctx, "The delete's outcome was unclear (lost answer or server error), but the API carried it out", map[string]any{"id": id, "state": cur.State})
		return true, nil
	default:
		return false, unclear
	}
}
