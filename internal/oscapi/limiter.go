package oscapi

import (
	"context"
	"math"
	"slices"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

const (
	// After a throttling answer the rate is halved, at most once per
	// throttleCutEvery (the answers of one burst count once), down to a
	// quarter of the configured rate; it doubles back, once per
	// recoverEvery without throttling, up to the configured rate.
	throttleCutEvery = time.Second
	recoverEvery     = 10 * time.Second
	minRateDivisor   = 4
)

// adaptiveLimiter is a token bucket shared by every call of a client (both
// APIs: OUTSCALE throttles per account) that slows down when the API says
// it is going too fast.
//
// Callers that find no token queue in two lanes, served in order of
// arrival within a lane: the poller's reads (laneFirst) take the next token
// before any call of laneNormal. A poll is at most one call a tick, so it
// cannot starve the others; without the lane it would queue behind the
// creates of an apply (up to Terraform's parallelism of them, a second at
// 10 requests/s) and every transition would be noticed that much later.
type adaptiveLimiter struct {
	lim  *rate.Limiter
	base rate.Limit
	now  func() time.Time

	mu           sync.Mutex
	cur          rate.Limit
	lastChange   time.Time
	lastThrottle time.Time

	qmu         sync.Mutex
	lanes       [2][]*ticket // by lane: who waits for a token, in order
	dispatching bool         // a dispatcher is handing out tokens
}

// lane is a limiter queue; a lower one is served first.
type lane int

const (
	laneFirst lane = iota
	laneNormal
)

type laneKey struct{}

// inLane makes the calls under ctx queue in ln at the limiter.
func inLane(ctx context.Context, ln lane) context.Context {
	return context.WithValue(ctx, laneKey{}, ln)
}

// laneOf is the lane of the calls under ctx: laneNormal unless inLane said.
func laneOf(ctx context.Context) lane {
	if ln, ok := ctx.Value(laneKey{}).(lane); ok {
		return ln
	}
	return laneNormal
}

// ticket is one caller's place in a lane; granted is closed when the token
// is theirs.
type ticket struct{ granted chan struct{} }

func newAdaptiveLimiter(perSecond float64) *adaptiveLimiter {
	burst := int(math.Ceil(perSecond))
	return &adaptiveLimiter{
		lim:  rate.NewLimiter(rate.Limit(perSecond), max(burst, 1)),
		base: rate.Limit(perSecond),
		cur:  rate.Limit(perSecond),
		now:  time.Now,
	}
}

// wait blocks until a request of lane may go, or ctx ends (with ctx's
// error; a deadline that passes in the queue is context.DeadlineExceeded).
func (l *adaptiveLimiter) wait(ctx context.Context, ln lane) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.qmu.Lock()
	if len(l.lanes[laneFirst])+len(l.lanes[laneNormal]) == 0 && l.lim.Allow() {
		l.qmu.Unlock()
		return nil
	}
	t := &ticket{granted: make(chan struct{})}
	l.lanes[ln] = append(l.lanes[ln], t)
	if !l.dispatching {
		l.dispatching = true
		go l.dispatch()
	}
	l.qmu.Unlock()
	select {
	case <-t.granted:
		return nil
	case <-ctx.Done():
		l.qmu.Lock()
		l.lanes[ln] = slices.DeleteFunc(l.lanes[ln], func(q *ticket) bool { return q == t })
		l.qmu.Unlock()
		return ctx.Err()
	}
}

// dispatch hands out tokens, as they come, to the first caller of the first
// lane that has one, until nobody waits.
func (l *adaptiveLimiter) dispatch() {
	for {
		r := l.lim.Reserve()
		if d := r.Delay(); d > 0 {
			time.Sleep(d)
		}
		l.qmu.Lock()
		var next *ticket
		for ln := range l.lanes {
			if len(l.lanes[ln]) > 0 {
				next, l.lanes[ln] = l.lanes[ln][0], l.lanes[ln][1:]
				break
			}
		}
		if next == nil { // everybody left while the token came
			r.Cancel()
			l.dispatching = false
			l.qmu.Unlock()
			return
		}
		close(next.granted)
		if len(l.lanes[laneFirst])+len(l.lanes[laneNormal]) == 0 {
			l.dispatching = false
			l.qmu.Unlock()
			return
		}
		l.qmu.Unlock()
	}
}

// throttled records a throttling answer.
func (l *adaptiveLimiter) throttled() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.lastThrottle = now
	if now.Sub(l.lastChange) < throttleCutEvery {
		return
	}
	l.cur = max(l.cur/2, l.base/minRateDivisor)
	l.lastChange = now
	l.lim.SetLimitAt(now, l.cur)
}

// succeeded records an accepted request, and lets the rate recover.
func (l *adaptiveLimiter) succeeded() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur >= l.base {
		return
	}
	now := l.now()
	if now.Sub(l.lastThrottle) < recoverEvery || now.Sub(l.lastChange) < recoverEvery {
		return
	}
	l.cur = min(l.cur*2, l.base)
	l.lastChange = now
	l.lim.SetLimitAt(now, l.cur)
}

// rate is the current rate, for tests and logs.
func (l *adaptiveLimiter) rate() rate.Limit {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cur
}

// limiters holds one limiter per account, endpoint and rate, so that the
// clients of one process (provider aliases, or a provider configured twice
// in one operation) share their account's budget, as OUTSCALE counts it.
var (
	limitersMu sync.Mutex
	limiters   = map[limiterKey]*adaptiveLimiter{}
)

type limiterKey struct {
	endpoint, accessKey string
	perSecond           float64
}

func sharedLimiter(cfg Config) *adaptiveLimiter {
	k := limiterKey{endpoint: cfg.APIEndpoint, accessKey: cfg.AccessKey, perSecond: cfg.MaxRequestsPerSecond}
	limitersMu.Lock()
	defer limitersMu.Unlock()
	l, ok := limiters[k]
	if !ok {
		l = newAdaptiveLimiter(cfg.MaxRequestsPerSecond)
		limiters[k] = l
	}
	return l
}
