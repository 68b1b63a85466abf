package oscapi

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// maxPollTick caps the poller's tick: a transition is noticed at most one
// tick after it happens, however long the wait has lasted (no backoff).
const maxPollTick = time.Second

// pollJitter spreads the ticks: each interval is drawn uniformly between
// (1 - pollJitter) × tick and the tick, so the tick stays the longest a
// transition waits to be seen. A fixed interval locks onto the rhythm of
// an apply (its creates start when a poll frees Terraform's slots, so
// their transitions come at one phase of the tick, the same every time);
// a drawn one meets a transition at a random phase, about half an
// interval late on average.
const pollJitter = 0.2

// poller is the one poll loop of a client: every interface being waited on
// is read by one ReadDirectLinkInterfaces filtered on all their IDs (one
// call per pageSize IDs) per tick, however many waits run, and nothing is
// sent when nothing waits. A wait costs no call of its own.
//
// Freshness: a wait gets the results of a call sent after it began (a call
// under way when it began does not count), so no poll answers with a state
// older than the wait.
type poller struct {
	c      *Client
	clock  clock
	tick   time.Duration  // the longest interval between two ticks
	spread func() float64 // in [0, 1): where in its range an interval falls

	mu       sync.Mutex
	watchers map[*watcher]struct{}
	stop     context.CancelFunc // of the running loop; nil when idle
	stopped  chan struct{}      // closed when the running loop has returned
	nextTick time.Time          // when the next tick is due, kept while idle
}

// watcher is one wait's seat at the poller; results holds the latest
// result not yet taken (a wait only needs the newest state).
type watcher struct {
	id      string
	results chan pollResult
}

type pollResult struct {
	it  *Interface // nil: not found
	err error      // the tick's call failed
}

func newPoller(c *Client, clk clock, tick time.Duration) *poller {
	return &poller{c: c, clock: clk, tick: min(tick, maxPollTick), spread: rand.Float64, watchers: map[*watcher]struct{}{}}
}

// interval draws the time from one tick's start to the next's.
func (p *poller) interval() time.Duration {
	return p.tick - time.Duration(float64(p.tick)*pollJitter*p.spread())
}

// watch seats a wait for id; the loop starts if it was idle. ctx lends its
// values (logging) to the loop's calls, not its cancellation.
func (p *poller) watch(ctx context.Context, id string) *watcher {
	w := &watcher{id: id, results: make(chan pollResult, 1)}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.watchers[w] = struct{}{}
	if p.stop == nil {
		// Its calls go first at the rate limiter (see adaptiveLimiter).
		lctx, stop := context.WithCancel(inLane(context.WithoutCancel(ctx), laneFirst))
		p.stop, p.stopped = stop, make(chan struct{})
		// The first tick comes after the coalescing window, so that waits
		// starting together (an apply's creates) share it, and no sooner
		// than the tick that was due next: a loop that went idle between
		// two creates of an apply resumes its cadence instead of adding a
		// call.
		first := coalesceWindow
		if !p.nextTick.IsZero() {
			first = max(first, p.nextTick.Sub(p.clock.Now()))
		}
		go p.loop(lctx, first, p.stopped)
	}
	return w
}

// unwatch removes a wait; the last one stops the loop, cancelling a call
// under way that nobody waits for any more, and returns once the loop has
// (nothing is sent or logged for a wait that is over).
func (p *poller) unwatch(w *watcher) {
	p.mu.Lock()
	delete(p.watchers, w)
	var stopped chan struct{}
	if len(p.watchers) == 0 && p.stop != nil {
		p.stop()
		p.stop, stopped = nil, p.stopped
	}
	p.mu.Unlock()
	if stopped != nil {
		<-stopped
	}
}

func (p *poller) loop(ctx context.Context, first time.Duration, stopped chan struct{}) {
	defer close(stopped)
	next := p.clock.Now().Add(first)
	for {
		select {
		case <-p.clock.After(next.Sub(p.clock.Now())):
		case <-ctx.Done():
			return
		}
		ws, due := p.seated(ctx)
		if ws == nil {
			return
		}
		p.poll(ctx, ws)
		// Ticks keep their cadence from their start; a tick whose call took
		// longer than the interval is followed at once.
		next = due
		if now := p.clock.Now(); now.After(next) {
			next = now
		}
	}
}

// seated returns the waits of the tick starting now (nil when the loop was
// stopped) and when the next one is due.
func (p *poller) seated(ctx context.Context) ([]*watcher, time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ctx.Err() != nil {
		return nil, time.Time{}
	}
	p.nextTick = p.clock.Now().Add(p.interval())
	ws := make([]*watcher, 0, len(p.watchers))
	for w := range p.watchers {
		ws = append(ws, w)
	}
	return ws, p.nextTick
}

// poll reads the interfaces of ws, pageSize IDs a call, and hands each wait
// its result.
func (p *poller) poll(ctx context.Context, ws []*watcher) {
	var ids []string
	for _, w := range ws {
		ids = append(ids, w.id)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	found := make(map[string]Interface, len(ids))
	var err error
	for chunk := range slices.Chunk(ids, pageSize) {
		var list []Interface
		if list, err = p.c.listAPI(ctx, InterfaceFilter{InterfaceIDs: chunk}); err != nil {
			break
		}
		for _, it := range list {
			found[it.ID] = it
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if ctx.Err() != nil {
		return // stopped: nobody of this tick waits any more
	}
	for _, w := range ws {
		r := pollResult{err: err}
		if it, ok := found[w.id]; ok && err == nil {
			r.it = &it
		}
		select { // keep only the newest result
		case <-w.results:
		default:
		}
		w.results <- r
	}
}

// clock is time as the poller sees it; tests drive it by hand.
type clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
