package emulator_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/oscdl/terraform-provider-osc/internal/emulator"
)

// These tests use the emulator the way its README tells people to: the
// built command, then curl --aws-sigv4 and the AWS CLI against it. Neither
// tool was written here, so they check that the emulator speaks the real
// protocols and not just what our own clients happen to send.

// requireTool fails, rather than skips, when a tool the suite depends on is
// missing: a skipped protocol check would pass CI without checking anything.
func requireTool(t *testing.T, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is required by this test and is not on PATH; install it with: %s", name, install)
	}
	return p
}

type runningEmulator struct {
	info   emulator.Info
	base   string
	cmd    *exec.Cmd
	stderr *bytes.Buffer
}

// buildEmulator builds cmd/osc-emulator once per test into a temporary directory.
func buildEmulator(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "osc-emulator")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/oscdl/terraform-provider-osc/cmd/osc-emulator").CombinedOutput()
	if err != nil {
		t.Fatalf("go build ./cmd/osc-emulator: %v\n%s", err, out)
	}
	return bin
}

// startCommand starts the built command on a free loopback port and reads
// the JSON line it promises as its first line on stdout.
func startCommand(t *testing.T, bin string, args ...string) *runningEmulator {
	t.Helper()
	e := &runningEmulator{stderr: &bytes.Buffer{}}
	e.cmd = exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	e.cmd.Stderr = e.stderr
	stdout, err := e.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := e.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	t.Cleanup(func() { e.stop(t) })

	lines := bufio.NewReader(stdout)
	first, err := lines.ReadBytes('\n')
	if err != nil {
		e.stop(t) // stderr is complete once the command has exited
		t.Fatalf("reading the first line of osc-emulator: %v (stderr: %s)", err, e.stderr)
	}
	go func() { _, _ = lines.WriteTo(io.Discard) }() // the command never blocks on a full pipe
	dec := json.NewDecoder(bytes.NewReader(first))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e.info); err != nil {
		t.Fatalf("first line is not the documented JSON object: %v\n%s", err, first)
	}
	e.base = e.info.DirectLinkEndpoint
	if !strings.HasPrefix(e.base, "http://127.0.0.1:") || e.info.APIEndpoint != e.base+"/api/v1" {
		t.Fatalf("endpoints %q and %q, want http://127.0.0.1:PORT and the same + /api/v1", e.info.DirectLinkEndpoint, e.info.APIEndpoint)
	}
	return e
}

// stop interrupts the command as a user's Ctrl-C would and waits for it.
func (e *runningEmulator) stop(t *testing.T) {
	if e.cmd.ProcessState != nil {
		return
	}
	_ = e.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- e.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("osc-emulator exited with %v after an interrupt (stderr: %s)", err, e.stderr)
		}
	case <-time.After(30 * time.Second):
		_ = e.cmd.Process.Kill()
		err := <-done
		t.Errorf("osc-emulator did not stop within 30s of an interrupt; killed (%v)", err)
	}
}

func (e *runningEmulator) account(t *testing.T, name string) emulator.Account {
	t.Helper()
	for _, a := range e.info.Accounts {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("the JSON line has no account %q", name)
	return emulator.Account{}
}

// curl runs curl and returns the HTTP status and the body.
func curl(t *testing.T, args ...string) (int, []byte) {
	t.Helper()
	args = append([]string{"-sS", "--max-time", "60", "-w", "\n%{http_code}"}, args...)
	out, err := exec.Command("curl", args...).Output()
	if err != nil {
		t.Fatalf("curl %s: %v", strings.Join(args, " "), err)
	}
	i := bytes.LastIndexByte(out, '\n')
	status, err := strconv.Atoi(string(out[i+1:]))
	if err != nil {
		t.Fatalf("curl: no status in its output: %q", out)
	}
	return status, out[:i]
}

func userOf(a emulator.Account) string { return a.AccessKey + ":" + a.SecretKey }

func decodeObject(t *testing.T, what string, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("%s: answer is not a JSON object: %v: %s", what, err, body)
	}
	return m
}

