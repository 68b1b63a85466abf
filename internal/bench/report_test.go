//go:build linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oscdl/terraform-provider-osc/internal/emulator"
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

// mainResult is a main-run scenario of n interfaces at 200 ms transitions.
func mainResult(m mode, n int, apply, destroy step, batched, floor time.Duration, planCalls int) result {
	return result{
		sc:    scenario{group: groupMain, mode: m, n: n, transition: 200 * time.Millisecond, plans: true},
		apply: apply, destroy: destroy,
		plans: map[string][]step{
			planBatched: {{name: planBatched, wall: batched, calls: planCalls}},
			planFloor:   {{name: planFloor, wall: floor}},
		},
	}
}

func barsByWhat(results []result) map[string]bar {
	out := map[string]bar{}
	for _, b := range bars(results) {
		out[b.what] = b
	}
	return out
}

func TestBarsOfApplyAndDestroyAgainstTheRateFloor(t *testing.T) {
	// Floor of 500: 500 / 10 per second + 0.2 s = 50.2 s; 1.25 times is 62.75 s.
	r := mainResult(modeOwn, 500,
		step{name: "apply", wall: 62 * time.Second, calls: 550},
		step{name: "destroy", wall: 63 * time.Second, calls: 551},
		3*time.Second, 2*time.Second, 1)
	got := barsByWhat([]result{r})
	for what, want := range map[string]bar{
		"apply of 500, own mode: API calls per interface ≤ 1.1":        {measured: "1.100 (550 calls)", verdict: "met"},
		"destroy of 500, own mode: API calls per interface ≤ 1.1":      {measured: "1.102 (551 calls)", verdict: "**not met**"},
		"apply of 500, own mode: wall time ≤ 1.25 × rate floor":        {measured: "1.235 (62.00 s / 50.20 s)", verdict: "met"},
		"destroy of 500, own mode: wall time ≤ 1.25 × rate floor":      {measured: "1.255 (63.00 s / 50.20 s)", verdict: "**not met**"},
		"apply of 500, hosted mode: API calls per interface ≤ 1.1":     {verdict: notMeasured},
		"no-change plan of 500, own mode: 1 call":                      {measured: "1", verdict: "met"},
		"no-change plan of 500, own mode: wall ≤ 1.5 × -refresh=false": {measured: "1.500 (3.00 s / 2.00 s)", verdict: "met"},
	} {
		b, ok := got[what]
		if !ok {
			t.Errorf("no bar %q among %v", what, got)
			continue
		}
		if b.measured != want.measured || b.verdict != want.verdict {
			t.Errorf("%s: measured %q, %s; want %q, %s", what, b.measured, b.verdict, want.measured, want.verdict)
		}
	}
}

func TestBarsOfTheBigAccountAndMemory(t *testing.T) {
	big := func(n, calls int) result {
		return result{sc: scenario{group: groupBig, mode: modeOwn, n: n, seed: 10000},
			plans: map[string][]step{planBatched: {{calls: calls, actions: map[string]int{"ReadDirectLinkInterfaces": calls}}}}}
	}
	small := mainResult(modeOwn, 10, step{mem: memLog{peakKB: 30 * 1024, procs: 4}}, step{}, 0, 0, 1)
	large := mainResult(modeOwn, 500, step{}, step{mem: memLog{peakKB: 60 * 1024, procs: 5}}, 0, 0, 1)
	got := barsByWhat([]result{big(1, 2), big(100, 4), small, large})
	for what, want := range map[string]bar{
		"no-change plan of 1 resource(s) in the big account: ≤ 2 calls":   {measured: "2 calls (ReadDirectLinkInterfaces 2)", verdict: "met"},
		"no-change plan of 100 resource(s) in the big account: ≤ 3 calls": {measured: "4 calls (ReadDirectLinkInterfaces 4)", verdict: "**not met**"},
		"provider peak RSS at N = 500 ≤ 1.5 × at N = 10 (own mode, largest of all commands)": {
			measured: "2.00 (60.0 MiB / 30.0 MiB)", verdict: "**not met** (see where it goes, below)"},
	} {
		if b := got[what]; b.measured != want.measured || b.verdict != want.verdict {
			t.Errorf("%s: measured %q, %s; want %q, %s", what, b.measured, b.verdict, want.measured, want.verdict)
		}
	}
}

