package acctest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// BuiltProviderDir builds terraform-provider-osc from this module into a
// directory of the test and returns it, for a dev_overrides CLI
// configuration. The Go build cache makes every build after the first quick.
func BuiltProviderDir(t *testing.T) string {
	t.Helper()
	root, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(root)) == "" {
		t.Fatalf("finding the module root: %v", err)
	}
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-osc"), ".")
	cmd.Dir = filepath.Dir(strings.TrimSpace(string(root)))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	return dir
}

// Workdir is a Terraform working directory driven with the real CLI and the
// built provider binary, as a user runs it: one provider process per
// provider configuration (aliases included), no reattach.
type Workdir struct {
	t         *testing.T
	dir       string
	cli       string
	cliConfig string
	env       []string
}

// NewWorkdir writes main.tf (a terraform block requiring oscdl/osc is
// prepended) in a fresh directory. The CLI is TF_ACC_TERRAFORM_PATH, else
// terraform on PATH.
func NewWorkdir(t *testing.T, mainTF string) *Workdir {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		var err error
		if cli, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("no Terraform CLI: set TF_ACC_TERRAFORM_PATH=$(scripts/tfcli.sh terraform) (or tofu)")
		}
	}
	dir := t.TempDir()
	w := &Workdir{t: t, dir: filepath.Join(dir, "work"), cli: cli, cliConfig: filepath.Join(dir, "cli.tfrc")}
	w.write(w.cliConfig, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"oscdl/osc\" = %q\n  }\n  direct {}\n}\n", BuiltProviderDir(t)))
	w.SetConfig(mainTF)
	return w
}

// SetConfig rewrites main.tf (the terraform block prepended), for the next step.
func (w *Workdir) SetConfig(mainTF string) {
	w.t.Helper()
	w.write(filepath.Join(w.dir, "main.tf"),
		"terraform {\n  required_providers {\n    osc = {\n      source = \"oscdl/osc\"\n    }\n  }\n}\n\n"+mainTF)
}

// WriteFile writes another file of the working directory.
func (w *Workdir) WriteFile(name, content string) {
	w.t.Helper()
	w.write(filepath.Join(w.dir, name), content)
}

// ReadFile returns a file of the working directory (terraform.tfstate, a
// generated configuration); a missing file fails the test.
func (w *Workdir) ReadFile(name string) string {
	w.t.Helper()
	data, err := os.ReadFile(filepath.Join(w.dir, name))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(data)
}

// Path is the absolute path of a file of the working directory.
func (w *Workdir) Path(name string) string { return filepath.Join(w.dir, name) }

// Setenv adds an environment variable to every later CLI run of w only.
func (w *Workdir) Setenv(key, value string) {
	w.env = append(w.env, key+"="+value)
}

func (w *Workdir) write(path, content string) {
	w.t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// Command is the CLI with args in the working directory, writing to out, in
// a process group of its own: a signal sent to the group reaches Terraform
// and the providers it started, as a terminal's Ctrl-C does.
func (w *Workdir) Command(out io.Writer, args ...string) *exec.Cmd {
	cmd := exec.Command(w.cli, args...)
	cmd.Dir = w.dir
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+w.cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"OSC_POLL_MIN_INTERVAL="+PollInterval.String(),
	)
	cmd.Env = append(cmd.Env, w.env...)
	cmd.Stdout, cmd.Stderr = out, out
	ownProcessGroup(cmd)
	return cmd
}

// Run runs the CLI with args in the working directory and returns its
// combined output and exit code; failing to start it fails the test.
func (w *Workdir) Run(args ...string) (string, int) {
	w.t.Helper()
	var out bytes.Buffer
	err := w.Command(&out, args...).Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	default:
		w.t.Fatalf("running %s %v: %v", w.cli, args, err)
		return "", -1
	}
}

// MustRun is Run that fails the test unless the CLI exits 0.
func (w *Workdir) MustRun(args ...string) string {
	w.t.Helper()
	out, code := w.Run(args...)
	if code != 0 {
		w.t.Fatalf("%s %s exited %d:\n%s", filepath.Base(w.cli), strings.Join(args, " "), code, out)
	}
	return out
}
