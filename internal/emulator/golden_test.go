package emulator

import (
	"encoding/json"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/directlink-errors/emulator-*.json from the emulator's answers")

// goldenError is one fixture of testdata/directlink-errors (see its README).
type goldenError struct {
	Source string            `json:"source"` // "emulator" or "aws"
	Case   string            `json:"case"`
	Status int               `json:"status"`
	Header map[string]string `json:"header"`
	Body   string            `json:"body"` // the body's exact bytes
}

// The emulator's DirectLink API error answers are the committed fixtures,
// byte for byte, so that the API layer's classification tests (which read
// the same files) test what the emulator really answers.
func TestDirectLinkErrorsMatchGoldenFixtures(t *testing.T) {
	emu, clock, owner, recipient := fakeEmulator(t, Options{})
	hosted := owner.dx("AllocatePrivateVirtualInterface", sampleAllocate()).str("virtualInterfaceId")
	if hosted == "" {
		t.Fatal("allocate failed")
	}
	wrongSecret := *owner
	wrongSecret.secret = strings.Repeat("x", 40)
	unknownKey := *owner
	unknownKey.account = Account{AccessKey: "AKIAUNKNOWN000000000", SecretKey: "s"}
	unsigned := *owner
	unsigned.unsigned = true
	stale := *owner
	stale.now = func() time.Time { return clock.Now().Add(-10 * time.Minute) }
	tooHigh := sampleAllocate()
	sub(tooHigh, "newPrivateVirtualInterfaceAllocation")["vlan"] = 5000

	raw := func(c *caller, target, path, body string) answer {
		req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", target)
		return c.do(req, []byte(body), "directconnect")
	}
	cases := []struct {
		name string
		call func() answer
	}{
		{"not-found", func() answer {
			return owner.dx("DescribeVirtualInterfaces", obj{"virtualInterfaceId": "dxvif-00000000"})
		}},
		{"vlan-conflict", func() answer { return owner.dx("AllocatePrivateVirtualInterface", sampleAllocate()) }},
		{"out-of-range", func() answer { return owner.dx("AllocatePrivateVirtualInterface", tooHigh) }},
		{"confirm-not-confirming", func() answer {
			return recipient.dx("ConfirmPrivateVirtualInterface", obj{"virtualInterfaceId": hosted, "virtualGatewayId": "vgw-87654321"})
		}},
		{"confirm-by-owner", func() answer {
			return owner.dx("ConfirmPrivateVirtualInterface", obj{"virtualInterfaceId": hosted, "virtualGatewayId": "vgw-12345678"})
		}},
		{"serialization", func() answer { return raw(owner, "OvertureService.DescribeConnections", "/", "not json") }},
		{"unknown-operation", func() answer { return raw(owner, "OvertureService.CreateConnection", "/", "{}") }},
		{"unknown-path", func() answer { return raw(owner, "OvertureService.DescribeConnections", "/directlink", "{}") }},
		{"missing-authentication", func() answer { return unsigned.dx("DescribeConnections", obj{}) }},
		{"unknown-access-key", func() answer { return unknownKey.dx("DescribeConnections", obj{}) }},
		{"bad-signature", func() answer { return wrongSecret.dx("DescribeConnections", obj{}) }},
		{"expired-signature", func() answer { return stale.dx("DescribeConnections", obj{}) }},
		{"throttling", func() answer {
			emu.SetFaults(1, 0)
			defer emu.SetFaults(0, 0)
			return owner.dx("DescribeConnections", obj{})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := tc.call()
			got := goldenError{Source: "emulator", Case: tc.name, Status: a.status,
				Header: map[string]string{"X-Amzn-Errortype": a.header.Get("X-Amzn-Errortype")}, Body: string(a.raw)}
			file := filepath.Join("testdata", "directlink-errors", "emulator-"+tc.name+".json")
			if *updateGolden {
				data, _ := json.MarshalIndent(got, "", "  ")
				if err := os.WriteFile(file, append(data, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want := readGolden(t, file)
			if got.Status != want.Status || got.Header["X-Amzn-Errortype"] != want.Header["X-Amzn-Errortype"] || got.Body != want.Body {
				t.Errorf("answer %d %v %s\nfixture %d %v %s\n(go test -run TestDirectLinkErrorsMatchGoldenFixtures -update-golden rewrites it)",
					got.Status, got.Header, got.Body, want.Status, want.Header, want.Body)
			}
			var body dxErrorBody
			if err := json.Unmarshal(a.raw, &body); err != nil || body.Type == "" || body.Message == "" || body.Type != a.header.Get("X-Amzn-Errortype") {
				t.Errorf("body %s: want {__type, message} with __type the X-Amzn-Errortype header", a.raw)
			}
		})
	}
}

// Every fixture, the AWS Direct Connect shapes included, is well formed:
// the API layer's tests can rely on them.
func TestGoldenFixturesAreWellFormed(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "directlink-errors", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	types := map[string]bool{}
	for _, f := range files {
		g := readGolden(t, f)
		if g.Source != "emulator" && g.Source != "aws" || g.Case == "" || g.Status < 400 || !strings.HasPrefix(filepath.Base(f), g.Source+"-"+g.Case) {
			t.Errorf("%s: source %q case %q status %d", f, g.Source, g.Case, g.Status)
		}
		var body map[string]any
		if err := json.Unmarshal([]byte(g.Body), &body); err != nil {
			t.Errorf("%s: body is not JSON: %v", f, err)
		}
		typ, _ := body["__type"].(string)
		types[typ] = true
	}
	for _, want := range []string{dxClientException, dxServerException, "ThrottlingException", dxThrottling} {
		if !types[want] {
			t.Errorf("no fixture with __type %s", want)
		}
	}
}

func readGolden(t *testing.T, file string) goldenError {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var g goldenError
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return g
}
