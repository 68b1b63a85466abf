package oscapi

import (
	"context"
	"sync"
)

// group is one API call shared by several readers (a snapshot fetch, a
// batch of fresh reads). It runs under a context that keeps the first
// reader's values (logging) but not its cancellation, since the others
// depend on the call too, and it is cancelled when its last reader leaves:
// an interrupted operation sends nothing more on behalf of nobody.
type group struct {
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed by finish

	mu      sync.Mutex
	readers int
}

func newGroup(ctx context.Context) *group {
	gctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	return &group{ctx: gctx, cancel: cancel, done: make(chan struct{})}
}

// join adds a reader; false when every reader has left already (the call is
// being cancelled), and the caller must start another group.
func (g *group) join() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ctx.Err() != nil {
		return false
	}
	g.readers++
	return true
}

// wait blocks until the call finishes or ctx ends; in the latter case the
// reader leaves (the last one cancels the call) and ctx's error is returned.
func (g *group) wait(ctx context.Context) error {
	select {
	case <-g.done:
		g.leave()
		return nil
	case <-ctx.Done():
		g.leave()
		return ctx.Err()
	}
}

func (g *group) leave() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.readers--
	if g.readers == 0 {
		g.cancel()
	}
}

// finish marks the call done; its results must be set before.
func (g *group) finish() { close(g.done) }
