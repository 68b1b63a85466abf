//go:build linux

// Command bench measures the provider at scale against the emulator: wall
// time, API calls and the provider's peak memory for apply, no-change plans
// (batched reads, one call per resource, and -refresh=false as the floor) and
// destroy of N interfaces. It is what `make bench` runs; see BENCHMARKS.md.
//
//	go run ./internal/bench [-n 10,100,500] [-out BENCHMARKS.md]
//
// It builds the provider and the emulator, starts one emulator per N (own
// process, fixed latency), and drives a real Terraform CLI through
// dev_overrides. The provider's peak memory comes from the kernel: Terraform
// starts this same program in place of the provider (see wrap.go), which runs
// the real provider as its child and records the child's maximum resident
// set size when it exits. Linux only, like that measure (ru_maxrss in
// kilobytes).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type options struct {
	sizes           []int
	repeat          int
	latency         time.Duration
	transitionDelay time.Duration
	terraform       string
	out             string
	keep            bool
	cmdTimeout      time.Duration
}

func main() {
	if provider := os.Getenv(envWrapReal); provider != "" {
		os.Exit(wrapProvider(provider))
	}
	log.SetFlags(log.Ltime)
	log.SetPrefix("bench: ")

	var o options
	sizes := flag.String("n", "10,100,500", "comma-separated numbers of interfaces")
	flag.IntVar(&o.repeat, "repeat", 3, "runs of each no-change plan; the median is reported")
	flag.DurationVar(&o.latency, "latency", 100*time.Millisecond, "emulator -latency (added to every API answer)")
	flag.DurationVar(&o.transitionDelay, "transition-delay", 200*time.Millisecond, "emulator -transition-delay (time in each transitional state)")
	flag.StringVar(&o.terraform, "terraform", "", "Terraform-compatible CLI (default: scripts/tfcli.sh terraform)")
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "markdown file whose generated section receives the results (\"-\": stdout only)")
	flag.BoolVar(&o.keep, "keep", false, "keep the working directory (configurations, logs, state)")
	flag.DurationVar(&o.cmdTimeout, "cmd-timeout", 45*time.Minute, "limit for one Terraform command")
	flag.Parse()
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 4000 {
			log.Fatalf("-n: %q is not a number of interfaces from 1 to 4000 (VLANs 100..4094)", s)
		}
		o.sizes = append(o.sizes, n)
	}
	if o.repeat < 1 {
		log.Fatal("-repeat must be at least 1")
	}

	if err := run(o); err != nil {
		log.Fatal(err)
	}
}

func run(o options) error {
	root, err := repoRoot()
	if err != nil {
		return err
	}
	if o.terraform == "" {
		out, err := exec.Command(filepath.Join(root, "scripts", "tfcli.sh"), "terraform").Output()
		if err != nil {
			return fmt.Errorf("finding a Terraform CLI with scripts/tfcli.sh: %w", err)
		}
		o.terraform = strings.TrimSpace(string(out))
	}
	work, err := os.MkdirTemp("", "osc-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		log.Printf("working directory (kept): %s", work)
	} else {
		defer os.RemoveAll(work)
	}

	bins, err := build(root, work)
	if err != nil {
		return err
	}
	env := environment(o)
	log.Printf("%s; %s", env.terraform, env.cpu)

	var runs []sizeRun
	for _, n := range o.sizes {
		r, err := runSize(o, bins, work, n)
		if err != nil {
			return fmt.Errorf("with %d interfaces: %w", n, err)
		}
		runs = append(runs, r)
	}

	md := report(o, env, runs)
	fmt.Print(md)
	if o.out == "-" {
		return nil
	}
	return writeSection(filepath.Join(root, o.out), md)
}

type binaries struct {
	provider string // the real provider
	wrapper  string // directory holding this program as terraform-provider-osc
	emulator string
}

func build(root, work string) (binaries, error) {
	b := binaries{
		provider: filepath.Join(work, "real", "terraform-provider-osc"),
		wrapper:  filepath.Join(work, "plugins"),
		emulator: filepath.Join(work, "osc-emulator"),
	}
	log.Print("building the provider and the emulator")
	for _, c := range [][]string{
		{"go", "build", "-o", b.provider, "."},
		{"go", "build", "-o", b.emulator, "./cmd/osc-emulator"},
	} {
		cmd := exec.Command(c[0], c[1:]...)
		cmd.Dir = root
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return b, fmt.Errorf("%s: %w", strings.Join(c, " "), err)
		}
	}
	self, err := os.Executable()
	if err != nil {
		return b, err
	}
	if err := os.MkdirAll(b.wrapper, 0o755); err != nil {
		return b, err
	}
	return b, copyFile(self, filepath.Join(b.wrapper, "terraform-provider-osc"))
}

// sizeRun is every measurement for one N.
type sizeRun struct {
	n       int
	apply   step
	plans   map[string][]step // by plan kind, in run order
	destroy step
}

