package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

func TestListFilter(t *testing.T) {
	own := &oscapi.Interface{ID: "dxvif-00000001", Name: "core-par1", State: oscapi.StateAvailable}
	gone := &oscapi.Interface{ID: "dxvif-00000002", Name: "core-old", State: oscapi.StateDeleted}
	hosted := &oscapi.Interface{ID: "dxvif-00000003", Name: "customer-a", State: oscapi.StateConfirming}
	all := []struct {
		in     *oscapi.Interface
		hosted bool
	}{{own, false}, {gone, false}, {hosted, true}}

	tests := []struct {
		name string
		cfg  hostedInterfaceListModel
		want []string
	}{
		{"no filter leaves out deleted", hostedInterfaceListModel{}, []string{own.ID, hosted.ID}},
		{"states", hostedInterfaceListModel{States: []types.String{types.StringValue("deleted")}}, []string{gone.ID}},
		{"name_regex", hostedInterfaceListModel{NameRegex: types.StringValue("^core-")}, []string{own.ID}},
		{"mode own", hostedInterfaceListModel{Mode: types.StringValue(modeOwn)}, []string{own.ID}},
		{"mode hosted", hostedInterfaceListModel{Mode: types.StringValue(modeHosted)}, []string{hosted.ID}},
		{"filters combine", hostedInterfaceListModel{
			Mode: types.StringValue(modeOwn), NameRegex: types.StringValue("old"),
			States: []types.String{types.StringValue("deleted"), types.StringValue("available")},
		}, []string{gone.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			keep := listFilter(tt.cfg)
			var got []string
			for _, c := range all {
				if keep(c.in, c.hosted) {
					got = append(got, c.in.ID)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("kept %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("kept %v, want %v", got, tt.want)
				}
			}
		})
	}
}
