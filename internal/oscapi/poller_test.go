package oscapi

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is virtual time for the poller: timers fire only when the test
// advances the clock.
type fakeClock struct {
	mu     sync.Mutex
	cond   *sync.Cond
	now    time.Time
	timers []fakeTimer
}

type fakeTimer struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	f := &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	f.cond = sync.NewCond(&f.mu)
	return f
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) After(d time.Duration) <-chan time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- f.now
		return ch
	}
	f.timers = append(f.timers, fakeTimer{at: f.now.Add(d), ch: ch})
	f.cond.Broadcast()
	return ch
}

// advance moves time on by d and fires the timers due.
func (f *fakeClock) advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	kept := f.timers[:0]
	for _, t := range f.timers {
		if t.at.After(f.now) {
			kept = append(kept, t)
			continue
		}
		t.ch <- f.now
	}
	f.timers = kept
}

// nextTimer is when the earliest pending timer fires.
func (f *fakeClock) nextTimer() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	var next time.Time
	for _, t := range f.timers {
		if next.IsZero() || t.at.Before(next) {
			next = t.at
		}
	}
	return next
}

// awaitTimer blocks until a timer is pending: the poller has finished its
// tick and waits for the next one.
func (f *fakeClock) awaitTimer(t *testing.T) {
	t.Helper()
	stop := time.AfterFunc(10*time.Second, func() { f.mu.Lock(); f.cond.Broadcast(); f.mu.Unlock() })
	defer stop.Stop()
	deadline := time.Now().Add(10 * time.Second)
	f.mu.Lock()
	defer f.mu.Unlock()
	for len(f.timers) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the poller never waited for its next tick")
		}
		f.cond.Wait()
	}
}

// newTestPoller is a poller whose ticks are not spread: every interval is
// the tick, so that tests can name the instants of its calls.
func newTestPoller(c *Client, clk clock, tick time.Duration) *poller {
	p := newPoller(c, clk, tick)
	p.spread = func() float64 { return 0 }
	return p
}

func (p *poller) waiting() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.watchers)
}

// awaitWaits blocks until n waits are seated at the poller.
func awaitWaits(t *testing.T, p *poller, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); p.waiting() != n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d waits seated, want %d", p.waiting(), n)
		}
	}
}

// The poll schedule, in virtual time: one call per tick for every wait,
// filtered on their IDs; a steady 1 s tick however long a wait lasts (no
// backoff: a state reached after 30 s is seen within a second); a wait
// joining mid-way costs nothing of its own; no call when nothing waits.
func TestPollSchedule(t *testing.T) {
	clk := newFakeClock()
	start := clk.Now()
	var (
		mu     sync.Mutex
		states = map[string]string{"dxvif-0000000a": StatePending, "dxvif-0000000b": StatePending}
		calls  []string
	)
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		ids := filteredIDs(body)
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, fmt.Sprintf("%.2fs %s", clk.Now().Sub(start).Seconds(), strings.Join(ids, ",")))
		var out []any
		for _, id := range ids {
			out = append(out, map[string]any{"DirectLinkInterfaceId": id, "State": states[id]})
		}
		return oscOK(map[string]any{"DirectLinkInterfaces": out})
	})
	c := newTestClient(t, f.config())
	c.poller = newTestPoller(c, clk, 5*time.Second) // above the cap: ticks stay at 1 s
	set := func(id, state string) { mu.Lock(); states[id] = state; mu.Unlock() }
	wait := func(id string) chan error {
		done := make(chan error, 1)
		go func() {
			_, err := c.WaitInterface(context.Background(), id, WaitOptions{Target: []string{StateAvailable}, Pending: []string{StatePending}})
			done <- err
		}()
		return done
	}

	doneA := wait("dxvif-0000000a")
	awaitWaits(t, c.poller, 1)
	clk.awaitTimer(t)
	clk.advance(coalesceWindow) // 0.02 s: the first poll
	clk.awaitTimer(t)
	doneB := wait("dxvif-0000000b")
	awaitWaits(t, c.poller, 2)
	clk.advance(500 * time.Millisecond) // 0.52 s: no tick yet, B waits for the shared one
	set("dxvif-0000000a", StateAvailable)
	clk.advance(500 * time.Millisecond) // 1.02 s: A and B in one call
	if err := <-doneA; err != nil {
		t.Fatalf("wait A: %v", err)
	}
	awaitWaits(t, c.poller, 1)
	clk.awaitTimer(t)
	for i := 2; i <= 31; i++ { // B stays pending for 30 s more
		if i == 31 {
			set("dxvif-0000000b", StateAvailable)
		}
		clk.advance(time.Second)
		clk.awaitTimer(t)
	}
	if err := <-doneB; err != nil {
		t.Fatalf("wait B: %v", err)
	}
	awaitWaits(t, c.poller, 0)
	clk.advance(time.Minute) // idle: nothing is sent

	want := []string{"0.02s dxvif-0000000a", "1.02s dxvif-0000000a,dxvif-0000000b"}
	for i := 2; i <= 31; i++ {
		want = append(want, fmt.Sprintf("%d.02s dxvif-0000000b", i))
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(calls, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(calls, "\n"), strings.Join(want, "\n"))
	}
}

