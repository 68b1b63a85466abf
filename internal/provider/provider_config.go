package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/outscale/osc-sdk-go/v3/pkg/profile"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// Testing knobs, documented in the README: they shorten waits in tests and
// let benchmarks compare batched and one-call-per-resource refreshes.
const (
	envPollMinInterval     = "OSC_POLL_MIN_INTERVAL"
	envDisableReadBatching = "OSC_DISABLE_READ_BATCHING"
)

const missingCredentialsDetail = "No OUTSCALE credentials were found. Set access_key_id and secret_key_id in the provider block, " +
	"or the OSC_ACCESS_KEY and OSC_SECRET_KEY environment variables, or point to a profile holding access_key and secret_key " +
	"(profile / OSC_PROFILE, in config_file / OSC_CONFIG_FILE, by default ~/.osc/config.json)."

// providerSettings is what the provider block says, once known. Empty means
// "not set here": the environment and the profile file may fill it.
type providerSettings struct {
	AccessKey            string
	SecretKey            string
	Region               string
	Profile              string
	ConfigFile           string
	APIEndpoint          string
	DirectLinkEndpoint   string
	Insecure             *bool
	MaxRequestsPerSecond float64
	MaxRetries           *int64
}

// settings reads the provider block. A value Terraform does not know yet
// (computed from a resource) cannot configure a client, so it is an error that
// names the attribute and how else to set it.
func (m providerModel) settings(ctx context.Context) (providerSettings, diag.Diagnostics) {
	var s providerSettings
	var diags diag.Diagnostics

	unknown := func(p path.Path, env string) {
		alternative := "set the value statically in the configuration"
		if env != "" {
			alternative += fmt.Sprintf(", or use the %s environment variable", env)
		}
		diags.AddAttributeError(p, "Unknown OUTSCALE Provider Setting",
			fmt.Sprintf("The provider cannot create the OUTSCALE API client because %s is not known until apply. "+
				"Either apply the resource it comes from first (terraform apply -target), %s.", p, alternative))
	}
	str := func(v interface {
		IsUnknown() bool
		ValueString() string
	}, p path.Path, env string) string {
		if v.IsUnknown() {
			unknown(p, env)
			return ""
		}
		return v.ValueString()
	}

	s.AccessKey = str(m.AccessKeyID, path.Root("access_key_id"), "OSC_ACCESS_KEY")
	s.SecretKey = str(m.SecretKeyID, path.Root("secret_key_id"), "OSC_SECRET_KEY")
	s.Region = str(m.Region, path.Root("region"), "OSC_REGION")
	s.Profile = str(m.Profile, path.Root("profile"), "OSC_PROFILE")
	s.ConfigFile = str(m.ConfigFile, path.Root("config_file"), "OSC_CONFIG_FILE")

	switch {
	case m.Endpoints.IsUnknown():
		unknown(path.Root("endpoints"), "OSC_ENDPOINT_API and OSC_ENDPOINT_DIRECT_LINK")
	case !m.Endpoints.IsNull():
		var e endpointsModel
		diags.Append(m.Endpoints.As(ctx, &e, basetypes.ObjectAsOptions{})...)
		s.APIEndpoint = str(e.API, path.Root("endpoints").AtName("api"), "OSC_ENDPOINT_API")
		s.DirectLinkEndpoint = str(e.DirectLink, path.Root("endpoints").AtName("direct_link"), "OSC_ENDPOINT_DIRECT_LINK")
	}

	switch {
	case m.Insecure.IsUnknown():
		unknown(path.Root("insecure"), "OSC_TLS_SKIP_VERIFY")
	case !m.Insecure.IsNull():
		v := m.Insecure.ValueBool()
		s.Insecure = &v
	}
	switch {
	case m.MaxRequestsPerSecond.IsUnknown():
		unknown(path.Root("max_requests_per_second"), "")
	case !m.MaxRequestsPerSecond.IsNull():
		s.MaxRequestsPerSecond = m.MaxRequestsPerSecond.ValueFloat64()
	}
	switch {
	case m.MaxRetries.IsUnknown():
		unknown(path.Root("max_retries"), "")
	case !m.MaxRetries.IsNull():
		v := m.MaxRetries.ValueInt64()
		s.MaxRetries = &v
	}
	return s, diags
}

