//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteSectionKeepsTheHandWrittenText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	for i, tc := range []struct {
		before, md, want string
	}{
		{"", "run 1\n", "# Benchmarks\n\n" + sectionBegin + "\nrun 1\n" + sectionEnd + "\n"},
		{"# Benchmarks\n\nMethod.\n", "run 1\n", "# Benchmarks\n\nMethod.\n\n" + sectionBegin + "\nrun 1\n" + sectionEnd + "\n"},
		{"Method.\n\n" + sectionBegin + "\nrun 1\n" + sectionEnd + "\nAfter.\n", "run 2\n", "Method.\n\n" + sectionBegin + "\nrun 2\n" + sectionEnd + "\nAfter.\n"},
	} {
		if tc.before != "" {
			if err := os.WriteFile(path, []byte(tc.before), 0o644); err != nil {
				t.Fatal(err)
			}
		} else {
			_ = os.Remove(path)
		}
		if err := writeSection(path, tc.md); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(path)
		if string(got) != tc.want {
			t.Errorf("case %d: file is\n%q\nwant\n%q", i, got, tc.want)
		}
	}
}

func TestReportJudgesTheIssuesBar(t *testing.T) {
	plan := func(name string, wall time.Duration, calls int) []step {
		return []step{{name: name, wall: wall, calls: calls}}
	}
	run := sizeRun{n: 500, plans: map[string][]step{
		planBatched:   plan(planBatched, 4*time.Second, 1),
		planUnbatched: plan(planUnbatched, 50*time.Second, 500),
		planFloor:     plan(planFloor, 3*time.Second, 0),
	}}
	md := report(options{sizes: []int{500}, repeat: 1}, envInfo{}, []sizeRun{run})
	for _, want := range []string{
		"| 500 | 1 / 500 | 0.002 (met) | 4.00 s / 50.00 s | 0.080 (met) | 4.00 s / 3.00 s | 1.333 (met) |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks\n%s\nin\n%s", want, md)
		}
	}
	run.plans[planBatched] = plan(planBatched, 5*time.Second, 1)
	if md := report(options{sizes: []int{500}, repeat: 1}, envInfo{}, []sizeRun{run}); !strings.Contains(md, "1.667 (**not met**)") {
		t.Errorf("a batched plan 1.67 times the floor is not reported as missing the bar:\n%s", md)
	}
}

func TestMedianAndMemLog(t *testing.T) {
	steps := []step{{wall: 3 * time.Second}, {wall: time.Second}, {wall: 2 * time.Second}}
	if got := median(steps).wall; got != 2*time.Second {
		t.Errorf("median = %v, want 2s", got)
	}
	path := filepath.Join(t.TempDir(), "mem.log")
	if err := os.WriteFile(path, []byte("31000\n102400\n40000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if peak, procs := readMemLog(path); peak != 102400 || procs != 3 {
		t.Errorf("readMemLog = %d KiB over %d processes, want 102400 over 3", peak, procs)
	}
}
