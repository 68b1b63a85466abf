package emulator

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"
)

// callPath signs and sends an OUTSCALE API call on any path, with extra headers.
func (c *caller) callPath(path string, body string, header map[string]string) answer {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return c.do(req, []byte(body), "api")
}

func TestRoutesAsTheRealAPI(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))

	for _, path := range []string{"/api/v1/ReadDirectLinks", "/api/latest/ReadDirectLinks", "/api//v1/ReadDirectLinks"} {
		if a := owner.callPath(path, `{}`, nil); a.status != http.StatusOK || len(a.list("DirectLinks")) != 2 {
			t.Errorf("%s: %d %s, want 200 with the owner's 2 DirectLinks", path, a.status, a.raw)
		}
	}
	if a := owner.callPath("/api/v1/ReadDirectLinks", ``, nil); a.status != http.StatusOK {
		t.Errorf("empty body for an action without parameters: %d %s, want 200", a.status, a.raw)
	}
	if a := owner.callPath("/api/latest/ReadDirectLinks", `{}`, map[string]string{"X-Osc-Target": "OutscaleService.ReadDirectLinks"}); a.status != http.StatusOK {
		t.Errorf("x-osc-target naming the path's action: %d %s, want 200", a.status, a.raw)
	}
	a := owner.callPath("/api/latest/ReadDirectLinks", `{}`, map[string]string{"X-Osc-Target": "OutscaleService.DeleteDirectLinkInterface"})
	if status, code, _, details := a.oscErr(); status != http.StatusBadRequest || code != "4047" || !strings.Contains(details, "x-osc-target") {
		t.Errorf("x-osc-target naming another action: %d %s %s, want 400 4047 naming x-osc-target", status, code, details)
	}

	t.Run("unknown path, OUTSCALE API format", func(t *testing.T) {
		a := owner.callPath("/api/v2/ReadDirectLinks", `{}`, nil)
		if status, code, typ, _ := a.oscErr(); status != http.StatusNotFound || code == "" || typ == "" || a.str("ResponseContext", "RequestId") == "" {
			t.Errorf("%d %s, want 404 in the OUTSCALE API's error format", a.status, a.raw)
		}
	})
	t.Run("unknown action, OUTSCALE API format", func(t *testing.T) {
		a := owner.callPath("/api/latest/ReadVms", `{}`, nil)
		if status, code, _, _ := a.oscErr(); status != http.StatusNotImplemented || code == "" {
			t.Errorf("%d %s, want 501 in the OUTSCALE API's error format", a.status, a.raw)
		}
	})
	t.Run("unknown path, DirectLink API format", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/directlink", strings.NewReader(`{}`))
		req.Header.Set("X-Amz-Target", "OvertureService.DescribeConnections")
		a := owner.do(req, []byte(`{}`), "directconnect")
		if status, typ, _ := a.dxErr(); status != http.StatusNotFound || typ != dxUnknownOperation {
			t.Errorf("%d %s, want 404 UnknownOperationException", a.status, a.raw)
		}
		for _, h := range []string{"x-amzn-RequestId", "x-amz-requestid"} {
			if a.header.Get(h) == "" {
				t.Errorf("no %s header", h)
			}
		}
	})
	t.Run("DirectLink API answers carry both request-ID headers", func(t *testing.T) {
		a := owner.dx("DescribeConnections", obj{})
		if a.status != http.StatusOK || a.header.Get("x-amzn-RequestId") == "" || a.header.Get("x-amzn-RequestId") != a.header.Get("x-amz-requestid") {
			t.Errorf("%d, x-amzn-RequestId %q, x-amz-requestid %q: want 200 and the same ID under both", a.status, a.header.Get("x-amzn-RequestId"), a.header.Get("x-amz-requestid"))
		}
	})
	t.Run("ReadLocations unsigned", func(t *testing.T) {
		anon := &caller{t: t, base: srv.URL, unsigned: true}
		if a := anon.callPath("//api/latest/ReadLocations", `{}`, nil); a.status != http.StatusOK || len(a.list("Locations")) != 2 {
			t.Errorf("%d %s, want 200 with 2 locations", a.status, a.raw)
		}
	})
}

func TestSignaturesExpireOnTheEmulatorsClock(t *testing.T) {
	clock := NewFakeClock(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
	emu, srv := startTest(t, Options{Now: clock.Now})
	signedAt := clock.Now()
	owner := as(t, srv, emu.Account("owner"))
	owner.now = func() time.Time { return signedAt }

	if a := owner.osc("ReadDirectLinks", obj{}); a.status != http.StatusOK {
		t.Fatalf("signed at the emulator's time: %d %s", a.status, a.raw)
	}
	clock.Advance(4*time.Minute + 59*time.Second)
	if a := owner.osc("ReadDirectLinks", obj{}); a.status != http.StatusOK {
		t.Errorf("signed 4m59s before the emulator's time: %d %s, want 200", a.status, a.raw)
	}
	clock.Advance(2 * time.Second)
	if status, code, _, details := owner.osc("ReadDirectLinks", obj{}).oscErr(); status != http.StatusUnauthorized || code != "1" || !strings.Contains(details, "expired") {
		t.Errorf("signed 5m01s before the emulator's time: %d %s %s, want 401 1 expired", status, code, details)
	}
}
