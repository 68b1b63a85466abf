// Package acctest holds what the acceptance tests share: an in-process
// emulator of both OUTSCALE APIs on 127.0.0.1, the provider factories, HCL
// builders for the owner's and the recipient's provider blocks, and helpers
// that act as another account behind Terraform's back.
package acctest

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/oscdl/terraform-provider-osc/internal/emulator"
	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
	"github.com/oscdl/terraform-provider-osc/internal/provider"
)

// TransitionDelay is the time the test emulator leaves an interface in each
// transitional state: long enough to be observed, short enough for a quick
// suite. Tests that need a slower API start their own with StartWith.
const TransitionDelay = 150 * time.Millisecond

// PollInterval is the provider's first wait between two polls in tests; the
// test binaries' TestMain sets OSC_POLL_MIN_INTERVAL to it.
const PollInterval = 50 * time.Millisecond

// ProtoV6ProviderFactories serves the provider in-process to the Terraform
// CLI that terraform-plugin-testing drives.
var ProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"osc": providerserver.NewProtocol6WithError(provider.New("test")()),
}

// Env is one emulator, private to one test.
type Env struct {
	Emulator *emulator.Emulator
	Server   *httptest.Server

	APIEndpoint        string
	DirectLinkEndpoint string
	Region             string

	// Owner holds the DirectLinks (dxcon-12345678) and gateway vgw-12345678;
	// Recipient (123456789000) is who interfaces are hosted for, with
	// vgw-87654321; Outsider has a gateway and no DirectLink.
	Owner, Recipient, Outsider emulator.Account
}

// PreCheck fails early, with what to do, when the suite cannot run.
func PreCheck(t *testing.T) {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("TF_ACC_TERRAFORM_PATH=%s: %v; set it to the absolute path printed by scripts/tfcli.sh terraform (or tofu)", p, err)
		}
		return
	}
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatal("no Terraform CLI: set TF_ACC_TERRAFORM_PATH=$(scripts/tfcli.sh terraform) (or tofu, with TF_ACC_PROVIDER_HOST=registry.opentofu.org TF_ACC_PROVIDER_NAMESPACE=hashicorp)")
	}
}

// Start runs an emulator with short transition delays for the test.
func Start(t *testing.T) *Env {
	t.Helper()
	return StartWith(t, emulator.Options{TransitionDelay: TransitionDelay})
}

// StartWith runs an emulator with the given options (Seed defaults to 1, so
// that IDs are the same from run to run) behind an httptest server on
// 127.0.0.1, both closed when the test ends.
func StartWith(t *testing.T, opts emulator.Options) *Env {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	emu, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	srv := httptest.NewServer(emu) // listens on 127.0.0.1
	t.Cleanup(func() {
		srv.Close()
		if err := emu.Close(); err != nil {
			t.Errorf("closing the emulator: %v", err)
		}
	})
	info := emu.Info(srv.URL)
	return &Env{
		Emulator:           emu,
		Server:             srv,
		APIEndpoint:        info.APIEndpoint,
		DirectLinkEndpoint: info.DirectLinkEndpoint,
		Region:             info.Region,
		Owner:              emu.Account("owner"),
		Recipient:          emu.Account("recipient"),
		Outsider:           emu.Account("outsider"),
	}
}

// ProviderBlock is a provider "osc" block signing as acct against the
// emulator; alias "" makes it the default provider.
func (e *Env) ProviderBlock(acct emulator.Account, alias string) string {
	var b strings.Builder
	b.WriteString("provider \"osc\" {\n")
	if alias != "" {
		fmt.Fprintf(&b, "  alias         = %q\n", alias)
	}
	fmt.Fprintf(&b, "  access_key_id = %q\n", acct.AccessKey)
	fmt.Fprintf(&b, "  secret_key_id = %q\n", acct.SecretKey)
	fmt.Fprintf(&b, "  region        = %q\n", e.Region)
	b.WriteString("  endpoints {\n")
	fmt.Fprintf(&b, "    api         = %q\n", e.APIEndpoint)
	fmt.Fprintf(&b, "    direct_link = %q\n", e.DirectLinkEndpoint)
	b.WriteString("  }\n}\n")
	return b.String()
}

