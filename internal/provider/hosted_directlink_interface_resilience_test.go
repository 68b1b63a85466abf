package provider_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
	"github.com/oscdl/terraform-provider-osc/internal/emulator"
	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// An apply of 30 interfaces against an API that throttles 30% of requests
// succeeds, and leaves exactly 30 interfaces: throttling is retried, never a
// failure of the user's apply, and never a duplicate.
func TestAccResilience_throttledApplyOf30(t *testing.T) {
	env := acctest.StartWith(t, emulator.Options{TransitionDelay: acctest.TransitionDelay, Throttle: 0.3})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps: []resource.TestStep{{
			Config: env.Config(countedOwnInterfaces(env, "many", 30, 100)),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("osc_hosted_directlink_interface.many.29", "state", oscapi.StateAvailable),
				checkStateMatchesEmulator(env, 30),
				func(*terraform.State) error {
					if env.Emulator.Stats().Throttled == 0 {
						return fmt.Errorf("the emulator throttled no request: the test did not exercise throttling")
					}
					return nil
				},
			),
		}},
	})
}

// Every create's answer is lost (the API carried it out, then closed the
// connection): apply still succeeds, in both modes, each resource holding
// the interface its create made, with no duplicate.
func TestAccResilience_lostCreateAnswers(t *testing.T) {
	env := acctest.Start(t)
	config := env.Config(
		countedOwnInterfaces(env, "own", 3, 400),
		fmt.Sprintf(`
resource "osc_hosted_directlink_interface" "hosted" {
  count            = 3
  directlink_id    = %q
  name             = "hosted-${count.index}"
  vlan             = 410 + count.index
  bgp_asn          = 65010
  owner_account_id = %q
}
`, env.Owner.DirectLinkIDs[0], env.Recipient.AccountID))
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		// The destroy loses every answer too: each delete is sent once, and
		// the provider sees from the API that it was carried out.
		CheckDestroy: func(s *terraform.State) error {
			env.Emulator.SetFaults(0, 0)
			if err := env.CheckDestroy(s); err != nil {
				return err
			}
			if got := env.Emulator.Stats().Actions["DeleteDirectLinkInterface"]; got != 6 {
				return fmt.Errorf("%d delete calls reached the API, want 6", got)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			PreConfig: func() { env.Emulator.SetFaults(0, 1.0) },
			Config:    config,
			Check: resource.ComposeAggregateTestCheckFunc(
				checkStateMatchesEmulator(env, 6),
				resource.TestCheckResourceAttr("osc_hosted_directlink_interface.hosted.0", "state", oscapi.StateConfirming),
				resource.TestCheckResourceAttr("osc_hosted_directlink_interface.own.0", "state", oscapi.StateAvailable),
				func(*terraform.State) error {
					st := env.Emulator.Stats().Actions
					if got := st["CreateDirectLinkInterface"] + st["AllocatePrivateVirtualInterface"]; got != 6 {
						return fmt.Errorf("%d create calls reached the API, want 6: a create whose answer was lost was sent again", got)
					}
					return nil
				},
			),
		}},
	})
}

// Terraform is killed right after the API created the interface, before the
// ID reached the state. Nothing is lost and nothing is adopted silently: the
// next plan fails, naming the orphan and printing the import block that
// adopts it; with that block added, the apply records that very interface,
// the API holds no other, and the next plan is empty.
func TestAccResilience_killedApplyOrphanIsImportedAsPrinted(t *testing.T) {
	cliAcceptance(t) // the killed apply runs before resource.Test
	// Slow transitions keep the killed apply in its wait long enough.
	env := acctest.StartWith(t, emulator.Options{TransitionDelay: 10 * time.Second})
	res := ownInterface(env, "test", "killed", 300)
	orphanID := killApplyAfterCreate(t, env, res)
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps:                    orphanImportSteps(env, res, "osc_hosted_directlink_interface.test", orphanID, 300),
	})
}

// orphanImportSteps are the two steps of adopting an orphan deliberately: the
// plan fails with the import block for orphanID, then the configuration
// with that block applies, recording orphanID and no other interface.
func orphanImportSteps(env *acctest.Env, res, address, orphanID string, vlan int) []resource.TestStep {
	return []resource.TestStep{
		{
			Config:   env.Config(res),
			PlanOnly: true,
			ExpectError: wordsRegexp(
				"DirectLink VLAN Already In Use",
				fmt.Sprintf("VLAN %d on %s is already used by DirectLink interface %s", vlan, env.Owner.DirectLinkIDs[0], orphanID),
				"It matches this configuration",
				fmt.Sprintf("import { to = osc_hosted_directlink_interface.<name> id = %q }", orphanID),
			),
		},
		{
			Config: env.Config(res, fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", address, orphanID)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, plancheck.ResourceActionNoop)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				checkStateMatchesEmulator(env, 1),
				resource.TestCheckResourceAttr(address, "id", orphanID),
			),
		},
	}
}

