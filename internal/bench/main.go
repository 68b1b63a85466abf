//go:build linux

// Command bench measures the provider at scale against the emulator: wall
// time against the rate floor, API calls per interface and the provider's
// peak memory for apply, no-change plans (batched reads, one call per
// resource, and -refresh=false as the floor) and destroy, in own and hosted
// mode, in a fresh account and in a big one; the lag between a state
// transition in the emulator and the provider noticing it; and where the
// provider's memory and CPU go. It is what `make bench` runs; see
// BENCHMARKS.md.
//
//	go run ./internal/bench [-n 10,100,500] [-out BENCHMARKS.md] [-h]
//
// It builds the provider and the emulator, starts one emulator per scenario
// (own process, fixed latency), and drives a real Terraform CLI through
// dev_overrides. The provider's peak memory comes from the kernel: Terraform
// starts this same program in place of the provider (see wrap.go), which runs
// the real provider as its child and records the child's maximum resident
// set size when it exits. Linux only, like that measure (ru_maxrss in
// kilobytes).
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

type options struct {
	sizes           []int
	modes           []mode
	repeat          int
	latency         time.Duration
	transitionDelay time.Duration
	bigAccount      int   // interfaces seeded in the big account (0: no big-account scenarios)
	bigSizes        []int // resources in the big account's configurations
	lagDelay        time.Duration
	lagN            int
	longWait        time.Duration
	longN           int
	longJitter      time.Duration
	profileN        int
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

	o, err := parseOptions(os.Args[1:])
	if err != nil {
		log.Fatal(err)
	}
	if err := run(o); err != nil {
		log.Fatal(err)
	}
}

func parseOptions(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ExitOnError)
	sizes := fs.String("n", "10,100,500", "comma-separated numbers of interfaces of the main run")
	modes := fs.String("modes", "own,hosted", "modes of the main run: own (virtual_gateway_id), hosted (owner_account_id)")
	bigSizes := fs.String("big-n", "1,100", "resources in the configurations of the big account")
	fs.IntVar(&o.repeat, "repeat", 3, "runs of each no-change plan; the median is reported")
	fs.DurationVar(&o.latency, "latency", 100*time.Millisecond, "emulator -latency (added to every API answer)")
	fs.DurationVar(&o.transitionDelay, "transition-delay", 200*time.Millisecond, "emulator -transition-delay of the main run")
	fs.IntVar(&o.bigAccount, "big-account", 10000, "interfaces already in the big account (0: skip it)")
	fs.DurationVar(&o.lagDelay, "lag-transition-delay", 2*time.Second, "emulator -transition-delay of the second run, for the lag (0: skip it)")
	fs.IntVar(&o.lagN, "lag-n", 100, "interfaces of the second run, in each mode")
	fs.DurationVar(&o.longWait, "long-wait", 32*time.Second, "transition delay of the long-wait run: transitions that come that far into a wait (0: skip it)")
	fs.IntVar(&o.longN, "long-n", 20, "interfaces of the long-wait run, in each mode")
	fs.DurationVar(&o.longJitter, "long-jitter", 2*time.Second, "emulator -transition-jitter of the long-wait run: its transitions spread over this much, so they meet the provider's polls at every phase")
	fs.IntVar(&o.profileN, "profile-n", 500, "N whose batched plan is profiled (own mode; 0: none)")
	fs.StringVar(&o.terraform, "terraform", "", "Terraform-compatible CLI (default: scripts/tfcli.sh terraform)")
	fs.StringVar(&o.out, "out", "BENCHMARKS.md", "markdown file whose generated section receives the results (\"-\": stdout only)")
	fs.BoolVar(&o.keep, "keep", false, "keep the working directory (configurations, logs, profiles, state)")
	fs.DurationVar(&o.cmdTimeout, "cmd-timeout", 45*time.Minute, "limit for one Terraform command")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	var err error
	if o.sizes, err = parseSizes("-n", *sizes); err != nil {
		return o, err
	}
	if o.bigSizes, err = parseSizes("-big-n", *bigSizes); err != nil {
		return o, err
	}
	for _, m := range strings.Split(*modes, ",") {
		switch mode(strings.TrimSpace(m)) {
		case modeOwn, modeHosted:
			o.modes = append(o.modes, mode(strings.TrimSpace(m)))
		default:
			return o, fmt.Errorf("-modes: %q is neither own nor hosted", m)
		}
	}
	if o.repeat < 1 {
		return o, fmt.Errorf("-repeat must be at least 1")
	}
	return o, nil
}

