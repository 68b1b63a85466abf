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
			wantDetail:  []string{`still "confirming"`},
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
			summary, detail := waitErrorDiagnostic(tt.ctx, "dxvif-12345678", "to be ready", 10*time.Minute, tt.last, tt.err)
			if summary != tt.wantSummary {
				t.Errorf("summary %q, want %q", summary, tt.wantSummary)
			}
			for _, want := range tt.wantDetail {
				if !strings.Contains(detail, want) {
					t.Errorf("detail does not say %q:\n%s", want, detail)
				}
			}
		})
	}
}
