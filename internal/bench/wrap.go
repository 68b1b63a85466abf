//go:build linux

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
)

const (
	// envWrapReal, when set, makes this program stand in for the provider:
	// Terraform starts it from the dev_overrides directory, and it runs the
	// real provider binary named by the variable.
	envWrapReal = "OSC_BENCH_REAL_PROVIDER"
	// envMemLog names the file where each provider process's peak memory is
	// appended, one line per process.
	envMemLog = "OSC_BENCH_MEMLOG"
)

// wrapProvider runs the real provider as a child with the same arguments,
// standard streams and environment (go-plugin's handshake goes straight from
// the child to Terraform), forwards termination signals, and when the child
// ends appends its maximum resident set size, as the kernel counted it
// (getrusage of the waited-for child), to the memory log. Measuring from
// outside this way costs the provider nothing and misses no short-lived peak,
// which polling /proc could.
func wrapProvider(provider string) int {
	cmd := exec.Command(provider, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, envWrapReal+"=") {
			cmd.Env = append(cmd.Env, kv)
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
				fmt.Fprintf(f, "%d\n", ru.Maxrss) // kilobytes on Linux
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

// readMemLog returns the largest peak recorded and how many processes
// recorded one.
func readMemLog(path string) (peakKB int64, procs int) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Fields(string(b)) {
		kb, err := strconv.ParseInt(line, 10, 64)
		if err != nil {
			continue
		}
		procs++
		peakKB = max(peakKB, kb)
	}
	return peakKB, procs
}
