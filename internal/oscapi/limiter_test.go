package oscapi

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// queued is how many callers wait for a token.
func (l *adaptiveLimiter) queued() int {
	l.qmu.Lock()
	defer l.qmu.Unlock()
	return len(l.lanes[laneFirst]) + len(l.lanes[laneNormal])
}

func awaitQueued(t *testing.T, l *adaptiveLimiter, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); l.queued() != n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d callers queued at the limiter, want %d", l.queued(), n)
		}
	}
}

// A poll that comes while creates queue for tokens takes the next token: it
// does not wait behind them (an apply's creates fill the queue for a
// second), and the creates keep their order.
func TestPollsGoFirstAtTheRateLimiter(t *testing.T) {
	l := newAdaptiveLimiter(4) // a token every 250 ms, a burst of 4
	for l.lim.Allow() {
	}
	var (
		mu    sync.Mutex
		order []string
		wg    sync.WaitGroup
	)
	join := func(name string, ln lane) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := l.wait(context.Background(), ln); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
		}()
	}
	for i, name := range []string{"create 1", "create 2", "create 3"} {
		join(name, laneNormal)
		awaitQueued(t, l, i+1)
	}
	join("poll", laneFirst)
	wg.Wait()
	want := []string{"poll", "create 1", "create 2", "create 3"}
	if len(order) != len(want) {
		t.Fatalf("granted %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("granted in the order %v, want %v", order, want)
		}
	}
}

// A caller that gives up in the queue (Ctrl-C, its deadline) leaves it at
// once; the next caller is served.
func TestLimiterQueueLeftOnCancel(t *testing.T) {
	l := newAdaptiveLimiter(2) // a token every 500 ms
	for l.lim.Allow() {
	}
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error, 1)
	go func() { gaveUp <- l.wait(ctx, laneNormal) }()
	awaitQueued(t, l, 1)
	deadlined, stop := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer stop()
	if err := l.wait(deadlined, laneNormal); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a deadline that passes in the queue: %v, want context.DeadlineExceeded", err)
	}
	cancel()
	select {
	case err := <-gaveUp:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled in the queue: %v, want context.Canceled", err)
		}
	case <-time.After(time.Second):
		t.Fatal("a cancelled caller stayed in the queue")
	}
	awaitQueued(t, l, 0)
	if err := l.wait(context.Background(), laneNormal); err != nil {
		t.Fatal(err)
	}
}
