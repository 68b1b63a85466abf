package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// Diagnostics shared by every resource and data source: what happened, the
// API's own words and request ID, and what to do.

// apiErrorDetail builds a diagnostic detail: what happened, the API's own
// words and request ID (for OUTSCALE support), and what to do.
func apiErrorDetail(what string, err error, todo string) string {
	var b strings.Builder
	b.WriteString(what)
	var apiErr *oscapi.Error
	if errors.As(err, &apiErr) {
		fmt.Fprintf(&b, "\n\nThe API answered: %s", apiErr.Message)
		if apiErr.Code != "" {
			fmt.Fprintf(&b, " (code %s)", apiErr.Code)
		}
		if apiErr.Action != "" {
			fmt.Fprintf(&b, "\nAction: %s", apiErr.Action)
		}
		if id := oscapi.RequestID(err); id != "" {
			fmt.Fprintf(&b, "\nRequest ID: %s", id)
		}
	} else {
		fmt.Fprintf(&b, "\n\nError: %s", err)
	}
	if todo != "" {
		b.WriteString("\n\n" + todo)
	}
	return b.String()
}

// waitErrorDiagnostic explains why a wait ended: a state the interface cannot
// leave, the operation's timeout, or an API failure.
func waitErrorDiagnostic(ctx context.Context, id, waitingFor string, timeout time.Duration, last *oscapi.Interface, err error) (string, string) {
	var stateErr *oscapi.UnexpectedStateError
	var timeoutErr *oscapi.WaitTimeoutError
	switch {
	case oscapi.IsNotFound(err):
		return "DirectLink Interface Disappeared",
			apiErrorDetail(fmt.Sprintf("While waiting for DirectLink interface %s %s, it stopped existing: it was deleted outside Terraform.", id, waitingFor), err, "")
	case errors.As(err, &stateErr):
		return "DirectLink Interface Reached an Unexpected State",
			fmt.Sprintf("While waiting for DirectLink interface %s %s, it became %q%s.", id, waitingFor, stateErr.State, stateMeaning(stateErr.State))
	case errors.As(err, &timeoutErr) || errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil:
		lastState := "unknown"
		switch {
		case timeoutErr != nil && timeoutErr.LastState != "":
			lastState = timeoutErr.LastState
		case last != nil && last.State != "":
			lastState = last.State
		}
		return "Timed Out Waiting for DirectLink Interface",
			fmt.Sprintf("DirectLink interface %s was still %q after %s of waiting for it %s. "+
				"If OUTSCALE is slow today, raise the timeout in the resource's timeouts block.", id, lastState, timeout, waitingFor)
	default:
		return "Unable to Read DirectLink Interface",
			apiErrorDetail(fmt.Sprintf("Polling DirectLink interface %s while waiting for it %s failed.", id, waitingFor), err,
				adviceFor(err, "Retry; the interface is in the Terraform state and will be refreshed."))
	}
}

// adviceFor says what to do about an API failure, by its kind; fallback
// covers the kinds without a better answer.
func adviceFor(err error, fallback string) string {
	switch oscapi.KindOf(err) {
	case oscapi.KindAuth:
		return "Check the credentials (access_key_id and secret_key_id, OSC_ACCESS_KEY and OSC_SECRET_KEY, or the profile) " +
			"and that they belong to the account that holds the DirectLink."
	case oscapi.KindThrottled:
		return "OUTSCALE kept throttling the requests after every retry: apply again later, or lower max_requests_per_second."
	case oscapi.KindTransport, oscapi.KindServer:
		return "The API could not answer: check the endpoints and the network, then apply again."
	case oscapi.KindConflict:
		return "Another object is in the way, as the message says (for a VLAN, choose another one), then apply again."
	}
	return fallback
}

func stateMeaning(state string) string {
	switch state {
	case oscapi.StateRejected:
		return ": the account it is hosted for rejected it"
	case oscapi.StateExpired:
		return ": the account it is hosted for did not accept it in time"
	case oscapi.StateDeleted, oscapi.StateDeleting:
		return ": it was deleted outside Terraform"
	default:
		return ", a state this provider does not expect"
	}
}