func TestCommandWithCurl(t *testing.T) {
	requireTool(t, "curl", "apt-get install -y curl")
	e := startCommand(t, buildEmulator(t), "-transition-delay", "50ms")
	owner := e.account(t, "owner")

	// OUTSCALE API, SigV4 as curl spells it for AWS-style services.
	status, body := curl(t, "--aws-sigv4", "aws:amz:eu-west-2:oapi", "--user", userOf(owner),
		"-H", "Content-Type: application/json", "-d", `{"Filters":{"DirectLinkIds":["dxcon-12345678"]}}`,
		e.info.APIEndpoint+"/ReadDirectLinks")
	if status != 200 || !bytes.Contains(body, []byte(`"dxcon-12345678"`)) || !bytes.Contains(body, []byte(`"available"`)) {
		t.Errorf("curl ReadDirectLinks: HTTP %d %s, want 200 listing dxcon-12345678 available", status, body)
	}

	// OUTSCALE API, OUTSCALE's own OSC4 scheme with X-Osc-Date.
	status, body = curl(t, "--aws-sigv4", "osc:osc:eu-west-2:api", "--user", userOf(owner),
		"-H", "Content-Type: application/json", "-d", `{}`, e.info.APIEndpoint+"/ReadDirectLinkInterfaces")
	if status != 200 || decodeObject(t, "ReadDirectLinkInterfaces", body)["DirectLinkInterfaces"] == nil {
		t.Errorf("curl OSC4 ReadDirectLinkInterfaces: HTTP %d %s, want 200 with DirectLinkInterfaces", status, body)
	}

	// DirectLink API: POST / with X-Amz-Target.
	status, body = curl(t, "--aws-sigv4", "aws:amz:eu-west-2:directconnect", "--user", userOf(owner),
		"-H", "Content-Type: application/x-amz-json-1.1", "-H", "X-Amz-Target: OvertureService.DescribeConnections",
		"-d", `{}`, e.base+"/")
	if status != 200 || !bytes.Contains(body, []byte(`"connectionId":"dxcon-12345678"`)) {
		t.Errorf("curl DescribeConnections: HTTP %d %s, want 200 listing connectionId dxcon-12345678", status, body)
	}

	// ReadLocations takes no signature.
	status, body = curl(t, "-H", "Content-Type: application/json", "-d", `{}`, e.info.APIEndpoint+"/ReadLocations")
	if status != 200 || !bytes.Contains(body, []byte(`"PAR1"`)) {
		t.Errorf("curl ReadLocations without signature: HTTP %d %s, want 200 listing PAR1", status, body)
	}

	// A wrong secret: each API's own authentication error, without secrets.
	wrong := owner.AccessKey + ":" + strings.Repeat("x", len(owner.SecretKey))
	status, body = curl(t, "--aws-sigv4", "aws:amz:eu-west-2:oapi", "--user", wrong,
		"-H", "Content-Type: application/json", "-d", `{}`, e.info.APIEndpoint+"/ReadDirectLinks")
	if errs, _ := decodeObject(t, "ReadDirectLinks", body)["Errors"].([]any); status != 401 || len(errs) == 0 {
		t.Errorf("curl ReadDirectLinks with a wrong secret: HTTP %d %s, want 401 with Errors", status, body)
	}
	status, body = curl(t, "--aws-sigv4", "aws:amz:eu-west-2:directconnect", "--user", wrong,
		"-H", "Content-Type: application/x-amz-json-1.1", "-H", "X-Amz-Target: OvertureService.DescribeConnections",
		"-d", `{}`, e.base+"/")
	if typ, _ := decodeObject(t, "DescribeConnections", body)["__type"].(string); status != 403 || typ == "" {
		t.Errorf("curl DescribeConnections with a wrong secret: HTTP %d %s, want 403 with __type", status, body)
	}
	if bytes.Contains(body, []byte(owner.SecretKey)) || bytes.Contains(body, []byte(strings.Repeat("x", len(owner.SecretKey)))) {
		t.Errorf("an authentication error shows a secret key: %s", body)
	}

	// The stats endpoint counts what was received.
	status, body = curl(t, e.base+"/_emulator/stats")
	var stats emulator.Stats
	if err := json.Unmarshal(body, &stats); status != 200 || err != nil {
		t.Fatalf("GET /_emulator/stats: HTTP %d %s (%v)", status, body, err)
	}
	if stats.Total != 6 || stats.Actions["ReadDirectLinks"] != 2 || stats.Actions["DescribeConnections"] != 2 ||
		stats.Actions["ReadLocations"] != 1 || stats.Actions["ReadDirectLinkInterfaces"] != 1 {
		t.Errorf("stats = %+v, want total 6: ReadDirectLinks 2, DescribeConnections 2, ReadLocations 1, ReadDirectLinkInterfaces 1", stats)
	}
}

// awsCLI runs the AWS CLI with a private configuration directory, so the
// developer's own ~/.aws never leaks into the test, and returns its stdout.
func awsCLI(t *testing.T, env []string, args ...string) ([]byte, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "aws", args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true")
	cmd.Env = append(cmd.Env, env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, &cliError{err: err, stderr: stderr.String()}
	}
	return out, nil
}

type cliError struct {
	err    error
	stderr string
}

func (e *cliError) Error() string { return e.err.Error() + ": " + strings.TrimSpace(e.stderr) }