const (
	planBatched   = "no-change plan, batched reads"
	planUnbatched = "no-change plan, OSC_DISABLE_READ_BATCHING=1"
	planFloor     = "plan -refresh=false (floor)"
)

var planKinds = []string{planBatched, planUnbatched, planFloor}

func runSize(o options, bins binaries, work string, n int) (sizeRun, error) {
	r := sizeRun{n: n, plans: map[string][]step{}}
	dir := filepath.Join(work, fmt.Sprintf("n%d", n))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return r, err
	}
	emu, err := startEmulator(bins.emulator, dir, o)
	if err != nil {
		return r, err
	}
	defer emu.stop()
	owner, err := emu.info.account("owner")
	if err != nil {
		return r, err
	}
	if len(owner.DirectLinkIDs) == 0 || len(owner.VirtualGatewayIDs) == 0 {
		return r, errors.New("the emulator's owner account has no DirectLink or no virtual gateway")
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(configuration(n, owner.DirectLinkIDs[0], owner.VirtualGatewayIDs[0])), 0o644); err != nil {
		return r, err
	}
	cliConfig := filepath.Join(dir, "cli.tfrc")
	if err := os.WriteFile(cliConfig, []byte(fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"oscdl/osc\" = %q\n  }\n  direct {}\n}\n", bins.wrapper)), 0o644); err != nil {
		return r, err
	}
	t := &tfRunner{
		bin:     o.terraform,
		dir:     dir,
		timeout: o.cmdTimeout,
		emu:     emu,
		env: []string{
			"TF_CLI_CONFIG_FILE=" + cliConfig,
			"TF_IN_AUTOMATION=1",
			"CHECKPOINT_DISABLE=1",
			"OSC_ACCESS_KEY=" + owner.AccessKey,
			"OSC_SECRET_KEY=" + owner.SecretKey,
			"OSC_REGION=" + emu.info.Region,
			"OSC_ENDPOINT_API=" + emu.info.APIEndpoint,
			"OSC_ENDPOINT_DIRECT_LINK=" + emu.info.DirectLinkEndpoint,
			envWrapReal + "=" + bins.provider,
		},
	}

	log.Printf("N=%d: apply", n)
	if r.apply, err = t.run("apply", nil, "apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return r, err
	}
	if got, err := t.stateCount(); err != nil || got != n {
		return r, fmt.Errorf("after apply the state holds %d resources (%v), want %d", got, err, n)
	}
	for i := range o.repeat {
		for _, kind := range planKinds {
			log.Printf("N=%d: %s (%d/%d)", n, kind, i+1, o.repeat)
			args := []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"}
			var extra []string
			switch kind {
			case planUnbatched:
				extra = []string{"OSC_DISABLE_READ_BATCHING=1"}
			case planFloor:
				args = append(args, "-refresh=false")
			}
			s, err := t.run(kind, extra, args...)
			if err != nil {
				return r, err // exit code 2 (changes) is an error too: the plan must be empty
			}
			r.plans[kind] = append(r.plans[kind], s)
		}
	}
	log.Printf("N=%d: destroy", n)
	if r.destroy, err = t.run("destroy", nil, "destroy", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return r, err
	}
	if got, err := t.stateCount(); err != nil || got != 0 {
		return r, fmt.Errorf("after destroy the state holds %d resources (%v), want 0", got, err)
	}
	return r, nil
}

// configuration is N interfaces in the caller's own account (virtual gateway
// mode, CreateDirectLinkInterface), on distinct VLANs of one DirectLink.
// Credentials and endpoints come from the environment.
func configuration(n int, directLinkID, gatewayID string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    osc = {
      source = "oscdl/osc"
    }
  }
}

provider "osc" {}

