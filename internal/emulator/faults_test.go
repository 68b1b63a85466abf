package emulator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

func TestAuthenticationErrors(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := emu.Account("owner")
	tests := []struct {
		name   string
		c      *caller
		dxType string
	}{
		{"unsigned", &caller{t: t, base: srv.URL, account: owner, unsigned: true}, dxMissingAuthToken},
		{"wrong secret", &caller{t: t, base: srv.URL, account: owner, secret: strings.Repeat("x", 40)}, dxInvalidSignature},
		{"unknown key", &caller{t: t, base: srv.URL, account: Account{AccessKey: "AKIAUNKNOWN000000000", SecretKey: "s"}}, dxUnrecognizedClnt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, code, typ, detail := tt.c.osc("ReadDirectLinkInterfaces", obj{}).oscErr()
			if status != http.StatusUnauthorized || code != "1" || typ != "AccessDenied" {
				t.Errorf("OUTSCALE API: %d %s %s, want 401 1 AccessDenied", status, code, typ)
			}
			if strings.Contains(detail, owner.SecretKey) {
				t.Error("the error shows the secret key")
			}
			status, dxType, _ := tt.c.dx("DescribeConnections", obj{}).dxErr()
			if status != http.StatusForbidden || dxType != tt.dxType {
				t.Errorf("DirectLink API: %d %s, want 403 %s", status, dxType, tt.dxType)
			}
		})
	}
	if n := len(emu.Interfaces()); n != 0 {
		t.Errorf("%d interfaces after refused requests", n)
	}

	t.Run("signed ten minutes ago", func(t *testing.T) {
		body := []byte(`{}`)
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewReader(body))
		req.Header.Set("X-Amz-Target", "OvertureService.DescribeConnections")
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		sum := sha256.Sum256(body)
		creds := aws.Credentials{AccessKeyID: owner.AccessKey, SecretAccessKey: owner.SecretKey}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "directconnect", "eu-west-2", time.Now().Add(-10*time.Minute)); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e dxErrorBody
		_ = json.NewDecoder(resp.Body).Decode(&e)
		if resp.StatusCode != http.StatusForbidden || e.Type != dxInvalidSignature {
			t.Errorf("old signature: %d %+v", resp.StatusCode, e)
		}
	})
}

func TestThrottleAnswersWithEachAPIsThrottlingError(t *testing.T) {
	emu, srv := startTest(t, Options{Throttle: 1})
	owner := as(t, srv, emu.Account("owner"))
	codes := map[string]bool{}
	for i := 0; i < 30; i++ {
		status, code, typ, _ := owner.osc("CreateDirectLinkInterface", sampleCreate()).oscErr()
		switch {
		case status == http.StatusTooManyRequests && (code == "24" || code == "25") && typ == "AccessDenied":
		case status == http.StatusServiceUnavailable && code == "6" && typ == "AccessDenied":
		default:
			t.Fatalf("throttled OUTSCALE API answer: %d %s %s", status, code, typ)
		}
		codes[code] = true
	}
	if len(codes) != 3 {
		t.Errorf("throttling codes met in 30 requests: %v, want 24, 25 and 6", codes)
	}
	if status, typ, _ := owner.dx("AllocatePrivateVirtualInterface", sampleAllocate()).dxErr(); status != http.StatusBadRequest || typ != dxThrottling {
		t.Errorf("throttled DirectLink API answer: %d %s", status, typ)
	}
	if n := len(emu.Interfaces()); n != 0 {
		t.Errorf("throttled requests created %d interfaces", n)
	}
	st := emu.Stats()
	if st.Total != 31 || st.Throttled != 31 || st.Actions["CreateDirectLinkInterface"] != 30 || st.Actions["AllocatePrivateVirtualInterface"] != 1 {
		t.Errorf("stats: %+v", st)
	}

	emu.SetFaults(0, 0)
	if a := owner.osc("CreateDirectLinkInterface", sampleCreate()); a.status != http.StatusOK {
		t.Errorf("after SetFaults(0, 0): %s", a.raw)
	}
}

func TestThrottleFractionIsSeeded(t *testing.T) {
	run := func() string {
		emu, srv := startTest(t, Options{Throttle: 0.5, Seed: 7})
		anon := &caller{t: t, base: srv.URL, unsigned: true}
		var b strings.Builder
		for i := 0; i < 40; i++ {
			if anon.osc("ReadLocations", obj{}).status == http.StatusOK {
				b.WriteByte('.')
			} else {
				b.WriteByte('T')
			}
		}
		if st := emu.Stats(); st.Throttled == 0 || st.Throttled == 40 {
			t.Errorf("with Throttle 0.5, %d of 40 throttled", st.Throttled)
		}
		return b.String()
	}
	if a, b := run(), run(); a != b {
		t.Errorf("same seed, different faults:\n%s\n%s", a, b)
	}
}

