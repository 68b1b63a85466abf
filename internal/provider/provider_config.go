package provider

import (
	"context"
	"fmt"
	"net/url"
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

// resolvedConfig is the API client's configuration and where its
// credentials came from, which an authentication failure then names.
type resolvedConfig struct {
	oscapi.Config
	CredentialSource string
}

// A source is one place settings come from, in the user's words (for
// diagnostics: "from the environment", "from profile \"x\" of FILE").
type source struct {
	name string
	p    profile.Profile
}

// resolveConfig merges the places settings come from, first one wins, setting
// by setting (README "Provider configuration" documents the same table):
//
//  1. the provider block;
//  2. the profile the provider block names (profile and/or config_file): an
//     explicit choice for this provider configuration, so it wins over
//     ambient OSC_* variables, and two aliases work whatever the environment
//     holds;
//  3. the environment (OSC_ACCESS_KEY, OSC_SECRET_KEY, OSC_REGION, ...);
//  4. the profile file the environment or the default names (OSC_PROFILE,
//     OSC_CONFIG_FILE, ~/.osc/config.json and its default profile), when the
//     provider block names none;
//  5. defaults: Region eu-west-2, endpoints derived from the Region.
//
// The access key and the secret key are one credential: both come from the
// first place that sets either, never one from here and one from there.
func resolveConfig(s providerSettings) (resolvedConfig, diag.Diagnostics) {
	var diags diag.Diagnostics

	sources := []source{{name: "the provider block", p: profile.Profile{
		AccessKey: s.AccessKey, SecretKey: s.SecretKey, Region: s.Region,
		Endpoints: profile.Endpoint{API: s.APIEndpoint, DirectLink: s.DirectLinkEndpoint},
	}}}
	explicit := s.Profile != "" || s.ConfigFile != ""
	if explicit {
		src, err := profileSource(s.Profile, s.ConfigFile, true)
		if err != nil {
			diags.AddError("Unable to Read OUTSCALE Profile",
				fmt.Sprintf("The provider could not load the profile that its block names: %s\n\n"+
					"Check profile and config_file in the provider block (the file is in the format of the OUTSCALE CLIs, "+
					"by default ~/.osc/config.json), or remove them to rely on the block and the environment.", err))
			return resolvedConfig{}, diags
		}
		sources = append(sources, src)
	}
	sources = append(sources, environmentSource())
	if !explicit {
		src, err := profileSource(os.Getenv("OSC_PROFILE"), os.Getenv("OSC_CONFIG_FILE"), false)
		if err != nil {
			diags.AddError("Unable to Read OUTSCALE Profile",
				fmt.Sprintf("The provider could not load the profile that the environment names: %s\n\n"+
					"Check OSC_PROFILE and OSC_CONFIG_FILE (by default ~/.osc/config.json and its default profile), "+
					"or unset them.", err))
			return resolvedConfig{}, diags
		}
		sources = append(sources, src)
	}

	var cfg resolvedConfig
	cred := firstCredentials(sources)
	cfg.AccessKey, cfg.SecretKey = cred.p.AccessKey, cred.p.SecretKey
	switch {
	case cfg.AccessKey != "" && cfg.SecretKey == "":
		diags.AddAttributeError(path.Root("secret_key_id"), "Missing OUTSCALE Secret Key",
			fmt.Sprintf("An access key ID is set in %s but no secret key beside it: set both there "+
				"(secret_key_id in the provider block, OSC_SECRET_KEY, or secret_key in the profile).", cred.name))
	case cfg.AccessKey == "" && cfg.SecretKey != "":
		diags.AddAttributeError(path.Root("access_key_id"), "Missing OUTSCALE Access Key",
			fmt.Sprintf("A secret key is set in %s but no access key ID beside it: set both there "+
				"(access_key_id in the provider block, OSC_ACCESS_KEY, or access_key in the profile).", cred.name))
	}
	if cfg.AccessKey != "" {
		cfg.CredentialSource = cred.name
	}

	merged := profile.Profile{Protocol: "https"}
	for _, src := range sources {
		merged.Region = firstNonEmpty(merged.Region, src.p.Region)
		merged.Endpoints.API = firstNonEmpty(merged.Endpoints.API, src.p.Endpoints.API)
		merged.Endpoints.DirectLink = firstNonEmpty(merged.Endpoints.DirectLink, src.p.Endpoints.DirectLink)
	}
	merged.Region = firstNonEmpty(merged.Region, "eu-west-2")
	cfg.Region = merged.Region
	cfg.Insecure = resolveInsecure(s.Insecure, sources)

	for _, e := range []struct {
		name, where string
		service     profile.OscService
		out         *string
	}{
		{"OUTSCALE API", "endpoints.api, OSC_ENDPOINT_API or the profile's endpoints.api", profile.OscServiceApi, &cfg.APIEndpoint},
		{"DirectLink API", "endpoints.direct_link, OSC_ENDPOINT_DIRECT_LINK or the profile's endpoints.direct_link", profile.OscServiceDirectLink, &cfg.DirectLinkEndpoint},
	} {
		raw, err := merged.GetEndpoint(e.service)
		if err != nil {
			diags.AddError("Unable to Determine "+e.name+" Endpoint", err.Error())
			continue
		}
		normalized, msg := normalizeEndpoint(raw, e.service == profile.OscServiceApi)
		if msg != "" {
			diags.AddError("Invalid "+e.name+" Endpoint", msg+" Check "+e.where+".")
			continue
		}
		*e.out = normalized
	}

	cfg.MaxRequestsPerSecond = s.MaxRequestsPerSecond
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

// profileSource loads one profile of a profile file. An explicit choice (the
// provider block's) must exist; the default file and profile may be absent.
func profileSource(name, file string, explicit bool) (source, error) {
	cf, err := profile.LoadConfigFile(file)
	if err != nil {
		if !explicit && name == "" && file == "" {
			return source{}, nil
		}
		return source{}, err
	}
	p, err := cf.Profile(name)
	if err != nil {
		if !explicit && name == "" && file == "" {
			return source{}, nil
		}
		return source{}, fmt.Errorf("%w in %s", err, cf.Path)
	}
	if name == "" {
		name, _, _ = cf.DefaultProfile()
	}
	return source{name: fmt.Sprintf("profile %q of %s", name, cf.Path), p: p}, nil
}

func environmentSource() source {
	return source{name: "the environment (OSC_ACCESS_KEY / OSC_SECRET_KEY)", p: profile.Profile{
		AccessKey: os.Getenv("OSC_ACCESS_KEY"),
		SecretKey: os.Getenv("OSC_SECRET_KEY"),
		Region:    os.Getenv("OSC_REGION"),
		Endpoints: profile.Endpoint{API: os.Getenv("OSC_ENDPOINT_API"), DirectLink: os.Getenv("OSC_ENDPOINT_DIRECT_LINK")},
	}}
}

// firstCredentials is the first source that sets either key.
func firstCredentials(sources []source) source {
	for _, src := range sources {
		if src.p.AccessKey != "" || src.p.SecretKey != "" {
			return src
		}
	}
	return source{}
}

// resolveInsecure: the block's insecure, else the first of the profile the
// block names, OSC_TLS_SKIP_VERIFY and the default profile that says true.
func resolveInsecure(block *bool, sources []source) bool {
	if block != nil {
		return *block
	}
	switch strings.ToLower(os.Getenv("OSC_TLS_SKIP_VERIFY")) {
	case "1", "true", "yes":
		return true
	}
	for _, src := range sources {
		if src.p.TlsSkipVerify {
			return true
		}
	}
	return false
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// normalizeEndpoint accepts an endpoint the way OUTSCALE's CLIs write it and
// returns the base URL the API layer wants: a missing scheme is https, and
// the OUTSCALE API's base gets its /api/v1 path when only a host is given
// ("api.eu-west-2.outscale.com", "http://127.0.0.1:7575/"). A path that is
// given (/api/v1, /api/latest) is kept, without a trailing slash.
func normalizeEndpoint(raw string, oscAPI bool) (string, string) {
	s := strings.TrimSpace(raw)
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Sprintf("%q is not an endpoint: write a host (\"api.eu-west-2.outscale.com\"), "+
			"optionally with http:// or https:// and, for the OUTSCALE API, /api/v1.", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	if oscAPI && u.Path == "" {
		u.Path = "/api/v1"
	}
	return u.String(), ""
}
