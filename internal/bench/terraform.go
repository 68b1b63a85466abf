//go:build linux

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// step is one Terraform command's measurements.
type step struct {
	name      string
	wall      time.Duration
	start     time.Time
	calls     int
	throttled int
	actions   map[string]int
	mem       memLog // the provider processes the command started
	cpu       time.Duration
	logs      string // directory of the provider's own logs, when asked for
	profiles  string // directory of the provider's profiles, when asked for
}

// stepOptions asks for more than the timing of one command.
type stepOptions struct {
	env      []string
	logs     bool // the provider's INFO log, for the lag of its transitions
	profiles bool // the provider's CPU and heap profiles (slows it down a little)
}

type tfRunner struct {
	bin     string
	dir     string
	env     []string
	timeout time.Duration
	emu     *emulatorProc
	seq     int
}

func (t *tfRunner) run(name string, so stepOptions, args ...string) (step, error) {
	t.seq++
	s := step{name: name}
	prefix := filepath.Join(t.dir, fmt.Sprintf("%02d-%s", t.seq, args[0]))
	logFile, err := os.Create(prefix + ".log")
	if err != nil {
		return s, err
	}
	defer logFile.Close()
	env := append(append(baseEnv(), t.env...), so.env...)
	env = append(env, envMemLog+"="+prefix+".mem")
	if so.logs {
		s.logs = prefix + ".provider"
		env = append(env, envProviderLog+"="+s.logs, "TF_LOG_PROVIDER=INFO")
	}
	if so.profiles {
		s.profiles = prefix + ".pprof"
		env = append(env, "OSC_PROVIDER_PROFILE_DIR="+s.profiles)
	}

	before, err := t.emu.stats()
	if err != nil {
		return s, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), t.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, t.bin, args...)
	cmd.Dir = t.dir
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	s.start = time.Now()
	err = cmd.Run()
	s.wall = time.Since(s.start)
	if err != nil {
		return s, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, tail(logFile.Name(), 40))
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
	s.mem = readMemLog(prefix + ".mem")
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		// Terraform's usage includes its waited-for children: the providers.
		s.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
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

// baseEnv is the caller's environment without OSC_ and TF_ settings, so that
// a developer's own profile, endpoints or log levels never leak into the
// measurements.
func baseEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OSC_") && !strings.HasPrefix(kv, "TF_") {
			env = append(env, kv)
		}
	}
	return env
}
