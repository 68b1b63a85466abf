package emulator_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"

	"github.com/oscdl/terraform-provider-osc/internal/emulator"
)

// capture is one request recorded from a real client (see the README.md
// beside the captures).
type capture struct {
	Client      string      `json:"client"`
	Action      string      `json:"action"`
	Method      string      `json:"method"`
	Target      string      `json:"target"`
	HTTPVersion string      `json:"http_version"`
	Headers     [][2]string `json:"headers"`
	Body        string      `json:"body"`
	SignedAt    *string     `json:"signed_at"`
	KeyUsed     *string     `json:"secret_key_used"`
}

// The ID a fresh emulator with Seed 1 gives the first interface created: the
// captures' follow-up requests name it.
const replayedID = "dxvif-228df6d2"

// captureDir finds the wire captures: ../shared/wire-captures beside the
// repository when there, else the copy committed in testdata. Neither
// present is a failure: a replay test that silently replays nothing proves
// nothing.
func captureDir(t *testing.T) string {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := findCaptureDir(root, filepath.Join("testdata", "wire-captures"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// repoRoot is the nearest directory above the test's with a go.mod.
func repoRoot() (string, error) {
	root, err := filepath.Abs(".")
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			return root, nil
		}
		parent := filepath.Dir(root)
		if parent == root {
			return "", errors.New("no go.mod above the test's directory: cannot find the repository root")
		}
		root = parent
	}
}

func findCaptureDir(root, committed string) (string, error) {
	shared := filepath.Join(root, "..", "shared", "wire-captures")
	for _, dir := range []string{shared, committed} {
		if files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl")); len(files) > 0 {
			return dir, nil
		}
	}
	return "", fmt.Errorf("no wire captures: neither %s nor %s holds *.jsonl files", shared, committed)
}

// Without ../shared the committed copy is replayed; with neither, the
// replay fails instead of replaying nothing.
func TestCaptureDirFallsBackThenFails(t *testing.T) {
	lonely := t.TempDir() // a checkout with no shared/ beside it
	committed := filepath.Join("testdata", "wire-captures")
	if dir, err := findCaptureDir(lonely, committed); err != nil || dir != committed {
		t.Errorf("without ../shared: %q, %v; want the committed copy", dir, err)
	}
	if dir, err := findCaptureDir(lonely, filepath.Join(lonely, "none")); err == nil {
		t.Errorf("with neither: %q, want an error", dir)
	}
}

// The committed copy is the shared captures, byte for byte, when both are
// here: CI, which may have only the copy, replays what everyone else does.
func TestCommittedCapturesAreTheSharedOnes(t *testing.T) {
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(root, "..", "shared", "wire-captures")
	files, _ := filepath.Glob(filepath.Join(shared, "*"))
	if len(files) == 0 {
		t.Logf("no %s here: only the committed copy exists", shared)
	}
	for _, f := range files {
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join("testdata", "wire-captures", filepath.Base(f)))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("testdata/wire-captures/%s differs from %s (%v): copy it again", filepath.Base(f), f, err)
		}
	}
}

func loadCaptures(t *testing.T) map[string][]capture {
	t.Helper()
	dir := captureDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	out := map[string][]capture{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
			var c capture
			if err := json.Unmarshal(line, &c); err != nil {
				t.Fatalf("%s line %d: %v", f, i+1, err)
			}
			out[filepath.Base(f)] = append(out[filepath.Base(f)], c)
		}
	}
	t.Logf("replaying %d files from %s", len(out), dir)
	return out
}

// raw is the request exactly as the client sent it: request line, headers in
// their order and case, body bytes. Nothing goes through net/http's client,
// which would normalise all three.
func (c capture) raw() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s %s\r\n", c.Method, c.Target, c.HTTPVersion)
	for _, h := range c.Headers {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	b.WriteString("\r\n")
	b.WriteString(c.Body)
	return b.Bytes()
}

func (c capture) signingTime(t *testing.T) (time.Time, bool) {
	if c.SignedAt == nil {
		return time.Time{}, false
	}
	at, err := time.Parse("20060102T150405Z", *c.SignedAt)
	if err != nil {
		t.Fatalf("%s %s: signed_at %q: %v", c.Client, c.Action, *c.SignedAt, err)
	}
	return at, true
}

