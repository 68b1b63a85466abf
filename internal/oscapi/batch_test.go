package oscapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// storeAPI serves an interfaceStore; unfiltered listings go through gate
// when it is set.
func storeAPI(t *testing.T, store *interfaceStore, gate func()) *fakeAPI {
	return newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		switch action {
		case "ReadDirectLinkInterfaces":
			if gate != nil && !hasFilter(body) {
				gate()
			}
			return store.read(body)
		case "UpdateDirectLinkInterface", "DeleteDirectLinkInterface":
			var req struct{ DirectLinkInterfaceId string }
			_ = json.Unmarshal(body, &req)
			if action == "DeleteDirectLinkInterface" {
				store.set(req.DirectLinkInterfaceId, "State", "deleting")
				return oscOK(map[string]any{})
			}
			store.set(req.DirectLinkInterfaceId, "DirectLinkInterfaceName", "updated")
			return oscOK(map[string]any{})
		}
		return oscErr(501, "0", "DefaultError", "not served: "+action)
	})
}

// blockFirst is a gate that holds the first request until release, after
// closing entered; later requests pass.
func blockFirst(entered, release chan struct{}) func() {
	var first atomic.Bool
	return func() {
		if first.CompareAndSwap(false, true) {
			close(entered)
			<-release
		}
	}
}

func hasFilter(body []byte) bool {
	var req struct{ Filters any }
	_ = json.Unmarshal(body, &req)
	return req.Filters != nil
}

// readAll refreshes ids the way Terraform does: parallelism workers.
func readAll(t *testing.T, c *Client, ids []string, parallelism int) map[string]*Interface {
	t.Helper()
	var (
		mu  sync.Mutex
		out = map[string]*Interface{}
		wg  sync.WaitGroup
	)
	work := make(chan string)
	for w := 0; w < parallelism; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				it, err := c.ReadInterface(context.Background(), id, FromSnapshot)
				if err != nil {
					t.Errorf("ReadInterface(%s): %v", id, err)
					continue
				}
				mu.Lock()
				out[id] = it
				mu.Unlock()
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	return out
}

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("dxvif-%08x", i)
	}
	return out
}

func TestBatchedRefreshOf500Interfaces(t *testing.T) {
	cases := []struct {
		name      string
		n         int
		disable   bool
		wantCalls int
	}{
		{"batched, one page", 500, false, 1},
		{"batched, two pages", 1500, false, 2},
		{"one call per resource", 500, true, 500},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store := newInterfaceStore(tc.n)
			f := storeAPI(t, store, nil)
			cfg := f.config()
			cfg.DisableBatching = tc.disable
			c := newTestClient(t, cfg)
			got := readAll(t, c, ids(tc.n), 10)
			for i, id := range ids(tc.n) {
				if it := got[id]; it == nil || it.ID != id || it.VLAN != int64(100+i) {
					t.Fatalf("ReadInterface(%s) = %+v", id, it)
				}
			}
			if n := f.count("ReadDirectLinkInterfaces"); n != tc.wantCalls {
				t.Errorf("ReadDirectLinkInterfaces calls = %d, want %d", n, tc.wantCalls)
			}
		})
	}
}

