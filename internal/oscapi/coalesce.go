package oscapi

import (
	"context"
	"slices"
	"sync"
	"time"
)

const (
	// coalesceWindow is how long a fresh read waits for others to share its
	// call; small next to the poll intervals (1s and up).
	coalesceWindow = 20 * time.Millisecond
	// coalesceMaxIDs caps the IDs of one filtered call.
	coalesceMaxIDs = 100
)

// coalescer serves reads that must be fresh (the polls of waits, and reads
// of interfaces this client changed): reads of different IDs arriving within
// coalesceWindow share one ReadDirectLinkInterfaces filtered on their IDs.
// Every call is sent after each of its reads was asked for, so none returns
// data older than the read.
type coalescer struct {
	c *Client

	mu      sync.Mutex
	pending *idBatch
}

type idBatch struct {
	ctx     context.Context // the first reader's, without its cancellation: the others depend on the call too
	ids     []string
	flushed bool
	done    chan struct{}
	found   map[string]Interface
	err     error
}

func (q *coalescer) read(ctx context.Context, id string) (*Interface, error) {
	q.mu.Lock()
	b := q.pending
	if b == nil {
		b = &idBatch{ctx: context.WithoutCancel(ctx), done: make(chan struct{})}
		q.pending = b
		time.AfterFunc(coalesceWindow, func() { q.flush(b) })
	}
	if !slices.Contains(b.ids, id) {
		b.ids = append(b.ids, id)
	}
	full := len(b.ids) >= coalesceMaxIDs
	if full {
		q.pending = nil // later reads start the next batch
	}
	q.mu.Unlock()
	if full {
		go q.flush(b)
	}

	select {
	case <-b.done:
	case <-ctx.Done():
		return nil, gaveUp(ctx, "ReadDirectLinkInterfaces", ctx.Err(), nil)
	}
	if b.err != nil {
		return nil, b.err
	}
	if it, ok := b.found[id]; ok {
		return &it, nil
	}
	return nil, notFound(id)
}

func (q *coalescer) flush(b *idBatch) {
	q.mu.Lock()
	if q.pending == b {
		q.pending = nil
	}
	if b.flushed {
		q.mu.Unlock()
		return
	}
	b.flushed = true
	ids := slices.Clone(b.ids)
	q.mu.Unlock()

	list, err := q.c.listAPI(b.ctx, InterfaceFilter{InterfaceIDs: ids})
	b.err = err
	b.found = make(map[string]Interface, len(list))
	for _, it := range list {
		b.found[it.ID] = it
	}
	close(b.done)
}
