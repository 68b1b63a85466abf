//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/oscdl/terraform-provider-osc/internal/emulator"
)

// notice is the provider seeing an interface in a new state while it waits,
// as its INFO log says (a line with the interface's ID, from and to).
type notice struct {
	id, from, to string
	at           time.Time
}

// readNotices collects the state changes logged in the provider logs of dir
// (see envProviderLog): tflog's JSON lines, dated by the provider's clock,
// which is the emulator's too (same machine).
func readNotices(dir string) ([]notice, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, err
	}
	var out []notice
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
		for sc.Scan() {
			if n, ok := parseNotice(sc.Bytes()); ok {
				out = append(out, n)
			}
		}
		err = sc.Err()
		_ = f.Close()
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b notice) int { return a.at.Compare(b.at) })
	return out, nil
}

func parseNotice(line []byte) (notice, bool) {
	var l struct {
		Timestamp   string `json:"@timestamp"`
		InterfaceID string `json:"interface_id"`
		ID          string `json:"id"`
		From        string `json:"from"`
		To          string `json:"to"`
	}
	if json.Unmarshal(line, &l) != nil || l.To == "" || l.From == "" {
		return notice{}, false
	}
	at, err := time.Parse(time.RFC3339Nano, l.Timestamp)
	if err != nil {
		return notice{}, false
	}
	id := l.InterfaceID
	if id == "" {
		id = l.ID
	}
	if !strings.HasPrefix(id, "dxvif-") {
		return notice{}, false
	}
	return notice{id: id, from: l.From, to: l.To, at: at}, true
}

// lag is how long after a transition happened in the emulator the provider
// noticed it, and how far into the wait it came: since the transition that
// the provider's own call caused (the creation, the deletion or the
// confirmation of the interface).
type lag struct {
	id, to   string
	lag      time.Duration
	intoWait time.Duration
}

// lags pairs each notice with the emulator's transition of the same
// interface into the same state: the last one that happened before the
// notice. The emulator does not record the purge of a deleted interface,
// which the provider sees as "not found": it comes purgeAfter the deletion
// (one transition delay). unmatched counts the notices left unpaired.
func lags(transitions []emulator.Transition, notices []notice, purgeAfter time.Duration) (out []lag, unmatched int) {
	byID := map[string][]emulator.Transition{}
	for _, t := range transitions {
		byID[t.ID] = append(byID[t.ID], t)
		if t.To == stateDeleted {
			byID[t.ID] = append(byID[t.ID], emulator.Transition{ID: t.ID, From: stateDeleted, To: stateGone, At: t.At.Add(purgeAfter)})
		}
	}
	for _, n := range notices {
		ts := byID[n.id]
		k := -1
		for i, t := range ts {
			if t.To == n.to && !t.At.After(n.at) {
				k = i
			}
		}
		if k < 0 {
			unmatched++
			continue
		}
		out = append(out, lag{id: n.id, to: n.to, lag: n.at.Sub(ts[k].At), intoWait: ts[k].At.Sub(waitStart(ts[:k+1]))})
	}
	return out, unmatched
}

// changesDuring counts the transitions between from and to that a wait
// could notice: the ones no call caused.
func changesDuring(transitions []emulator.Transition, from, to time.Time) int {
	n := 0
	for _, t := range transitions {
		if !causedByCall(t) && !t.At.Before(from) && !t.At.After(to) {
			n++
		}
	}
	return n
}

// Names of states as the provider logs them.
const (
	stateDeleted = "deleted"
	stateGone    = "not found"
)

// waitStart is when the wait that saw the last of ts began: the last
// transition a provider call caused.
func waitStart(ts []emulator.Transition) time.Time {
	for i := len(ts) - 1; i >= 0; i-- {
		if causedByCall(ts[i]) {
			return ts[i].At
		}
	}
	return ts[0].At
}

// causedByCall tells the transitions that an API call makes (creation,
// deletion, confirmation) from those the state machine makes on its own.
func causedByCall(t emulator.Transition) bool {
	return t.From == "" || t.To == "deleting" || t.From == "confirming" && t.To == "pending"
}

// lagBuckets are the upper bounds of the histogram's bins; the last bin is
// open.
var lagBuckets = []time.Duration{
	250 * time.Millisecond, 500 * time.Millisecond, 750 * time.Millisecond, time.Second,
	1500 * time.Millisecond, 3 * time.Second, 10 * time.Second,
}

// distribution summarises lags.
type distribution struct {
	count                    int
	median, p90, worst       time.Duration
	hist                     []int // len(lagBuckets)+1
	minIntoWait, maxIntoWait time.Duration
}

func distributionOf(ls []lag) distribution {
	d := distribution{count: len(ls), hist: make([]int, len(lagBuckets)+1)}
	if len(ls) == 0 {
		return d
	}
	v := make([]time.Duration, len(ls))
	d.minIntoWait = ls[0].intoWait
	for i, l := range ls {
		v[i] = l.lag
		d.hist[bucketOf(l.lag)]++
		d.minIntoWait, d.maxIntoWait = min(d.minIntoWait, l.intoWait), max(d.maxIntoWait, l.intoWait)
	}
	slices.Sort(v)
	d.median = quantile(v, 0.5)
	d.p90 = quantile(v, 0.9)
	d.worst = v[len(v)-1]
	return d
}

func bucketOf(l time.Duration) int {
	for i, b := range lagBuckets {
		if l < b {
			return i
		}
	}
	return len(lagBuckets)
}

// quantile of sorted values, by linear interpolation between the two
// nearest ranks (so the median of an even count is the mean of the middle
// two).
func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	frac := pos - float64(i)
	return sorted[i] + time.Duration(frac*float64(sorted[i+1]-sorted[i]))
}

// longWaits keeps the lags of transitions that came at least d into a wait.
func longWaits(ls []lag, d time.Duration) []lag {
	var out []lag
	for _, l := range ls {
		if l.intoWait >= d {
			out = append(out, l)
		}
	}
	return out
}
