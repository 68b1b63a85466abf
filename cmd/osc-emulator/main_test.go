package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/oscdl/terraform-provider-osc/internal/emulator"
)

func TestParseFlagsRefusesBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"-throttle", "1.5"},
		{"-throttle", "-0.1"},
		{"-drop-response", "2"},
		{"-transition-delay", "0s"},
		{"-transition-jitter", "-1s"},
		{"-confirm-expiry", "-1h"},
		{"-latency", "-1s"},
		{"-latency", "fast"},
		{"-fail-after-commit", "1.1"},
		{"-fail-503-plain", "-1"},
		{"-fail-after-commit-status", "404"},
		{"-seed-interfaces", "-1"},
		{"-clock", "yesterday"},
		{"extra"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	c, err := parseFlags(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.addr != "127.0.0.1:7575" || c.opts.TransitionDelay != 2*time.Second || c.opts.ConfirmExpiry != 168*time.Hour ||
		c.opts.Throttle != 0 || c.opts.Latency != 0 || c.opts.DropResponse != 0 || c.opts.StatePath != "" {
		t.Errorf("defaults: %+v", c)
	}
	if c.opts.FailAfterCommit != 0 || c.opts.FailAfterCommitStatus != http.StatusBadGateway || c.opts.Fail503Plain != 0 || c.opts.SeedInterfaces != 0 || c.opts.Now != nil {
		t.Errorf("fault and seed defaults: %+v", c.opts)
	}
	c, err = parseFlags([]string{"-clock", "2026-12-01T19:41:42Z", "-fail-after-commit", "0.5", "-fail-after-commit-status", "504", "-fail-503-plain", "0.25", "-seed-interfaces", "100", "-seed-hosted"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.opts.FailAfterCommit != 0.5 || c.opts.FailAfterCommitStatus != 504 || c.opts.Fail503Plain != 0.25 || c.opts.SeedInterfaces != 100 || !c.opts.SeedHosted {
		t.Errorf("flags not taken: %+v", c.opts)
	}
	if got := c.opts.Now(); got.Before(time.Date(2026, 12, 1, 19, 41, 42, 0, time.UTC)) || got.After(time.Date(2026, 12, 1, 19, 51, 42, 0, time.UTC)) {
		t.Errorf("-clock: the emulator's clock reads %s, want about 2026-12-01T19:41:42Z", got)
	}
}

// TestCommandPrintsInfoServesAndSavesOnSIGTERM builds and runs the command
// as a user would: the first stdout line is the Info JSON with the bound
// address, the API answers there, and SIGTERM saves the state file.
func TestCommandPrintsInfoServesAndSavesOnSIGTERM(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "osc-emulator")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	state := filepath.Join(t.TempDir(), "state.json")
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-transition-delay", "50ms", "-state", state)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })

	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the first line: %v", err)
	}
	var info emulator.Info
	if err := json.Unmarshal([]byte(line), &info); err != nil {
		t.Fatalf("first line is not the Info JSON: %v: %s", err, line)
	}
	if !strings.HasPrefix(info.DirectLinkEndpoint, "http://127.0.0.1:") || strings.HasSuffix(info.DirectLinkEndpoint, ":0") ||
		info.APIEndpoint != info.DirectLinkEndpoint+"/api/v1" || info.Region != "eu-west-2" || len(info.Accounts) < 2 ||
		info.Accounts[0].Name != "owner" || info.Accounts[1].Name != "recipient" || info.Accounts[0].SecretKey == "" {
		t.Fatalf("Info: %s", line)
	}
	port := strings.TrimPrefix(info.DirectLinkEndpoint, "http://127.0.0.1:")
	if info.APIBaseURL != info.DirectLinkEndpoint || info.APINamedBaseURL != "http://api.eu-west-2.localhost:"+port {
		t.Errorf("OUTSCALE CLI endpoints: api_base_url %q, api_named_base_url %q; want %q and http://api.eu-west-2.localhost:%s",
			info.APIBaseURL, info.APINamedBaseURL, info.DirectLinkEndpoint, port)
	}

	// osc-cli's form: its endpoint joined to /api/latest/<Action> with one
	// slash too many.
	resp, err := http.Post(info.APIBaseURL+"//api/latest/ReadLocations", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("POST //api/latest/ReadLocations: %d", resp.StatusCode)
	}

	resp, err = http.Post(info.APIEndpoint+"/ReadLocations", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "PAR1") {
		t.Fatalf("ReadLocations: %d %s", resp.StatusCode, body)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still running 10s after SIGTERM")
	}
	data, err := os.ReadFile(state)
	if err != nil || !strings.Contains(string(data), `"version": 1`) {
		t.Fatalf("state file after shutdown: %v %s", err, data)
	}
}
