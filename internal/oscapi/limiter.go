package oscapi

import (
	"context"
	"math"
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
type adaptiveLimiter struct {
	lim  *rate.Limiter
	base rate.Limit
	now  func() time.Time

	mu           sync.Mutex
	cur          rate.Limit
	lastChange   time.Time
	lastThrottle time.Time
}

func newAdaptiveLimiter(perSecond float64) *adaptiveLimiter {
	burst := int(math.Ceil(perSecond))
	return &adaptiveLimiter{
		lim:  rate.NewLimiter(rate.Limit(perSecond), max(burst, 1)),
		base: rate.Limit(perSecond),
		cur:  rate.Limit(perSecond),
		now:  time.Now,
	}
}

// Wait blocks until the next request may go, or ctx ends. A request that
// could not go before ctx's deadline fails at once with
// context.DeadlineExceeded.
func (l *adaptiveLimiter) Wait(ctx context.Context) error {
	if err := l.lim.Wait(ctx); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return context.DeadlineExceeded
	}
	return nil
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
