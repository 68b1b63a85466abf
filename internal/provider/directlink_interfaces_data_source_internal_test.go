package provider

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// The client-side filters keep what matches all of them, sorted by ID.
func TestFilterInterfaces(t *testing.T) {
	in := []oscapi.Interface{
		{ID: "dxvif-0000000c", Name: "web-2", State: oscapi.StateAvailable},
		{ID: "dxvif-0000000a", Name: "web-1", State: oscapi.StateConfirming},
		{ID: "dxvif-0000000b", Name: "db-1", State: oscapi.StateAvailable},
		{ID: "dxvif-0000000d", Name: "old-web", State: oscapi.StateDeleted},
	}
	cases := []struct {
		name   string
		states []string
		regex  string
		want   []string
	}{
		{name: "no filter", want: []string{"dxvif-0000000a", "dxvif-0000000b", "dxvif-0000000c", "dxvif-0000000d"}},
		{name: "one state", states: []string{"available"}, want: []string{"dxvif-0000000b", "dxvif-0000000c"}},
		{name: "two states", states: []string{"confirming", "deleted"}, want: []string{"dxvif-0000000a", "dxvif-0000000d"}},
		{name: "unanchored regex", regex: "web", want: []string{"dxvif-0000000a", "dxvif-0000000c", "dxvif-0000000d"}},
		{name: "anchored regex", regex: "^web-", want: []string{"dxvif-0000000a", "dxvif-0000000c"}},
		{name: "both", states: []string{"available"}, regex: "^web-", want: []string{"dxvif-0000000c"}},
		{name: "nothing matches", regex: "^none$", want: []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var re *regexp.Regexp
			if tc.regex != "" {
				re = regexp.MustCompile(tc.regex)
			}
			got := []string{}
			for _, it := range filterInterfaces(slices.Clone(in), tc.states, re) {
				got = append(got, it.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRegexValidator(t *testing.T) {
	cases := []struct {
		value types.String
		ok    bool
	}{
		{types.StringValue("^web-[0-9]+$"), true},
		{types.StringValue(""), true},
		{types.StringNull(), true},
		{types.StringUnknown(), true},
		{types.StringValue("web-("), false},
		{types.StringValue("(?<name"), false},
	}
	for _, tc := range cases {
		var resp validator.StringResponse
		regexValidator().ValidateString(context.Background(), validator.StringRequest{Path: path.Root("name_regex"), ConfigValue: tc.value}, &resp)
		if resp.Diagnostics.HasError() == tc.ok {
			t.Errorf("%s: errors = %v, want ok = %v", tc.value, resp.Diagnostics, tc.ok)
		}
	}
}
