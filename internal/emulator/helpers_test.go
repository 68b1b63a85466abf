package emulator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// testDelay keeps the state machine quick; tests wait for states by polling
// with a deadline, never by sleeping a fixed time.
const testDelay = 30 * time.Millisecond

func startTest(t *testing.T, opts Options) (*Emulator, *httptest.Server) {
	t.Helper()
	if opts.TransitionDelay == 0 {
		opts.TransitionDelay = testDelay
	}
	if opts.Seed == 0 {
		opts.Seed = 42
	}
	emu, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(func() {
		srv.Close()
		if err := emu.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return emu, srv
}

// httptestServer serves emu without closing it at the end (the test does).
func httptestServer(t *testing.T, emu *Emulator) *httptest.Server {
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return srv
}

// caller signs requests as one account, the way the official clients do.
type caller struct {
	t        *testing.T
	base     string
	account  Account
	secret   string // overrides the account's secret when set (bad-signature tests)
	unsigned bool
	now      func() time.Time // signing time; default time.Now (set to a FakeClock's Now)
}

func as(t *testing.T, srv *httptest.Server, a Account) *caller {
	return &caller{t: t, base: srv.URL, account: a}
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (c *caller) do(req *http.Request, body []byte, service string) answer {
	c.t.Helper()
	if !c.unsigned {
		secret := c.account.SecretKey
		if c.secret != "" {
			secret = c.secret
		}
		sum := sha256.Sum256(body)
		creds := aws.Credentials{AccessKeyID: c.account.AccessKey, SecretAccessKey: secret}
		now := time.Now
		if c.now != nil {
			now = c.now
		}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, "eu-west-2", now()); err != nil {
			c.t.Fatalf("signing: %v", err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, raw: raw}
	if len(raw) > 0 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		if err := json.Unmarshal(raw, &a.body); err != nil {
			c.t.Fatalf("answer is not a JSON object: %v: %s", err, raw)
		}
	}
	return a
}

// osc calls an OUTSCALE API action with body (any JSON-encodable value, or a
// string sent as is).
func (c *caller) osc(action string, body any) answer {
	c.t.Helper()
	data := encode(c.t, body)
	req, _ := http.NewRequest(http.MethodPost, c.base+"/api/v1/"+action, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	return c.do(req, data, "oapi")
}

// dx calls a DirectLink API action.
func (c *caller) dx(action string, body any) answer {
	c.t.Helper()
	data := encode(c.t, body)
	req, _ := http.NewRequest(http.MethodPost, c.base+"/", bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "OvertureService."+action)
	return c.do(req, data, "directconnect")
}

func encode(t *testing.T, body any) []byte {
	if s, ok := body.(string); ok {
		return []byte(s)
	}
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatalf("encoding request: %v", err)
	}
	return data
}

type obj = map[string]any

// oscErr returns the status, Code and Type of an OUTSCALE API error answer.
func (a answer) oscErr() (int, string, string, string) {
	errs, _ := a.body["Errors"].([]any)
	if len(errs) != 1 {
		return a.status, "", "", string(a.raw)
	}
	e := asObj(errs[0])
	code, _ := e["Code"].(string)
	typ, _ := e["Type"].(string)
	details, _ := e["Details"].(string)
	return a.status, code, typ, details
}

func (a answer) dxErr() (int, string, string) {
	typ, _ := a.body["__type"].(string)
	msg, _ := a.body["message"].(string)
	return a.status, typ, msg
}

func (a answer) str(path ...string) string {
	v := a.get(path...)
	s, _ := v.(string)
	return s
}

// list, item and obj read the answer's JSON; a value of another shape reads
// as empty, which the test then reports.
func (a answer) list(path ...string) []any {
	l, _ := a.get(path...).([]any)
	return l
}

func (a answer) item(i int, path ...string) map[string]any {
	l := a.list(path...)
	if i >= len(l) {
		return nil
	}
	return asObj(l[i])
}

func (a answer) obj(path ...string) map[string]any { return asObj(a.get(path...)) }

func asObj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// sub returns the nested request object o[key].
func sub(o obj, key string) obj {
	m, _ := o[key].(obj)
	return m
}

func (a answer) get(path ...string) any {
	var v any = a.body
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

// sampleCreate is the request of OUTSCALE's documentation page, as written.
func sampleCreate() obj {
	return obj{
		"DirectLinkId": "dxcon-12345678",
		"DirectLinkInterface": obj{
			"DirectLinkInterfaceName": "MyDirectLinkInterface",
			"Vlan":                    101,
			"BgpAsn":                  65000,
			"BgpKey":                  "tgyn26example",
			"OutscalePrivateIp":       "172.16.0.4/30",
			"ClientPrivateIp":         "172.16.0.5/30",
			"VirtualGatewayId":        "vgw-12345678",
		},
	}
}

// sampleAllocate is the AWS CLI sample of the same page, for the recipient.
func sampleAllocate() obj {
	return obj{
		"connectionId": "dxcon-12345678",
		"ownerAccount": "123456789000",
		"newPrivateVirtualInterfaceAllocation": obj{
			"virtualInterfaceName": "MyPrivateVirtualInterface",
			"vlan":                 101,
			"asn":                  65000,
			"authKey":              "tgyn26example",
			"amazonAddress":        "172.16.0.1/30",
			"customerAddress":      "172.16.0.2/30",
		},
	}
}

// waitState polls the interface through the OUTSCALE API until it reaches
// want, failing after a generous deadline.
func waitState(t *testing.T, c *caller, id, want string) answer {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		a := c.osc("ReadDirectLinkInterfaces", obj{"Filters": obj{"DirectLinkInterfaceIds": []string{id}}})
		list, _ := a.body["DirectLinkInterfaces"].([]any)
		state := ""
		if len(list) == 1 {
			state, _ = list[0].(map[string]any)["State"].(string)
		}
		if state == want {
			return a
		}
		if time.Now().After(deadline) {
			t.Fatalf("interface %s: state %q, want %q (last answer %s)", id, state, want, a.raw)
		}
		time.Sleep(testDelay / 5)
	}
}
