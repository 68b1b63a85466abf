//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/oscdl/terraform-provider-osc/internal/emulator"
)

// emulatorProc is an osc-emulator process, started for one scenario so that
// its counters and transitions are that scenario's alone.
type emulatorProc struct {
	cmd  *exec.Cmd
	info emulator.Info
	base string
}

func startEmulator(bin, dir string, transition, jitter, latency time.Duration, seed int) (*emulatorProc, error) {
	logFile, err := os.Create(filepath.Join(dir, "emulator.log"))
	if err != nil {
		return nil, err
	}
	args := []string{
		"-addr", "127.0.0.1:0",
		"-latency", latency.String(),
		"-transition-delay", transition.String(),
		"-transition-jitter", jitter.String(),
	}
	if seed > 0 {
		args = append(args, "-seed-interfaces", strconv.Itoa(seed))
	}
	cmd := exec.Command(bin, args...)
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	e := &emulatorProc{cmd: cmd}
	first, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		e.stop()
		return nil, fmt.Errorf("reading the emulator's first line (%s): %w\n%s", strings.Join(args, " "), err, tail(logFile.Name(), 10))
	}
	go func() { _, _ = io.Copy(logFile, stdout) }()
	if err := json.Unmarshal([]byte(first), &e.info); err != nil {
		e.stop()
		return nil, fmt.Errorf("the emulator's first line %q: %w", first, err)
	}
	e.base = strings.TrimSuffix(e.info.DirectLinkEndpoint, "/")
	return e, nil
}

func (e *emulatorProc) account(name string) (emulator.Account, error) {
	for _, a := range e.info.Accounts {
		if a.Name == name {
			return a, nil
		}
	}
	return emulator.Account{}, fmt.Errorf("the emulator has no account %q", name)
}

func (e *emulatorProc) stats() (emulator.Stats, error) {
	var s emulator.Stats
	return s, e.get("/_emulator/stats", &s)
}

func (e *emulatorProc) transitions() ([]emulator.Transition, error) {
	var t []emulator.Transition
	return t, e.get("/_emulator/transitions", &t)
}

func (e *emulatorProc) get(path string, into any) error {
	resp, err := http.Get(e.base + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(into)
}

func (e *emulatorProc) stop() {
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
