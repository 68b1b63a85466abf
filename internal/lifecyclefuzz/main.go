//go:build linux

// Command lifecyclefuzz is the lifecycle fuzzer: it drives a real Terraform
// CLI against the emulator (its own process) through random but seeded
// sequences of what users and the world do, and checks after every step
// that one resource instance manages exactly one interface. It is what
// `make fuzz-lifecycle` runs; a short fixed-seed run is part of `make test`.
//
//	go run ./internal/lifecyclefuzz [-seed 1] [-steps 12] [-seeds 1] [-for 0] [-skip kind,...] [-findings FILE]
//
// Each seed gets a fresh emulator (its own -state file, restarted on the
// same address for restarts and faults) and two working directories, "a"
// and "b" (two states on the owner's DirectLinks), each with an owner and a
// recipient provider alias signing with the keys the emulator printed. The
// steps are configuration edits (count, for_each and single resources;
// every argument; moved and import blocks; -replace; taint; accepters), the
// world (deletes, rejections and acceptances behind Terraform's back,
// expiry, interfaces made outside Terraform) and faults (throttling,
// dropped answers, latency, emulator restarts, SIGINT and SIGKILL of
// Terraform mid-apply). The model knows the outcome each step must have: an
// unexpected failure is a finding, and so is an unexpected success.
//
// After every step: no interface is held by two instances or two states;
// every instance holds a live interface; every live interface is held by a
// state (after a SIGKILL, the next plan must fail naming it with an import
// block); a successful apply is followed by an empty plan; no panic; every
// diagnostic has a summary and a detail; no secret key or BGP key in the
// output or the TRACE log.
//
// A finding ends its seed (the model no longer knows the world) and prints
// the seed, the step list and the command that replays it; with -seeds or
// -for the run goes on with the next seed. The exit status is 1 when any
// seed had a finding.
package main

