package oscapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// errorFixture is one golden error answer of testdata/*_errors.json and the
// classification it must get.
type errorFixture struct {
	Name      string            `json:"name"`
	Source    string            `json:"source"` // aws, emulator, gateway: who answers this way
	Status    int               `json:"status"`
	Headers   map[string]string `json:"headers"`
	Body      string            `json:"body"`
	Kind      string            `json:"kind"`
	Code      string            `json:"code"`
	Message   string            `json:"message"`    // checked when set
	RequestID string            `json:"request_id"` // checked when set
}

func loadErrorFixtures(t *testing.T, file string) []errorFixture {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	var out []errorFixture
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if len(out) == 0 {
		t.Fatalf("%s holds no fixture", file)
	}
	return out
}

func testClassifyFixtures(t *testing.T, api, file, action string) {
	for _, fx := range loadErrorFixtures(t, file) {
		t.Run(fx.Name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range fx.Headers {
				h.Set(k, v)
			}
			x := &exchange{status: fx.Status, header: h, body: []byte(fx.Body)}
			e := classify(api, action, x, errors.New("sdk error"))
			if e.Kind.String() != fx.Kind {
				t.Errorf("kind = %v, want %v", e.Kind, fx.Kind)
			}
			if e.Code != fx.Code {
				t.Errorf("code = %q, want %q", e.Code, fx.Code)
			}
			if fx.Message != "" && e.Message != fx.Message {
				t.Errorf("message = %q, want %q", e.Message, fx.Message)
			}
			if fx.RequestID != "" && e.RequestID != fx.RequestID {
				t.Errorf("request ID = %q, want %q", e.RequestID, fx.RequestID)
			}
			if e.HTTPStatus != fx.Status || e.Action != action {
				t.Errorf("status or action not carried: %+v", e)
			}
		})
	}
}

func TestClassifyOUTSCALE(t *testing.T) {
	testClassifyFixtures(t, apiOSC, "outscale_errors.json", "CreateDirectLinkInterface")
}

// DirectLink API errors are told apart by their code (header, then body, as
// AWS SDKs read it) and status; the words of the message count only for the
// catch-all DirectConnectClientException.
func TestClassifyDirectLink(t *testing.T) {
	testClassifyFixtures(t, apiDirectLink, "directlink_errors.json", "AllocatePrivateVirtualInterface")
}

func TestClassifyNoAnswerIsTransport(t *testing.T) {
	e := classify(apiOSC, "ReadDirectLinkInterfaces", &exchange{}, errors.New("connection reset by peer"))
	if e.Kind != KindTransport || e.HTTPStatus != 0 {
		t.Fatalf("got %+v, want a transport error without status", e)
	}
}

func TestErrorMessageMasksSecrets(t *testing.T) {
	body := `{"__type":"DirectConnectClientException","message":"bad request {\"authKey\":\"hunter2-bgp\"}"}`
	e := classify(apiDirectLink, "AllocatePrivateVirtualInterface", &exchange{status: 400, header: http.Header{}, body: []byte(body)}, errors.New("x"))
	if got := e.Error(); strings.Contains(got, "hunter2-bgp") {
		t.Fatalf("error message leaks the BGP key: %s", got)
	}
}

// A gateway's 503 page is no error of the API: the message says what came
// back (status, not an API error) instead of the SDK's decoding error or
// the page's HTML, and it is a server error (a mutation after it may have
// been carried out), not throttling.
func TestClassifyGatewayPage(t *testing.T) {
	page := []byte("<html><body><h1>503 Service Unavailable</h1></body></html>")
	sdkErr := errors.New("deserialization failed, failed to decode response body, invalid character '<' looking for beginning of value")
	for _, api := range []string{apiOSC, apiDirectLink} {
		e := classify(api, "CreateDirectLinkInterface", &exchange{status: 503, header: http.Header{"Content-Type": {"text/html"}}, body: page}, sdkErr)
		if e.Kind != KindServer {
			t.Errorf("%s: kind %v, want a server error", api, e.Kind)
		}
		if !strings.Contains(e.Message, "HTTP 503 Service Unavailable") || strings.Contains(e.Message, "<html>") || strings.Contains(e.Message, "invalid character") {
			t.Errorf("%s: message %q, want the status without the page or the SDK's words", api, e.Message)
		}
	}
}
