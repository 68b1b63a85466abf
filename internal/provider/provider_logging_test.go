package provider_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
)

// With TF_LOG=TRACE, the logs of Terraform and of the provider (API calls
// included) never contain a secret key or a BGP key, through create, refresh,
// import and destroy, in both modes. Not parallel: it sets the process
// environment that terraform-plugin-testing reads to route the logs.
func TestAccProvider_traceLogsKeepSecrets(t *testing.T) {
	env := acctest.Start(t)
	logs := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(logs, "%s.log"))

	const ownKey, hostedKey = "bgp-own-0f9e8d7c", "bgp-hosted-6b5a4c3d"
	config := env.Config(keyedInterfaces(env, 1100, ownKey, hostedKey))

	resource.Test(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{
			{Config: config},
			{
				ResourceName:            "osc_hosted_directlink_interface.hosted",
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"timeouts"},
			},
		},
	})

	files, err := filepath.Glob(filepath.Join(logs, "*.log"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no log file written under %s (TF_LOG_PATH_MASK): %v", logs, err)
	}
	var all strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(data)
	}
	// terraform-plugin-testing logs each step's configuration (with the
	// keys the test wrote in it) under its own module: that is the test
	// harness talking, not Terraform or the provider, so it is left out.
	text := withoutHarnessEntries(all.String())
	// The logs must be the real thing: the API layer's calls at DEBUG and
	// Terraform's own trace lines.
	checkLogsKeepSecrets(t, text,
		[]string{"CreateDirectLinkInterface", "AllocatePrivateVirtualInterface", "DeleteDirectLinkInterface", "[TRACE]"},
		map[string]string{
			"owner secret key":     env.Owner.SecretKey,
			"recipient secret key": env.Recipient.SecretKey,
			"own BGP key":          ownKey,
			"hosted BGP key":       hostedKey,
		})
}

// keyedInterfaces is an own and a hosted interface, each with its BGP key,
// on VLANs vlan and vlan+1.
func keyedInterfaces(env *acctest.Env, vlan int, ownKey, hostedKey string) string {
	return fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "own" {
  directlink_id      = %[1]q
  name               = "own"
  vlan               = %[6]d
  bgp_asn            = 65000
  bgp_key            = %[2]q
  virtual_gateway_id = %[3]q
}

resource "osc_hosted_directlink_interface" "hosted" {
  directlink_id    = %[1]q
  name             = "hosted"
  vlan             = %[7]d
  bgp_asn          = 65001
  bgp_key          = %[4]q
  owner_account_id = %[5]q
}
`, env.Owner.DirectLinkIDs[0], ownKey, env.Owner.VirtualGatewayIDs[0], hostedKey, env.Recipient.AccountID, vlan, vlan+1)
}

// checkLogsKeepSecrets fails the test when logs miss one of mustMention (then
// the logs are not the ones that could leak) or show one of secrets.
func checkLogsKeepSecrets(t *testing.T, logs string, mustMention []string, secrets map[string]string) {
	t.Helper()
	for _, want := range mustMention {
		if !strings.Contains(logs, want) {
			t.Errorf("trace logs (%d bytes) do not mention %q: the test would not see a leak there", len(logs), want)
		}
	}
	for name, secret := range secrets {
		if i := strings.Index(logs, secret); i >= 0 {
			start, end := max(0, i-300), min(len(logs), i+len(secret)+100)
			t.Errorf("the %s appears in the trace logs:\n...%s...", name, logs[start:end])
		}
	}
}

// logEntryStart matches the first line of an hclog entry; continuation lines
// of multi-line values do not start with a timestamp.
var logEntryStart = regexp.MustCompile(`(?m)^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d`)

func withoutHarnessEntries(logs string) string {
	starts := logEntryStart.FindAllStringIndex(logs, -1)
	var b strings.Builder
	for i, s := range starts {
		end := len(logs)
		if i+1 < len(starts) {
			end = starts[i+1][0]
		}
		entry := logs[s[0]:end]
		firstLine, _, _ := strings.Cut(entry, "\n")
		if strings.Contains(firstLine, "sdk.helper_resource") {
			continue
		}
		b.WriteString(entry)
	}
	return b.String()
}

// The same promise, as a user meets it: TF_LOG=TRACE terraform apply, plan
// and destroy with the built provider binary (its logs relayed by the CLI),
// including a BGP key the API generated. Not parallel: it sets TF_LOG.
func TestAccProvider_traceLogsOfBuiltProviderKeepSecrets(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (as for every test that runs Terraform)")
	}
	acctest.PreCheck(t)
	env := acctest.Start(t)
	t.Setenv("TF_LOG", "TRACE")
	const ownKey, hostedKey = "bgp-own-1a2b3c4d", "bgp-hosted-5e6f7a8b"
	w := acctest.NewWorkdir(t, env.Config(keyedInterfaces(env, 1200, ownKey, hostedKey), fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "generated" {
  directlink_id    = %q
  name             = "generated-key"
  vlan             = 1202
  bgp_asn          = 65002
  owner_account_id = %q
}
`, env.Owner.DirectLinkIDs[0], env.Recipient.AccountID)))

	var logs strings.Builder
	logs.WriteString(w.MustRun("apply", "-auto-approve", "-no-color"))
	var generatedKey string
	for _, i := range env.LiveInterfaces() {
		if i.Name == "generated-key" {
			generatedKey = i.BGPKey
		}
	}
	if generatedKey == "" {
		t.Fatalf("the emulator generated no BGP key: %+v", env.LiveInterfaces())
	}
	logs.WriteString(w.MustRun("plan", "-detailed-exitcode", "-no-color"))
	logs.WriteString(w.MustRun("destroy", "-auto-approve", "-no-color"))
	if err := env.CheckDestroy(nil); err != nil {
		t.Error(err)
	}

	checkLogsKeepSecrets(t, logs.String(),
		[]string{"CreateDirectLinkInterface", "AllocatePrivateVirtualInterface", "ReadDirectLinkInterfaces", "DeleteDirectLinkInterface", "[TRACE]"},
		map[string]string{
			"owner secret key":     env.Owner.SecretKey,
			"recipient secret key": env.Recipient.SecretKey,
			"own BGP key":          ownKey,
			"hosted BGP key":       hostedKey,
			"generated BGP key":    generatedKey,
		})
}