// A VLAN already used on the DirectLink by an interface Terraform does not
// manage, with other settings, fails at plan, naming that interface and the
// import command; nothing is created.
func TestAccResilience_vlanConflictFailsAtPlan(t *testing.T) {
	env := acctest.Start(t)
	other := createOutsideTerraform(t, env, oscapi.CreateInterfaceInput{
		DirectLinkID:     env.Owner.DirectLinkIDs[0],
		Name:             "someone-elses",
		VLAN:             200,
		BGPASN:           65100,
		VirtualGatewayID: env.Owner.VirtualGatewayIDs[0],
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:   env.Config(ownInterface(env, "test", "mine", 200)),
			PlanOnly: true,
			ExpectError: wordsRegexp(
				fmt.Sprintf("VLAN 200 on %s is already used by DirectLink interface %s (name \"someone-elses\", state available)", env.Owner.DirectLinkIDs[0], other.ID),
				"terraform import 'osc_hosted_directlink_interface.<name>' "+other.ID,
			),
		}},
	})
	if got := env.Emulator.Stats().Actions["CreateDirectLinkInterface"]; got != 1 {
		t.Errorf("%d create calls reached the API, want only the one made outside Terraform", got)
	}
}

// An interface left behind by an earlier apply (same VLAN, name, ASN and
// gateway) is not adopted for merely matching: the plan fails with the
// import block, and the import it prints records that interface, without
// creating a second one.
func TestAccResilience_matchingOrphanIsImportedAsPrinted(t *testing.T) {
	env := acctest.Start(t)
	orphan := createOutsideTerraform(t, env, oscapi.CreateInterfaceInput{
		DirectLinkID:     env.Owner.DirectLinkIDs[0],
		Name:             "orphan",
		VLAN:             201,
		BGPASN:           65000,
		VirtualGatewayID: env.Owner.VirtualGatewayIDs[0],
	})
	resource.ParallelTest(t, resource.TestCase{
		PreCheck:                 func() { acctest.PreCheck(t) },
		ProtoV6ProviderFactories: acctest.ProtoV6ProviderFactories,
		CheckDestroy:             env.CheckDestroy,
		Steps:                    orphanImportSteps(env, ownInterface(env, "test", "orphan", 201), "osc_hosted_directlink_interface.test", orphan.ID, 201),
	})
	if n := createCalls(env); n != 1 {
		t.Errorf("%d create calls reached the API, want only the one made outside Terraform", n)
	}
}

// ownInterface is one interface in the owner's own account.
func ownInterface(env *acctest.Env, label, name string, vlan int) string {
	return fmt.Sprintf(`
resource "osc_hosted_directlink_interface" %q {
  directlink_id      = %q
  name               = %q
  vlan               = %d
  bgp_asn            = 65000
  virtual_gateway_id = %q
}
`, label, env.Owner.DirectLinkIDs[0], name, vlan, env.Owner.VirtualGatewayIDs[0])
}

// countedOwnInterfaces is n interfaces in the owner's own account, on VLANs
// firstVLAN, firstVLAN+1, ...
func countedOwnInterfaces(env *acctest.Env, label string, n, firstVLAN int) string {
	return fmt.Sprintf(`
resource "osc_hosted_directlink_interface" %q {
  count              = %d
  directlink_id      = %q
  name               = "%s-${count.index}"
  vlan               = %d + count.index
  bgp_asn            = 65000
  virtual_gateway_id = %q
}
`, label, n, env.Owner.DirectLinkIDs[0], label, firstVLAN, env.Owner.VirtualGatewayIDs[0])
}

// checkStateMatchesEmulator checks that the emulator holds exactly want live
// interfaces and that they are exactly those of the state's interface
// resources.
func checkStateMatchesEmulator(env *acctest.Env, want int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		live := env.LiveInterfaces()
		if len(live) != want {
			var desc []string
			for _, i := range live {
				desc = append(desc, fmt.Sprintf("%s (%s, VLAN %d)", i.ID, i.Name, i.VLAN))
			}
			return fmt.Errorf("the API holds %d interfaces, want %d: %s", len(live), want, strings.Join(desc, ", "))
		}
		inState := map[string]bool{}
		for addr, rs := range s.RootModule().Resources {
			if rs.Type == "osc_hosted_directlink_interface" {
				if inState[rs.Primary.ID] {
					return fmt.Errorf("%s holds %s, which another resource holds too", addr, rs.Primary.ID)
				}
				inState[rs.Primary.ID] = true
			}
		}
		for _, i := range live {
			if !inState[i.ID] {
				return fmt.Errorf("interface %s (%s, VLAN %d) exists but no resource in state holds it", i.ID, i.Name, i.VLAN)
			}
		}
		if len(inState) != want {
			return fmt.Errorf("the state holds %d interfaces, want %d", len(inState), want)
		}
		return nil
	}
}

