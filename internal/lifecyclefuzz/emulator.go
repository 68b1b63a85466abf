//go:build linux

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// emuFaults are the emulator's fault flags for one run of it.
type emuFaults struct {
	Throttle      float64
	DropResponse  float64
	Latency       time.Duration
	ConfirmExpiry time.Duration // 0 = the default
}

func (f emuFaults) String() string {
	var parts []string
	if f.Throttle > 0 {
		parts = append(parts, fmt.Sprintf("-throttle %g", f.Throttle))
	}
	if f.DropResponse > 0 {
		parts = append(parts, fmt.Sprintf("-drop-response %g", f.DropResponse))
	}
	if f.Latency > 0 {
		parts = append(parts, "-latency "+f.Latency.String())
	}
	if f.ConfirmExpiry > 0 {
		parts = append(parts, "-confirm-expiry "+f.ConfirmExpiry.String())
	}
	if len(parts) == 0 {
		return "no faults"
	}
	return strings.Join(parts, " ")
}

// emulator is the osc-emulator command, restarted on the same address with
// the same -state file, so that provider blocks stay valid across restarts.
type emulator struct {
	bin, dir, addr string
	seed           int64
	starts         int
	cmd            *exec.Cmd
	info           emuInfo
}

type emuInfo struct {
	APIEndpoint        string    `json:"api_endpoint"`
	DirectLinkEndpoint string    `json:"directlink_endpoint"`
	Region             string    `json:"region"`
	Accounts           []account `json:"accounts"`
}

const transitionDelay = 150 * time.Millisecond

func (e *emulator) start(f emuFaults) error {
	addr := e.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	e.starts++
	// Each start draws IDs from its own stream: the emulator forgets purged
	// IDs, and a restart with the same seed would hand one out again, which
	// OUTSCALE never does.
	args := []string{"-addr", addr, "-state", filepath.Join(e.dir, "emulator-state.json"),
		"-transition-delay", transitionDelay.String(), "-seed", fmt.Sprint(e.seed*1000 + int64(e.starts))}
	if f.Throttle > 0 {
		args = append(args, "-throttle", fmt.Sprint(f.Throttle))
	}
	if f.DropResponse > 0 {
		args = append(args, "-drop-response", fmt.Sprint(f.DropResponse))
	}
	if f.Latency > 0 {
		args = append(args, "-latency", f.Latency.String())
	}
	if f.ConfirmExpiry > 0 {
		args = append(args, "-confirm-expiry", f.ConfirmExpiry.String())
	}
	logf, err := os.OpenFile(filepath.Join(e.dir, "emulator.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer logf.Close()
	var lastErr error
	// The port of the previous run may take a moment to be free again.
	for attempt := 0; attempt < 50; attempt++ {
		cmd := exec.Command(e.bin, args...)
		cmd.Stderr = logf
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		out, err := cmd.StdoutPipe()
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return err
		}
		track(cmd.Process.Pid)
		line, err := bufio.NewReader(out).ReadString('\n')
		if err != nil {
			_ = cmd.Wait()
			untrack(cmd.Process.Pid)
			lastErr = fmt.Errorf("the emulator printed no first line (see %s)", filepath.Join(e.dir, "emulator.log"))
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if err := json.Unmarshal([]byte(line), &e.info); err != nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			untrack(cmd.Process.Pid)
			return fmt.Errorf("emulator first line: %w", err)
		}
		e.cmd = cmd
		e.addr = strings.TrimPrefix(strings.TrimSuffix(e.info.DirectLinkEndpoint, "/"), "http://")
		return nil
	}
	return lastErr
}

// stop ends the emulator with SIGTERM (it saves its state after every
// change, so nothing is lost) and waits for it.
func (e *emulator) stop() {
	if e.cmd == nil {
		return
	}
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = e.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
	untrack(e.cmd.Process.Pid)
	e.cmd = nil
}

func (e *emulator) restart(f emuFaults) error {
	e.stop()
	return e.start(f)
}

func (e *emulator) account(name string) account {
	for _, a := range e.info.Accounts {
		if a.Name == name {
			return a
		}
	}
	return account{Name: name}
}

// emuInterface is the emulator's own record of an interface
// (GET /_emulator/interfaces), deleted ones included.
type emuInterface struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	DirectLinkID string `json:"directlink_id"`
	VLAN         int    `json:"vlan"`
	BGPKey       string `json:"bgp_key"`
	State        string `json:"state"`
	Hosted       bool   `json:"hosted"`
	VirtualGW    string `json:"virtual_gateway_id"`
}

func (e *emulator) interfaces() ([]emuInterface, error) {
	resp, err := http.Get("http://" + e.addr + "/_emulator/interfaces")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out []emuInterface
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("reading /_emulator/interfaces: %w", err)
	}
	return out, nil
}

// client signs as the named account, for what the world does behind
// Terraform's back (deletes, rejections, acceptances, foreign creates).
func (e *emulator) client(name string) (oscapi.API, error) {
	a := e.account(name)
	return oscapi.New(context.Background(), oscapi.Config{
		AccessKey:            a.AccessKey,
		SecretKey:            a.SecretKey,
		Region:               e.info.Region,
		APIEndpoint:          e.info.APIEndpoint,
		DirectLinkEndpoint:   e.info.DirectLinkEndpoint,
		UserAgent:            "terraform-provider-osc-lifecyclefuzz",
		MaxRequestsPerSecond: 1000,
		PollMinInterval:      50 * time.Millisecond,
		DisableBatching:      true,
	})
}
