package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// envProfileDir is hidden on purpose (no documentation, no schema): `make
// bench` sets it to see where the provider's memory and CPU go. Unset, the
// provider does nothing more than without this file.
const envProfileDir = "OSC_PROVIDER_PROFILE_DIR"

// The plugin process has no exit hook (go-plugin ends it by returning from
// Serve, or by killing it), so profiles are written as the process runs:
// CPU in short consecutive chunks that `go tool pprof` merges, the heap each
// time it reaches a new peak, which is the moment that matters for peak RSS.
const (
	cpuChunk       = 200 * time.Millisecond
	heapSample     = 50 * time.Millisecond
	heapNewPeak    = 1.05 // rewrite the heap profile when the heap grows 5% past the last one written
	heapMetric     = "/memory/classes/heap/objects:bytes"
	totalMetric    = "/memory/classes/total:bytes"
	releasedMetric = "/memory/classes/heap/released:bytes"
)

func init() {
	dir := os.Getenv(envProfileDir)
	if dir == "" {
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	prefix := filepath.Join(dir, fmt.Sprintf("%d", os.Getpid()))
	go profileCPU(prefix)
	go profileHeap(prefix)
}

func profileCPU(prefix string) {
	for k := 0; ; k++ {
		f, err := os.Create(fmt.Sprintf("%s-cpu-%04d.pprof", prefix, k))
		if err != nil {
			return
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			_ = f.Close()
			return
		}
		time.Sleep(cpuChunk)
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}

// profileHeap writes PREFIX-heap.pprof at each new peak of the heap's
// objects, and PREFIX-heap.txt with the peak sizes the runtime counted
// (objects, and everything the Go runtime holds from the OS less what it
// gave back), so that RSS can be split into heap and the rest.
func profileHeap(prefix string) {
	samples := []metrics.Sample{{Name: heapMetric}, {Name: totalMetric}, {Name: releasedMetric}}
	var written, peakHeap, peakMapped uint64
	for {
		metrics.Read(samples)
		heap := samples[0].Value.Uint64()
		mapped := samples[1].Value.Uint64() - samples[2].Value.Uint64()
		grew := heap > peakHeap || mapped > peakMapped
		peakHeap, peakMapped = max(peakHeap, heap), max(peakMapped, mapped)
		if float64(heap) > float64(written)*heapNewPeak {
			written = heap
			writeHeapProfile(prefix)
		}
		if grew {
			_ = os.WriteFile(prefix+"-heap.txt", []byte(fmt.Sprintf("heap_objects_bytes %d\nruntime_mapped_bytes %d\n", peakHeap, peakMapped)), 0o644)
		}
		time.Sleep(heapSample)
	}
}

func writeHeapProfile(prefix string) {
	tmp := prefix + "-heap.tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return
	}
	err = pprof.Lookup("heap").WriteTo(f, 0)
	if cerr := f.Close(); err != nil || cerr != nil {
		return
	}
	_ = os.Rename(tmp, prefix+"-heap.pprof")
}
