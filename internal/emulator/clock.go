package emulator

import (
	"sync"
	"time"
)

// FakeClock is a clock that moves only when told to. Its Now method is what
// Options.Now takes, so that tests of expiry, signatures and transitions
// (and replays of requests signed in the past) need no sleeps.
type FakeClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewFakeClock returns a clock stopped at t.
func NewFakeClock(t time.Time) *FakeClock { return &FakeClock{now: t} }

// Now returns the clock's time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t (backwards too).
func (c *FakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forward by d.
func (c *FakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// StartedClock returns a clock that reads start at the moment of the call
// and then runs at the speed of the real one: for the command's -clock flag,
// so that requests signed at a known past time (such as recorded ones) are
// within the signature's clock skew.
func StartedClock(start time.Time) func() time.Time {
	origin := time.Now()
	return func() time.Time { return start.Add(time.Since(origin)) }
}
