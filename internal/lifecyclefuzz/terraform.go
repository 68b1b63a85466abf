//go:build linux

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// workdir is one Terraform working directory (one state) driven with the
// real CLI and the provider binary through dev_overrides.
type workdir struct {
	name, dir, cli, cliConfig, logDir string
	runs                              int
}

// result is one CLI run: its exit code, its output (-json lines where the
// command has them) and the TRACE log it wrote.
type result struct {
	args    []string
	code    int
	out     string
	logPath string
	signal  string // "SIGINT" or "SIGKILL" when the fuzzer interrupted it
}

func (r result) String() string {
	return fmt.Sprintf("%s exited %d", strings.Join(r.args, " "), r.code)
}

// diagnostic is one diagnostic of a -json output line.
type diagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
}

type jsonLine struct {
	Type       string      `json:"type"`
	Message    string      `json:"@message"`
	Diagnostic *diagnostic `json:"diagnostic"`
	Changes    *struct {
		Add, Change, Import, Remove int
	} `json:"changes"`
	Hook *struct {
		Resource struct {
			Addr string `json:"addr"`
		} `json:"resource"`
		Action string `json:"action"`
	} `json:"hook"`
}

// lines parses the -json lines of the output; other lines are skipped.
func (r result) lines() []jsonLine {
	var out []jsonLine
	for _, l := range strings.Split(r.out, "\n") {
		if !strings.HasPrefix(l, "{") {
			continue
		}
		var j jsonLine
		if json.Unmarshal([]byte(l), &j) == nil {
			out = append(out, j)
		}
	}
	return out
}

// devOverrides is the warning every run prints because the provider comes
// from dev_overrides: it says nothing about the provider.
const devOverrides = "Provider development overrides are in effect"

func (r result) diagnostics() []diagnostic {
	var out []diagnostic
	for _, l := range r.lines() {
		if l.Diagnostic != nil && l.Diagnostic.Summary != devOverrides {
			out = append(out, *l.Diagnostic)
		}
	}
	return out
}

// text is every diagnostic's summary and detail, for the checks that look
// for a name or an ID in what the user reads.
func (r result) text() string {
	var b strings.Builder
	for _, d := range r.diagnostics() {
		fmt.Fprintf(&b, "%s: %s\n%s\n", d.Severity, d.Summary, d.Detail)
	}
	if len(r.lines()) == 0 {
		b.WriteString(r.out)
	}
	return b.String()
}

func (r result) errors() []diagnostic {
	var out []diagnostic
	for _, d := range r.diagnostics() {
		if d.Severity == "error" {
			out = append(out, d)
		}
	}
	return out
}

func (r result) changes() (add, change, remove int, ok bool) {
	for _, l := range r.lines() {
		if l.Type == "change_summary" && l.Changes != nil {
			return l.Changes.Add, l.Changes.Change, l.Changes.Remove, true
		}
	}
	return 0, 0, 0, false
}

func (w *workdir) env() []string {
	var env []string
	for _, kv := range os.Environ() {
		// The fuzzer's provider blocks say everything; a developer's own
		// OUTSCALE settings must not reach it.
		if strings.HasPrefix(kv, "OSC_") || strings.HasPrefix(kv, "TF_LOG") || strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"TF_CLI_CONFIG_FILE="+w.cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"OSC_POLL_MIN_INTERVAL=50ms",
		"TF_LOG=TRACE",
	)
}

// interrupt says when to signal a run: after its first apply_start line
// and a further delay.
type interrupt struct {
	sig   syscall.Signal
	delay time.Duration
}

// run runs the CLI; with intr, the whole process group (Terraform and its
// provider processes, as a terminal's Ctrl-C does) gets the signal once the
// apply has started one change.
func (w *workdir) run(timeout time.Duration, intr *interrupt, args ...string) (result, error) {
	w.runs++
	logPath := filepath.Join(w.logDir, fmt.Sprintf("%s-%03d-%s.log", w.name, w.runs, args[0]))
	cmd := exec.Command(w.cli, args...)
	cmd.Dir = w.dir
	cmd.Env = append(w.env(), "TF_LOG_PATH="+logPath)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var buf bytes.Buffer
	var mu sync.Mutex
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	track(cmd.Process.Pid)
	defer untrack(cmd.Process.Pid)
	started := make(chan struct{})
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		once := sync.Once{}
		for sc.Scan() {
			mu.Lock()
			buf.Write(sc.Bytes())
			buf.WriteByte('\n')
			mu.Unlock()
			if strings.Contains(sc.Text(), `"type":"apply_start"`) {
				once.Do(func() { close(started) })
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait(); pw.Close() }()

	res := result{args: args, logPath: logPath}
	var timer <-chan time.Time
	deadline := time.After(timeout)
	var err error
loop:
	for {
		select {
		case err = <-waited:
			break loop
		case <-started:
			started = nil
			if intr != nil {
				timer = time.After(intr.delay)
			}
		case <-timer:
			timer = nil
			res.signal = map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGKILL: "SIGKILL"}[intr.sig]
			_ = syscall.Kill(-cmd.Process.Pid, intr.sig)
		case <-deadline:
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			err = <-waited
			<-scanned
			return res, fmt.Errorf("%s did not end within %s:\n%s", strings.Join(args, " "), timeout, buf.String())
		}
	}
	<-scanned
	if res.signal == "SIGKILL" {
		// Provider processes may outlive a killed Terraform a moment.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	res.out = buf.String()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		res.code = exit.ExitCode()
	default:
		return res, err
	}
	return res, nil
}

func (w *workdir) write(mainTF string) error {
	return os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(mainTF), 0o600)
}

// stateFile is the part of terraform.tfstate the checks read.
type stateFile struct {
	Resources []struct {
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Instances []struct {
			IndexKey   any            `json:"index_key"`
			Status     string         `json:"status"`
			Attributes map[string]any `json:"attributes"`
		} `json:"instances"`
	} `json:"resources"`
}

// held is one resource instance of a state and the interface it holds.
type held struct {
	Address string
	Type    string
	ID      string
	Tainted bool
	UID     int // accepters: the UID in their name
}

func (w *workdir) state() ([]held, error) {
	data, err := os.ReadFile(filepath.Join(w.dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var s stateFile
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: terraform.tfstate: %w", w.name, err)
	}
	var out []held
	for _, r := range s.Resources {
		if r.Mode != "managed" {
			continue
		}
		for _, i := range r.Instances {
			addr := r.Type + "." + r.Name
			switch k := i.IndexKey.(type) {
			case float64:
				addr += fmt.Sprintf("[%d]", int(k))
			case string:
				addr += fmt.Sprintf("[%q]", k)
			}
			id, _ := i.Attributes["id"].(string)
			h := held{Address: addr, Type: r.Type, ID: id, Tainted: i.Status == "tainted"}
			fmt.Sscanf(r.Name, "acc_%d", &h.UID)
			out = append(out, h)
		}
	}
	return out, nil
}

func randDelay(rng *rand.Rand, max time.Duration) time.Duration {
	return time.Duration(rng.Int64N(int64(max)))
}