// ProviderConfig is the default provider as the owner plus the provider
// aliased "recipient" as the recipient account.
func (e *Env) ProviderConfig() string {
	return e.ProviderBlock(e.Owner, "") + "\n" + e.ProviderBlock(e.Recipient, "recipient")
}

// Config is ProviderConfig followed by the given configuration parts.
func (e *Env) Config(parts ...string) string {
	return e.ProviderConfig() + "\n" + strings.Join(parts, "\n")
}

// Client is an API client signing as acct, for acting behind Terraform's
// back (the recipient rejecting, someone deleting) in test steps.
func (e *Env) Client(t *testing.T, acct emulator.Account) oscapi.API {
	t.Helper()
	return e.client(t, acct, 0)
}

// client signs as acct; rate 0 takes the API layer's default rate limit.
func (e *Env) client(t *testing.T, acct emulator.Account, rate float64) oscapi.API {
	t.Helper()
	c, err := oscapi.New(context.Background(), oscapi.Config{
		AccessKey:            acct.AccessKey,
		SecretKey:            acct.SecretKey,
		Region:               e.Region,
		APIEndpoint:          e.APIEndpoint,
		DirectLinkEndpoint:   e.DirectLinkEndpoint,
		UserAgent:            "terraform-provider-osc-acctest",
		MaxRequestsPerSecond: rate,
		PollMinInterval:      PollInterval,
		DisableBatching:      true,
	})
	if err != nil {
		t.Fatalf("API client for %s: %v", acct.Name, err)
	}
	return c
}

// DeleteAs deletes interface id as acct, outside Terraform, and waits until
// the API reports the outcome (deleted, or rejected when a recipient deletes
// a hosted interface it has not confirmed).
func (e *Env) DeleteAs(t *testing.T, acct emulator.Account, id string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c := e.Client(t, acct)
	if err := c.DeleteInterface(ctx, id); err != nil {
		t.Fatalf("deleting %s as %s: %v", id, acct.Name, err)
	}
	_, err := c.WaitInterface(ctx, id, oscapi.WaitOptions{
		Target:           []string{oscapi.StateDeleted, oscapi.StateRejected},
		Pending:          []string{oscapi.StateDeleting, oscapi.StateConfirming, oscapi.StatePending, oscapi.StateAvailable},
		NotFoundIsTarget: true,
	})
	if err != nil {
		t.Fatalf("waiting for %s to be deleted by %s: %v", id, acct.Name, err)
	}
}

// Interface returns the emulator's copy of interface id.
func (e *Env) Interface(id string) (emulator.Interface, bool) {
	for _, i := range e.Emulator.Interfaces() {
		if i.ID == id {
			return i, true
		}
	}
	return emulator.Interface{}, false
}

// LiveInterfaces are the emulator's interfaces not deleted, sorted by ID.
func (e *Env) LiveInterfaces() []emulator.Interface {
	var out []emulator.Interface
	for _, i := range e.Emulator.Interfaces() {
		if i.State != oscapi.StateDeleted {
			out = append(out, i)
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out
}

// CheckDestroy asks the emulator, not Terraform, whether every interface is
// gone: any interface left in a state other than deleted fails the test.
func (e *Env) CheckDestroy(_ *terraform.State) error {
	if left := e.LiveInterfaces(); len(left) > 0 {
		var ids []string
		for _, i := range left {
			ids = append(ids, fmt.Sprintf("%s (%s, VLAN %d)", i.ID, i.State, i.VLAN))
		}
		return fmt.Errorf("interfaces left behind after destroy: %s", strings.Join(ids, ", "))
	}
	return nil
}
