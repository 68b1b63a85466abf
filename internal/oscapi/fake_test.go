package oscapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testAccessKey = "AKIATESTACCESSKEY000"
	testSecretKey = "TopSecretKeyValue0123456789abcdefghijABCD"
	testUserAgent = "terraform-provider-osc/0.0.0-test"
)

// fakeAPI is a programmable stand-in for both APIs: handle answers each
// request; calls counts them by action.
type fakeAPI struct {
	srv *httptest.Server

	mu         sync.Mutex
	calls      map[string]int
	userAgents map[string]bool
	bodies     map[string][]string
	handle     func(api, action string, body []byte) (status int, header http.Header, resp any)
}

func newFakeAPI(t *testing.T, handle func(api, action string, body []byte) (int, http.Header, any)) *fakeAPI {
	t.Helper()
	f := &fakeAPI{calls: map[string]int{}, userAgents: map[string]bool{}, bodies: map[string][]string{}, handle: handle}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	api, action := apiOSC, strings.TrimPrefix(r.URL.Path, "/api/v1/")
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		api, action = apiDirectLink, strings.TrimPrefix(target, "OvertureService.")
	} else if !strings.HasPrefix(r.URL.Path, "/api/v1/") {
		http.Error(w, "unexpected path "+r.URL.Path, http.StatusNotFound)
		return
	}
	f.mu.Lock()
	f.calls[action]++
	f.userAgents[r.Header.Get("User-Agent")] = true
	f.bodies[action] = append(f.bodies[action], string(body))
	handle := f.handle
	f.mu.Unlock()

	status, header, resp := handle(api, action, body)
	if _, ok := resp.(dropConnection); ok {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			_ = conn.Close()
		}
		return
	}
	for k, vs := range header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	if api == apiDirectLink {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if w.Header().Get("X-Amzn-Requestid") == "" {
			w.Header().Set("X-Amzn-Requestid", "dl-req-"+action)
		}
	} else {
		w.Header().Set("Content-Type", "application/json")
	}
	if raw, ok := resp.(rawBody); ok {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = w.Write(raw)
		return
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(resp)
}

// rawBody, as a handler's answer, is sent as it is (a gateway's HTML page).
type rawBody []byte

// dropConnection, as a handler's answer, closes the connection after the
// whole request was read: the answer of a request that may have been
// carried out is lost.
type dropConnection struct{}

func (f *fakeAPI) count(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[action]
}

func (f *fakeAPI) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		n += c
	}
	return n
}

func (f *fakeAPI) lastBody(action string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	b := f.bodies[action]
	if len(b) == 0 {
		return ""
	}
	return b[len(b)-1]
}

func (f *fakeAPI) config() Config {
	return Config{
		AccessKey:            testAccessKey,
		SecretKey:            testSecretKey,
		Region:               "eu-west-2",
		APIEndpoint:          f.srv.URL + "/api/v1",
		DirectLinkEndpoint:   f.srv.URL,
		UserAgent:            testUserAgent,
		MaxRequestsPerSecond: 100000,
		MaxRetries:           5,
		PollMinInterval:      time.Millisecond,
		PollMaxInterval:      4 * time.Millisecond,
	}
}

// newTestClient builds a client on f with short retry waits.
func newTestClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c.retryBase, c.retryCap = time.Millisecond, 4*time.Millisecond
	return c
}

// OUTSCALE API answers.
func oscOK(v map[string]any) (int, http.Header, any) {
	v["ResponseContext"] = map[string]any{"RequestId": "osc-req-ok"}
	return http.StatusOK, nil, v
}

func oscErr(status int, code, typ, details string) (int, http.Header, any) {
	return status, nil, map[string]any{
		"Errors":          []map[string]string{{"Code": code, "Type": typ, "Details": details}},
		"ResponseContext": map[string]any{"RequestId": "osc-req-" + code},
	}
}

func dlErr(status int, typ, msg string) (int, http.Header, any) {
	return status, nil, map[string]any{"__type": typ, "message": msg}
}

// interfaceStore is a fake ReadDirectLinkInterfaces backend.
type interfaceStore struct {
	mu  sync.Mutex
	ifs []map[string]any
}

func newInterfaceStore(n int) *interfaceStore {
	s := &interfaceStore{}
	for i := 0; i < n; i++ {
		s.ifs = append(s.ifs, map[string]any{
			"DirectLinkInterfaceId":   fmt.Sprintf("dxvif-%08x", i),
			"DirectLinkInterfaceName": fmt.Sprintf("if-%d", i),
			"DirectLinkId":            fmt.Sprintf("dxcon-%08x", i%2),
			"AccountId":               "123456789012",
			"Vlan":                    100 + i,
			"BgpAsn":                  65000,
			"BgpKey":                  "bgp-secret-" + strconv.Itoa(i),
			"Mtu":                     1500,
			"State":                   "available",
			"InterfaceType":           "private",
			"Location":                "PAR1",
		})
	}
	return s
}

func (s *interfaceStore) set(id, key string, v any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range s.ifs {
		if it["DirectLinkInterfaceId"] == id {
			it[key] = v
		}
	}
}

// read answers ReadDirectLinkInterfaces with filters and pagination.
func (s *interfaceStore) read(body []byte) (int, http.Header, any) {
	var req struct {
		Filters *struct {
			DirectLinkIds          []string
			DirectLinkInterfaceIds []string
		}
		NextPageToken  string
		ResultsPerPage int
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return oscErr(400, "4110", "InvalidParameterValue", err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []map[string]any
	for _, it := range s.ifs {
		id, _ := it["DirectLinkInterfaceId"].(string)
		dl, _ := it["DirectLinkId"].(string)
		if req.Filters != nil && len(req.Filters.DirectLinkInterfaceIds) > 0 && !contains(req.Filters.DirectLinkInterfaceIds, id) {
			continue
		}
		if req.Filters != nil && len(req.Filters.DirectLinkIds) > 0 && !contains(req.Filters.DirectLinkIds, dl) {
			continue
		}
		cp := map[string]any{}
		for k, v := range it {
			cp[k] = v
		}
		match = append(match, cp)
	}
	start, _ := strconv.Atoi(req.NextPageToken)
	size := req.ResultsPerPage
	if size == 0 {
		size = 100
	}
	end := min(start+size, len(match))
	out := map[string]any{"DirectLinkInterfaces": match[start:end]}
	if end < len(match) {
		out["NextPageToken"] = strconv.Itoa(end)
	}
	return oscOK(out)
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// filteredIDs is the DirectLinkInterfaceIds filter of a
// ReadDirectLinkInterfaces body.
func filteredIDs(body []byte) []string {
	var req struct {
		Filters struct{ DirectLinkInterfaceIds []string }
	}
	_ = json.Unmarshal(body, &req)
	return req.Filters.DirectLinkInterfaceIds
}
