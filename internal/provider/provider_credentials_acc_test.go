package provider_test

import (
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
	"github.com/oscdl/terraform-provider-osc/internal/emulator"
)

// Credentials and endpoints as users set them: aliases beside environment
// keys, wrong keys, endpoints that do not answer.

// providerWith is a provider "osc" block (alias "" for the default one)
// with the emulator's region and endpoints and the given extra lines
// (credentials, profile).
func providerWith(env *acctest.Env, alias string, lines ...string) string {
	var b strings.Builder
	b.WriteString("provider \"osc\" {\n")
	if alias != "" {
		fmt.Fprintf(&b, "  alias = %q\n", alias)
	}
	for _, l := range lines {
		b.WriteString("  " + l + "\n")
	}
	fmt.Fprintf(&b, "  region = %q\n  endpoints {\n    api         = %q\n    direct_link = %q\n  }\n}\n", env.Region, env.APIEndpoint, env.DirectLinkEndpoint)
	return b.String()
}

// profileFor writes an OUTSCALE CLI profile file holding one profile, name,
// with acct's access key and secret key (or secret, when not empty).
func profileFor(t *testing.T, name string, acct emulator.Account, secret string) string {
	t.Helper()
	if secret == "" {
		secret = acct.SecretKey
	}
	path := filepath.Join(t.TempDir(), "config.json")
	writeFile(t, path, fmt.Sprintf(`{
  %q: {"access_key": %q, "secret_key": %q}
}
`, name, acct.AccessKey, secret))
	return path
}

