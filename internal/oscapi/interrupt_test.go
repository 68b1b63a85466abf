package oscapi

import (
	"context"
	"errors"
	"fmt"
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

// A read cancelled in flight, or any call cancelled before it is sent, stops
// at once as an interrupt, on both APIs.
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
	reads := map[string]func(ctx context.Context) error{
		"read": func(ctx context.Context) error { _, err := c.ReadInterface(ctx, "dxvif-00000001", Fresh); return err },
		"list": func(ctx context.Context) error {
			_, err := c.ListInterfaces(ctx, InterfaceFilter{Freshness: FromSnapshot})
			return err
		},
	}
	for name, call := range reads {
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
	}
	writes := map[string]func(ctx context.Context) error{
		"create":  func(ctx context.Context) error { _, err := c.CreateInterface(ctx, ownCreate); return err },
		"confirm": func(ctx context.Context) error { return c.ConfirmInterface(ctx, "dxvif-00000001", "vgw-12345678") },
		"delete":  func(ctx context.Context) error { return c.DeleteInterface(ctx, "dxvif-00000001") },
	}
	for name, call := range writes {
		t.Run(name+" before sending", func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			err := call(ctx)
			if !IsInterrupted(err) || MaybeDone(err) {
				t.Errorf("err = %v (MaybeDone %v), want an interrupt known not carried out", err, MaybeDone(err))
			}
		})
	}
	if n := f.total(); n != len(reads) {
		t.Errorf("the API got %d requests, want %d: a call cancelled before sending was sent", n, len(reads))
	}
}

// A create, delete or confirmation already sent when the user presses Ctrl-C
// is not abandoned: its answer is awaited and returned, so that the ID of
// what a create made reaches the state. An answer that does not come within
// the response deadline ends the call as an interrupt that may have been
// carried out.
func TestInterruptedWritesWaitForTheirAnswer(t *testing.T) {
	writes := []struct {
		name   string
		answer func() (int, http.Header, any)
		call   func(ctx context.Context, c *Client) error
	}{
		{"create", oscCreateOK, func(ctx context.Context, c *Client) error {
			iface, err := c.CreateInterface(ctx, ownCreate)
			if err == nil && iface.ID != "dxvif-00000001" {
				return fmt.Errorf("created %q, want the ID of the answer", iface.ID)
			}
			return err
		}},
		{"hosted create", dlAllocateOK, func(ctx context.Context, c *Client) error {
			iface, err := c.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: "dxcon-12345678", Name: "h", VLAN: 10, BGPASN: 65000, OwnerAccountID: "123456789000"})
			if err == nil && iface.ID != "dxvif-00000002" {
				return fmt.Errorf("created %q, want the ID of the answer", iface.ID)
			}
			return err
		}},
		{"confirm", func() (int, http.Header, any) {
			return http.StatusOK, nil, map[string]any{"virtualInterfaceState": "pending"}
		},
			func(ctx context.Context, c *Client) error {
				return c.ConfirmInterface(ctx, "dxvif-00000001", "vgw-12345678")
			}},
		{"delete", func() (int, http.Header, any) { return oscOK(map[string]any{}) },
			func(ctx context.Context, c *Client) error { return c.DeleteInterface(ctx, "dxvif-00000001") }},
	}
	for _, w := range writes {
		t.Run(w.name, func(t *testing.T) {
			entered, release := make(chan struct{}, 1), make(chan struct{})
			var once sync.Once
			answer := func() { once.Do(func() { close(release) }) }
			defer answer() // a failing test must not leave the server waiting
			f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
				entered <- struct{}{}
				<-release
				return w.answer()
			})
			c := newTestClient(t, f.config())
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- w.call(ctx, c) }()
			<-entered
			cancel()
			select {
			case err := <-done:
				t.Fatalf("the call ended (%v) before the API answered: the outcome of a request already sent is lost", err)
			case <-time.After(100 * time.Millisecond):
			}
			answer()
			if err := <-done; err != nil {
				t.Errorf("err = %v, want the API's answer (success)", err)
			}
			if n := f.total(); n != 1 {
				t.Errorf("the API got %d requests, want 1", n)
			}
		})
	}

	t.Run("no answer within the response deadline", func(t *testing.T) {
		entered, release := make(chan struct{}, 1), make(chan struct{})
		defer close(release)
		f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
			entered <- struct{}{}
			<-release
			return oscCreateOK()
		})
		cfg := f.config()
		cfg.ResponseTimeout = 300 * time.Millisecond
		c := newTestClient(t, cfg)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { _, err := c.CreateInterface(ctx, ownCreate); done <- err }()
		<-entered
		cancel()
		err := <-done
		if !IsInterrupted(err) || !MaybeDone(err) {
			t.Fatalf("err = %v (MaybeDone %v), want an interrupt that may have been carried out", err, MaybeDone(err))
		}
		if !strings.Contains(err.Error(), "may have been carried out") {
			t.Errorf("err = %v, should say the create may have been carried out", err)
		}
	})
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
