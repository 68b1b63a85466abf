package provider

import (
	"context"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// deleteInterface is every destroy of an interface: delete it, treat "already
// gone" as done, and wait until it really is gone (or in one of alsoDone, such
// as rejected when a recipient deletes an interface it never confirmed).
// failed says, in the user's terms, what could not be done.
func deleteInterface(ctx context.Context, api oscapi.API, id, failed string, timeout time.Duration, alsoDone ...string) diag.Diagnostics {
	var diags diag.Diagnostics
	err := api.DeleteInterface(ctx, id)
	if oscapi.KindOf(err) == oscapi.KindTransport {
		// The answer was lost, not necessarily the delete: a mutating call is
		// never sent twice blindly, so look at what the API did.
		err = deleteCarriedOut(ctx, api, id, err, alsoDone)
	}
	if oscapi.IsNotFound(err) {
		return diags
	}
	if err != nil {
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
		diags.AddError(waitErrorDiagnostic(ctx, id, "to be deleted", timeout, last, err))
	}
	return diags
}

// deleteCarriedOut tells whether a delete whose answer was lost was carried
// out: nil when the interface is already on its way out, a not-found error
// when it is gone, and lost (the original error) otherwise.
func deleteCarriedOut(ctx context.Context, api oscapi.API, id string, lost error, alsoDone []string) error {
	cur, err := api.ReadInterface(ctx, id)
	if oscapi.IsNotFound(err) {
		return err
	}
	if err != nil {
		return lost
	}
	switch {
	case cur.State == oscapi.StateDeleting, cur.State == oscapi.StateDeleted, slices.Contains(alsoDone, cur.State):
		tflog.Warn(ctx, "The answer to the delete was lost, but the API carried it out", map[string]any{"id": id, "state": cur.State})
		return nil
	default:
		return lost
	}
}
