package acctest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Feature is something only some Terraform-compatible CLIs can do. A test of
// it is gated on the CLI under test, so that a CLI lacking it still runs every
// other test, and the gate names the CLI, the feature and the versions that
// have it.
type Feature struct {
	Name string
	// Minimum Terraform and OpenTofu versions that have the feature;
	// "" means no release of that CLI has it.
	Terraform, OpenTofu string
}

var (
	WriteOnlyArguments = Feature{Name: "write-only arguments", Terraform: "1.11.0", OpenTofu: "1.11.0"}
	ResourceIdentity   = Feature{Name: "resource identity", Terraform: "1.12.0", OpenTofu: "1.12.0"}
	ListResources      = Feature{Name: "list resources (terraform query)", Terraform: "1.14.0"}
)

// CLI is the Terraform-compatible CLI the acceptance tests drive.
type CLI struct {
	Path     string
	OpenTofu bool
	Version  string // e.g. "1.16.4"
}

func (c CLI) String() string {
	if c.OpenTofu {
		return "OpenTofu " + c.Version
	}
	return "Terraform " + c.Version
}

// openTofuHost is the registry host terraform-plugin-testing must be given
// (TF_ACC_PROVIDER_HOST) to drive OpenTofu; it is also how a test tells
// OpenTofu from Terraform, since both report a "terraform_version".
const openTofuHost = "registry.opentofu.org"

// drivesOpenTofu reports whether the environment sets the suite up for OpenTofu.
func drivesOpenTofu() bool { return os.Getenv("TF_ACC_PROVIDER_HOST") == openTofuHost }

// Supports says whether cli has f and, when it has not, why, in words a
// reader of the test output understands without opening this file.
func (f Feature) Supports(cli CLI) (bool, string) {
	product, minimum := "Terraform", f.Terraform
	if cli.OpenTofu {
		product, minimum = "OpenTofu", f.OpenTofu
	}
	if minimum == "" {
		return false, fmt.Sprintf("%s: no %s release has %s", cli, product, f.Name)
	}
	have, err := parseVersion(cli.Version)
	if err != nil {
		return false, fmt.Sprintf("%s: cannot tell whether it has %s: %v", cli, f.Name, err)
	}
	want, err := parseVersion(minimum)
	if err != nil {
		panic(err) // a typo in the table above
	}
	if compareVersions(have, want) < 0 {
		return false, fmt.Sprintf("%s: %s needs %s >= %s", cli, f.Name, product, minimum)
	}
	return true, ""
}

// RequireCLI ends the test, as skipped with the reason, when the CLI under
// test lacks f. Tests that drive the CLI through acctest.Workdir call it;
// resource.TestCase tests put f.Check() in TerraformVersionChecks instead.
func RequireCLI(t *testing.T, f Feature) CLI {
	t.Helper()
	cli := CurrentCLI(t)
	if ok, why := f.Supports(cli); !ok {
		t.Skip("CLI lacks a feature this test needs: " + why)
	}
	return cli
}

// Check is f as a terraform-plugin-testing version check, for
// resource.TestCase.TerraformVersionChecks.
func (f Feature) Check() tfversion.TerraformVersionCheck { return featureCheck{f} }

type featureCheck struct{ f Feature }

func (c featureCheck) CheckTerraformVersion(_ context.Context, req tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if req.TerraformVersion == nil {
		resp.Error = fmt.Errorf("no CLI version to check %s against", c.f.Name)
		return
	}
	cli := CLI{OpenTofu: drivesOpenTofu(), Version: req.TerraformVersion.Core().String()}
	if ok, why := c.f.Supports(cli); !ok {
		resp.Skip = "CLI lacks a feature this test needs: " + why
	}
}

var (
	cliOnce sync.Once
	cliInfo CLI
	cliErr  error
)

// CurrentCLI is the CLI under test (TF_ACC_TERRAFORM_PATH, else terraform on
// PATH), asked once per test binary. It fails the test when the CLI and
// TF_ACC_PROVIDER_HOST disagree: terraform-plugin-testing would then fail
// every test with a far less clear error.
func CurrentCLI(t *testing.T) CLI {
	t.Helper()
	cliOnce.Do(func() { cliInfo, cliErr = detectCLI() })
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliInfo
}

// versionLine is the first line of `version` that names the CLI; warnings
// (about the CLI configuration, say) may come before it.
var versionLine = regexp.MustCompile(`(?m)^(Terraform|OpenTofu) v(\d+\.\d+\.\d+)`)

func detectCLI() (CLI, error) {
	path := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if path == "" {
		var err error
		if path, err = exec.LookPath("terraform"); err != nil {
			return CLI{}, fmt.Errorf("no Terraform CLI: set TF_ACC_TERRAFORM_PATH=$(scripts/tfcli.sh terraform) (or tofu)")
		}
	}
	cmd := exec.Command(path, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		return CLI{}, fmt.Errorf("%s version: %w", path, err)
	}
	m := versionLine.FindSubmatch(out)
	if m == nil {
		return CLI{}, fmt.Errorf("%s version printed no Terraform or OpenTofu version:\n%s", path, out)
	}
	cli := CLI{Path: path, OpenTofu: string(m[1]) == "OpenTofu", Version: string(m[2])}
	if cli.OpenTofu != drivesOpenTofu() {
		if cli.OpenTofu {
			return CLI{}, fmt.Errorf("%s is %s: set TF_ACC_PROVIDER_HOST=%s TF_ACC_PROVIDER_NAMESPACE=hashicorp (make testacc-tofu does)", path, cli, openTofuHost)
		}
		return CLI{}, fmt.Errorf("%s is %s but TF_ACC_PROVIDER_HOST=%s is set for OpenTofu: unset it", path, cli, openTofuHost)
	}
	return cli, nil
}

func parseVersion(s string) ([3]int, error) {
	var v [3]int
	m := regexp.MustCompile(`^(\d+)\.(\d+)\.(\d+)`).FindStringSubmatch(s)
	if m == nil {
		return v, fmt.Errorf("%q is not a version", s)
	}
	for i := range v {
		v[i], _ = strconv.Atoi(m[i+1])
	}
	return v, nil
}

func compareVersions(a, b [3]int) int {
	for i := range a {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}