func TestConcurrentReadsShareOneSnapshotFetch(t *testing.T) {
	store := newInterfaceStore(50)
	f := storeAPI(t, store, func() { time.Sleep(20 * time.Millisecond) })
	c := newTestClient(t, f.config())
	start := make(chan struct{})
	var wg sync.WaitGroup
	for _, id := range ids(50) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, err := c.ReadInterface(context.Background(), id, FromSnapshot); err != nil {
				t.Errorf("ReadInterface(%s): %v", id, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if n := f.count("ReadDirectLinkInterfaces"); n != 1 {
		t.Errorf("ReadDirectLinkInterfaces calls = %d, want 1", n)
	}
}

func TestWaitersFetchForThemselvesWhenTheFetcherGivesUp(t *testing.T) {
	store := newInterfaceStore(5)
	release, entered := make(chan struct{}), make(chan struct{})
	f := storeAPI(t, store, blockFirst(entered, release))
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	c := newTestClient(t, f.config())

	ctx1, cancel1 := context.WithCancel(context.Background())
	first := make(chan error, 1)
	go func() {
		_, err := c.ReadInterface(ctx1, "dxvif-00000001", FromSnapshot)
		first <- err
	}()
	<-entered
	second := make(chan error, 1)
	go func() {
		it, err := c.ReadInterface(context.Background(), "dxvif-00000002", FromSnapshot)
		if err == nil && it.ID != "dxvif-00000002" {
			err = fmt.Errorf("got %s", it.ID)
		}
		second <- err
	}()
	cancel1()
	if err := <-first; err == nil {
		t.Fatal("the canceled read succeeded")
	}
	close(release)
	if err := <-second; err != nil {
		t.Fatalf("the waiting read failed with the other caller's cancellation: %v", err)
	}
}

func TestBatchFreshness(t *testing.T) {
	store := newInterfaceStore(4)
	f := storeAPI(t, store, nil)
	c := newTestClient(t, f.config())
	ctx := context.Background()
	readName := func(id string) string {
		t.Helper()
		it, err := c.ReadInterface(ctx, id, FromSnapshot)
		if err != nil {
			t.Fatalf("ReadInterface(%s): %v", id, err)
		}
		return it.Name
	}

	if got := readName("dxvif-00000000"); got != "if-0" {
		t.Fatalf("name %q", got)
	}
	// Our own change is read afresh, with its own call.
	if _, err := c.UpdateInterfaceMTU(ctx, "dxvif-00000001", 1500); err != nil {
		t.Fatal(err)
	}
	before := f.count("ReadDirectLinkInterfaces")
	if got := readName("dxvif-00000001"); got != "updated" {
		t.Errorf("after our update: name %q, want the API's current %q", got, "updated")
	}
	if err := c.DeleteInterface(ctx, "dxvif-00000002"); err != nil {
		t.Fatal(err)
	}
	if it, err := c.ReadInterface(ctx, "dxvif-00000002", FromSnapshot); err != nil || it.State != StateDeleting {
		t.Errorf("after our delete: %+v, %v; want state deleting", it, err)
	}
	if n := f.count("ReadDirectLinkInterfaces") - before; n != 2 {
		t.Errorf("%d calls for two reads of changed interfaces, want 2", n)
	}
	// Untouched interfaces keep coming from the snapshot.
	before = f.count("ReadDirectLinkInterfaces")
	if got := readName("dxvif-00000003"); got != "if-3" {
		t.Errorf("name %q", got)
	}
	if n := f.count("ReadDirectLinkInterfaces") - before; n != 0 {
		t.Errorf("%d calls for an untouched interface, want 0", n)
	}
	// Absent from the snapshot: checked with its own call, then not found.
	before = f.count("ReadDirectLinkInterfaces")
	if _, err := c.ReadInterface(ctx, "dxvif-0000ffff", FromSnapshot); !IsNotFound(err) {
		t.Errorf("absent interface: %v, want not found", err)
	}
	if n := f.count("ReadDirectLinkInterfaces") - before; n != 1 {
		t.Errorf("%d calls for an absent interface, want 1", n)
	}
}

func TestSnapshotIsRetakenWhenOld(t *testing.T) {
	store := newInterfaceStore(2)
	f := storeAPI(t, store, nil)
	c := newTestClient(t, f.config())
	now := time.Unix(5000, 0)
	c.batch.now = func() time.Time { return now }
	ctx := context.Background()
	if _, err := c.ReadInterface(ctx, "dxvif-00000000", FromSnapshot); err != nil {
		t.Fatal(err)
	}
	store.set("dxvif-00000000", "State", "deleting")
	now = now.Add(time.Minute)
	if it, _ := c.ReadInterface(ctx, "dxvif-00000000", FromSnapshot); it.State != StateAvailable {
		t.Fatalf("a 1-minute-old snapshot should serve reads; got %s", it.State)
	}
	now = now.Add(defaultSnapshotMaxAge)
	if it, _ := c.ReadInterface(ctx, "dxvif-00000000", FromSnapshot); it.State != StateDeleting {
		t.Fatalf("an old snapshot served a read: state %s, want deleting", it.State)
	}
	if n := f.count("ReadDirectLinkInterfaces"); n != 2 {
		t.Errorf("calls = %d, want 2 snapshots", n)
	}
}

func TestListInterfacesFromTheSnapshot(t *testing.T) {
	store := newInterfaceStore(6) // dxcon-00000000 holds even ones, dxcon-00000001 odd ones
	f := storeAPI(t, store, nil)
	c := newTestClient(t, f.config())
	ctx := context.Background()
	list := func(f InterfaceFilter) string { t.Helper(); return listNames(t, c, f) }
	onOdd := InterfaceFilter{DirectLinkIDs: []string{"dxcon-00000001"}}
	if got := list(onOdd); got != "[dxvif-00000001=if-1 dxvif-00000003=if-3 dxvif-00000005=if-5]" {
		t.Errorf("list = %s", got)
	}
	if got := list(InterfaceFilter{InterfaceIDs: []string{"dxvif-00000002"}}); got != "[dxvif-00000002=if-2]" {
		t.Errorf("list by ID = %s", got)
	}
	if n := f.count("ReadDirectLinkInterfaces"); n != 1 {
		t.Errorf("calls = %d, want 1 (the snapshot)", n)
	}
	if _, err := c.UpdateInterfaceMTU(ctx, "dxvif-00000003", 1500); err != nil {
		t.Fatal(err)
	}
	if got := list(onOdd); got != "[dxvif-00000001=if-1 dxvif-00000003=updated dxvif-00000005=if-5]" {
		t.Errorf("list after our update = %s", got)
	}
}

// A create whose answer is lost may still have created the interface; the
// provider then lists the DirectLink's interfaces to adopt it, and must see it.
func TestFailedCreateDropsTheSnapshot(t *testing.T) {
	store := newInterfaceStore(2)
	f := storeAPI(t, store, nil)
	c := newTestClient(t, f.config())
	ctx := context.Background()
	if _, err := c.ListInterfaces(ctx, InterfaceFilter{Freshness: FromSnapshot}); err != nil {
		t.Fatal(err)
	}
	f.handle = func(api, action string, body []byte) (int, http.Header, any) {
		if action == "CreateDirectLinkInterface" {
			store.mu.Lock()
			store.ifs = append(store.ifs, map[string]any{"DirectLinkInterfaceId": "dxvif-0000cafe", "DirectLinkId": "dxcon-00000000", "Vlan": 999, "State": "pending"})
			store.mu.Unlock()
			return oscErr(500, "0", "DefaultError", "the answer was lost")
		}
		return store.read(body)
	}
	_, err := c.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: "dxcon-00000000", Name: "x", VLAN: 999, BGPASN: 1, VirtualGatewayID: "vgw-12345678"})
	if err == nil {
		t.Fatal("create succeeded")
	}
	got, err := c.ListInterfaces(ctx, InterfaceFilter{Freshness: FromSnapshot, DirectLinkIDs: []string{"dxcon-00000000"}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range got {
		found = found || (it.ID == "dxvif-0000cafe" && it.VLAN == 999)
	}
	if !found {
		t.Fatalf("list after a failed create = %+v: the interface it created is missing", got)
	}
}

// Creates run in parallel: a listing already under way when a create's
// answer is lost may predate that create, so later listings must not join it.
func TestFailedCreateDoesNotJoinAnEarlierFetch(t *testing.T) {
	store := newInterfaceStore(2)
	release, entered := make(chan struct{}), make(chan struct{})
	f := storeAPI(t, store, blockFirst(entered, release))
	c := newTestClient(t, f.config())
	ctx := context.Background()

	early := make(chan error, 1)
	go func() {
		_, err := c.ListInterfaces(ctx, InterfaceFilter{Freshness: FromSnapshot})
		early <- err
	}()
	<-entered // the early listing is under way, before the create

	handle := f.handle
	f.mu.Lock()
	f.handle = func(api, action string, body []byte) (int, http.Header, any) {
		if action == "CreateDirectLinkInterface" {
			store.mu.Lock()
			store.ifs = append(store.ifs, map[string]any{"DirectLinkInterfaceId": "dxvif-0000beef", "DirectLinkId": "dxcon-00000000", "Vlan": 998, "State": "pending"})
			store.mu.Unlock()
			return oscErr(500, "0", "DefaultError", "the answer was lost")
		}
		return handle(api, action, body)
	}
	f.mu.Unlock()
	if _, err := c.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: "dxcon-00000000", Name: "x", VLAN: 998, BGPASN: 1, VirtualGatewayID: "vgw-12345678"}); err == nil {
		t.Fatal("create succeeded")
	}
	// Joining the early fetch would wait for it, which is held until after
	// this listing: the bound turns that into a failure.
	bounded, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	got, err := c.ListInterfaces(bounded, InterfaceFilter{Freshness: FromSnapshot, DirectLinkIDs: []string{"dxcon-00000000"}})
	close(release)
	if err != nil {
		t.Fatalf("list after a failed create: %v (it joined the fetch from before the create)", err)
	}
	if err := <-early; err != nil {
		t.Fatal(err)
	}
	for _, it := range got {
		if it.ID == "dxvif-0000beef" {
			return
		}
	}
	t.Fatalf("list after a failed create = %+v: it joined a fetch from before the create", got)
}

// listNames lists f from the snapshot, as "[id=name ...]".
func listNames(t *testing.T, c *Client, f InterfaceFilter) string {
	t.Helper()
	f.Freshness = FromSnapshot
	got, err := c.ListInterfaces(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, it := range got {
		out = append(out, it.ID+"="+it.Name)
	}
	return fmt.Sprint(out)
}