import (
	"errors"
	"flag"
	"fmt"
	"iter"
	"log"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

type options struct {
	seed       int64
	steps      int
	seeds      int
	duration   time.Duration
	terraform  string
	findings   string
	skip       map[string]bool
	keep       bool
	verbose    bool
	cmdTimeout time.Duration
}

func main() {
	log.SetFlags(log.Ltime)
	log.SetPrefix("lifecyclefuzz: ")
	var o options
	var skip string
	flag.Int64Var(&o.seed, "seed", 1, "first seed")
	flag.IntVar(&o.steps, "steps", 12, "steps per seed")
	flag.IntVar(&o.seeds, "seeds", 1, "number of seeds, from -seed on")
	flag.DurationVar(&o.duration, "for", 0, "keep running further seeds until this much time has passed (overrides -seeds)")
	flag.StringVar(&o.terraform, "terraform", os.Getenv("TF_ACC_TERRAFORM_PATH"), "Terraform-compatible CLI (default: TF_ACC_TERRAFORM_PATH, else scripts/tfcli.sh terraform)")
	flag.StringVar(&o.findings, "findings", "", "markdown file the findings are appended to")
	flag.StringVar(&skip, "skip", "", "comma-separated step kinds never drawn (e.g. sigkill,dupvlan)")
	flag.BoolVar(&o.keep, "keep", false, "keep each seed's directory (configurations, states, TRACE logs)")
	flag.BoolVar(&o.verbose, "v", false, "print every step as it starts")
	flag.DurationVar(&o.cmdTimeout, "cmd-timeout", 5*time.Minute, "limit for one Terraform command (past it: a hang finding)")
	flag.Parse()
	o.skip = map[string]bool{}
	for _, k := range strings.Split(skip, ",") {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		if !knownKind(k) {
			log.Fatalf("-skip: unknown step kind %q", k)
		}
		o.skip[k] = true
	}
	if o.steps < 1 || o.seeds < 1 {
		log.Fatal("-steps and -seeds must be at least 1")
	}
	killGroupsOnSignal()
	found, err := run(o)
	if err != nil {
		log.Fatal(err)
	}
	if found {
		os.Exit(1)
	}
}

func knownKind(k string) bool {
	for _, s := range stepWeights {
		if s.kind == k {
			return true
		}
	}
	return false
}

func mapsKeys[K comparable, V any](m map[K]V) iter.Seq[K] { return maps.Keys(m) }

type binaries struct {
	emulator  string
	cliConfig string
}

func run(o options) (found bool, err error) {
	root, err := repoRoot()
	if err != nil {
		return false, err
	}
	if o.terraform == "" {
		out, err := exec.Command(filepath.Join(root, "scripts", "tfcli.sh"), "terraform").Output()
		if err != nil {
			return false, fmt.Errorf("finding a Terraform CLI with scripts/tfcli.sh: %w", err)
		}
		o.terraform = strings.TrimSpace(string(out))
	}
	version, _ := exec.Command(o.terraform, "version").Output()
	cliVersion := strings.SplitN(string(version), "\n", 2)[0]

	work, err := os.MkdirTemp("", "osc-lifecyclefuzz-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(work)
	bins, err := build(root, work)
	if err != nil {
		return false, err
	}
	commit, _ := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output()
	log.Printf("%s; provider at %s; %d steps per seed", cliVersion, strings.TrimSpace(string(commit)), o.steps)

	start := time.Now()
	seeds, steps, bad := 0, 0, 0
	byCheck := map[string][]int64{} // check -> seeds that found it
	for seed := o.seed; ; seed++ {
		if o.duration > 0 {
			if time.Since(start) > o.duration {
				break
			}
		} else if seeds == o.seeds {
			break
		}
		f, err := newFuzzer(o, seed, bins)
		if err != nil {
			return found, fmt.Errorf("seed %d: %w", seed, err)
		}
		t0 := time.Now()
		err = f.run(o.steps)
		f.close()
		seeds++
		steps += len(f.steps)
		switch {
		case errors.Is(err, errFinding) || (err == nil && len(f.findings) > 0):
			found = true
			bad++
			rep := f.report()
			fmt.Print(rep)
			if o.keep {
				fmt.Printf("kept: %s\n", f.dir)
			}
			first := false
			for _, fd := range f.findings {
				byCheck[fd.Check] = append(byCheck[fd.Check], seed)
				first = first || len(byCheck[fd.Check]) == 1
			}
			// A long run meets the same bug again and again: the file gets
			// the first seed of each check, the summary below every seed.
			if o.findings != "" && first {
				if werr := appendFinding(o.findings, cliVersion, strings.TrimSpace(string(commit)), f, rep); werr != nil {
					log.Printf("writing %s: %v", o.findings, werr)
				}
			}
		case err != nil:
			// Not a finding about the provider: the fuzzer's own step
			// failed (a world action refused, a file unreadable). The seed
			// ends; the run goes on and still fails at the end.
			found = true
			fmt.Print(f.report())
			log.Printf("seed %d step %d: the fuzzer could not go on: %v", seed, f.cur, err)
			byCheck["(fuzzer error)"] = append(byCheck["(fuzzer error)"], seed)
		default:
			log.Printf("seed %d: %d steps, every check held (%s)", seed, len(f.steps), since(t0))
		}
	}
	log.Printf("%d seeds, %d steps, %d seeds with a finding, in %s", seeds, steps, bad, since(start))
	for _, check := range slices.Sorted(maps.Keys(byCheck)) {
		log.Printf("  %-32s seeds %v", check, byCheck[check])
	}
	return found, nil
}

func appendFinding(path, cli, commit string, f *fuzzer, rep string) error {
	fh, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer fh.Close()
	var checks []string
	for _, fd := range f.findings {
		checks = append(checks, fd.Check)
	}
	check := strings.Join(checks, ", ")
	_, err = fmt.Fprintf(fh, "\n## seed %d: %s (%s, %s, provider at %s)\n\n```\n%s```\n", f.seed, check, time.Now().UTC().Format("2006-01-02 15:04 MST"), cli, commit, rep)
	return err
}

func repoRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" || strings.TrimSpace(string(out)) == os.DevNull {
		return "", fmt.Errorf("run from inside the module (go env GOMOD: %v)", err)
	}
	return filepath.Dir(strings.TrimSpace(string(out))), nil
}

// build builds the provider (once, for every seed) and the emulator, and
// writes the CLI configuration that points Terraform at the provider.
func build(root, work string) (binaries, error) {
	plugins := filepath.Join(work, "plugins")
	b := binaries{emulator: filepath.Join(work, "osc-emulator"), cliConfig: filepath.Join(work, "cli.tfrc")}
	for _, c := range [][]string{
		{"go", "build", "-o", filepath.Join(plugins, "terraform-provider-osc"), "."},
		{"go", "build", "-o", b.emulator, "./cmd/osc-emulator"},
	} {
		cmd := exec.Command(c[0], c[1:]...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return b, fmt.Errorf("%s: %w\n%s", strings.Join(c, " "), err, out)
		}
	}
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"oscdl/osc\" = %q\n  }\n  direct {}\n}\n", plugins)
	return b, os.WriteFile(b.cliConfig, []byte(rc), 0o600)
}
