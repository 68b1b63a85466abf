package provider

import (
	"context"
	"testing"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// linksAPI answers ListDirectLinks and AccountID; any other call panics (the
// embedded nil interface), which proves the mode is told without them.
type linksAPI struct {
	oscapi.API
	links  []oscapi.DirectLink
	caller string
}

func (f linksAPI) ListDirectLinks(context.Context) ([]oscapi.DirectLink, error) { return f.links, nil }

func (f linksAPI) AccountID(context.Context) (string, error) { return f.caller, nil }

// An imported interface gets the mode a user would have written: hosted when
// it sits on the caller's DirectLink and belongs to someone else.
func TestIsHostedForAnother(t *testing.T) {
	ownerLinks := []oscapi.DirectLink{{ID: "dxcon-12345678", AccountID: "123456789012"}}
	tests := []struct {
		name   string
		api    linksAPI
		in     oscapi.Interface
		hosted bool
	}{
		{
			name:   "owner's own interface",
			api:    linksAPI{links: ownerLinks},
			in:     oscapi.Interface{DirectLinkID: "dxcon-12345678", AccountID: "123456789012"},
			hosted: false,
		},
		{
			name:   "hosted for the recipient",
			api:    linksAPI{links: ownerLinks},
			in:     oscapi.Interface{DirectLinkID: "dxcon-12345678", AccountID: "123456789000"},
			hosted: true,
		},
		{
			name:   "seen by its recipient, on someone else's DirectLink",
			api:    linksAPI{},
			in:     oscapi.Interface{DirectLinkID: "dxcon-12345678", AccountID: "123456789000"},
			hosted: false,
		},
		{
			name:   "DirectLink without account: asks the client who calls",
			api:    linksAPI{links: []oscapi.DirectLink{{ID: "dxcon-12345678"}}, caller: "123456789012"},
			in:     oscapi.Interface{DirectLinkID: "dxcon-12345678", AccountID: "123456789000"},
			hosted: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &hostedInterfaceResource{api: tt.api}
			got, err := r.isHostedForAnother(context.Background(), &tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.hosted {
				t.Errorf("hosted = %v, want %v", got, tt.hosted)
			}
		})
	}
}