// The usual CI setup: the owner's keys in OSC_ACCESS_KEY/OSC_SECRET_KEY, and
// the recipient's alias naming a profile in its block. The recipient signs
// with the profile's keys, so the handshake, two aliases of the built
// provider in one apply, succeeds.
//
// Not parallel: it sets the process environment, which the CLI inherits.
func TestAccLifecycle_aliasProfileWinsOverEnvironmentKeys(t *testing.T) {
	cliAcceptance(t)
	env := acctest.Start(t)
	t.Setenv("OSC_ACCESS_KEY", env.Owner.AccessKey)
	t.Setenv("OSC_SECRET_KEY", env.Owner.SecretKey)
	file := profileFor(t, "recipient", env.Recipient, "")
	w := acctest.NewWorkdir(t, providerWith(env, "")+providerWith(env, "recipient",
		fmt.Sprintf("config_file = %q", file), `profile     = "recipient"`)+fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "hosted" {
  directlink_id    = %q
  name             = "ci-aliases"
  vlan             = 1500
  bgp_asn          = 65000
  owner_account_id = %q
}

resource "osc_hosted_directlink_interface_accepter" "accepted" {
  provider                = osc.recipient
  directlink_interface_id = osc_hosted_directlink_interface.hosted.id
  virtual_gateway_id      = %q
}

output "state" {
  value = osc_hosted_directlink_interface_accepter.accepted.state
}
`, env.Owner.DirectLinkIDs[0], env.Recipient.AccountID, env.Recipient.VirtualGatewayIDs[0]))

	out, code := w.Run("apply", "-auto-approve", "-input=false", "-no-color")
	if code != 0 {
		t.Fatalf("the handshake with the recipient's profile beside the owner's environment keys failed (exit %d):\n%s", code, out)
	}
	if got := strings.TrimSpace(w.MustRun("output", "-raw", "state")); got != "available" {
		t.Errorf("the accepter's state is %q, want available", got)
	}
	it := onlyLiveInterface(t, env)
	if it.State != "available" || it.VirtualGatewayID != env.Recipient.VirtualGatewayIDs[0] || it.OwnerAccountID != env.Recipient.AccountID {
		t.Errorf("the emulator has %+v, want it available on the recipient's gateway %s", it, env.Recipient.VirtualGatewayIDs[0])
	}
	w.MustRun("destroy", "-auto-approve", "-input=false", "-no-color")
	if err := env.CheckDestroy(nil); err != nil {
		t.Error(err)
	}
}

// A plan that creates an interface with a wrong secret key fails at plan
// with an authentication error that says where the keys came from,
// wherever they came from; nothing is created.
//
// Not parallel: one case sets the process environment, which the in-process
// provider reads.
func TestAccLifecycle_wrongSecretKeyFailsThePlan(t *testing.T) {
	cases := []struct {
		name   string
		setup  func(t *testing.T, env *acctest.Env) string // the provider block
		source string
	}{
		{
			name: "provider block",
			setup: func(_ *testing.T, env *acctest.Env) string {
				return providerWith(env, "", fmt.Sprintf("access_key_id = %q", env.Owner.AccessKey), `secret_key_id = "wrong-secret-key"`)
			},
			source: "the provider block",
		},
		{
			name: "environment",
			setup: func(t *testing.T, env *acctest.Env) string {
				t.Setenv("OSC_ACCESS_KEY", env.Owner.AccessKey)
				t.Setenv("OSC_SECRET_KEY", "wrong-secret-key")
				return providerWith(env, "")
			},
			source: "the environment (OSC_ACCESS_KEY / OSC_SECRET_KEY)",
		},
		{
			name: "profile",
			setup: func(t *testing.T, env *acctest.Env) string {
				file := profileFor(t, "wrong", env.Owner, "wrong-secret-key")
				return providerWith(env, "", fmt.Sprintf("config_file = %q", file), `profile     = "wrong"`)
			},
			source: `profile "wrong" of `,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := acctest.Start(t)
			config := c.setup(t, env) + namedInterface(env, ownMode, "wrong-keys", 1510, 65000)
			resource.Test(t, resource.TestCase{
				PreCheck:                 func() { acctest.PreCheck(t) },
				ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      config,
					PlanOnly:    true,
					ExpectError: wordsRegexp("Error:", "The request was signed with the credentials from "+c.source),
				}},
			})
			if n := createCalls(env); n != 0 {
				t.Errorf("%d create calls reached the API with wrong keys", n)
			}
		})
	}
}

// stalledListener accepts connections on 127.0.0.1 and never answers them,
// as a firewall that lets the handshake through or a hung gateway does.
func stalledListener(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return l.Addr().String()
}

// closedPort is a port of 127.0.0.1 on which nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// An endpoint that refuses connections, and one that accepts them and never
// answers, configured as both endpoints: `terraform plan` of a create and
// `terraform apply` fail, naming the endpoint, instead of hanging. The time
// each took is logged (the bound comes from the API layer's deadlines).
func TestAccLifecycle_unreachableEndpointFailsPlanAndApply(t *testing.T) {
	for _, c := range []struct {
		name string
		addr func(t *testing.T) string
	}{
		{"closed port", closedPort},
		{"stalled connection", stalledListener},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cliAcceptance(t)
			env := acctest.Start(t)
			addr := c.addr(t)
			w := acctest.NewWorkdir(t, fmt.Sprintf(`
provider "osc" {
  access_key_id = %q
  secret_key_id = %q
  region        = %q
  endpoints {
    api         = "http://%[4]s"
    direct_link = "http://%[4]s"
  }
}
`, env.Owner.AccessKey, env.Owner.SecretKey, env.Region, addr)+namedInterface(env, ownMode, "unreachable", 1520, 65000))
			for _, args := range [][]string{
				{"plan", "-input=false", "-no-color"},
				{"apply", "-auto-approve", "-input=false", "-no-color"},
			} {
				start := time.Now()
				out, code := w.Run(args...)
				took := time.Since(start)
				t.Logf("terraform %s against %s (%s) failed after %s:\n%s", args[0], addr, c.name, took.Round(100*time.Millisecond), out)
				if code == 0 {
					t.Errorf("terraform %s succeeded against an endpoint that does not answer:\n%s", args[0], out)
					continue
				}
				if !regexp.MustCompile(`Error:`).MatchString(out) || !strings.Contains(out, addr) {
					t.Errorf("terraform %s failed without an error naming the endpoint %s:\n%s", args[0], addr, out)
				}
			}
		})
	}
}
