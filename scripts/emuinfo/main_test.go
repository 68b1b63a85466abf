package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oscdl/terraform-provider-osc/internal/emulator"
)

// The demo's variables come from the emulator's own description of itself:
// the owner's and recipient's keys, the recipient's account and gateway.
func TestTFVarsFromEmulatorLine(t *testing.T) {
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	line, err := json.Marshal(emu.Info("http://127.0.0.1:7575"))
	if err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(t.TempDir(), "terraform.tfvars.json")
	var stdout bytes.Buffer
	if err := run([]string{"tfvars", out}, bytes.NewReader(append(line, '\n')), &stdout); err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(stdout.String()); got != "http://127.0.0.1:7575" {
		t.Errorf("printed base URL %q, want http://127.0.0.1:7575", got)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var vars map[string]string
	if err := json.Unmarshal(data, &vars); err != nil {
		t.Fatal(err)
	}
	owner, recipient := emu.Account("owner"), emu.Account("recipient")
	want := map[string]string{
		"region":                       "eu-west-2",
		"api_endpoint":                 "http://127.0.0.1:7575/api/v1",
		"directlink_endpoint":          "http://127.0.0.1:7575",
		"owner_access_key":             owner.AccessKey,
		"owner_secret_key":             owner.SecretKey,
		"recipient_access_key":         recipient.AccessKey,
		"recipient_secret_key":         recipient.SecretKey,
		"recipient_account_id":         "123456789000",
		"recipient_virtual_gateway_id": "vgw-87654321",
	}
	for k, v := range want {
		if vars[k] != v {
			t.Errorf("%s = %q, want %q", k, vars[k], v)
		}
	}
	if len(vars) != len(want) {
		t.Errorf("wrote %d variables, want %d: %v", len(vars), len(want), vars)
	}
}

func TestTFVarsRejectsWhatIsNotTheEmulatorLine(t *testing.T) {
	out := filepath.Join(t.TempDir(), "terraform.tfvars.json")
	err := run([]string{"tfvars", out}, strings.NewReader("listening on 127.0.0.1:7575\n"), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "not its JSON description") {
		t.Fatalf("got error %v, want one saying the line is not the emulator's JSON description", err)
	}
}

// A fresh emulator holds no interface, which is what the demo checks after destroy.
func TestInterfacesOnEmptyEmulator(t *testing.T) {
	emu, err := emulator.New(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)

	var stdout bytes.Buffer
	if err := run([]string{"interfaces", srv.URL}, nil, &stdout); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "holds no interface") {
		t.Errorf("output %q does not say the emulator is empty", stdout.String())
	}
}

// An interface left behind after destroy fails the demo and is named.
func TestInterfacesReportsWhatIsLeft(t *testing.T) {
	left := []emulator.Interface{
		{ID: "dxvif-0000aaaa", Name: "gone", DirectLinkID: "dxcon-12345678", State: "deleted"},
		{ID: "dxvif-0000bbbb", Name: "kept", DirectLinkID: "dxcon-12345678", State: "available"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/_emulator/interfaces" {
			http.NotFound(w, r)
			return
		}
		_ = json.NewEncoder(w).Encode(left)
	}))
	t.Cleanup(srv.Close)

	var stdout bytes.Buffer
	err := run([]string{"interfaces", srv.URL}, nil, &stdout)
	if err == nil || !strings.Contains(err.Error(), "1 interface") {
		t.Fatalf("got error %v, want one counting the 1 interface left", err)
	}
	if !strings.Contains(stdout.String(), "dxvif-0000bbbb") || strings.Contains(stdout.String(), "dxvif-0000aaaa") {
		t.Errorf("output %q should list the available interface and not the deleted one", stdout.String())
	}
}