func TestLagsPairEachNoticeWithItsTransition(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 22, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	transitions := []emulator.Transition{
		{ID: "dxvif-a", From: "", To: "pending", At: at(0)},
		{ID: "dxvif-b", From: "", To: "pending", At: at(100)},
		{ID: "dxvif-a", From: "pending", To: "available", At: at(200)},
		{ID: "dxvif-b", From: "pending", To: "available", At: at(32100)},
		{ID: "dxvif-a", From: "available", To: "deleting", At: at(40000)},
		{ID: "dxvif-a", From: "deleting", To: "deleted", At: at(40200)},
	}
	notices := []notice{
		{id: "dxvif-a", from: "pending", to: "available", at: at(1000)},
		{id: "dxvif-b", from: "pending", to: "available", at: at(32500)},
		{id: "dxvif-a", from: "deleting", to: "deleted", at: at(40900)},
		{id: "dxvif-a", from: "deleted", to: "not found", at: at(41000)},
		// Never deleted, or seen before the emulator says it happened: no
		// transition to pair with.
		{id: "dxvif-b", from: "deleting", to: "not found", at: at(50000)},
		{id: "dxvif-c", from: "pending", to: "available", at: at(10)},
	}
	got, unmatched := lags(transitions, notices, 200*time.Millisecond)
	want := []lag{
		{id: "dxvif-a", to: "available", lag: 800 * time.Millisecond, intoWait: 200 * time.Millisecond},
		{id: "dxvif-b", to: "available", lag: 400 * time.Millisecond, intoWait: 32 * time.Second},
		{id: "dxvif-a", to: "deleted", lag: 700 * time.Millisecond, intoWait: 200 * time.Millisecond},
		// Purged one transition delay after it was deleted.
		{id: "dxvif-a", to: "not found", lag: 600 * time.Millisecond, intoWait: 400 * time.Millisecond},
	}
	if unmatched != 2 || len(got) != len(want) {
		t.Fatalf("lags = %+v, %d unmatched; want %+v, 2 unmatched", got, unmatched, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("lag %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if n := changesDuring(transitions, at(0), at(32100)); n != 2 {
		t.Errorf("changes during the apply = %d, want 2 (creations left out)", n)
	}
	if n := changesDuring(transitions, at(39000), at(41000)); n != 1 {
		t.Errorf("changes during the destroy = %d, want 1 (the deletion left out)", n)
	}
	if long := longWaits(got, longInto); len(long) != 1 || long[0].id != "dxvif-b" {
		t.Errorf("longWaits = %+v, want dxvif-b's only", long)
	}
}

func TestDistributionOfLags(t *testing.T) {
	var ls []lag
	for _, ms := range []int{900, 100, 300, 1200, 500} {
		ls = append(ls, lag{lag: time.Duration(ms) * time.Millisecond, intoWait: time.Duration(ms) * time.Second})
	}
	d := distributionOf(ls)
	if d.count != 5 || d.median != 500*time.Millisecond || d.worst != 1200*time.Millisecond {
		t.Errorf("count %d, median %s, max %s; want 5, 500ms, 1.2s", d.count, d.median, d.worst)
	}
	// Rank 0.9 × 4 = 3.6: 900 ms + 0.6 × (1200 − 900) ms.
	if d.p90 != 1080*time.Millisecond {
		t.Errorf("p90 = %s, want 1.08s", d.p90)
	}
	wantHist := []int{1, 1, 1, 1, 1, 0, 0, 0} // <0.25, <0.5, <0.75, <1, <1.5, <3, <10, ≥10
	for i := range wantHist {
		if d.hist[i] != wantHist[i] {
			t.Errorf("histogram = %v, want %v", d.hist, wantHist)
			break
		}
	}
	if d.minIntoWait != 100*time.Second || d.maxIntoWait != 1200*time.Second {
		t.Errorf("into the wait %s–%s, want 100s–1200s", d.minIntoWait, d.maxIntoWait)
	}
	if even := quantile([]time.Duration{time.Second, 2 * time.Second}, 0.5); even != 1500*time.Millisecond {
		t.Errorf("median of 1 s and 2 s = %s, want 1.5s", even)
	}
	if empty := distributionOf(nil); empty.count != 0 || empty.worst != 0 {
		t.Errorf("distribution of nothing = %+v", empty)
	}
}

func TestParseNoticeReadsTheProvidersTransitionLine(t *testing.T) {
	line := `{"@level":"info","@message":"DirectLink interface changed state","@module":"osc.oscapi","@timestamp":"2026-12-01T22:00:01.234567Z","elapsed_ms":1000,"from":"pending","interface_id":"dxvif-abc","to":"available"}`
	n, ok := parseNotice([]byte(line))
	want := notice{id: "dxvif-abc", from: "pending", to: "available", at: time.Date(2026, 12, 1, 22, 0, 1, 234567000, time.UTC)}
	if !ok || n != want {
		t.Errorf("parseNotice = %+v, %v; want %+v", n, ok, want)
	}
	for _, other := range []string{
		`{"@level":"info","@message":"Created DirectLink interface","@timestamp":"2026-12-01T22:00:01.234567Z","id":"dxvif-abc","state":"pending"}`,
		`{"@level":"info","@message":"Client rate lowered after throttling","@timestamp":"2026-12-01T22:00:01.234567Z","id":"limiter","from":"10","to":"5"}`,
		`not json`,
		`{"@timestamp":"yesterday","interface_id":"dxvif-abc","from":"pending","to":"available"}`,
	} {
		if n, ok := parseNotice([]byte(other)); ok {
			t.Errorf("parseNotice(%s) = %+v, want no notice", other, n)
		}
	}
}

func TestReportShowsFloorsAndPerInterfaceCalls(t *testing.T) {
	r := mainResult(modeHosted, 100,
		step{name: "apply", wall: 12 * time.Second, calls: 105, actions: map[string]int{"AllocatePrivateVirtualInterface": 100, "DescribeVirtualInterfaces": 5}},
		step{name: "destroy", wall: 11 * time.Second, calls: 104},
		time.Second, 800*time.Millisecond, 1)
	md := report(options{repeat: 1, latency: 100 * time.Millisecond}, envInfo{}, []result{r})
	for _, want := range []string{
		"| hosted, N=100 | 200ms | apply | 12.00 s | 10.20 s | 1.176 | 105 | 1.050 | AllocatePrivateVirtualInterface 100, DescribeVirtualInterfaces 5 | 0 |",
		"| hosted, N=100 | 200ms | no-change plan, batched reads | 1.00 s | 0.80 s | 1.250 | 1 | 0.010 |",
		"| hosted, N=100 | 200ms | plan -refresh=false (floor) | 0.80 s | - | - | 0 |",
		"| apply of 500, hosted mode: API calls per interface ≤ 1.1 | - | " + notMeasured + " |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks\n%s\nin\n%s", want, md)
		}
	}
}