func TestCommandWithAWSCLI(t *testing.T) {
	requireTool(t, "aws", "apt-get update && apt-get install -y awscli")
	bin := buildEmulator(t)
	state := filepath.Join(t.TempDir(), "state.json")
	e := startCommand(t, bin, "-transition-delay", "50ms", "-state", state)
	owner, recipient := e.account(t, "owner"), e.account(t, "recipient")

	// Isolated AWS CLI configuration: no ~/.aws, no inherited AWS_* variables.
	dir := t.TempDir()
	config, creds := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	writeFile(t, config, "[profile YOUR_PROFILE]\nregion = eu-west-2\n")
	writeFile(t, creds, "[YOUR_PROFILE]\naws_access_key_id = "+owner.AccessKey+"\naws_secret_access_key = "+owner.SecretKey+"\n")
	files := []string{"AWS_CONFIG_FILE=" + config, "AWS_SHARED_CREDENTIALS_FILE=" + creds}
	as := func(a emulator.Account) []string {
		return append([]string{"AWS_ACCESS_KEY_ID=" + a.AccessKey, "AWS_SECRET_ACCESS_KEY=" + a.SecretKey}, files...)
	}

	version, err := awsCLI(t, files, "--version")
	if err != nil {
		t.Fatalf("aws --version: %v", err)
	}
	t.Logf("using %s", bytes.TrimSpace(version))

	// Keys from the JSON line, as the README shows.
	out, err := awsCLI(t, as(owner), "directconnect", "describe-connections",
		"--endpoint-url", e.base, "--region", "eu-west-2", "--output", "json")
	if err != nil {
		t.Fatalf("aws directconnect describe-connections: %v", err)
	}
	var conns struct {
		Connections []struct {
			ConnectionID    string `json:"connectionId"`
			ConnectionState string `json:"connectionState"`
			Location        string `json:"location"`
		} `json:"connections"`
	}
	if err := json.Unmarshal(out, &conns); err != nil {
		t.Fatalf("describe-connections output: %v\n%s", err, out)
	}
	found := false
	for _, c := range conns.Connections {
		found = found || c.ConnectionID == "dxcon-12345678" && c.ConnectionState == "available" && c.Location == "PAR1"
	}
	if !found {
		t.Errorf("describe-connections: %s, want dxcon-12345678 available in PAR1", out)
	}

	// The documentation's allocation sample, as written, with the profile it
	// names and --endpoint pointing here instead of at OUTSCALE. The page's
	// stray ')' after the shorthand (a shell would refuse the line) is left out.
	out, err = awsCLI(t, files, "directconnect", "allocate-private-virtual-interface",
		"--profile", "YOUR_PROFILE",
		"--connection-id", "dxcon-12345678",
		"--owner-account", "123456789000",
		"--new-private-virtual-interface-allocation", "virtualInterfaceName=MyPrivateVirtualInterface,vlan=101,asn=65000,authKey=tgyn26example,amazonAddress=172.16.0.1/30,customerAddress=172.16.0.2/30",
		"--endpoint", e.base)
	if err != nil {
		t.Fatalf("the documentation's allocate-private-virtual-interface: %v", err)
	}
	var vif map[string]any
	if err := json.Unmarshal(out, &vif); err != nil {
		t.Fatalf("allocate-private-virtual-interface output: %v\n%s", err, out)
	}
	for field, want := range map[string]any{
		"asn": 65000.0, "vlan": 101.0, "customerAddress": "172.16.0.2/30", "ownerAccount": "123456789000",
		"connectionId": "dxcon-12345678", "authKey": "tgyn26example", "location": "PAR1",
		"amazonAddress": "172.16.0.1/30", "virtualInterfaceType": "private", "virtualInterfaceName": "MyPrivateVirtualInterface",
	} {
		if vif[field] != want {
			t.Errorf("allocation %s = %v, want %v (documentation's result sample)", field, vif[field], want)
		}
	}
	id, _ := vif["virtualInterfaceId"].(string)
	if !strings.HasPrefix(id, "dxvif-") {
		t.Fatalf("virtualInterfaceId = %q, want dxvif-...", id)
	}

	// The recipient confirms with its gateway, with its own keys.
	describeState := func(a emulator.Account) func() (string, error) {
		return func() (string, error) { return describeStateAt(t, e.base, as(a), id) }
	}
	waitFor(t, "allocated interface (recipient, AWS CLI)", "confirming", describeState(recipient))
	if _, err := awsCLI(t, as(recipient), "directconnect", "confirm-private-virtual-interface",
		"--virtual-interface-id", id, "--virtual-gateway-id", "vgw-87654321",
		"--endpoint-url", e.base, "--region", "eu-west-2"); err != nil {
		t.Fatalf("aws directconnect confirm-private-virtual-interface: %v", err)
	}
	waitFor(t, "confirmed interface (owner, AWS CLI)", "available", describeState(owner))

	// -state: a restarted emulator still has the interface, in the same state.
	e.stop(t)
	e2 := startCommand(t, bin, "-transition-delay", "50ms", "-state", state)
	if got, err := describeStateAt(t, e2.base, as(recipient), id); err != nil || got != "available" {
		t.Errorf("after a restart with -state: interface %s is %q (err %v), want available", id, got, err)
	}
}

func describeStateAt(t *testing.T, endpoint string, env []string, id string) (string, error) {
	t.Helper()
	out, err := awsCLI(t, env, "directconnect", "describe-virtual-interfaces", "--virtual-interface-id", id,
		"--endpoint-url", endpoint, "--region", "eu-west-2", "--output", "text", "--query", "virtualInterfaces[0].virtualInterfaceState")
	return string(bytes.TrimSpace(out)), err
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
