package provider

import (
	"context"
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
