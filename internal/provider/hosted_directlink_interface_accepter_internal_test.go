package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// accepterAPI answers the calls the accepter makes from fixed values; any
// other call panics (the embedded nil interface).
type accepterAPI struct {
	oscapi.API
	confirmErr error
	// confirmErrs, when set, answer the confirmations in turn.
	confirmErrs []error
	read        *oscapi.Interface
	readErr     error
	links       []oscapi.DirectLink
	confirmed   int
}

func (f *accepterAPI) ConfirmInterface(context.Context, string, string) error {
	f.confirmed++
	if f.confirmed <= len(f.confirmErrs) {
		return f.confirmErrs[f.confirmed-1]
	}
	return f.confirmErr
}

func (f *accepterAPI) ReadInterface(context.Context, string, oscapi.Freshness) (*oscapi.Interface, error) {
	return f.read, f.readErr
}

func (f *accepterAPI) ListDirectLinks(context.Context) ([]oscapi.DirectLink, error) {
	return f.links, nil
}

func hostedIn(state, gateway string) *oscapi.Interface {
	return &oscapi.Interface{
		ID: "dxvif-0a1b2c3d", DirectLinkID: "dxcon-12345678", AccountID: "123456789000",
		VirtualGatewayID: gateway, State: state,
	}
}

// diagText is every summary and detail, for matching.
func diagText(d diag.Diagnostics) string {
	var b strings.Builder
	for _, x := range d {
		b.WriteString(x.Summary() + "\n" + x.Detail() + "\n")
	}
	return b.String()
}

// A refused or unanswered confirmation is explained by what the interface
// became: accepted all the same (a lost answer) is success; anything else
// says why the interface cannot be accepted.
func TestAccepterConfirm(t *testing.T) {
	const gw = "vgw-87654321"
	conflict := &oscapi.Error{Kind: oscapi.KindConflict, Action: "ConfirmPrivateVirtualInterface", Message: "not confirming", RequestID: "req-7"}
	lost := &oscapi.Error{Kind: oscapi.KindTransport, Action: "ConfirmPrivateVirtualInterface", Message: "connection reset by peer"}
	gatewayPage := &oscapi.Error{Kind: oscapi.KindServer, Action: "ConfirmPrivateVirtualInterface", HTTPStatus: 503,
		Message: "HTTP 503 Service Unavailable, with a body that is not an error of the DirectLink API"}
	cases := []struct {
		name     string
		api      accepterAPI
		ok       bool
		confirms int // 0: not checked
		summary  string
		says     []string
	}{
		{
			name: "gateway's 503 page, still confirming: sent once more after the read",
			api:  accepterAPI{confirmErrs: []error{gatewayPage, nil}, read: hostedIn("confirming", "")}, ok: true, confirms: 2,
		},
		{
			name: "gateway's 503 page twice: the error says what came back",
			api:  accepterAPI{confirmErr: gatewayPage, read: hostedIn("confirming", "")}, confirms: 2,
			summary: "Unable to Accept DirectLink Interface",
			says:    []string{"HTTP 503 Service Unavailable", "not an error of the DirectLink API"},
		},
		{
			name:     "a refusal is not sent again",
			api:      accepterAPI{confirmErr: &oscapi.Error{Kind: oscapi.KindValidation, Action: "ConfirmPrivateVirtualInterface", HTTPStatus: 400, Message: "bad gateway ID"}, read: hostedIn("confirming", "")},
			confirms: 1, summary: "Unable to Accept DirectLink Interface", says: []string{"bad gateway ID"},
		},
		{name: "confirmed", api: accepterAPI{}, ok: true},
		{name: "answer lost, interface pending on our gateway", api: accepterAPI{confirmErr: lost, read: hostedIn("pending", gw)}, ok: true},
		{name: "conflict, accepted on our gateway meanwhile", api: accepterAPI{confirmErr: conflict, read: hostedIn("available", gw)}, ok: true},
		{
			name: "rejected", api: accepterAPI{confirmErr: conflict, read: hostedIn("rejected", "")},
			summary: "DirectLink Interface Cannot Be Accepted",
			says:    []string{`is "rejected"`, "rejected it", `("confirming")`, "req-7"},
		},
		{
			name: "accepted on another gateway", api: accepterAPI{confirmErr: conflict, read: hostedIn("available", "vgw-0000000a")},
			summary: "DirectLink Interface Cannot Be Accepted",
			says:    []string{"accepted already and is attached to virtual gateway vgw-0000000a"},
		},
		{
			name: "still confirming", api: accepterAPI{confirmErr: &oscapi.Error{Kind: oscapi.KindValidation, Action: "ConfirmPrivateVirtualInterface", Message: "gateway vgw-87654321 not found"}, read: hostedIn("confirming", "")},
			summary: "Unable to Accept DirectLink Interface",
			says:    []string{"gateway vgw-87654321 not found", "virtual_gateway_id"},
		},
		{
			name: "confirmation and read both fail", api: accepterAPI{confirmErr: lost, readErr: lost},
			summary: "Unable to Accept DirectLink Interface",
			says:    []string{"connection reset by peer"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := &accepterResource{api: &tc.api}
			var diags diag.Diagnostics
			ok := r.confirm(context.Background(), operation{}, "dxvif-0a1b2c3d", gw, &diags)
			if ok != tc.ok {
				t.Fatalf("confirm = %v, want %v; diagnostics:\n%s", ok, tc.ok, diagText(diags))
			}
			if tc.confirms != 0 && tc.api.confirmed != tc.confirms {
				t.Errorf("%d confirmations sent, want %d", tc.api.confirmed, tc.confirms)
			}
			if tc.ok {
				if diags.HasError() {
					t.Fatalf("unexpected diagnostics:\n%s", diagText(diags))
				}
				return
			}
			if len(diags) != 1 || diags[0].Summary() != tc.summary {
				t.Fatalf("diagnostics:\n%s\nwant one %q", diagText(diags), tc.summary)
			}
			for _, s := range tc.says {
				if !strings.Contains(diags[0].Detail(), s) {
					t.Errorf("detail does not say %q:\n%s", s, diags[0].Detail())
				}
			}
			if tc.confirms == 0 && tc.api.confirmed != 1 {
				t.Errorf("confirmed %d times, want once", tc.api.confirmed)
			}
		})
	}
}

