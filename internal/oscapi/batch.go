package oscapi

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// batcher serves ReadInterface and ListInterfaces (FromSnapshot) of one
// client from a snapshot shared by every read of the client. Terraform
// refreshes each resource with its own ReadResource, in parallel; this
// turns N reads into one listing, or into a few filtered calls in an
// account too big to list.
//
// What the snapshot holds adapts to the account (the listing is the
// cheaper choice only when the account is small next to the reads):
//   - the first read takes one page (1000 interfaces) of the unfiltered
//     listing. If that is the whole account, it is the snapshot: one call
//     serves every read of the operation;
//   - in a bigger account the snapshot stays partial. A read of an
//     interface it lacks is a fresh read by ID (shared with the reads of
//     the moment, up to 1000 IDs a call), and the DirectLink it is on is
//     then listed whole (filtered on it) before the next such read, as a
//     configuration's interfaces usually share their DirectLinks. A wave
//     of reads (readWave, come together as Terraform's parallelism sends
//     them) that say their DirectLink (OnDirectLink: the provider passes
//     the state's) lists it at once instead: a plan of one interface costs
//     2 calls, one of a hundred on one DirectLink the first page and that
//     DirectLink's pages, whatever the size of the account. Once the operation has read 500
//     interfaces, a miss completes the listing instead, from the page after
//     the first (a plan of the whole account costs what the listing does);
//   - a listing filtered on DirectLinks lists those DirectLinks whole
//     first; an unfiltered one completes the snapshot.
//
// Freshness:
//   - the client lives for one Terraform operation, so nothing in a
//     snapshot is older than the operation; a snapshot older than maxAge is
//     replaced;
//   - an interface this client changed (create, MTU update, delete, confirm)
//     is "touched": from then on it is always read afresh (a call sent
//     after the read was asked for; see coalescer);
//   - an interface absent from the snapshot is read afresh before
//     being reported not found, as another client of the same process may
//     have created it after the snapshot;
//   - a failed create drops the snapshot: it may have created an interface
//     whose ID never came back, which the next listing must show.
//
// Reads arriving while the snapshot is being fetched or extended wait for
// that fetch, which stops when the last of them gives up.
type batcher struct {
	c      *Client
	maxAge time.Duration
	now    func() time.Time

	mu         sync.Mutex
	snap       *snapshot
	fetching   *fetch
	generation int               // bumped by invalidate: a fetch started before does not become the snapshot
	touchedIDs map[string]string // interface ID -> DirectLink ID ("" if unknown)
	learntDLs  map[string]bool   // DirectLinks of interfaces read by ID past a partial snapshot
	served     int               // reads answered (from the snapshot or past it), to weigh a full listing
}

// snapshot is immutable once published: extending one makes a new one.
type snapshot struct {
	takenAt  time.Time
	byID     map[string]Interface
	complete bool            // every interface the account sees is in byID
	covered  map[string]bool // DirectLinks every interface of which is in byID
	rest     *string         // when partial: the token of the unfiltered listing's next page
}

// need is what a read needs the snapshot to hold.
type need struct {
	all bool     // every interface of the account
	dls []string // every interface of these DirectLinks
}

// lacks returns the DirectLinks of n that s does not hold whole, and
// whether s lacks anything of n (a nil snapshot lacks everything).
func (s *snapshot) lacks(n need) ([]string, bool) {
	if s == nil {
		return nil, true
	}
	if s.complete {
		return nil, false
	}
	if n.all {
		return nil, true
	}
	var missing []string
	for _, dl := range n.dls {
		if !s.covered[dl] {
			missing = append(missing, dl)
		}
	}
	return missing, len(missing) > 0
}

// fetch is one listing for the snapshot, shared by the reads that wait for it.
type fetch struct {
	*group
	snap *snapshot
	err  error
}