// The ticks are spread, never longer than the tick: with the spread drawn at
// 0, 0.5 and 0.75, the intervals are 1 s, 0.9 s and 0.85 s; a poller that
// went idle resumes at the tick it had drawn (not one whole tick after the
// last, nor at once).
func TestPollTicksAreSpreadBelowTheTick(t *testing.T) {
	clk := newFakeClock()
	start := clk.Now()
	var (
		mu    sync.Mutex
		calls []string
		state = StatePending
	)
	setState := func(s string) { mu.Lock(); state = s; mu.Unlock() }
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		mu.Lock()
		defer mu.Unlock()
		calls = append(calls, fmt.Sprintf("%.2fs", clk.Now().Sub(start).Seconds()))
		return oscOK(map[string]any{"DirectLinkInterfaces": []any{map[string]any{"DirectLinkInterfaceId": filteredIDs(body)[0], "State": state}}})
	})
	c := newTestClient(t, f.config())
	c.poller = newPoller(c, clk, time.Second)
	draws := []float64{0, 0.5, 0.75, 0.5, 0}
	c.poller.spread = func() float64 { d := draws[0]; draws = draws[1:]; return d }
	wait := func() chan error {
		done := make(chan error, 1)
		go func() {
			_, err := c.WaitInterface(context.Background(), "dxvif-0000000a", WaitOptions{Target: []string{StateAvailable}, Pending: []string{StatePending}})
			done <- err
		}()
		awaitWaits(t, c.poller, 1)
		clk.awaitTimer(t)
		return done
	}
	dueAt := func(want time.Duration, why string) {
		t.Helper()
		if at := clk.nextTimer().Sub(start); at != want {
			t.Fatalf("next poll due at %.3fs, want %.3fs (%s)", at.Seconds(), want.Seconds(), why)
		}
	}

	done := wait()
	clk.advance(coalesceWindow) // 0.02 s: the first poll, draws 0
	clk.awaitTimer(t)
	dueAt(1020*time.Millisecond, "an interval of 1 s")
	clk.advance(time.Second) // 1.02 s, draws 0.5
	clk.awaitTimer(t)
	dueAt(1920*time.Millisecond, "0.9 s")
	clk.advance(900 * time.Millisecond) // 1.92 s, draws 0.75
	clk.awaitTimer(t)
	dueAt(2770*time.Millisecond, "0.85 s")
	setState(StateAvailable)
	clk.advance(850 * time.Millisecond) // 2.77 s: seen; draws 0.5, next due 3.67 s
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	awaitWaits(t, c.poller, 0)
	clk.advance(100 * time.Millisecond) // 2.87 s: idle
	setState(StatePending)
	done = wait()
	dueAt(3670*time.Millisecond, "the tick drawn at 2.77 s")
	setState(StateAvailable)
	clk.advance(800 * time.Millisecond) // 3.67 s
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := "0.02s 1.02s 1.92s 2.77s 3.67s"; strings.Join(calls, " ") != want {
		t.Errorf("polls at %s, want %s", strings.Join(calls, " "), want)
	}
}

// However many interfaces wait, a tick costs one call per page of IDs.
func TestPollerReadsAThousandIDsACall(t *testing.T) {
	var (
		mu    sync.Mutex
		sizes []int
	)
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		ids := filteredIDs(body)
		mu.Lock()
		sizes = append(sizes, len(ids))
		mu.Unlock()
		return oscListOK()
	})
	clk := newFakeClock()
	c := newTestClient(t, f.config())
	c.poller = newTestPoller(c, clk, time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := 0; i < 1500; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = c.WaitInterface(ctx, fmt.Sprintf("dxvif-%08x", i), WaitOptions{Target: []string{StateAvailable}, NotFoundIsTarget: true})
		}()
	}
	awaitWaits(t, c.poller, 1500)
	clk.awaitTimer(t)
	clk.advance(coalesceWindow)
	wg.Wait() // every wait saw its interface gone
	cancel()
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(sizes) != "[1000 500]" {
		t.Errorf("IDs per call = %v, want [1000 500]: one tick, one call per page", sizes)
	}
}

