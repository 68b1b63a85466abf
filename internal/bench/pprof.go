//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// profileSummary is what the provider's profiles of one command say (see
// profile.go at the repository root, which writes them).
type profileSummary struct {
	cpuFlat, cpuCum string // go tool pprof -top, all processes merged
	heapTop         string // inuse_space of the process whose heap peaked highest
	heapObjects     int64  // that process's peak of heap objects, bytes
	runtimeMapped   int64  // and of all memory the Go runtime held, bytes
}

func summarizeProfiles(dir string) (*profileSummary, error) {
	cpu, err := filepath.Glob(filepath.Join(dir, "*-cpu-*.pprof"))
	if err != nil {
		return nil, err
	}
	// A process ended while a chunk was open leaves it empty.
	var chunks []string
	for _, f := range cpu {
		if st, err := os.Stat(f); err == nil && st.Size() > 0 {
			chunks = append(chunks, f)
		}
	}
	p := &profileSummary{}
	if len(chunks) > 0 {
		if p.cpuFlat, err = pprofTop(append([]string{"-nodecount=12"}, chunks...)...); err != nil {
			return nil, err
		}
		if p.cpuCum, err = pprofTop(append([]string{"-cum", "-nodecount=25"}, chunks...)...); err != nil {
			return nil, err
		}
	}
	txts, err := filepath.Glob(filepath.Join(dir, "*-heap.txt"))
	if err != nil {
		return nil, err
	}
	best := ""
	for _, t := range txts {
		objects, mapped := readHeapPeaks(t)
		if objects > p.heapObjects {
			p.heapObjects, p.runtimeMapped, best = objects, mapped, strings.TrimSuffix(t, ".txt")+".pprof"
		}
	}
	if best != "" {
		if p.heapTop, err = pprofTop("-sample_index=inuse_space", "-nodecount=15", best); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func readHeapPeaks(path string) (objects, mapped int64) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		switch k {
		case "heap_objects_bytes":
			objects = n
		case "runtime_mapped_bytes":
			mapped = n
		}
	}
	return objects, mapped
}

// pprofTop runs go tool pprof -top and keeps the table and its totals,
// without the lines naming files and build IDs of this machine.
func pprofTop(args ...string) (string, error) {
	out, err := exec.Command("go", append([]string{"tool", "pprof", "-top"}, args...)...).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go tool pprof -top %s: %w\n%s", strings.Join(args, " "), err, out)
	}
	var keep []string
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if strings.HasPrefix(line, "File:") || strings.HasPrefix(line, "Build ID:") || strings.HasPrefix(line, "Time:") {
			continue
		}
		keep = append(keep, line)
	}
	return strings.Join(keep, "\n"), nil
}
