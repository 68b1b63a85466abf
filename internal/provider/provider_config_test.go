package provider

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// isolateEnv clears every variable the provider reads and points HOME to an
// empty directory, so that the developer's own ~/.osc/config.json never leaks
// into a test.
func isolateEnv(t *testing.T) string {
	t.Helper()
	for _, k := range []string{
		"OSC_ACCESS_KEY", "OSC_SECRET_KEY", "OSC_REGION", "OSC_PROFILE", "OSC_CONFIG_FILE",
		"OSC_ENDPOINT_API", "OSC_ENDPOINT_DIRECT_LINK", "OSC_TLS_SKIP_VERIFY",
		"OSC_ACCESS_KEY_V2", "OSC_SECRET_KEY_V2", "OSC_PROTOCOL",
		envPollMinInterval, envDisableReadBatching,
	} {
		t.Setenv(k, "")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	return home
}

func writeProfileFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

const profileFile = `{
  "default": {"access_key": "FILEAK", "secret_key": "FILESK", "region": "cloudgouv-eu-west-1",
              "endpoints": {"api": "https://file.example/api/v1", "direct_link": "https://file-dl.example"}},
  "other":   {"access_key": "OTHERAK", "secret_key": "OTHERSK", "region": "us-east-2", "tls_skip_verify": true}
}`

func TestResolveConfigPrecedence(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		file     bool
		settings providerSettings
		check    func(t *testing.T, got resolvedView)
	}{
		{
			name:     "provider block only, endpoints derived from the region",
			settings: providerSettings{AccessKey: "AK", SecretKey: "SK", Region: "us-west-1"},
			check: func(t *testing.T, got resolvedView) {
				got.expect(t, "AK", "SK", "us-west-1", "https://api.us-west-1.outscale.com/api/v1", "https://directlink.us-west-1.outscale.com")
			},
		},
		{
			name: "nothing set: default Region eu-west-2, no credentials",
			check: func(t *testing.T, got resolvedView) {
				got.expect(t, "", "", "eu-west-2", "https://api.eu-west-2.outscale.com/api/v1", "https://directlink.eu-west-2.outscale.com")
			},
		},
		{
			name: "environment alone",
			env: map[string]string{"OSC_ACCESS_KEY": "ENVAK", "OSC_SECRET_KEY": "ENVSK", "OSC_REGION": "us-east-2",
				"OSC_ENDPOINT_API": "http://127.0.0.1:1/api/v1", "OSC_ENDPOINT_DIRECT_LINK": "http://127.0.0.1:1", "OSC_TLS_SKIP_VERIFY": "true"},
			check: func(t *testing.T, got resolvedView) {
				got.expect(t, "ENVAK", "ENVSK", "us-east-2", "http://127.0.0.1:1/api/v1", "http://127.0.0.1:1")
				if !got.Insecure {
					t.Error("OSC_TLS_SKIP_VERIFY=true should make the client insecure")
				}
			},
		},
		{
			name: "provider block wins over environment",
			env:  map[string]string{"OSC_ACCESS_KEY": "ENVAK", "OSC_SECRET_KEY": "ENVSK", "OSC_REGION": "us-east-2", "OSC_ENDPOINT_API": "http://env/api/v1", "OSC_TLS_SKIP_VERIFY": "true"},
			settings: providerSettings{AccessKey: "AK", SecretKey: "SK", Region: "eu-west-2", APIEndpoint: "http://block/api/v1",
				Insecure: new(false)},
			check: func(t *testing.T, got resolvedView) {
				got.expect(t, "AK", "SK", "eu-west-2", "http://block/api/v1", "https://directlink.eu-west-2.outscale.com")
				if got.Insecure {
					t.Error("insecure = false in the block should win over OSC_TLS_SKIP_VERIFY")
				}
			},
		},
		{
			name: "default profile of ~/.osc/config.json",
			file: true,
			check: func(t *testing.T, got resolvedView) {
				got.expect(t, "FILEAK", "FILESK", "cloudgouv-eu-west-1", "https://file.example/api/v1", "https://file-dl.example")
			},
		},
		{
			name:     "named profile from the block",
			file:     true,
			settings: providerSettings{Profile: "other"},
			check: func(t *testing.T, got resolvedView) {
				got.expect(t, "OTHERAK", "OTHERSK", "us-east-2", "https://api.us-east-2.outscale.com/api/v1", "https://directlink.us-east-2.outscale.com")
				if !got.Insecure {
					t.Error("tls_skip_verify of the profile should apply")
				}
			},
		},
		{
			name: "named profile from OSC_PROFILE",
			file: true,
			env:  map[string]string{"OSC_PROFILE": "other"},
			check: func(t *testing.T, got resolvedView) {
				got.expect(t, "OTHERAK", "OTHERSK", "us-east-2", "https://api.us-east-2.outscale.com/api/v1", "https://directlink.us-east-2.outscale.com")
			},
		},
		{
			name: "environment wins over the profile file, field by field",
			file: true,
			env:  map[string]string{"OSC_REGION": "us-west-1"},
			check: func(t *testing.T, got resolvedView) {
				got.expect(t, "FILEAK", "FILESK", "us-west-1", "https://file.example/api/v1", "https://file-dl.example")
			},
		},
		{
			name:     "a profile named in the block wins over environment keys (two aliases, keys in the environment)",
			file:     true,
			env:      map[string]string{"OSC_ACCESS_KEY": "ENVAK", "OSC_SECRET_KEY": "ENVSK", "OSC_ENDPOINT_API": "http://127.0.0.1:1/api/v1"},
			settings: providerSettings{Profile: "other"},
			check: func(t *testing.T, got resolvedView) {
				// Keys and region from the profile; the endpoint, which it does
				// not set, from the environment.
				got.expect(t, "OTHERAK", "OTHERSK", "us-east-2", "http://127.0.0.1:1/api/v1", "https://directlink.us-east-2.outscale.com")
			},
		},
		{
			name:     "a config_file named in the block wins over environment keys too",
			file:     true,
			env:      map[string]string{"OSC_ACCESS_KEY": "ENVAK", "OSC_SECRET_KEY": "ENVSK"},
			settings: providerSettings{ConfigFile: "HOME/.osc/config.json"},
			check: func(t *testing.T, got resolvedView) {
				got.expect(t, "FILEAK", "FILESK", "cloudgouv-eu-west-1", "https://file.example/api/v1", "https://file-dl.example")
			},
		},
		{
			name:     "block keys win over a profile the block names",
			file:     true,
			settings: providerSettings{Profile: "other", AccessKey: "AK", SecretKey: "SK"},
			check: func(t *testing.T, got resolvedView) {
				got.expect(t, "AK", "SK", "us-east-2", "https://api.us-east-2.outscale.com/api/v1", "https://directlink.us-east-2.outscale.com")
			},
		},
		{
			name: "environment keys win over the default profile, as a pair",
			file: true,
			env:  map[string]string{"OSC_ACCESS_KEY": "ENVAK", "OSC_SECRET_KEY": "ENVSK"},
			check: func(t *testing.T, got resolvedView) {
				got.expect(t, "ENVAK", "ENVSK", "cloudgouv-eu-west-1", "https://file.example/api/v1", "https://file-dl.example")
			},
		},
		{
			name:     "host-only endpoints as OUTSCALE's CLIs write them",
			settings: providerSettings{AccessKey: "AK", SecretKey: "SK", APIEndpoint: "127.0.0.1:7575", DirectLinkEndpoint: "http://127.0.0.1:7575/"},
			check: func(t *testing.T, got resolvedView) {
				got.expect(t, "AK", "SK", "eu-west-2", "https://127.0.0.1:7575/api/v1", "http://127.0.0.1:7575")
			},
		},
		{
			name:     "provider block wins over the profile file",
			file:     true,
			settings: providerSettings{AccessKey: "AK", SecretKey: "SK", DirectLinkEndpoint: "http://block-dl"},
			check: func(t *testing.T, got resolvedView) {
				got.expect(t, "AK", "SK", "cloudgouv-eu-west-1", "https://file.example/api/v1", "http://block-dl")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := isolateEnv(t)
			if tt.file {
				writeProfileFile(t, filepath.Join(home, ".osc", "config.json"), profileFile)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			tt.settings.ConfigFile = strings.ReplaceAll(tt.settings.ConfigFile, "HOME", home)
			cfg, diags := resolveConfig(tt.settings)
			if diags.HasError() {
				t.Fatalf("resolveConfig: %v", diags)
			}
			tt.check(t, resolvedView{cfg.AccessKey, cfg.SecretKey, cfg.Region, cfg.APIEndpoint, cfg.DirectLinkEndpoint, cfg.Insecure})
		})
	}
}

type resolvedView struct {
	AccessKey, SecretKey, Region, API, DirectLink string
	Insecure                                      bool
}

func (got resolvedView) expect(t *testing.T, ak, sk, region, api, dl string) {
	t.Helper()
	want := resolvedView{ak, sk, region, api, dl, got.Insecure}
	if got != want {
		t.Errorf("resolved\n got %+v\nwant %+v", got, want)
	}
}

func TestResolveConfigConfigFile(t *testing.T) {
	isolateEnv(t)
	path := filepath.Join(t.TempDir(), "creds.json")
	writeProfileFile(t, path, profileFile)

	cfg, diags := resolveConfig(providerSettings{ConfigFile: path, Profile: "other"})
	if diags.HasError() {
		t.Fatalf("resolveConfig: %v", diags)
	}
	if cfg.AccessKey != "OTHERAK" {
		t.Errorf("access key %q, want the one of profile other in config_file", cfg.AccessKey)
	}

	t.Setenv("OSC_CONFIG_FILE", path)
	cfg, diags = resolveConfig(providerSettings{})
	if diags.HasError() {
		t.Fatalf("resolveConfig with OSC_CONFIG_FILE: %v", diags)
	}
	if cfg.AccessKey != "FILEAK" {
		t.Errorf("access key %q, want the default profile of OSC_CONFIG_FILE", cfg.AccessKey)
	}
}

func TestResolveConfigErrors(t *testing.T) {
	tests := []struct {
		name     string
		settings providerSettings
		env      map[string]string
		file     bool
		want     string // substring of the diagnostics
	}{
		{name: "unknown profile", file: true, settings: providerSettings{Profile: "nope"}, want: `profile "nope" does not exist`},
		{name: "missing config file", settings: providerSettings{ConfigFile: "/nonexistent/config.json"}, want: "config_file"},
		{name: "access key without secret", settings: providerSettings{AccessKey: "AK"}, want: "secret_key_id"},
		{name: "secret without access key", env: map[string]string{"OSC_SECRET_KEY": "SK"}, want: "access_key_id"},
		{name: "bad endpoint from env", env: map[string]string{"OSC_ENDPOINT_API": "ftp://api.example"}, want: "OSC_ENDPOINT_API"},
		{name: "bad poll interval", env: map[string]string{envPollMinInterval: "fast"}, want: envPollMinInterval},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home := isolateEnv(t)
			if tt.file {
				writeProfileFile(t, filepath.Join(home, ".osc", "config.json"), profileFile)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			_, diags := resolveConfig(tt.settings)
			if !diags.HasError() {
				t.Fatal("resolveConfig succeeded, want an error")
			}
			var text strings.Builder
			for _, d := range diags {
				text.WriteString(d.Summary() + ": " + d.Detail() + "\n")
			}
			if !strings.Contains(text.String(), tt.want) {
				t.Errorf("diagnostics %q do not mention %q", text.String(), tt.want)
			}
		})
	}
}