// An apply's creates cost one call each, and their waits share the ticks:
// twenty creates and waits, one poll.
func TestCreatesAndTheirWaitsCostOneCallEach(t *testing.T) {
	var next atomic.Int64
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		if action == "CreateDirectLinkInterface" {
			id := fmt.Sprintf("dxvif-%08x", next.Add(1))
			return oscOK(map[string]any{"DirectLinkInterface": map[string]any{"DirectLinkInterfaceId": id, "State": StatePending}})
		}
		ids := filteredIDs(body)
		var out []any
		for _, id := range ids {
			out = append(out, map[string]any{"DirectLinkInterfaceId": id, "State": StateAvailable})
		}
		return oscOK(map[string]any{"DirectLinkInterfaces": out})
	})
	clk := newFakeClock()
	c := newTestClient(t, f.config())
	c.poller = newTestPoller(c, clk, time.Second)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := ownCreate
			in.VLAN = int64(100 + i)
			it, err := c.CreateInterface(context.Background(), in)
			if err == nil {
				_, err = c.WaitInterface(context.Background(), it.ID, WaitOptions{Target: []string{StateAvailable}, Pending: []string{StatePending}})
			}
			if err != nil {
				t.Error(err)
			}
		}()
	}
	awaitWaits(t, c.poller, 20)
	clk.awaitTimer(t)
	clk.advance(coalesceWindow)
	wg.Wait()
	if cr, rd := f.count("CreateDirectLinkInterface"), f.count("ReadDirectLinkInterfaces"); cr != 20 || rd != 1 {
		t.Errorf("20 creates and waits cost %d creates and %d reads, want 20 and 1", cr, rd)
	}
}

// A poller that went idle between two waits (an apply's creates, one wait
// ending before the next begins) resumes its cadence: the next wait's first
// poll comes one tick after the last poll, not at once, so waits that follow
// each other cost no more than one call a tick. After a longer idle spell
// the first poll comes at once (after the coalescing window).
func TestPollCadenceSurvivesIdleSpells(t *testing.T) {
	clk := newFakeClock()
	start := clk.Now()
	var (
		mu    sync.Mutex
		calls []string
	)
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		ids := filteredIDs(body)
		mu.Lock()
		calls = append(calls, fmt.Sprintf("%.2fs %s", clk.Now().Sub(start).Seconds(), strings.Join(ids, ",")))
		mu.Unlock()
		var out []any
		for _, id := range ids {
			out = append(out, map[string]any{"DirectLinkInterfaceId": id, "State": StateAvailable})
		}
		return oscOK(map[string]any{"DirectLinkInterfaces": out})
	})
	c := newTestClient(t, f.config())
	c.poller = newTestPoller(c, clk, time.Second)
	wait := func(id string) chan error {
		done := make(chan error, 1)
		go func() {
			_, err := c.WaitInterface(context.Background(), id, WaitOptions{Target: []string{StateAvailable}, Pending: []string{StatePending}})
			done <- err
		}()
		awaitWaits(t, c.poller, 1)
		clk.awaitTimer(t)
		return done
	}
	ends := func(done chan error) {
		t.Helper()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		awaitWaits(t, c.poller, 0)
	}

	a := wait("dxvif-0000000a")
	clk.advance(coalesceWindow) // 0.02 s
	ends(a)
	clk.advance(280 * time.Millisecond) // 0.30 s: idle
	b := wait("dxvif-0000000b")
	if at := clk.nextTimer().Sub(start); at != 1020*time.Millisecond {
		t.Errorf("after an idle spell of 0.28 s, the next poll is due at %.2fs, want 1.02s (one tick after the last)", at.Seconds())
	}
	clk.advance(720 * time.Millisecond) // 1.02 s
	ends(b)
	clk.advance(5 * time.Second) // 6.02 s: idle for longer than a tick
	d := wait("dxvif-0000000d")
	clk.advance(coalesceWindow) // 6.04 s
	ends(d)

	want := []string{"0.02s dxvif-0000000a", "1.02s dxvif-0000000b", "6.04s dxvif-0000000d"}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(calls, "\n") != strings.Join(want, "\n") {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(calls, "\n"), strings.Join(want, "\n"))
	}
}