// TestDropResponseCarriesOutThenCloses: the client sees a transport error,
// the interface exists all the same, and reads are never dropped.
func TestDropResponseCarriesOutThenCloses(t *testing.T) {
	emu, srv := startTest(t, Options{DropResponse: 1})
	owner := emu.Account("owner")
	body, _ := json.Marshal(sampleCreate())
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/CreateDirectLinkInterface", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: owner.AccessKey, SecretAccessKey: owner.SecretKey}, req, hex.EncodeToString(sum[:]), "oapi", "eu-west-2", time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Client().Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("got an answer (%d) to a dropped request", resp.StatusCode)
	}
	if n := len(emu.Interfaces()); n != 1 {
		t.Fatalf("the dropped create was not carried out: %d interfaces", n)
	}
	c := as(t, srv, owner)
	if a := c.osc("ReadDirectLinkInterfaces", obj{}); a.status != http.StatusOK {
		t.Errorf("a read was dropped: %d", a.status)
	}
	emu.SetFaults(0, 0)
	req2 := sampleCreate()
	sub(req2, "DirectLinkInterface")["Vlan"] = 102
	if a := c.osc("CreateDirectLinkInterface", req2); a.status != http.StatusOK {
		t.Errorf("after SetFaults(0, 0): %s", a.raw)
	}
}

func TestLatencyHoldsEveryAnswer(t *testing.T) {
	const latency = 80 * time.Millisecond
	_, srv := startTest(t, Options{Latency: latency})
	anon := &caller{t: t, base: srv.URL, unsigned: true}
	start := time.Now()
	anon.osc("ReadLocations", obj{})
	if took := time.Since(start); took < latency {
		t.Errorf("answered after %s, before the %s latency", took, latency)
	}
}

func TestStatsEndpoint(t *testing.T) {
	emu, srv := startTest(t, Options{})
	owner := as(t, srv, emu.Account("owner"))
	owner.osc("CreateDirectLinkInterface", sampleCreate())
	owner.osc("ReadDirectLinkInterfaces", obj{})
	owner.dx("DescribeConnections", obj{})
	for _, path := range []string{"/_emulator/stats", "/_emulator/interfaces", "/_emulator/info"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, raw)
		}
		switch path {
		case "/_emulator/stats":
			var st Stats
			if err := json.Unmarshal(raw, &st); err != nil {
				t.Fatal(err)
			}
			want := map[string]int{"CreateDirectLinkInterface": 1, "ReadDirectLinkInterfaces": 1, "DescribeConnections": 1}
			if st.Total != 3 || st.Throttled != 0 || len(st.Actions) != 3 {
				t.Errorf("stats %s", raw)
			}
			for k, v := range want {
				if st.Actions[k] != v {
					t.Errorf("actions[%s] = %d, want %d", k, st.Actions[k], v)
				}
			}
		case "/_emulator/interfaces":
			var list []Interface
			if err := json.Unmarshal(raw, &list); err != nil || len(list) != 1 || list[0].VLAN != 101 {
				t.Errorf("interfaces %s", raw)
			}
		case "/_emulator/info":
			var info Info
			if err := json.Unmarshal(raw, &info); err != nil || info.APIEndpoint != srv.URL+"/api/v1" || len(info.Accounts) != 3 {
				t.Errorf("info %s", raw)
			}
		}
	}
	if st := emu.Stats(); st.Total != 3 {
		t.Errorf("the emulator's own endpoints were counted: total %d", st.Total)
	}
}

func TestStatePersistsAcrossRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	emu, err := New(Options{StatePath: path, TransitionDelay: time.Hour, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptestServer(t, emu)
	owner := as(t, srv, emu.Account("owner"))
	id := owner.osc("CreateDirectLinkInterface", sampleCreate()).str("DirectLinkInterface", "DirectLinkInterfaceId")
	data, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(data), id) {
		t.Fatalf("state not saved after the create: %v %s", err, data)
	}
	srv.Close()
	if err := emu.Close(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left beside the state: %v", entries)
	}

	emu2, err := New(Options{StatePath: path, TransitionDelay: time.Hour, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer emu2.Close()
	got := emu2.Interfaces()
	if len(got) != 1 || got[0].ID != id || got[0].VLAN != 101 || got[0].State != statePending {
		t.Fatalf("after restart: %+v", got)
	}
	srv2 := httptestServer(t, emu2)
	if status, code, _, _ := as(t, srv2, emu2.Account("owner")).osc("CreateDirectLinkInterface", sampleCreate()).oscErr(); status != http.StatusConflict || code != "9061" {
		t.Errorf("the reloaded interface does not hold its VLAN: %d %s", status, code)
	}

	if err := os.WriteFile(path, []byte("{broken"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{StatePath: path}); err == nil {
		t.Error("a corrupt state file was accepted")
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	for _, o := range []Options{{Throttle: -0.1}, {Throttle: 1.5}, {DropResponse: 2}, {Latency: -time.Second}} {
		if _, err := New(o); err == nil {
			t.Errorf("New(%+v) succeeded", o)
		}
	}
}
