package oscapi

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// batcher serves ReadInterface and ListInterfaces of one client from a
// snapshot: one unfiltered ReadDirectLinkInterfaces (every page), taken on
// the first read and shared by every read of the client. Terraform refreshes
// each resource with its own ReadResource, in parallel; this turns N reads
// into one listing.
//
// Freshness:
//   - the client lives for one Terraform operation, so a snapshot is never
//     older than the operation; a snapshot older than maxAge is replaced;
//   - an interface this client changed (create, MTU update, delete, confirm)
//     is "touched": from then on it is always read afresh (a call sent
//     after the read was asked for; see coalescer);
//   - an interface absent from the snapshot is read afresh before
//     being reported not found, as another client of the same process may
//     have created it after the snapshot;
//   - a failed create drops the snapshot: it may have created an interface
//     whose ID never came back, which the next listing must show.
//
// Reads arriving while a snapshot is being fetched wait for that fetch.
type batcher struct {
	c      *Client
	maxAge time.Duration
	now    func() time.Time

	mu         sync.Mutex
	snap       *snapshot
	fetching   *fetch
	generation int               // bumped by invalidate: a fetch started before does not become the snapshot
	touchedIDs map[string]string // interface ID -> DirectLink ID ("" if unknown)
}

type snapshot struct {
	takenAt time.Time
	byID    map[string]Interface
}

// fetch is one snapshot listing, shared by the reads that wait for it.
type fetch struct {
	*group
	snap *snapshot
	err  error
}

func newBatcher(c *Client, maxAge time.Duration) *batcher {
	return &batcher{c: c, maxAge: maxAge, now: time.Now, touchedIDs: map[string]string{}}
}

// touched marks id as changed by this client; directLinkID may be "".
func (b *batcher) touched(id, directLinkID string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if directLinkID == "" {
		directLinkID = b.touchedIDs[id]
	}
	if directLinkID == "" && b.snap != nil {
		directLinkID = b.snap.byID[id].DirectLinkID
	}
	b.touchedIDs[id] = directLinkID
}

// invalidate drops the snapshot: a create failed in a way that may have
// created an interface whose ID this client never learnt (lost answer), and
// the next reads must see it (crash-safe create looks for it).
func (b *batcher) invalidate() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.snap = nil
	b.generation++
	// A fetch under way may have started before the lost create landed:
	// reads from now on must not join it.
	b.fetching = nil
}

func (b *batcher) isTouched(id string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	_, ok := b.touchedIDs[id]
	return ok
}

// snapshot returns a current snapshot, fetching one if there is none or it
// is too old; concurrent callers share one fetch, which stops when the last
// of them gives up.
func (b *batcher) snapshot(ctx context.Context) (*snapshot, error) {
	b.mu.Lock()
	if b.snap != nil && b.now().Sub(b.snap.takenAt) < b.maxAge {
		s := b.snap
		b.mu.Unlock()
		return s, nil
	}
	f := b.fetching
	if f == nil || !f.join() {
		f = &fetch{group: newGroup(ctx)}
		f.join()
		b.fetching = f
		go b.run(f, b.now(), b.generation)
	}
	b.mu.Unlock()
	if err := f.wait(ctx); err != nil {
		return nil, b.c.gaveUp(ctx, apiOSC, "ReadDirectLinkInterfaces", err, nil, true)
	}
	return f.snap, f.err
}

// run takes the snapshot of f; started and gen are when and in which
// generation it was asked for.
func (b *batcher) run(f *fetch, started time.Time, gen int) {
	list, err := b.c.listAPI(f.ctx, InterfaceFilter{})
	b.mu.Lock()
	if err == nil {
		s := &snapshot{takenAt: started, byID: make(map[string]Interface, len(list))}
		for _, it := range list {
			s.byID[it.ID] = it
		}
		f.snap = s
		if gen == b.generation {
			b.snap = s
		}
	} else {
		f.err = err
	}
	if b.fetching == f {
		b.fetching = nil
	}
	b.mu.Unlock()
	f.finish()
}

func (b *batcher) read(ctx context.Context, id string) (*Interface, error) {
	if b.isTouched(id) {
		return b.c.readOne(ctx, id)
	}
	s, err := b.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	it, ok := s.byID[id]
	// A change by this client may have raced with the snapshot.
	if !ok || b.isTouched(id) {
		return b.c.readOne(ctx, id)
	}
	return &it, nil
}

func (b *batcher) list(ctx context.Context, f InterfaceFilter) ([]Interface, error) {
	s, err := b.snapshot(ctx)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	touched := make(map[string]string, len(b.touchedIDs))
	for id, dl := range b.touchedIDs {
		touched[id] = dl
	}
	b.mu.Unlock()

	var out []Interface
	for id, it := range s.byID {
		if _, ok := touched[id]; !ok && f.matches(it) {
			out = append(out, it)
		}
	}
	if f.OthersOnly {
		slices.SortFunc(out, func(a, b Interface) int { return strings.Compare(a.ID, b.ID) })
		return out, nil
	}
	// Interfaces to read afresh, in one filtered call: those this client
	// changed that may match, and named ones absent from the snapshot.
	var fresh []string
	for id, dl := range touched {
		if (len(f.InterfaceIDs) == 0 || slices.Contains(f.InterfaceIDs, id)) &&
			(len(f.DirectLinkIDs) == 0 || dl == "" || slices.Contains(f.DirectLinkIDs, dl)) {
			fresh = append(fresh, id)
		}
	}
	for _, id := range f.InterfaceIDs {
		if _, inSnap := s.byID[id]; !inSnap && !slices.Contains(fresh, id) {
			fresh = append(fresh, id)
		}
	}
	if len(fresh) > 0 {
		slices.Sort(fresh)
		got, err := b.c.listAPI(ctx, InterfaceFilter{InterfaceIDs: fresh})
		if err != nil {
			return nil, err
		}
		for _, it := range got {
			if f.matches(it) {
				out = append(out, it)
			}
		}
	}
	slices.SortFunc(out, func(a, b Interface) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (f InterfaceFilter) matches(it Interface) bool {
	return (len(f.InterfaceIDs) == 0 || slices.Contains(f.InterfaceIDs, it.ID)) &&
		(len(f.DirectLinkIDs) == 0 || slices.Contains(f.DirectLinkIDs, it.DirectLinkID))
}
