package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

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
		if apiErr.Kind == oscapi.KindTransport {
			// No HTTP answer: nothing the API said to quote.
			fmt.Fprintf(&b, "\n\nNo answer from the API: %s", apiErr.Message)
		} else {
			fmt.Fprintf(&b, "\n\nThe API answered: %s", apiErr.Message)
			if apiErr.Code != "" {
				fmt.Fprintf(&b, " (code %s)", apiErr.Code)
			}
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
	var credErr *credentialError
	if errors.As(err, &credErr) {
		fmt.Fprintf(&b, "\nThe request was signed with the credentials from %s.", credErr.source)
	}
	if todo != "" {
		b.WriteString("\n\n" + todo)
	}
	return b.String()
}

// lastSeen is the interface as a wait last saw it, or as the call before the
// wait returned it when the wait saw nothing (interrupted before its first
// read).
func lastSeen(waited, before *oscapi.Interface) *oscapi.Interface {
	if waited != nil {
		return waited
	}
	return before
}

// waitErrorDiagnostic explains why a wait ended: a state the interface cannot
// leave, an interrupt, the operation's timeout, or an API failure. next says
// what the next apply does with the interface (kept in state, tainted).
func waitErrorDiagnostic(ctx context.Context, op operation, id, waitingFor string, last *oscapi.Interface, err error, next string) (string, string) {
	var stateErr *oscapi.UnexpectedStateError
	var timeoutErr *oscapi.WaitTimeoutError
	lastState := ""
	if last != nil {
		lastState = last.State
	}
	if errors.As(err, &timeoutErr) && timeoutErr.LastState != "" {
		lastState = timeoutErr.LastState
	}
	var interruptErr *oscapi.WaitInterruptedError
	if errors.As(err, &interruptErr) && interruptErr.LastState != "" {
		lastState = interruptErr.LastState
	}
	switch {
	case interrupted(ctx, err):
		return interruptedDiagnostic(op, "Wait for DirectLink Interface Interrupted",
			fmt.Sprintf("waiting for DirectLink interface %s %s", id, waitingFor), lastState, next)
	case oscapi.IsNotFound(err):
		return "DirectLink Interface Disappeared",
			apiErrorDetail(fmt.Sprintf("While waiting for DirectLink interface %s %s, it stopped existing: it was deleted outside Terraform.", id, waitingFor), err, next)
	case errors.As(err, &stateErr):
		return "DirectLink Interface Reached an Unexpected State",
			fmt.Sprintf("While waiting for DirectLink interface %s %s, it became %q%s.\n\n%s", id, waitingFor, stateErr.State, stateMeaning(stateErr.State), next)
	case timeoutErr != nil || errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil:
		if lastState == "" {
			lastState = "unknown"
		}
		return "Timed Out Waiting for DirectLink Interface",
			fmt.Sprintf("DirectLink interface %s was still %q after %s of waiting for it %s (the timeout). "+
				"If OUTSCALE is slow today, raise the timeout in the resource's timeouts block.\n\n%s", id, lastState, op.timeout, waitingFor, next)
	default:
		return "Unable to Read DirectLink Interface",
			apiErrorDetail(fmt.Sprintf("Polling DirectLink interface %s while waiting for it %s failed.", id, waitingFor), err,
				adviceFor(err, "Retry; the interface is in the Terraform state and will be refreshed.")+"\n\n"+next)
	}
}

// interruptedDiagnostic says that Terraform was interrupted while doing
// something, after how long, with the last state seen, and what the next
// run does.
func interruptedDiagnostic(op operation, summary, doing, lastState, next string) (string, string) {
	if lastState == "" {
		lastState = "unknown"
	}
	return summary,
		fmt.Sprintf("Terraform was interrupted (Ctrl-C or a stop signal) after %s, while %s; the interface's last seen state was %q. "+
			"The provider stopped without undoing anything; a request already sent when the interrupt came was let finish, so that its outcome is recorded.\n\n%s", op.elapsed(), doing, lastState, next)
}

// redact removes secrets (a BGP key, the API's echo of it) from every
// diagnostic's summary and detail: OUTSCALE's errors may quote a request.
func redact(diags diag.Diagnostics, secrets ...string) diag.Diagnostics {
	var keep []string
	for _, s := range secrets {
		if len(s) >= 4 {
			keep = append(keep, s)
		}
	}
	if len(keep) == 0 || len(diags) == 0 {
		return diags
	}
	clean := func(s string) string {
		for _, secret := range keep {
			s = strings.ReplaceAll(s, secret, "***")
		}
		return s
	}
	out := make(diag.Diagnostics, 0, len(diags))
	for _, d := range diags {
		summary, detail := clean(d.Summary()), clean(d.Detail())
		if summary == d.Summary() && detail == d.Detail() {
			out = append(out, d)
			continue
		}
		out = append(out, rebuild(d, summary, detail))
	}
	return out
}

func rebuild(d diag.Diagnostic, summary, detail string) diag.Diagnostic {
	wp, withPath := d.(diag.DiagnosticWithPath)
	switch {
	case withPath && d.Severity() == diag.SeverityError:
		return diag.NewAttributeErrorDiagnostic(wp.Path(), summary, detail)
	case withPath:
		return diag.NewAttributeWarningDiagnostic(wp.Path(), summary, detail)
	case d.Severity() == diag.SeverityError:
		return diag.NewErrorDiagnostic(summary, detail)
	default:
		return diag.NewWarningDiagnostic(summary, detail)
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
	case oscapi.KindTransport:
		return "The API could not be reached: check the endpoints and the network, then apply again."
	case oscapi.KindServer:
		return "The API, or a gateway in front of it, failed (a server error). The provider read the API's state before giving up, " +
			"so nothing is half-recorded: apply again in a moment."
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