// resolveConfig merges the provider block over the environment over the
// profile file, as the official OUTSCALE provider does (osc-sdk-go's profile
// package reads the environment and the file), and derives the endpoints the
// block, environment and profile leave unset from the Region.
func resolveConfig(s providerSettings) (oscapi.Config, diag.Diagnostics) {
	var diags diag.Diagnostics

	prof, err := profile.NewFrom(s.Profile, s.ConfigFile)
	if err != nil {
		diags.AddError("Unable to Read OUTSCALE Profile",
			fmt.Sprintf("The provider could not load the profile: %s\n\n"+
				"Check profile (or OSC_PROFILE) and config_file (or OSC_CONFIG_FILE, by default ~/.osc/config.json), "+
				"or remove them to rely on the provider block and the environment only.", err))
		return oscapi.Config{}, diags
	}
	if s.AccessKey != "" {
		prof.AccessKey = s.AccessKey
	}
	if s.SecretKey != "" {
		prof.SecretKey = s.SecretKey
	}
	if s.Region != "" {
		prof.Region = s.Region
	}
	if s.APIEndpoint != "" {
		prof.Endpoints.API = s.APIEndpoint
	}
	if s.DirectLinkEndpoint != "" {
		prof.Endpoints.DirectLink = s.DirectLinkEndpoint
	}
	if s.Insecure != nil {
		prof.TlsSkipVerify = *s.Insecure
	}

	switch {
	case prof.AccessKey != "" && prof.SecretKey == "":
		diags.AddAttributeError(path.Root("secret_key_id"), "Missing OUTSCALE Secret Key",
			"An access key ID is set but no secret key: set secret_key_id in the provider block, "+
				"the OSC_SECRET_KEY environment variable, or secret_key in the profile.")
	case prof.AccessKey == "" && prof.SecretKey != "":
		diags.AddAttributeError(path.Root("access_key_id"), "Missing OUTSCALE Access Key",
			"A secret key is set but no access key ID: set access_key_id in the provider block, "+
				"the OSC_ACCESS_KEY environment variable, or access_key in the profile.")
	}

	apiEndpoint, err := prof.GetEndpoint(profile.OscServiceApi)
	if err != nil {
		diags.AddError("Unable to Determine OUTSCALE API Endpoint", err.Error())
	}
	directLinkEndpoint, err := prof.GetEndpoint(profile.OscServiceDirectLink)
	if err != nil {
		diags.AddError("Unable to Determine DirectLink API Endpoint", err.Error())
	}
	for _, e := range []struct{ name, url string }{
		{"OUTSCALE API", apiEndpoint},
		{"DirectLink API", directLinkEndpoint},
	} {
		if msg := checkEndpointURL(e.url); msg != "" {
			diags.AddError("Invalid "+e.name+" Endpoint",
				msg+" Check endpoints in the provider block, OSC_ENDPOINT_API / OSC_ENDPOINT_DIRECT_LINK and the profile's endpoints.")
		}
	}

	cfg := oscapi.Config{
		AccessKey:            prof.AccessKey,
		SecretKey:            prof.SecretKey,
		Region:               prof.Region,
		APIEndpoint:          apiEndpoint,
		DirectLinkEndpoint:   directLinkEndpoint,
		Insecure:             prof.TlsSkipVerify,
		MaxRequestsPerSecond: s.MaxRequestsPerSecond,
	}
	if s.MaxRetries != nil {
		cfg.MaxRetries = int(*s.MaxRetries)
	}

	if v := os.Getenv(envPollMinInterval); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			diags.AddError("Invalid "+envPollMinInterval,
				fmt.Sprintf("%s must be a positive Go duration such as \"50ms\" or \"1s\", got %q.", envPollMinInterval, v))
		}
		cfg.PollMinInterval = d
	}
	switch strings.ToLower(os.Getenv(envDisableReadBatching)) {
	case "1", "true", "yes":
		cfg.DisableBatching = true
	}
	return cfg, diags
}
