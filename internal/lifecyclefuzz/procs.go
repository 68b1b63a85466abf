//go:build linux

package main

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// The emulator and Terraform run in process groups of their own (so that a
// signal reaches Terraform and its providers together, as from a terminal);
// they would outlive the fuzzer if it were stopped, so it keeps their groups
// and kills them when it gets SIGINT or SIGTERM.
var (
	groupsMu sync.Mutex
	groups   = map[int]bool{}
)

func track(pid int)   { groupsMu.Lock(); groups[pid] = true; groupsMu.Unlock() }
func untrack(pid int) { groupsMu.Lock(); delete(groups, pid); groupsMu.Unlock() }

// killGroupsOnSignal ends every process group the fuzzer started, then the
// fuzzer, on SIGINT or SIGTERM.
func killGroupsOnSignal() {
	c := make(chan os.Signal, 1)
	signal.Notify(c, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-c
		groupsMu.Lock()
		for pid := range groups {
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		}
		groupsMu.Unlock()
		os.Exit(2)
	}()
}
