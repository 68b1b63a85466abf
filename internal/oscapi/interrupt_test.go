package oscapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Ctrl-C during a wait is an interrupt, told apart from a timeout, and both
// say which interface was left in which state.
func TestWaitInterruptedIsNotATimeout(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var reads atomic.Int64
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		if reads.Add(1) == 2 {
			cancel() // the user presses Ctrl-C during the second poll
		}
		return scriptedStates(StatePending)(api, action, body)
	})
	c := newTestClient(t, f.config())
	_, err := c.WaitInterface(ctx, "dxvif-00000001", WaitOptions{Target: []string{StateAvailable}, Pending: []string{StatePending}})
	var ie *WaitInterruptedError
	if !errors.As(err, &ie) || !IsInterrupted(err) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %T %v, want a *WaitInterruptedError that IsInterrupted", err, err)
	}
	if te := (*WaitTimeoutError)(nil); errors.As(err, &te) {
		t.Errorf("an interrupt reads as a timeout: %v", err)
	}
	if ie.ID != "dxvif-00000001" || ie.LastState != StatePending {
		t.Errorf("interrupt = %+v, want the ID and last state pending", ie)
	}

}

// Every error of a call whose context was cancelled is an interrupt, sent or
// not, on both APIs.
func TestCancelledCallsAreInterrupts(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	entered := make(chan struct{}, 10)
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		entered <- struct{}{}
		<-release
		return oscListOK()
	})
	c := newTestClient(t, f.config())
	calls := map[string]func(ctx context.Context) error{
		"create":  func(ctx context.Context) error { _, err := c.CreateInterface(ctx, ownCreate); return err },
		"confirm": func(ctx context.Context) error { return c.ConfirmInterface(ctx, "dxvif-00000001", "vgw-12345678") },
		"read":    func(ctx context.Context) error { _, err := c.ReadInterface(ctx, "dxvif-00000001", Fresh); return err },
		"list": func(ctx context.Context) error {
			_, err := c.ListInterfaces(ctx, InterfaceFilter{Freshness: FromSnapshot})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- call(ctx) }()
			<-entered
			cancel()
			if err := <-done; !IsInterrupted(err) {
				t.Errorf("err = %v, want an interrupt (errors.Is context.Canceled)", err)
			}
		})
		t.Run(name+" before sending", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if err := call(ctx); !IsInterrupted(err) {
				t.Errorf("err = %v, want an interrupt", err)
			}
		})
	}
}

// A read shared by several readers stops when the last of them is
// cancelled: the server sees the request abandoned, not left running for
// nobody.
func TestSharedReadsStopWithTheirLastReader(t *testing.T) {
	reads := map[string]func(c *Client, ctx context.Context, id string) error{
		"fresh batch": func(c *Client, ctx context.Context, id string) error {
			_, err := c.ReadInterface(ctx, id, Fresh)
			return err
		},
		"snapshot fetch": func(c *Client, ctx context.Context, id string) error {
			_, err := c.ReadInterface(ctx, id, FromSnapshot)
			return err
		},
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			entered, abandoned := make(chan struct{}, 1), make(chan struct{})
			var once sync.Once
			// The server answers only when the client gives up (or after
			// 10 s, which fails the test).
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				// The server notices a closed connection once the body is read.
				_, _ = io.ReadAll(r.Body)
				select {
				case entered <- struct{}{}:
				default:
				}
				select {
				case <-r.Context().Done():
					once.Do(func() { close(abandoned) })
				case <-time.After(10 * time.Second):
					w.WriteHeader(http.StatusInternalServerError)
				}
			}))
			t.Cleanup(srv.Close)
			c := newTestClient(t, endpointConfig(strings.TrimPrefix(srv.URL, "http://")))
			ctx1, cancel1 := context.WithCancel(context.Background())
			ctx2, cancel2 := context.WithCancel(context.Background())
			errs := make(chan error, 2)
			go func() { errs <- read(c, ctx1, "dxvif-00000001") }()
			go func() { errs <- read(c, ctx2, "dxvif-00000002") }()
			<-entered
			cancel1()
			if err := <-errs; !IsInterrupted(err) {
				t.Errorf("first reader: %v, want an interrupt", err)
			}
			select {
			case <-abandoned:
				t.Fatal("the call was abandoned while a reader still waited for it")
			default:
			}
			cancel2()
			if err := <-errs; !IsInterrupted(err) {
				t.Errorf("last reader: %v, want an interrupt", err)
			}
			select {
			case <-abandoned:
			case <-time.After(5 * time.Second):
				t.Fatal("the shared call went on after its last reader was cancelled")
			}
		})
	}
}