// parseSizes reads a list of interface counts; an empty list is allowed.
// VLANs 100..4094 of one DirectLink bound a configuration.
func parseSizes(flagName, list string) ([]int, error) {
	var out []int
	for _, s := range strings.Split(list, ",") {
		if strings.TrimSpace(s) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 3995 {
			return nil, fmt.Errorf("%s: %q is not a number of interfaces from 1 to 3995", flagName, s)
		}
		out = append(out, n)
	}
	return out, nil
}

// scenarios is the whole run: the main run of the first mode, the big
// account, the second run at longer transitions, the long waits, then the
// main run of the other modes. That order puts the most bars early, for a
// run that has to be cut short.
func scenarios(o options) []scenario {
	mainRun := func(m mode) []scenario {
		var out []scenario
		for _, n := range o.sizes {
			out = append(out, scenario{group: groupMain, mode: m, n: n, transition: o.transitionDelay,
				plans: true, unbatched: true, profile: m == modeOwn && n == o.profileN})
		}
		return out
	}
	var out []scenario
	if len(o.modes) > 0 {
		out = mainRun(o.modes[0])
	}
	if o.bigAccount > 0 {
		for _, n := range o.bigSizes {
			out = append(out, scenario{group: groupBig, mode: modeOwn, n: n, seed: o.bigAccount,
				transition: o.transitionDelay, plans: true})
		}
	}
	if o.lagDelay > 0 && o.lagN > 0 {
		for _, m := range o.modes {
			out = append(out, scenario{group: groupLag, mode: m, n: o.lagN, transition: o.lagDelay})
		}
	}
	if o.longWait > 0 && o.longN > 0 {
		for _, m := range o.modes {
			out = append(out, scenario{group: groupLong, mode: m, n: o.longN, transition: o.longWait, jitter: o.longJitter})
		}
	}
	for _, m := range o.modes[min(1, len(o.modes)):] {
		out = append(out, mainRun(m)...)
	}
	return out
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
	log.Printf("%s; %s; load before: %s", env.terraform, env.cpu, env.loadBefore)

	all := scenarios(o)
	var results []result
	for i, sc := range all {
		r, err := runScenario(o, bins, work, sc, i)
		if err != nil {
			return fmt.Errorf("%s: %w", sc.label(), err)
		}
		if r.profiled != nil {
			if r.profile, err = summarizeProfiles(r.profiled.profiles); err != nil {
				return err
			}
		}
		results = append(results, r)
		env.loadAfter = loadAverage()
		md := report(o, env, results)
		if i < len(all)-1 {
			// A run cut short still leaves what it measured.
			md += fmt.Sprintf("\n**Partial run**: %d of %d scenarios so far.\n", i+1, len(all))
		} else {
			fmt.Print(md)
		}
		if o.out != "-" {
			if err := writeSection(filepath.Join(root, o.out), md); err != nil {
				return err
			}
		}
	}
	return nil
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

type envInfo struct {
	terraform             string
	cpu                   string
	goVersion             string
	date                  string
	loadBefore, loadAfter string
}

func environment(o options) envInfo {
	e := envInfo{goVersion: runtime.Version(), date: time.Now().UTC().Format("2006-01-02 15:04 MST"), loadBefore: loadAverage()}
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

// loadAverage is the 1, 5 and 15 minute load of the machine: the bench
// shares it, and wall times mean little without it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
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
