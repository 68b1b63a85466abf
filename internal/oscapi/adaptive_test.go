package oscapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// bigAccount is 10,000 interfaces: the hundred of one configuration
// (every hundredth, on dxcon-0000mine) among others on another DirectLink.
func bigAccount() (*interfaceStore, []string) {
	s := &interfaceStore{}
	var mine []string
	for i := 0; i < 10000; i++ {
		id, dl := fmt.Sprintf("dxvif-%08x", i), "dxcon-0000othr"
		if i%100 == 0 {
			dl = "dxcon-0000mine"
			mine = append(mine, id)
		}
		s.ifs = append(s.ifs, map[string]any{"DirectLinkInterfaceId": id, "DirectLinkId": dl, "Vlan": 2 + i%4000, "State": "available"})
	}
	return s, mine
}

// A plan of a few resources in a big account reads just those; the whole
// listing is taken only when it is the cheaper way.
func TestAdaptiveRefreshInABigAccount(t *testing.T) {
	store, mine := bigAccount()
	f := storeAPI(t, store, nil)
	calls := func() int { return f.count("ReadDirectLinkInterfaces") }
	ctx := context.Background()

	c := newTestClient(t, f.config())
	if it, err := c.ReadInterface(ctx, mine[99], FromSnapshot); err != nil || it.ID != mine[99] {
		t.Fatalf("read = %+v, %v", it, err)
	}
	if n := calls(); n != 2 {
		t.Errorf("a 1-resource refresh in a 10,000-interface account cost %d calls, want 2 (a first page, one read by ID)", n)
	}
	var wg sync.WaitGroup
	for _, id := range mine[:99] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if it, err := c.ReadInterface(ctx, id, FromSnapshot); err != nil || it.ID != id {
				t.Errorf("read %s = %+v, %v", id, it, err)
			}
		}()
	}
	wg.Wait()
	if n := calls(); n != 3 {
		t.Errorf("a 100-resource refresh cost %d calls, want 3 (the DirectLink they are on, listed once)", n)
	}
	got, err := c.ListInterfaces(ctx, InterfaceFilter{DirectLinkIDs: []string{"dxcon-0000mine"}, OthersOnly: true, Freshness: FromSnapshot})
	if err != nil || len(got) != 100 || calls() != 3 {
		t.Errorf("the VLAN check's listing: %d interfaces, %v, %d calls; want 100 from the snapshot, no call", len(got), err, calls())
	}

	c = newTestClient(t, f.config())
	before := calls()
	got, err = c.ListInterfaces(ctx, InterfaceFilter{DirectLinkIDs: []string{"dxcon-0000mine"}, OthersOnly: true, Freshness: FromSnapshot})
	if err != nil || len(got) != 100 || calls()-before != 2 {
		t.Errorf("a plan's VLAN check alone: %d interfaces, %v, %d calls; want 100 in 2 calls", len(got), err, calls()-before)
	}

	c = newTestClient(t, f.config())
	before = calls()
	for _, id := range ids(10000) {
		if _, err := c.ReadInterface(ctx, id, FromSnapshot); err != nil {
			t.Fatal(err)
		}
	}
	if n := calls() - before; n != 10 {
		t.Errorf("refreshing all 10,000 cost %d calls, want 10 (the listing, each page once)", n)
	}
}

// A page token the API no longer takes (it may expire between the first
// page and the rest) costs one refused call, then the listing starts over.
func TestAdaptiveRefreshSurvivesAnExpiredPageToken(t *testing.T) {
	store, _ := bigAccount()
	var expired atomic.Bool
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		var req struct{ NextPageToken string }
		_ = json.Unmarshal(body, &req)
		if req.NextPageToken != "" && expired.CompareAndSwap(true, false) {
			return oscErr(400, "4120", "InvalidParameterValue", "NextPageToken is no longer valid")
		}
		return store.read(body)
	})
	c := newTestClient(t, f.config())
	ctx := context.Background()
	all := ids(10000)
	for i, id := range all {
		if i == 1000 {
			expired.Store(true) // between the first page and the rest
		}
		if it, err := c.ReadInterface(ctx, id, FromSnapshot); err != nil || it.ID != id {
			t.Fatalf("read %s = %+v, %v", id, it, err)
		}
	}
	if n := f.count("ReadDirectLinkInterfaces"); n != 12 {
		t.Errorf("calls = %d, want 12: the first page, the refused rest, the 10 pages again", n)
	}
}

// A plan's refresh in a big account comes in waves of Terraform's
// parallelism. When a wave of reads that say their DirectLink
// (OnDirectLink, from the state) meets a partial snapshot, that DirectLink
// is listed whole at once: 100 resources cost the first page and the
// DirectLink's listing, instead of a read by ID for the first wave before
// it. A wrong hint costs calls, not answers.
func TestAdaptiveRefreshListsTheDirectLinkOfAWave(t *testing.T) {
	for _, tt := range []struct {
		name      string
		hint      string
		wantCalls int
	}{
		{"with the state's DirectLink", "dxcon-0000mine", 2},
		{"without a hint", "", 3},
		{"with a wrong hint", "dxcon-00000000", 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store, mine := bigAccount()
			var c *Client
			f := storeAPI(t, store, func() { // the first page answers once a wave has come
				for c.batch.servedCount() < 10 {
					runtime.Gosched()
				}
			})
			c = newTestClient(t, f.config())
			ctx := context.Background()
			if tt.hint != "" {
				ctx = OnDirectLink(ctx, tt.hint)
			}
			slots := make(chan struct{}, 10) // Terraform's -parallelism
			var wg sync.WaitGroup
			for _, id := range mine {
				wg.Add(1)
				slots <- struct{}{}
				go func() {
					defer func() { <-slots; wg.Done() }()
					if it, err := c.ReadInterface(ctx, id, FromSnapshot); err != nil || it.ID != id {
						t.Errorf("read %s = %+v, %v", id, it, err)
					}
				}()
			}
			wg.Wait()
			if n := f.count("ReadDirectLinkInterfaces"); n != tt.wantCalls {
				t.Errorf("a 100-resource refresh in a 10,000-interface account cost %d calls, want %d", n, tt.wantCalls)
			}
		})
	}
}

func (b *batcher) servedCount() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.served
}
