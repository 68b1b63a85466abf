package oscapi

import (
	"context"
	"slices"
	"sync"
	"time"
)

const (
	// coalesceWindow is how long a fresh read waits for others to share its
	// call; small next to the poll tick (1s).
	coalesceWindow = 20 * time.Millisecond
	// coalesceMaxIDs caps the IDs of one filtered call: a page.
	coalesceMaxIDs = pageSize
)

// coalescer serves reads that must be fresh (reads of interfaces this
// client changed, and Fresh reads): reads of different IDs arriving within
// coalesceWindow share one ReadDirectLinkInterfaces filtered on their IDs.
// Every call is sent after each of its reads was asked for, so none returns
// data older than the read.
type coalescer struct {
	c *Client

	mu      sync.Mutex
	pending *idBatch
}

type idBatch struct {
	*group
	ids     []string
	flushed bool
	found   map[string]Interface
	err     error
}

func (q *coalescer) read(ctx context.Context, id string) (*Interface, error) {
	q.mu.Lock()
	b := q.pending
	if b == nil || !b.join() {
		b = &idBatch{group: newGroup(ctx)}
		b.join()
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

	if err := b.wait(ctx); err != nil {
		return nil, q.c.gaveUp(ctx, apiOSC, "ReadDirectLinkInterfaces", err, nil, true)
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
	b.finish()
}
