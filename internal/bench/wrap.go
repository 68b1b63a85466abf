//go:build linux

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	// envWrapReal, when set, makes this program stand in for the provider:
	// Terraform starts it from the dev_overrides directory, and it runs the
	// real provider binary named by the variable.
	envWrapReal = "OSC_BENCH_REAL_PROVIDER"
	// envMemLog names the file where each provider process's peak memory
	// and CPU time are appended, one line per process.
	envMemLog = "OSC_BENCH_MEMLOG"
	// envProviderLog names a directory that receives a copy of each
	// provider process's standard error: its tflog output, JSON lines with
	// the provider's own timestamps.
	envProviderLog = "OSC_BENCH_PROVIDER_LOG"
)

// wrapProvider runs the real provider as a child with the same arguments,
// standard streams and environment (go-plugin's handshake goes straight from
// the child to Terraform), forwards termination signals, and when the child
// ends appends its maximum resident set size and CPU time, as the kernel
// counted them (getrusage of the waited-for child), to the memory log.
// Measuring from outside this way costs the provider nothing and misses no
// short-lived peak, which polling /proc could.
func wrapProvider(provider string) int {
	cmd := exec.Command(provider, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, envWrapReal+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	if dir := os.Getenv(envProviderLog); dir != "" {
		if f, err := providerLogFile(dir); err == nil {
			defer f.Close()
			cmd.Stderr = io.MultiWriter(os.Stderr, f)
		}
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "bench wrapper: starting %s: %v\n", provider, err)
		return 1
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		for s := range sigs {
			_ = cmd.Process.Signal(s)
		}
	}()
	err := cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		if path := os.Getenv(envMemLog); path != "" {
			if f, ferr := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); ferr == nil {
				// ru_maxrss is in kilobytes on Linux.
				fmt.Fprintf(f, "%d %d\n", ru.Maxrss, ru.Utime.Nano()+ru.Stime.Nano())
				_ = f.Close()
			}
		}
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return 1
	}
	return 0
}

// providerLogFile is one file per provider process, so that the lines of
// concurrent processes never interleave.
func providerLogFile(dir string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return os.Create(filepath.Join(dir, fmt.Sprintf("%d.jsonl", os.Getpid())))
}

// memLog sums up the provider processes of one command.
type memLog struct {
	peakKB int64         // the largest maximum RSS
	procs  int           // processes that recorded one
	cpu    time.Duration // user and system time, all processes
}

func readMemLog(path string) memLog {
	var m memLog
	b, err := os.ReadFile(path)
	if err != nil {
		return m
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			continue
		}
		m.procs++
		m.peakKB = max(m.peakKB, kb)
		if len(f) > 1 {
			if ns, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				m.cpu += time.Duration(ns)
			}
		}
	}
	return m
}