func createOutsideTerraform(t *testing.T, env *acctest.Env, in oscapi.CreateInterfaceInput) *oscapi.Interface {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	it, err := env.Client(t, env.Owner).CreateInterface(ctx, in)
	if err != nil {
		t.Fatalf("creating %q outside Terraform: %v", in.Name, err)
	}
	return it
}

// killApplyAfterCreate runs a real `terraform apply` of res with the provider
// built as a binary, SIGKILLs Terraform and the provider as soon as the API
// has received the create, and returns the ID of the interface left behind,
// which no state knows.
func killApplyAfterCreate(t *testing.T, env *acctest.Env, res string) string {
	t.Helper()
	dir := t.TempDir()
	pluginDir := filepath.Join(dir, "plugins")
	build := exec.Command("go", "build", "-o", filepath.Join(pluginDir, "terraform-provider-osc"), ".")
	build.Dir = moduleRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	cliConfig := filepath.Join(dir, "cli.tfrc")
	writeFile(t, cliConfig, fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"oscdl/osc\" = %q\n  }\n  direct {}\n}\n", pluginDir))
	work := filepath.Join(dir, "work")
	writeFile(t, filepath.Join(work, "main.tf"),
		"terraform {\n  required_providers {\n    osc = {\n      source = \"oscdl/osc\"\n    }\n  }\n}\n\n"+
			env.ProviderBlock(env.Owner, "")+res)

	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		var err error
		if tf, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("no Terraform CLI: set TF_ACC_TERRAFORM_PATH")
		}
	}
	var out lockedBuffer
	cmd := exec.Command(tf, "apply", "-auto-approve", "-input=false", "-no-color")
	cmd.Dir = work
	cmd.Env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"CHECKPOINT_DISABLE=1",
		"OSC_POLL_MIN_INTERVAL="+acctest.PollInterval.String(),
	)
	cmd.Stdout, cmd.Stderr = &out, &out
	// Its own process group, so that one signal takes Terraform and the
	// provider it started, as a crash of the machine would.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", tf, err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	deadline := time.After(3 * time.Minute)
	for env.Emulator.Stats().Actions["CreateDirectLinkInterface"] == 0 {
		select {
		case err := <-exited:
			t.Fatalf("terraform apply ended (%v) before the API received the create:\n%s", err, out.String())
		case <-deadline:
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			t.Fatalf("the API received no create within 3 minutes:\n%s", out.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	providerBin := filepath.Join(pluginDir, "terraform-provider-osc")
	checkProcesses := runtime.GOOS == "linux" // processesOf reads /proc
	if checkProcesses && len(processesOf(providerBin)) == 0 {
		t.Fatalf("no process runs %s though the API received its create", providerBin)
	}
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatalf("killing terraform: %v", err)
	}
	if err := <-exited; err == nil {
		t.Fatalf("terraform apply finished before it could be killed:\n%s", out.String())
	}
	// The provider must be gone too, or it could still finish the create's
	// wait and blur what this test is about.
	for start := time.Now(); checkProcesses && len(processesOf(providerBin)) > 0; time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 10*time.Second {
			t.Fatalf("the provider (pids %v) outlived the killed terraform", processesOf(providerBin))
		}
	}

	live := env.LiveInterfaces()
	if len(live) != 1 {
		t.Fatalf("after the killed apply the API holds %d interfaces, want the 1 it created:\n%s", len(live), out.String())
	}
	if b, err := os.ReadFile(filepath.Join(work, "terraform.tfstate")); err == nil && bytes.Contains(b, []byte(live[0].ID)) {
		t.Fatalf("the killed apply recorded %s in its state: Terraform was killed too late to leave an orphan", live[0].ID)
	}
	t.Logf("killed terraform after the create of %s (%s)", live[0].ID, live[0].State)
	return live[0].ID
}

// processesOf lists the running processes whose executable is bin.
func processesOf(bin string) []string {
	var pids []string
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if exe, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err == nil && exe == bin {
			pids = append(pids, e.Name())
		}
	}
	return pids
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		t.Fatalf("finding the module root: %v", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out)))
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lockedBuffer collects a process's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