// An API that quotes a refused BGP key back in its error (here: a key with
// whitespace, which the emulator refuses, echoing it) must not put the key
// in the logs nor in the diagnostics, in either API: the key is masked in
// the API layer's subsystem logger, in the root logger and in every error.
// Not parallel: it sets TF_LOG.
func TestAccProvider_traceLogsKeepABGPKeyTheAPIEchoes(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (as for every test that runs Terraform)")
	}
	acctest.PreCheck(t)
	env := acctest.Start(t)
	t.Setenv("TF_LOG", "TRACE")
	const ownKey, hostedKey = "echoed own 5d4c3b2a", "echoed hosted 9f8e7d6c"
	w := acctest.NewWorkdir(t, env.Config(keyedInterfaces(env, 1300, ownKey, hostedKey)))

	out, code := w.Run("apply", "-auto-approve", "-no-color")
	if code == 0 {
		t.Fatalf("the API accepted BGP keys with whitespace:\n%s", out)
	}
	stats := env.Emulator.Stats()
	if stats.Actions["CreateDirectLinkInterface"] != 1 || stats.Actions["AllocatePrivateVirtualInterface"] != 1 {
		t.Fatalf("the keys did not reach the API, so nothing was echoed: %v", stats.Actions)
	}
	// The refusals reached the user, with the API's words around the key.
	for _, want := range []string{"Unable to Create DirectLink Interface", "DirectLinkInterface.BgpKey", "newPrivateVirtualInterfaceAllocation.authKey", "must not contain whitespace"} {
		if !wordsRegexp(want).MatchString(out) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
	checkLogsKeepSecrets(t, out,
		[]string{"CreateDirectLinkInterface", "AllocatePrivateVirtualInterface", "[TRACE]"},
		map[string]string{
			"owner secret key": env.Owner.SecretKey,
			"own BGP key":      ownKey,
			"hosted BGP key":   hostedKey,
		})
}

// The built provider sets the levels of the loggers the user left unset to
// the level the CLI keeps (main.go, quietUnreadLogs): no line the CLI shows
// may be lost by that. With TF_LOG=DEBUG the API layer's calls (DEBUG)
// still reach the log; with TF_LOG_PROVIDER=INFO the provider's own INFO
// lines do, and the API calls do not. Not parallel: it sets TF_LOG.
func TestAccProvider_logLevelsOfBuiltProviderKeepWhatTheCLIShows(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (as for every test that runs Terraform)")
	}
	acctest.PreCheck(t)
	env := acctest.Start(t)
	w := acctest.NewWorkdir(t, env.Config(fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "logged" {
  directlink_id      = %q
  name               = "logged"
  vlan               = 1210
  bgp_asn            = 65000
  virtual_gateway_id = %q
}
`, env.Owner.DirectLinkIDs[0], env.Owner.VirtualGatewayIDs[0])))

	t.Setenv("TF_LOG", "DEBUG")
	debug := w.MustRun("apply", "-auto-approve", "-no-color")
	for _, want := range []string{"API call succeeded", "CreateDirectLinkInterface"} {
		if !strings.Contains(debug, want) {
			t.Errorf("TF_LOG=DEBUG apply: the log (%d bytes) lacks %q", len(debug), want)
		}
	}

	t.Setenv("TF_LOG", "")
	t.Setenv("TF_LOG_PROVIDER", "INFO")
	info := w.MustRun("destroy", "-auto-approve", "-no-color")
	if !strings.Contains(info, "Deleting DirectLink interface") {
		t.Errorf("TF_LOG_PROVIDER=INFO destroy: the log (%d bytes) lacks the provider's INFO line of the delete", len(info))
	}
	if strings.Contains(info, "API call succeeded") {
		t.Errorf("TF_LOG_PROVIDER=INFO destroy: the log shows the provider's DEBUG API calls")
	}
	if err := env.CheckDestroy(nil); err != nil {
		t.Error(err)
	}
}