// An interface accepted already is adopted only on the configured gateway
// and only by the account it belongs to.
func TestAccepterCheckAdoptable(t *testing.T) {
	ownerLinks := []oscapi.DirectLink{{ID: "dxcon-12345678", AccountID: "123456789012"}}
	cases := []struct {
		name    string
		found   *oscapi.Interface
		links   []oscapi.DirectLink
		gateway string
		summary string
	}{
		{name: "recipient, same gateway", found: hostedIn("available", "vgw-87654321"), gateway: "vgw-87654321"},
		{name: "recipient, pending", found: hostedIn("pending", "vgw-87654321"), gateway: "vgw-87654321"},
		{name: "other gateway", found: hostedIn("available", "vgw-87654321"), gateway: "vgw-0000000a", summary: "DirectLink Interface Accepted Already"},
		{name: "DirectLink owner, hosted for someone else", found: hostedIn("available", "vgw-87654321"), links: ownerLinks, gateway: "vgw-87654321", summary: "DirectLink Interface Not Hosted for You"},
		{
			name:    "DirectLink owner, own interface",
			found:   &oscapi.Interface{ID: "dxvif-0a1b2c3d", DirectLinkID: "dxcon-12345678", AccountID: "123456789012", VirtualGatewayID: "vgw-12345678", State: "available"},
			links:   ownerLinks,
			gateway: "vgw-12345678",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := &accepterResource{api: &accepterAPI{links: tc.links}}
			var diags diag.Diagnostics
			ok := r.checkAdoptable(context.Background(), tc.found, tc.gateway, &diags)
			if ok != (tc.summary == "") {
				t.Fatalf("checkAdoptable = %v; diagnostics:\n%s", ok, diagText(diags))
			}
			if tc.summary != "" && (len(diags) != 1 || diags[0].Summary() != tc.summary) {
				t.Fatalf("diagnostics:\n%s\nwant one %q", diagText(diags), tc.summary)
			}
		})
	}
}

// Only an interface that can never carry traffic again leaves the state.
func TestAccepterGone(t *testing.T) {
	notFound := &oscapi.Error{Kind: oscapi.KindNotFound, Action: "ReadDirectLinkInterfaces", Message: "not found"}
	cases := []struct {
		state string
		err   error
		gone  bool
	}{
		{err: notFound, gone: true},
		{state: oscapi.StateDeleting, gone: true},
		{state: oscapi.StateDeleted, gone: true},
		{state: oscapi.StateRejected, gone: true},
		{state: oscapi.StateExpired, gone: true},
		{state: oscapi.StateAvailable},
		{state: oscapi.StatePending},
		{state: oscapi.StateConfirming},
	}
	for _, tc := range cases {
		var found *oscapi.Interface
		if tc.err == nil {
			found = hostedIn(tc.state, "")
		}
		gone, why := accepterGone(found, tc.err)
		if gone != tc.gone || (gone && why == "") {
			t.Errorf("state %q err %v: gone = %v (%q), want %v with a reason", tc.state, tc.err, gone, why, tc.gone)
		}
	}
}