func newBatcher(c *Client, maxAge time.Duration) *batcher {
	return &batcher{c: c, maxAge: maxAge, now: time.Now, touchedIDs: map[string]string{}, learntDLs: map[string]bool{}}
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

// snapshot returns a current snapshot holding n, fetching what it lacks;
// concurrent callers share one fetch, which stops when the last of them
// gives up.
func (b *batcher) snapshot(ctx context.Context, n need) (*snapshot, error) {
	for {
		b.mu.Lock()
		base := b.snap
		if base != nil && b.now().Sub(base.takenAt) >= b.maxAge {
			base = nil
		}
		if _, lacking := base.lacks(n); base != nil && !lacking {
			b.mu.Unlock()
			return base, nil
		}
		f := b.fetching
		if f == nil || !f.join() {
			f = &fetch{group: newGroup(ctx)}
			f.join()
			b.fetching = f
			go b.run(f, base, n, b.now(), b.generation)
		}
		b.mu.Unlock()
		if err := f.wait(ctx); err != nil {
			return nil, b.c.gaveUp(ctx, apiOSC, "ReadDirectLinkInterfaces", err, nil, true)
		}
		if f.err != nil {
			return nil, f.err
		}
		if _, lacking := f.snap.lacks(n); !lacking {
			return f.snap, nil
		}
		// That fetch was for another read's need (or a first page):
		// look again, extending what it brought.
	}
}

// run fetches for f what base lacks of n: the first page when there is no
// snapshot, the whole account for n.all, else the DirectLinks missing.
// started and gen are when and in which generation it was asked for.
func (b *batcher) run(f *fetch, base *snapshot, n need, started time.Time, gen int) {
	var (
		next *snapshot
		err  error
	)
	missing, _ := base.lacks(n)
	switch {
	case base == nil:
		next, err = b.listing(f.ctx, &snapshot{takenAt: started}, nil, 1)
	case n.all:
		// The rest of the listing the first page began; the pages read
		// already are not read again, unless the API no longer takes the
		// token (it may expire).
		next, err = b.listing(f.ctx, base, base.rest, 0)
		if IsValidation(err) {
			next, err = b.listing(f.ctx, &snapshot{takenAt: started}, nil, 0)
		}
	default:
		var list []Interface
		if list, _, err = b.c.listPages(f.ctx, InterfaceFilter{DirectLinkIDs: missing}, nil, 0); err == nil {
			next = base.with(list, missing)
		}
	}
	b.mu.Lock()
	f.snap, f.err = next, err
	if err == nil && gen == b.generation {
		b.snap = next
	}
	if b.fetching == f {
		b.fetching = nil
	}
	b.mu.Unlock()
	f.finish()
}

// listing extends base with pages of the unfiltered listing from token.
func (b *batcher) listing(ctx context.Context, base *snapshot, token *string, pages int) (*snapshot, error) {
	list, rest, err := b.c.listPages(ctx, InterfaceFilter{}, token, pages)
	if err != nil {
		return nil, err
	}
	next := base.with(list, nil)
	next.complete, next.rest = rest == nil, rest
	return next, nil
}

// with is a copy of s holding list too, and the DirectLinks dls whole.
func (s *snapshot) with(list []Interface, dls []string) *snapshot {
	next := &snapshot{
		takenAt: s.takenAt, // the oldest part says how old it is
		byID:    make(map[string]Interface, len(s.byID)+len(list)),
		covered: make(map[string]bool, len(s.covered)+len(dls)),
		rest:    s.rest,
	}
	for id, it := range s.byID {
		next.byID[id] = it
	}
	for dl := range s.covered {
		next.covered[dl] = true
	}
	for _, it := range list {
		next.byID[it.ID] = it
	}
	for _, dl := range dls {
		next.covered[dl] = true
	}
	return next
}

func (b *batcher) read(ctx context.Context, id string) (*Interface, error) {
	if b.isTouched(id) {
		return b.c.readOne(ctx, id)
	}
	b.mu.Lock()
	b.served++
	b.mu.Unlock()
	s, err := b.snapshot(ctx, need{})
	if err != nil {
		return nil, err
	}
	if _, ok := s.byID[id]; !ok && !s.complete {
		// Past a partial snapshot: once the reads of this operation
		// reach half a page, the rest of the listing costs less than reading
		// by ID; until then, list whole the DirectLinks reads by ID found,
		// and the one the read is said to be on (OnDirectLink) once a wave
		// of reads has come: more are likely to follow, on the same
		// DirectLink, and reading them by ID would cost a call a wave.
		if b.servedMany() {
			s, err = b.snapshot(ctx, need{all: true})
		} else if dl := directLinkHint(ctx); dl != "" && b.servedWave() {
			b.learn(dl)
			s, err = b.snapshot(ctx, need{dls: b.learnt()})
		} else if learnt := b.learnt(); len(learnt) > 0 {
			s, err = b.snapshot(ctx, need{dls: learnt})
		}
		if err != nil {
			return nil, err
		}
	}
	it, ok := s.byID[id]
	// A change by this client may have raced with the snapshot.
	if !ok || b.isTouched(id) {
		got, err := b.c.readOne(ctx, id)
		if err == nil && !s.complete {
			b.learn(got.DirectLinkID)
		}
		return got, err
	}
	return &it, nil
}

// learn records the DirectLink of an interface read by ID past a partial
// snapshot: the next reads list it whole.
func (b *batcher) learn(dl string) {
	if dl == "" {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.learntDLs[dl] = true
}

// servedMany says whether the reads so far reach half a page: the
// configuration is then large enough that the rest of the listing costs
// about what reading its interfaces by ID would (and a margin that
// Terraform's parallel reads, arriving slightly out of order, do not cross
// at the end of the first page).
func (b *batcher) servedMany() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.served >= pageSize/2
}

// readWave is how many reads, come together at a partial snapshot, make
// listing their DirectLink the cheaper choice: most of a wave of
// Terraform's default parallelism (10), which a larger configuration
// follows with more.
const readWave = 8

// servedWave says whether a wave of reads has come.
func (b *batcher) servedWave() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.served >= readWave
}

