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
			name:      "VLAN of an interface being deleted is free",
			in:        ownInput(),
			listed:    []oscapi.Interface{with(orphan(), func(i *oscapi.Interface) { i.State = oscapi.StateDeleting })},
			wantLists: 1,
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
				"terraform import osc_hosted_directlink_interface.<name> dxvif-0a1b2c3d",
			},
		},
		{
			name:        "VLAN held by a matching orphan warns that apply adopts it",
			in:          ownInput(),
			listed:      []oscapi.Interface{orphan()},
			wantLists:   1,
			wantSev:     diag.SeverityWarning,
			wantSummary: "Existing DirectLink Interface Will Be Adopted",
			wantDetail:  []string{"dxvif-0a1b2c3d", "Apply will adopt it"},
		},
		{
			name:      "a name not known until apply does not make a conflict",
			in:        with2(ownInput(), func(in *oscapi.CreateInterfaceInput) { in.Name = "" }),
			listed:    []oscapi.Interface{with(orphan(), func(i *oscapi.Interface) { i.Name = "anything" })},
			wantLists: 1,
			wantSev:   diag.SeverityWarning,
		},
		{
			name:        "failed lookup does not fail the plan",
			in:          ownInput(),
			listErr:     &oscapi.Error{Kind: oscapi.KindAuth, Action: "ReadDirectLinkInterfaces", Message: "denied"},
			wantLists:   1,
			wantSev:     diag.SeverityWarning,
			wantSummary: "Unable to Check VLAN Availability",
			wantDetail:  []string{"denied"},
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
			diags := checkVLANForCreate(context.Background(), api, tt.in)
			if api.nList != tt.wantLists {
				t.Errorf("%d list calls, want %d", api.nList, tt.wantLists)
			}
			for _, f := range api.listCalls {
				if !f.OthersOnly || len(f.DirectLinkIDs) != 1 || f.DirectLinkIDs[0] != tt.in.DirectLinkID {
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
	if diags := checkVLANForCreate(context.Background(), nil, ownInput()); len(diags) != 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
}
