// Command osc-emulator serves a local OUTSCALE (the OUTSCALE API's DirectLink
// calls and the DirectLink API) for tests and demos. Its first line on stdout
// is one JSON object with the endpoints and the accounts' credentials.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/oscdl/terraform-provider-osc/internal/emulator"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "osc-emulator:", err)
		os.Exit(1)
	}
}

type config struct {
	addr  string
	clock string
	opts  emulator.Options
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("osc-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:7575", "listen address; port 0 picks a free port")
	fs.DurationVar(&c.opts.TransitionDelay, "transition-delay", 2*time.Second, "time an interface spends in each transitional state")
	fs.DurationVar(&c.opts.TransitionJitter, "transition-jitter", 0, "each pending and deleting state lasts up to this much longer than -transition-delay, drawn per transition from -seed")
	fs.DurationVar(&c.opts.ConfirmExpiry, "confirm-expiry", 168*time.Hour, "a hosted interface left confirming this long becomes expired")
	fs.Float64Var(&c.opts.Throttle, "throttle", 0, "fraction (0-1) of requests answered with the API's throttling error")
	fs.DurationVar(&c.opts.Latency, "latency", 0, "added to every response")
	fs.Float64Var(&c.opts.DropResponse, "drop-response", 0, "fraction (0-1) of mutating requests carried out whose answer is dropped")
	fs.StringVar(&c.opts.StatePath, "state", "", "JSON file: loaded at start if present, saved after every change (default: memory only)")
	fs.StringVar(&c.opts.Region, "region", "eu-west-2", "region reported to clients")
	fs.Int64Var(&c.opts.Seed, "seed", 0, "seeds interface IDs and fault draws (0: time-based)")
	fs.Float64Var(&c.opts.FailAfterCommit, "fail-after-commit", 0, "fraction (0-1) of mutating requests carried out and then answered -fail-after-commit-status with a gateway page")
	fs.IntVar(&c.opts.FailAfterCommitStatus, "fail-after-commit-status", http.StatusBadGateway, "the 5xx status of -fail-after-commit")
	fs.Float64Var(&c.opts.Fail503Plain, "fail-503-plain", 0, "fraction (0-1) of requests answered 503 with a gateway page (not throttling), nothing carried out")
	fs.IntVar(&c.opts.SeedInterfaces, "seed-interfaces", 0, "available interfaces stored at start on the owner's DirectLinks, distinct VLANs (more DirectLinks added past 4093 per DirectLink)")
	fs.BoolVar(&c.opts.SeedHosted, "seed-hosted", false, "with -seed-interfaces: every second one hosted for the recipient, on its gateway")
	fs.StringVar(&c.clock, "clock", "", "RFC 3339 time the emulator's clock starts at (then runs at real speed), e.g. to serve requests signed in the past; default: the real time")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	for name, v := range map[string]float64{"-throttle": c.opts.Throttle, "-drop-response": c.opts.DropResponse,
		"-fail-after-commit": c.opts.FailAfterCommit, "-fail-503-plain": c.opts.Fail503Plain} {
		if v < 0 || v > 1 || v != v {
			return c, fmt.Errorf("%s must be a fraction between 0 and 1, got %v", name, v)
		}
	}
	for name, v := range map[string]time.Duration{"-transition-delay": c.opts.TransitionDelay, "-confirm-expiry": c.opts.ConfirmExpiry} {
		if v <= 0 {
			return c, fmt.Errorf("%s must be positive, got %s", name, v)
		}
	}
	if c.opts.Latency < 0 {
		return c, fmt.Errorf("-latency must not be negative, got %s", c.opts.Latency)
	}
	if c.opts.TransitionJitter < 0 {
		return c, fmt.Errorf("-transition-jitter must not be negative, got %s", c.opts.TransitionJitter)
	}
	if s := c.opts.FailAfterCommitStatus; s < 500 || s > 599 {
		return c, fmt.Errorf("-fail-after-commit-status must be a 5xx status, got %d", s)
	}
	if c.opts.SeedInterfaces < 0 {
		return c, fmt.Errorf("-seed-interfaces must not be negative, got %d", c.opts.SeedInterfaces)
	}
	if c.clock != "" {
		start, err := time.Parse(time.RFC3339, c.clock)
		if err != nil {
			return c, fmt.Errorf("-clock must be an RFC 3339 time such as 2026-12-01T19:41:42Z: %w", err)
		}
		c.opts.Now = emulator.StartedClock(start)
	}
	return c, nil
}

func run(args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	emu, err := emulator.New(c.opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}

	line, err := json.Marshal(emu.Info("http://" + ln.Addr().String()))
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", line); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err = <-served:
	case <-ctx.Done():
		fmt.Fprintln(stderr, "osc-emulator: shutting down")
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = srv.Shutdown(shutdownCtx)
		cancel()
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return errors.Join(err, emu.Close())
}
