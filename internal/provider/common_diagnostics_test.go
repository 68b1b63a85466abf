package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// What a user reads when a wait ends badly says why, and never hides the
// API's request ID.
func TestWaitErrorDiagnostic(t *testing.T) {
	expired, cancel := context.WithTimeout(context.Background(), -time.Second)
	defer cancel()
	tests := []struct {
		name        string
		ctx         context.Context
		last        *oscapi.Interface
		err         error
		wantSummary string
		wantDetail  []string
		wantAbsent  []string
		wantNext    bool
	}{
		{
			name:        "rejected",
			ctx:         context.Background(),
			err:         &oscapi.UnexpectedStateError{ID: "dxvif-12345678", State: "rejected"},
			wantSummary: "DirectLink Interface Reached an Unexpected State",
			wantDetail:  []string{"dxvif-12345678", `"rejected"`, "rejected it"},
		},
		{
			name:        "a state nobody knows",
			ctx:         context.Background(),
			err:         &oscapi.UnexpectedStateError{ID: "dxvif-12345678", State: "melted"},
			wantSummary: "DirectLink Interface Reached an Unexpected State",
			wantDetail:  []string{`"melted"`, "does not expect"},
		},
		{
			name:        "timeout",
			ctx:         expired,
			last:        &oscapi.Interface{State: "pending"},
			err:         context.DeadlineExceeded,
			wantSummary: "Timed Out Waiting for DirectLink Interface",
			wantDetail:  []string{`still "pending"`, "10m0s", "timeouts"},
		},
		{
			name:        "gone while waiting",
			ctx:         context.Background(),
			err:         &oscapi.Error{Kind: oscapi.KindNotFound, Action: "ReadDirectLinkInterfaces", Message: "no such interface", RequestID: "req-9"},
			wantSummary: "DirectLink Interface Disappeared",
			wantDetail:  []string{"deleted outside Terraform", "no such interface", "Request ID: req-9"},
		},
		{
			name: "gone, as the waiter reports it",
			ctx:  context.Background(),
			err: &oscapi.UnexpectedStateError{ID: "dxvif-12345678", State: "not found",
				Err: &oscapi.Error{Kind: oscapi.KindNotFound, Action: "ReadDirectLinkInterfaces", Message: "no such interface"}},
			wantSummary: "DirectLink Interface Disappeared",
			wantDetail:  []string{"deleted outside Terraform"},
		},
		{
			name:        "timeout, as the waiter reports it",
			ctx:         context.Background(),
			err:         &oscapi.WaitTimeoutError{ID: "dxvif-12345678", LastState: "confirming", Err: context.DeadlineExceeded},
			wantSummary: "Timed Out Waiting for DirectLink Interface",
			wantDetail:  []string{`still "confirming"`, "after 10m0s"},
			wantNext:    true,
		},
		{
			name:        "Ctrl-C is an interruption, never a timeout",
			ctx:         canceledContext(),
			err:         &oscapi.WaitInterruptedError{ID: "dxvif-12345678", LastState: "pending", Err: context.Canceled},
			wantSummary: "Wait for DirectLink Interface Interrupted",
			wantDetail:  []string{"interrupted (Ctrl-C or a stop signal) after 42s", `last seen state was "pending"`},
			wantAbsent:  []string{"timeout", "timed out"},
			wantNext:    true,
		},
		{
			name:        "Ctrl-C seen only through the context",
			ctx:         canceledContext(),
			err:         context.Canceled,
			last:        &oscapi.Interface{State: "confirming"},
			wantSummary: "Wait for DirectLink Interface Interrupted",
			wantDetail:  []string{`last seen state was "confirming"`},
			wantAbsent:  []string{"raise the timeout"},
			wantNext:    true,
		},
		{
			name:        "API failure",
			ctx:         context.Background(),
			err:         &oscapi.Error{Kind: oscapi.KindAuth, Action: "ReadDirectLinkInterfaces", Code: "1", Message: "AccessDenied", RequestID: "req-1"},
			wantSummary: "Unable to Read DirectLink Interface",
			wantDetail:  []string{"AccessDenied (code 1)", "Action: ReadDirectLinkInterfaces", "Request ID: req-1", "OSC_ACCESS_KEY"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			op := operation{timeout: 10 * time.Minute, start: time.Now().Add(-42 * time.Second)}
			summary, detail := waitErrorDiagnostic(tt.ctx, op, "dxvif-12345678", "to be ready", tt.last, tt.err, "NEXT-APPLY")
			if !strings.Contains(detail, "NEXT-APPLY") && tt.wantNext {
				t.Errorf("detail does not say what the next apply does:\n%s", detail)
			}
			if summary != tt.wantSummary {
				t.Errorf("summary %q, want %q", summary, tt.wantSummary)
			}
			for _, want := range tt.wantDetail {
				if !strings.Contains(detail, want) {
					t.Errorf("detail does not say %q:\n%s", want, detail)
				}
			}
			for _, bad := range tt.wantAbsent {
				if strings.Contains(strings.ToLower(detail), bad) {
					t.Errorf("detail says %q:\n%s", bad, detail)
				}
			}
		})
	}
}

func canceledContext() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
