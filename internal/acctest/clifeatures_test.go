package acctest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFeatureSupports(t *testing.T) {
	tests := []struct {
		cli     CLI
		feature Feature
		ok      bool
		reason  string
	}{
		{CLI{Version: "1.5.7"}, WriteOnlyArguments, false, "Terraform 1.5.7: write-only arguments needs Terraform >= 1.11.0"},
		{CLI{Version: "1.11.4"}, WriteOnlyArguments, true, ""},
		{CLI{Version: "1.11.4"}, ResourceIdentity, false, "Terraform 1.11.4: resource identity needs Terraform >= 1.12.0"},
		{CLI{Version: "1.16.4"}, ListResources, true, ""},
		{CLI{Version: "1.13.3"}, ListResources, false, "Terraform 1.13.3: list resources (terraform query) needs Terraform >= 1.14.0"},
		{CLI{OpenTofu: true, Version: "1.10.10"}, WriteOnlyArguments, false, "OpenTofu 1.10.10: write-only arguments needs OpenTofu >= 1.11.0"},
		{CLI{OpenTofu: true, Version: "1.12.6"}, ResourceIdentity, true, ""},
		{CLI{OpenTofu: true, Version: "1.12.6"}, ListResources, false, "OpenTofu 1.12.6: no OpenTofu release has list resources (terraform query)"},
		// 1.100 sorts after 1.12 as a version, not as a string.
		{CLI{Version: "1.100.0"}, ResourceIdentity, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.cli.String()+"/"+tt.feature.Name, func(t *testing.T) {
			ok, reason := tt.feature.Supports(tt.cli)
			if ok != tt.ok || reason != tt.reason {
				t.Errorf("Supports = %v, %q; want %v, %q", ok, reason, tt.ok, tt.reason)
			}
		})
	}
}

// A tofu binary driven without the OpenTofu registry host (or the reverse)
// is named in the failure, with the variables to set.
func TestDetectCLIHostMismatch(t *testing.T) {
	dir := t.TempDir()
	fake := func(name, line string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\necho '"+line+"'\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// A warning may come first, as when TF_CLI_CONFIG_FILE names a missing file.
	tofu, tf := fake("tofu", "Warning: Unable to open CLI configuration file\nOpenTofu v1.12.6"), fake("terraform", "Terraform v1.16.4")

	t.Setenv("TF_ACC_TERRAFORM_PATH", tofu)
	t.Setenv("TF_ACC_PROVIDER_HOST", "")
	if _, err := detectCLI(); err == nil || !strings.Contains(err.Error(), "set TF_ACC_PROVIDER_HOST=registry.opentofu.org") {
		t.Errorf("tofu without the OpenTofu host: %v", err)
	}
	t.Setenv("TF_ACC_PROVIDER_HOST", "registry.opentofu.org")
	if cli, err := detectCLI(); err != nil || !cli.OpenTofu || cli.Version != "1.12.6" {
		t.Errorf("tofu with the OpenTofu host: %+v, %v", cli, err)
	}
	t.Setenv("TF_ACC_TERRAFORM_PATH", tf)
	if _, err := detectCLI(); err == nil || !strings.Contains(err.Error(), "unset it") {
		t.Errorf("terraform with the OpenTofu host: %v", err)
	}
}