resource "osc_hosted_directlink_interface" "bench" {
  count              = %d
  directlink_id      = %q
  name               = "bench-${count.index}"
  vlan               = 100 + count.index
  bgp_asn            = 65000
  virtual_gateway_id = %q
}
`, n, directLinkID, gatewayID)
}

// step is one Terraform command's measurements.
type step struct {
	name      string
	wall      time.Duration
	calls     int
	throttled int
	actions   map[string]int
	peakRSSKB int64 // largest maximum RSS of the provider processes of the command
	procs     int   // provider processes the command started
}

type tfRunner struct {
	bin     string
	dir     string
	env     []string
	timeout time.Duration
	emu     *emulator
	seq     int
}

func (t *tfRunner) run(name string, extraEnv []string, args ...string) (step, error) {
	t.seq++
	s := step{name: name}
	memLog := filepath.Join(t.dir, fmt.Sprintf("mem-%02d.log", t.seq))
	logPath := filepath.Join(t.dir, fmt.Sprintf("%02d-%s.log", t.seq, args[0]))
	logFile, err := os.Create(logPath)
	if err != nil {
		return s, err
	}
	defer logFile.Close()

	before, err := t.emu.stats()
	if err != nil {
		return s, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), t.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, t.bin, args...)
	cmd.Dir = t.dir
	cmd.Env = append(append(baseEnv(), t.env...), extraEnv...)
	cmd.Env = append(cmd.Env, envMemLog+"="+memLog)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	start := time.Now()
	err = cmd.Run()
	s.wall = time.Since(start)
	if err != nil {
		return s, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, tail(logPath, 40))
	}
	after, err := t.emu.stats()
	if err != nil {
		return s, err
	}
	s.calls = after.Total - before.Total
	s.throttled = after.Throttled - before.Throttled
	s.actions = map[string]int{}
	for a, c := range after.Actions {
		if d := c - before.Actions[a]; d > 0 {
			s.actions[a] = d
		}
	}
	s.peakRSSKB, s.procs = readMemLog(memLog)
	return s, nil
}

func (t *tfRunner) stateCount() (int, error) {
	cmd := exec.Command(t.bin, "state", "list")
	cmd.Dir = t.dir
	cmd.Env = append(baseEnv(), t.env...)
	out, err := cmd.Output()
	if err != nil {
		// An empty state after destroy has no resources to list.
		var ee *exec.ExitError
		if errors.As(err, &ee) && bytes.Contains(ee.Stderr, []byte("No state file")) {
			return 0, nil
		}
		return 0, err
	}
	return len(strings.Fields(string(out))), nil
}

// baseEnv is the caller's environment without OSC_ settings, so that a
// developer's own profile or endpoints never leak into the measurements.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OSC_") && !strings.HasPrefix(kv, "TF_") {
			env = append(env, kv)
		}
	}
	return env
}

// emulator is an osc-emulator process.
type emulator struct {
	cmd  *exec.Cmd
	info emulatorInfo
	base string
}

type emulatorInfo struct {
	APIEndpoint        string            `json:"api_endpoint"`
	DirectLinkEndpoint string            `json:"directlink_endpoint"`
	Region             string            `json:"region"`
	Accounts           []emulatorAccount `json:"accounts"`
}

type emulatorAccount struct {
	Name              string   `json:"name"`
	AccountID         string   `json:"account_id"`
	AccessKey         string   `json:"access_key"`
	SecretKey         string   `json:"secret_key"`
	DirectLinkIDs     []string `json:"directlink_ids"`
	VirtualGatewayIDs []string `json:"virtual_gateway_ids"`
}

func (i emulatorInfo) account(name string) (emulatorAccount, error) {
	for _, a := range i.Accounts {
		if a.Name == name {
			return a, nil
		}
	}
	return emulatorAccount{}, fmt.Errorf("the emulator has no account %q", name)
}

type emulatorStats struct {
	Total     int            `json:"total"`
	Throttled int            `json:"throttled"`
	Actions   map[string]int `json:"actions"`
}

func startEmulator(bin, dir string, o options) (*emulator, error) {
	logFile, err := os.Create(filepath.Join(dir, "emulator.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin,
		"-addr", "127.0.0.1:0",
		"-latency", o.latency.String(),
		"-transition-delay", o.transitionDelay.String(),
	)
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	e := &emulator{cmd: cmd}
	first, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		e.stop()
		return nil, fmt.Errorf("reading the emulator's first line: %w", err)
	}
	go func() { _, _ = io.Copy(logFile, stdout) }()
	if err := json.Unmarshal([]byte(first), &e.info); err != nil {
		e.stop()
		return nil, fmt.Errorf("the emulator's first line %q: %w", first, err)
	}
	e.base = strings.TrimSuffix(e.info.DirectLinkEndpoint, "/")
	return e, nil
}

func (e *emulator) stats() (emulatorStats, error) {
	var s emulatorStats
	resp, err := http.Get(e.base + "/_emulator/stats")
	if err != nil {
		return s, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return s, fmt.Errorf("GET /_emulator/stats: %s", resp.Status)
	}
	return s, json.NewDecoder(resp.Body).Decode(&s)
}

func (e *emulator) stop() {
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = e.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = e.cmd.Process.Kill()
		<-done
	}
}

type envInfo struct {
	terraform string
	cpu       string
	goVersion string
	date      string
}

func environment(o options) envInfo {
	e := envInfo{goVersion: runtime.Version(), date: time.Now().UTC().Format("2006-01-02 15:04 MST")}
	out, _ := exec.Command(o.terraform, "version").Output()
	e.terraform = strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	model := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	e.cpu = fmt.Sprintf("%d x %s", runtime.NumCPU(), model)
	return e
}

func repoRoot() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		return "", fmt.Errorf("finding the module root (run from the repository): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o755)
}

func tail(path string, lines int) string {
	b, _ := os.ReadFile(path)
	all := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}

func median(steps []step) step {
	s := slices.Clone(steps)
	slices.SortFunc(s, func(a, b step) int { return int(a.wall - b.wall) })
	return s[len(s)/2]
}
