package provider

import (
	"testing"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

type regionAPI struct {
	oscapi.API
	region string
}

func (r regionAPI) Region() string { return r.region }

// The identity's region is the provider configuration's, through every
// wrapper the provider puts around the API client.
func TestRegionOfWrappedClient(t *testing.T) {
	for name, api := range map[string]oscapi.API{
		"client":          regionAPI{region: "cloudgouv-eu-west-1"},
		"with its source": sourcedAPI{API: regionAPI{region: "cloudgouv-eu-west-1"}, source: "environment"},
	} {
		if got := regionOf(api); got.ValueString() != "cloudgouv-eu-west-1" {
			t.Errorf("%s: region %s, want cloudgouv-eu-west-1", name, got)
		}
	}
	if got := regionOf(regionAPI{}); !got.IsNull() {
		t.Errorf("no Region: %s, want null", got)
	}
}