func TestMedianAndMemLog(t *testing.T) {
	steps := []step{{wall: 3 * time.Second}, {wall: time.Second}, {wall: 2 * time.Second}}
	if got := median(steps).wall; got != 2*time.Second {
		t.Errorf("median = %v, want 2s", got)
	}
	path := filepath.Join(t.TempDir(), "mem.log")
	if err := os.WriteFile(path, []byte("31000 1000000000\n102400 500000000\n40000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if m := readMemLog(path); m.peakKB != 102400 || m.procs != 3 || m.cpu != 1500*time.Millisecond {
		t.Errorf("readMemLog = %+v, want 102400 KiB over 3 processes, 1.5 s CPU", m)
	}
}

func TestScenariosRunEveryPartOnce(t *testing.T) {
	o, err := parseOptions([]string{"-n", "10,500"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sc := range scenarios(o) {
		s := sc.label() + " at " + sc.transition.String()
		if sc.jitter > 0 {
			s += "+" + sc.jitter.String()
		}
		if sc.profile {
			s += ", profiled"
		}
		got = append(got, s)
	}
	want := []string{
		"own, N=10 at 200ms", "own, N=500 at 200ms, profiled",
		"own, N=1 beside 10000 others at 200ms", "own, N=100 beside 10000 others at 200ms",
		"own, N=100 at 2s", "hosted, N=100 at 2s",
		"own, N=20 at 32s+2s", "hosted, N=20 at 32s+2s",
		"hosted, N=10 at 200ms", "hosted, N=500 at 200ms",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("scenarios:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
