package emulator

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The ~/.osc/config.json of README's "OUTSCALE CLIs" section is valid JSON,
// signs with the fixture keys, and names the endpoints of the emulator's
// first line for the default address: a user who copies it gets a working
// profile.
func TestReadmeCLIProfileMatchesTheEmulator(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "### OUTSCALE CLIs")
	if !ok {
		t.Fatal("README has no OUTSCALE CLIs section")
	}
	_, block, ok := strings.Cut(section, "```json\n")
	if !ok {
		t.Fatal("the OUTSCALE CLIs section has no JSON block")
	}
	block, _, _ = strings.Cut(block, "```")
	var profiles map[string]struct {
		AccessKey string            `json:"access_key"`
		SecretKey string            `json:"secret_key"`
		Region    string            `json:"region"`
		Endpoints map[string]string `json:"endpoints"`
	}
	if err := json.Unmarshal([]byte(block), &profiles); err != nil {
		t.Fatalf("the profile file is not JSON: %v\n%s", err, block)
	}
	emu, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	info := emu.Info("http://127.0.0.1:7575")
	want := map[string]struct {
		account   string
		endpoints map[string]string
	}{
		"default":   {"owner", map[string]string{"api": info.APIBaseURL, "directlink": info.DirectLinkEndpoint, "direct_link": info.DirectLinkEndpoint}},
		"recipient": {"recipient", map[string]string{"api": info.APIBaseURL, "directlink": info.DirectLinkEndpoint, "direct_link": info.DirectLinkEndpoint}},
		"oapi":      {"owner", map[string]string{"api": info.APINamedBaseURL}},
	}
	if len(profiles) != len(want) {
		t.Errorf("profiles %v, want %d", profiles, len(want))
	}
	for name, w := range want {
		p, ok := profiles[name]
		a := emu.Account(w.account)
		if !ok || p.AccessKey != a.AccessKey || p.SecretKey != a.SecretKey || p.Region != info.Region {
			t.Errorf("profile %q: %+v, want the %s's keys and region %s", name, p, w.account, info.Region)
		}
		for k, v := range w.endpoints {
			if p.Endpoints[k] != v {
				t.Errorf("profile %q: endpoints.%s %q, want %q", name, k, p.Endpoints[k], v)
			}
		}
	}
}
