package provider

import (
	"context"
	"testing"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// deleteAPI answers deletes in turn from a script, reads from a fixed
// interface, and ends every wait with the interface deleted.
type deleteAPI struct {
	oscapi.API
	deleteErrs []error
	deletes    int
	read       *oscapi.Interface
}

func (f *deleteAPI) DeleteInterface(context.Context, string) error {
	f.deletes++
	if f.deletes <= len(f.deleteErrs) {
		return f.deleteErrs[f.deletes-1]
	}
	return nil
}

func (f *deleteAPI) ReadInterface(context.Context, string, oscapi.Freshness) (*oscapi.Interface, error) {
	return f.read, nil
}

func (f *deleteAPI) WaitInterface(context.Context, string, oscapi.WaitOptions) (*oscapi.Interface, error) {
	return &oscapi.Interface{ID: "dxvif-0a1b2c3d", State: oscapi.StateDeleted}, nil
}

// A delete answered with a server error is reconciled by a fresh read: done
// already means no second delete; still there means the delete is sent once
// more; a refusal is never sent again.
func TestDeleteInterfaceAfterAnUnclearAnswer(t *testing.T) {
	page := &oscapi.Error{Kind: oscapi.KindServer, Action: "DeleteDirectLinkInterface", HTTPStatus: 503, Message: "HTTP 503 Service Unavailable"}
	refused := &oscapi.Error{Kind: oscapi.KindConflict, Action: "DeleteDirectLinkInterface", HTTPStatus: 409, Message: "wrong state"}
	for _, tc := range []struct {
		name    string
		api     deleteAPI
		deletes int
		fails   bool
	}{
		{"carried out despite the 503", deleteAPI{deleteErrs: []error{page}, read: hostedIn(oscapi.StateDeleting, "")}, 1, false},
		{"not carried out: sent once more", deleteAPI{deleteErrs: []error{page}, read: hostedIn(oscapi.StateAvailable, "")}, 2, false},
		{"not carried out twice: fails", deleteAPI{deleteErrs: []error{page, page}, read: hostedIn(oscapi.StateAvailable, "")}, 2, true},
		{"a refusal is not sent again", deleteAPI{deleteErrs: []error{refused}, read: hostedIn(oscapi.StateAvailable, "")}, 1, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := deleteInterface(context.Background(), &tc.api, operation{}, "dxvif-0a1b2c3d", "Deleting failed.")
			if tc.api.deletes != tc.deletes {
				t.Errorf("%d deletes sent, want %d", tc.api.deletes, tc.deletes)
			}
			if diags.HasError() != tc.fails {
				t.Errorf("diagnostics %v, want failure %v", diagText(diags), tc.fails)
			}
		})
	}
}
