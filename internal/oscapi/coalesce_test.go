package oscapi

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// freshReads reads ids concurrently through the fresh path (the one waits
// and reads of changed interfaces take) and returns what each got.
func freshReads(t *testing.T, c *Client, ids []string) map[string]*Interface {
	t.Helper()
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = map[string]*Interface{}
	)
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			it, err := c.readOne(context.Background(), id)
			if err != nil && !IsNotFound(err) {
				t.Errorf("readOne(%s): %v", id, err)
				return
			}
			mu.Lock()
			out[id] = it
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

func TestFreshReadsShareCalls(t *testing.T) {
	cases := []struct {
		name     string
		n        int
		maxCalls int
	}{
		{"a few waits at once", 10, 3},
		{"more IDs than one call takes", 250, 12},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store := newInterfaceStore(tc.n)
			f := storeAPI(t, store, nil)
			c := newTestClient(t, f.config())
			want := append(ids(tc.n), "dxvif-0000ffff") // one absent
			got := freshReads(t, c, want)
			for i, id := range ids(tc.n) {
				if got[id] == nil || got[id].VLAN != int64(100+i) {
					t.Fatalf("readOne(%s) = %+v", id, got[id])
				}
			}
			if got["dxvif-0000ffff"] != nil {
				t.Errorf("an absent interface was found: %+v", got["dxvif-0000ffff"])
			}
			calls := f.count("ReadDirectLinkInterfaces")
			if calls > tc.maxCalls || calls < (tc.n+coalesceMaxIDs-1)/coalesceMaxIDs {
				t.Errorf("%d reads took %d calls, want at most %d and no call with more than %d IDs", tc.n+1, calls, tc.maxCalls, coalesceMaxIDs)
			}
			for _, body := range f.bodies["ReadDirectLinkInterfaces"] {
				ids := filteredIDs([]byte(body))
				if n := len(ids); n == 0 || n > coalesceMaxIDs {
					t.Errorf("a call filtered on %d IDs", n)
				}
			}
		})
	}
}

// Reads sharing a call do not fail when the reader that opened it gives up.
func TestFreshReadSurvivesAnotherReadersCancellation(t *testing.T) {
	store := newInterfaceStore(3)
	release, entered := make(chan struct{}), make(chan struct{})
	gate := blockFirst(entered, release)
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		gate()
		return store.read(body)
	})
	c := newTestClient(t, f.config())

	ctx1, cancel1 := context.WithCancel(context.Background())
	first, second := make(chan error, 1), make(chan error, 1)
	go func() {
		_, err := c.readOne(ctx1, "dxvif-00000001")
		first <- err
	}()
	go func() {
		it, err := c.readOne(context.Background(), "dxvif-00000002")
		if err == nil && it.ID != "dxvif-00000002" {
			err = fmt.Errorf("got %s", it.ID)
		}
		second <- err
	}()
	<-entered // a call is under way
	cancel1()
	if err := <-first; err == nil {
		t.Fatal("the canceled read succeeded")
	}
	close(release)
	if err := <-second; err != nil {
		t.Fatalf("the other read failed: %v", err)
	}
}