func TestResolveConfigTestingKnobs(t *testing.T) {
	isolateEnv(t)
	t.Setenv(envPollMinInterval, "50ms")
	t.Setenv(envDisableReadBatching, "1")
	cfg, diags := resolveConfig(providerSettings{AccessKey: "AK", SecretKey: "SK"})
	if diags.HasError() {
		t.Fatal(diags)
	}
	if cfg.PollMinInterval != 50*time.Millisecond || !cfg.DisableBatching {
		t.Errorf("PollMinInterval=%s DisableBatching=%v, want 50ms and true", cfg.PollMinInterval, cfg.DisableBatching)
	}
}

func TestProviderSettingsUnknownValues(t *testing.T) {
	endpointTypes := map[string]attr.Type{"api": types.StringType, "direct_link": types.StringType}
	model := providerModel{
		AccessKeyID: types.StringUnknown(),
		SecretKeyID: types.StringValue("SK"),
		Region:      types.StringNull(),
		Profile:     types.StringNull(),
		ConfigFile:  types.StringNull(),
		Endpoints: types.ObjectValueMust(endpointTypes, map[string]attr.Value{
			"api":         types.StringUnknown(),
			"direct_link": types.StringNull(),
		}),
		Insecure:             types.BoolNull(),
		MaxRequestsPerSecond: types.Float64Unknown(),
		MaxRetries:           types.Int64Null(),
	}
	_, diags := model.settings(context.Background())
	if diags.ErrorsCount() != 3 {
		t.Fatalf("want one error per unknown setting (3), got %v", diags)
	}
	var text strings.Builder
	for _, d := range diags {
		text.WriteString(d.Detail() + "\n")
	}
	for _, want := range []string{"access_key_id", "OSC_ACCESS_KEY", "endpoints.api", "OSC_ENDPOINT_API", "max_requests_per_second"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("diagnostics do not mention %s:\n%s", want, text.String())
		}
	}
}

