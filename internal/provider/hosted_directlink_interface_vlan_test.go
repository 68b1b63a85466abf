package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

func TestCheckVLANForCreate(t *testing.T) {
	tests := []struct {
		name        string
		in          oscapi.CreateInterfaceInput
		listed      []oscapi.Interface
		listErr     error
		ledger      func(*operationLedger)
		wantLists   int
		wantSev     diag.Severity // 0 = no diagnostic
		wantSummary string
		wantDetail  []string
	}{
		{
			name:      "free VLAN says nothing",
			in:        ownInput(),
			listed:    []oscapi.Interface{with(orphan(), func(i *oscapi.Interface) { i.VLAN = 102 })},
			wantLists: 1,
		},
		{
			name:      "VLAN of a deleted interface is free",
			in:        ownInput(),
			listed:    []oscapi.Interface{with(orphan(), func(i *oscapi.Interface) { i.State = oscapi.StateDeleted })},
			wantLists: 1,
		},
		{
			name:        "VLAN of an interface being deleted is still held",
			in:          ownInput(),
			listed:      []oscapi.Interface{with(orphan(), func(i *oscapi.Interface) { i.Name = "other"; i.State = oscapi.StateDeleting })},
			wantLists:   1,
			wantSev:     diag.SeverityError,
			wantSummary: "DirectLink VLAN Already In Use",
			wantDetail:  []string{`dxvif-0a1b2c3d (name "other", state deleting)`},
		},
		{
			name:        "VLAN held by an interface of another configuration fails the plan",
			in:          ownInput(),
			listed:      []oscapi.Interface{with(orphan(), func(i *oscapi.Interface) { i.Name = "other"; i.State = oscapi.StateAvailable })},
			wantLists:   1,
			wantSev:     diag.SeverityError,
			wantSummary: "DirectLink VLAN Already In Use",
			wantDetail: []string{
				`VLAN 101 on dxcon-12345678 is already used by DirectLink interface dxvif-0a1b2c3d (name "other", state available)`,
				`name is "other", configured "customer-a"`,
				"import {\n  to = osc_hosted_directlink_interface.<name>\n  id = \"dxvif-0a1b2c3d\"\n}",
				"terraform import 'osc_hosted_directlink_interface.<name>' dxvif-0a1b2c3d",
			},
		},
		{
			name:        "VLAN held by a matching orphan fails the plan too: a match is no proof",
			in:          ownInput(),
			listed:      []oscapi.Interface{orphan()},
			wantLists:   1,
			wantSev:     diag.SeverityError,
			wantSummary: "DirectLink VLAN Already In Use",
			wantDetail:  []string{"It matches this configuration", "does not adopt an interface it cannot prove it created", `id = "dxvif-0a1b2c3d"`},
		},
		{
			name:      "the interface this create's replacement destroys is not in the way",
			in:        ownInput(),
			ledger:    func(l *operationLedger) { l.noteInState("dxvif-0a1b2c3d", ownInput()) },
			listed:    []oscapi.Interface{with(orphan(), func(i *oscapi.Interface) { i.Name = "old-name" })},
			wantLists: 1,
		},
		{
			name: "an interface another instance keeps is in the way, named by the name it plans",
			in:   ownInput(),
			ledger: func(l *operationLedger) {
				l.noteInState("dxvif-0a1b2c3d", with2(ownInput(), func(in *oscapi.CreateInterfaceInput) { in.Name = "keeper" }))
			},
			listed:      []oscapi.Interface{with(orphan(), func(i *oscapi.Interface) { i.Name = "keeper" })},
			wantLists:   1,
			wantSev:     diag.SeverityError,
			wantSummary: "DirectLink VLAN Already In Use",
			wantDetail:  []string{"another resource instance of this configuration manages (the one that plans name \"keeper\")"},
		},
		{
			name:        "a second create of the same VLAN in one walk fails, naming the first",
			in:          with2(ownInput(), func(in *oscapi.CreateInterfaceInput) { in.Name = "second" }),
			ledger:      func(l *operationLedger) { l.claimVLAN(ownInput()) },
			wantSev:     diag.SeverityError,
			wantSummary: "DirectLink VLAN Requested Twice",
			wantDetail:  []string{`VLAN 101 of dxcon-12345678: this one (name "second") and the one named "customer-a"`},
		},
		{
			name:        "a name not known until apply still meets the holder",
			in:          with2(ownInput(), func(in *oscapi.CreateInterfaceInput) { in.Name = "" }),
			listed:      []oscapi.Interface{with(orphan(), func(i *oscapi.Interface) { i.Name = "anything" })},
			wantLists:   1,
			wantSev:     diag.SeverityError,
			wantSummary: "DirectLink VLAN Already In Use",
		},
		{
			name:        "failed lookup fails the plan with the API's words and what to check",
			in:          ownInput(),
			listErr:     &oscapi.Error{Kind: oscapi.KindAuth, Action: "ReadDirectLinkInterfaces", HTTPStatus: 401, Message: "denied"},
			wantLists:   1,
			wantSev:     diag.SeverityError,
			wantSummary: "Unable to Check VLAN Availability",
			wantDetail:  []string{"denied", "Check the credentials"},
		},
		{
			name: "unknown VLAN makes no call",
			in:   with2(ownInput(), func(in *oscapi.CreateInterfaceInput) { in.VLAN = 0 }),
		},
		{
			name: "unknown DirectLink makes no call",
			in:   with2(ownInput(), func(in *oscapi.CreateInterfaceInput) { in.DirectLinkID = "" }),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := &adoptAPI{listed: tt.listed, listErr: tt.listErr}
			l := newOperationLedger()
			if tt.ledger != nil {
				tt.ledger(l)
			}
			diags := checkVLANForCreate(context.Background(), api, l, tt.in)
			if api.nList != tt.wantLists {
				t.Errorf("%d list calls, want %d", api.nList, tt.wantLists)
			}
			for _, f := range api.listCalls {
				if !f.OthersOnly || f.Freshness != oscapi.FromSnapshot || len(f.DirectLinkIDs) != 1 || f.DirectLinkIDs[0] != tt.in.DirectLinkID {
					t.Errorf("listed with filter %+v, want this DirectLink and OthersOnly (no call beyond the snapshot)", f)
				}
			}
			if tt.wantSev == 0 {
				if len(diags) != 0 {
					t.Fatalf("unexpected diagnostics: %v", diags)
				}
				return
			}
			if len(diags) != 1 {
				t.Fatalf("got %d diagnostics (%v), want 1", len(diags), diags)
			}
			d := diags[0]
			if d.Severity() != tt.wantSev {
				t.Errorf("severity %v, want %v", d.Severity(), tt.wantSev)
			}
			if tt.wantSummary != "" && d.Summary() != tt.wantSummary {
				t.Errorf("summary %q, want %q", d.Summary(), tt.wantSummary)
			}
			for _, s := range tt.wantDetail {
				if !strings.Contains(d.Detail(), s) {
					t.Errorf("detail\n  %s\ndoes not contain\n  %s", d.Detail(), s)
				}
			}
			if strings.Contains(d.Detail(), orphan().BGPKey) {
				t.Errorf("detail shows the BGP key: %s", d.Detail())
			}
			if wp, ok := d.(diag.DiagnosticWithPath); !ok || !wp.Path().Equal(path.Root("vlan")) {
				t.Errorf("diagnostic is not attached to vlan: %#v", d)
			}
		})
	}
}

func TestCheckVLANForCreateWithoutClient(t *testing.T) {
	// ModifyPlan runs before the provider is configured when its
	// configuration is unknown; the check must then stay quiet.
	if diags := checkVLANForCreate(context.Background(), nil, newOperationLedger(), ownInput()); len(diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
}