type directLinkHintKey struct{}

// OnDirectLink says that the interface read under ctx (ReadInterface
// FromSnapshot) is on directLinkID, as the state recorded it. Batching uses
// it in an account too big to list: with a wave of such reads, the
// DirectLink is listed whole instead of its interfaces read by ID. A wrong
// hint costs calls, never a wrong answer: the read still looks its
// interface up by ID.
func OnDirectLink(ctx context.Context, directLinkID string) context.Context {
	return context.WithValue(ctx, directLinkHintKey{}, directLinkID)
}

func directLinkHint(ctx context.Context) string {
	dl, _ := ctx.Value(directLinkHintKey{}).(string)
	return dl
}

func (b *batcher) learnt() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, 0, len(b.learntDLs))
	for dl := range b.learntDLs {
		out = append(out, dl)
	}
	slices.Sort(out)
	return out
}

func (b *batcher) list(ctx context.Context, f InterfaceFilter) ([]Interface, error) {
	n := need{dls: f.DirectLinkIDs}
	if len(f.DirectLinkIDs) == 0 && len(f.InterfaceIDs) == 0 {
		n.all = true
	}
	s, err := b.snapshot(ctx, n)
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
	// Interfaces to read afresh, in one filtered call: those this client
	// changed that may match (unless OthersOnly leaves them out), and named
	// ones absent from the snapshot.
	var fresh []string
	for id, dl := range touched {
		if !f.OthersOnly && (len(f.InterfaceIDs) == 0 || slices.Contains(f.InterfaceIDs, id)) &&
			(len(f.DirectLinkIDs) == 0 || dl == "" || slices.Contains(f.DirectLinkIDs, dl)) {
			fresh = append(fresh, id)
		}
	}
	// With OthersOnly, the snapshot answers alone where it holds what the
	// filter asks for.
	if !f.OthersOnly || !s.complete && len(f.DirectLinkIDs) == 0 {
		for _, id := range f.InterfaceIDs {
			if _, inSnap := s.byID[id]; !inSnap && !slices.Contains(fresh, id) {
				if _, mine := touched[id]; !mine || !f.OthersOnly {
					fresh = append(fresh, id)
				}
			}
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