// An authentication failure must say where the keys came from: the source
// of the pair that was chosen is kept for that.
func TestResolveConfigNamesTheCredentialSource(t *testing.T) {
	home := isolateEnv(t)
	writeProfileFile(t, filepath.Join(home, ".osc", "config.json"), profileFile)
	t.Setenv("OSC_ACCESS_KEY", "ENVAK")
	t.Setenv("OSC_SECRET_KEY", "ENVSK")
	for _, tt := range []struct {
		settings providerSettings
		want     string
	}{
		{providerSettings{AccessKey: "AK", SecretKey: "SK"}, "the provider block"},
		{providerSettings{Profile: "other"}, `profile "other" of ` + filepath.Join(home, ".osc", "config.json")},
		{providerSettings{}, "the environment (OSC_ACCESS_KEY / OSC_SECRET_KEY)"},
	} {
		cfg, diags := resolveConfig(tt.settings)
		if diags.HasError() {
			t.Fatal(diags)
		}
		if cfg.CredentialSource != tt.want {
			t.Errorf("%+v: credential source %q, want %q", tt.settings, cfg.CredentialSource, tt.want)
		}
	}
	// Half a pair in the first place that sets one is an error naming it,
	// never completed from the next place.
	_, diags := resolveConfig(providerSettings{AccessKey: "AK"})
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "the provider block") {
		t.Errorf("access key alone in the block: %v", diags)
	}
}