// replayed is an answer read off the wire.
type replayed struct {
	status int
	header http.Header
	body   []byte
}

func (a replayed) json(t *testing.T, what string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("%s: answer is not a JSON object: %v: %s", what, err, a.body)
	}
	return m
}

func send(t *testing.T, addr string, request []byte) replayed {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Write(request); err != nil {
		t.Fatalf("writing the request: %v", err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading the answer's body: %v", err)
	}
	return replayed{status: resp.StatusCode, header: resp.Header, body: body}
}

// replayServer is a fresh emulator (Seed 1, as at capture time) behind the
// spec validator, with its clock stopped where the test sets it.
func replayServer(t *testing.T) (*emulator.Emulator, *emulator.FakeClock, *specValidator, string) {
	t.Helper()
	clock := emulator.NewFakeClock(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	// Shorter than the one second between an allocate and its confirm in
	// the captures, so that the interface is confirming by then.
	emu, err := emulator.New(emulator.Options{Seed: 1, Now: clock.Now, TransitionDelay: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	v := newSpecValidator(t)
	srv := httptest.NewServer(v.wrap(emu))
	t.Cleanup(func() {
		srv.Close()
		if err := emu.Close(); err != nil {
			t.Error(err)
		}
	})
	return emu, clock, v, srv.Listener.Addr().String()
}

func stored(emu *emulator.Emulator, id string) (emulator.Interface, bool) {
	for _, i := range emu.Interfaces() {
		if i.ID == id {
			return i, true
		}
	}
	return emulator.Interface{}, false
}

// listsID says whether the answer's list under key holds an object whose
// idKey is id.
func listsID(body map[string]any, key, idKey, id string) bool {
	list, _ := body[key].([]any)
	for _, item := range list {
		if m, _ := item.(map[string]any); m != nil && m[idKey] == id {
			return true
		}
	}
	return false
}

// Every recorded request of every real client is served, in file order, as
// OUTSCALE serves it: 200, an answer of the spec's shape (the OUTSCALE API)
// or of the AWS Direct Connect shape with both request-ID headers (the
// DirectLink API), and the state the request means to leave.
func TestReplayWireCaptures(t *testing.T) {
	for file, captures := range loadCaptures(t) {
		t.Run(strings.TrimSuffix(file, ".jsonl"), func(t *testing.T) {
			emu, clock, v, addr := replayServer(t)
			for i, c := range captures {
				what := fmt.Sprintf("%s line %d (%s %s)", file, i+1, c.Action, c.Target)
				if at, ok := c.signingTime(t); ok {
					clock.Set(at)
				}
				a := send(t, addr, c.raw())
				if a.status != http.StatusOK {
					t.Fatalf("%s: status %d, want 200: %s", what, a.status, a.body)
				}
				body := a.json(t, what)
				if c.Target == "/" {
					for _, h := range []string{"x-amzn-RequestId", "x-amz-requestid"} {
						if a.header.Get(h) == "" {
							t.Errorf("%s: no %s header (osc-cli's DirectLink client needs x-amz-requestid)", what, h)
						}
					}
					if ct := a.header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
						t.Errorf("%s: Content-Type %q, want application/x-amz-json-1.1", what, ct)
					}
					checkDirectLinkShape(t, what, c, a)
				}
				checkReplayEffect(t, emu, what, c.Action, body)
			}
			v.mu.Lock()
			defer v.mu.Unlock()
			for _, f := range v.failures {
				t.Error(f)
			}
		})
	}
}

// checkReplayEffect checks what one replayed action leaves behind.
func checkReplayEffect(t *testing.T, emu *emulator.Emulator, what, action string, body map[string]any) {
	t.Helper()
	itf, found := stored(emu, replayedID)
	switch action {
	case "CreateDirectLinkInterface":
		if !found || itf.VLAN != 101 || itf.Name != "MyDirectLinkInterface" || itf.OwnerAccountID != ownerID || itf.VirtualGatewayID != "vgw-12345678" || itf.Hosted {
			t.Fatalf("%s: want own interface %s on VLAN 101 stored, have %+v (found %v)", what, replayedID, itf, found)
		}
	case "AllocatePrivateVirtualInterface":
		if !found || itf.VLAN != 101 || itf.OwnerAccountID != recipientID || !itf.Hosted || itf.State != "pending" {
			t.Fatalf("%s: want hosted interface %s pending for %s, have %+v (found %v)", what, replayedID, recipientID, itf, found)
		}
	case "ConfirmPrivateVirtualInterface":
		if !found || itf.VirtualGatewayID != "vgw-87654321" || itf.State != "pending" || body["virtualInterfaceState"] != "pending" {
			t.Fatalf("%s: want %s confirmed (pending on vgw-87654321), have %+v, answer %v", what, replayedID, itf, body)
		}
	case "ReadDirectLinkInterfaces":
		if !listsID(body, "DirectLinkInterfaces", "DirectLinkInterfaceId", replayedID) {
			t.Fatalf("%s: answer does not list %s: %v", what, replayedID, body)
		}
	case "DescribeVirtualInterfaces":
		if !listsID(body, "virtualInterfaces", "virtualInterfaceId", replayedID) {
			t.Fatalf("%s: answer does not list %s: %v", what, replayedID, body)
		}
	case "DeleteDirectLinkInterface", "DeleteVirtualInterface":
		if !found || itf.State != "deleting" {
			t.Fatalf("%s: want %s deleting, have %+v (found %v)", what, replayedID, itf, found)
		}
	case "ReadDirectLinks":
		if !listsID(body, "DirectLinks", "DirectLinkId", "dxcon-12345678") {
			t.Fatalf("%s: answer does not list dxcon-12345678: %v", what, body)
		}
	case "DescribeConnections":
		if !listsID(body, "connections", "connectionId", "dxcon-12345678") {
			t.Fatalf("%s: answer does not list dxcon-12345678: %v", what, body)
		}
	case "ReadLocations":
		if !listsID(body, "Locations", "Code", "PAR1") {
			t.Fatalf("%s: answer does not list PAR1: %v", what, body)
		}
	default:
		t.Fatalf("%s: the replay test does not know what %s should leave", what, action)
	}
}

// tamper returns variants of c that a server must refuse: one byte of the
// body changed, the signed Host changed, the signed date changed by a second.
func (c capture) tamper() map[string]capture {
	out := map[string]capture{}
	if c.Body != "" {
		b := []byte(c.Body)
		b[len(b)/2] ^= 0x01
		t := c
		t.Body = string(b)
		out["one body byte changed"] = t
	}
	for i, h := range c.Headers {
		name := strings.ToLower(h[0])
		if name != "host" && name != "x-amz-date" && name != "x-osc-date" {
			continue
		}
		v := []byte(h[1])
		last := v[len(v)-1]
		if name == "host" {
			v[len(v)-1] = '0' + (last-'0'+1)%10 // another port
		} else {
			v[len(v)-2] = '0' + (v[len(v)-2]-'0'+1)%10 // another second, same date
		}
		t := c
		t.Headers = append([][2]string{}, c.Headers...)
		t.Headers[i] = [2]string{h[0], string(v)}
		out["signed header "+h[0]+" changed"] = t
	}
	return out
}

// The same captures, tampered with, are refused with the API's signature
// error and change nothing: the replay test above does not pass because the
// emulator accepts anything.
func TestReplayTamperedWireCapturesRefused(t *testing.T) {
	refusals := 0
	for file, captures := range loadCaptures(t) {
		t.Run(strings.TrimSuffix(file, ".jsonl"), func(t *testing.T) {
			emu, clock, _, addr := replayServer(t)
			for i, c := range captures {
				at, signed := c.signingTime(t)
				if !signed || c.Action == "ReadLocations" {
					continue // ReadLocations takes no authentication: nothing to refuse
				}
				clock.Set(at)
				for how, tc := range c.tamper() {
					what := fmt.Sprintf("%s line %d (%s), %s", file, i+1, c.Action, how)
					a := send(t, addr, tc.raw())
					body := a.json(t, what)
					if c.Target == "/" {
						if a.status != http.StatusForbidden || body["__type"] != "InvalidSignatureException" {
							t.Errorf("%s: status %d %v, want 403 InvalidSignatureException", what, a.status, body)
						}
					} else {
						errs, _ := body["Errors"].([]any)
						code := ""
						if len(errs) == 1 {
							first, _ := errs[0].(map[string]any)
							code, _ = first["Code"].(string)
						}
						if a.status != http.StatusUnauthorized || code != "1" || !strings.Contains(string(a.body), "signature does not match") {
							t.Errorf("%s: status %d %s, want 401 code 1, signature mismatch", what, a.status, a.body)
						}
					}
					refusals++
				}
			}
			if n := len(emu.Interfaces()); n != 0 {
				t.Errorf("tampered requests left %d interfaces: %+v", n, emu.Interfaces())
			}
		})
	}
	// 24 signed captures, 2 of them ReadLocations; each has a Host and a date
	// header, and all but the empty bodies a body.
	if refusals < 60 {
		t.Errorf("only %d tampered requests were tried", refusals)
	}
}

// cannedTransport answers every request with one recorded answer.
type cannedTransport struct{ answer replayed }

func (c cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return &http.Response{StatusCode: c.answer.status, Header: c.answer.header.Clone(),
		Body: io.NopCloser(bytes.NewReader(c.answer.body)), Request: req}, nil
}

// checkDirectLinkShape has the AWS SDK for Go v2 read a DirectLink API
// answer as the output of its action: the AWS Direct Connect model is the
// official shape of these answers, and its deserializer refuses a member of
// the wrong type.
func checkDirectLinkShape(t *testing.T, what string, c capture, a replayed) {
	t.Helper()
	client := directconnect.New(directconnect.Options{
		Region:       "eu-west-2",
		BaseEndpoint: aws.String("http://127.0.0.1"),
		Credentials:  aws.AnonymousCredentials{},
		HTTPClient:   &http.Client{Transport: cannedTransport{a}},
		Retryer:      aws.NopRetryer{},
	})
	ctx := t.Context()
	decode := func(in any) {
		if err := json.Unmarshal([]byte(c.Body), in); err != nil {
			t.Fatalf("%s: the capture's body does not decode as the SDK's input: %v", what, err)
		}
	}
	var err error
	switch c.Action {
	case "AllocatePrivateVirtualInterface":
		var in directconnect.AllocatePrivateVirtualInterfaceInput
		decode(&in)
		var out *directconnect.AllocatePrivateVirtualInterfaceOutput
		if out, err = client.AllocatePrivateVirtualInterface(ctx, &in); err == nil && aws.ToString(out.VirtualInterfaceId) != replayedID {
			err = fmt.Errorf("virtualInterfaceId %q", aws.ToString(out.VirtualInterfaceId))
		}
	case "ConfirmPrivateVirtualInterface":
		var in directconnect.ConfirmPrivateVirtualInterfaceInput
		decode(&in)
		var out *directconnect.ConfirmPrivateVirtualInterfaceOutput
		if out, err = client.ConfirmPrivateVirtualInterface(ctx, &in); err == nil && out.VirtualInterfaceState == "" {
			err = errors.New("no virtualInterfaceState")
		}
	case "DescribeVirtualInterfaces":
		var in directconnect.DescribeVirtualInterfacesInput
		decode(&in)
		var out *directconnect.DescribeVirtualInterfacesOutput
		if out, err = client.DescribeVirtualInterfaces(ctx, &in); err == nil && (len(out.VirtualInterfaces) == 0 || out.VirtualInterfaces[0].Vlan != 101) {
			err = fmt.Errorf("virtual interfaces %+v", out.VirtualInterfaces)
		}
	case "DeleteVirtualInterface":
		var in directconnect.DeleteVirtualInterfaceInput
		decode(&in)
		var out *directconnect.DeleteVirtualInterfaceOutput
		if out, err = client.DeleteVirtualInterface(ctx, &in); err == nil && out.VirtualInterfaceState == "" {
			err = errors.New("no virtualInterfaceState")
		}
	case "DescribeConnections":
		var in directconnect.DescribeConnectionsInput
		decode(&in)
		var out *directconnect.DescribeConnectionsOutput
		if out, err = client.DescribeConnections(ctx, &in); err == nil && len(out.Connections) == 0 {
			err = errors.New("no connections")
		}
	default:
		err = fmt.Errorf("no SDK call for %s", c.Action)
	}
	if err != nil {
		t.Errorf("%s: the AWS SDK cannot read the answer as %s output: %v\nanswer: %s", what, c.Action, err, a.body)
	}
}
