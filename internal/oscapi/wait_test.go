package oscapi

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"
)

// scriptedStates answers the n-th ReadDirectLinkInterfaces with states[n]
// ("" = the interface is gone), repeating the last one.
func scriptedStates(states ...string) func(api, action string, body []byte) (int, http.Header, any) {
	var mu sync.Mutex
	n := 0
	return func(api, action string, body []byte) (int, http.Header, any) {
		mu.Lock()
		s := states[min(n, len(states)-1)]
		n++
		mu.Unlock()
		if s == "" {
			return oscOK(map[string]any{"DirectLinkInterfaces": []any{}})
		}
		return oscOK(map[string]any{"DirectLinkInterfaces": []any{map[string]any{"DirectLinkInterfaceId": "dxvif-00000001", "State": s}}})
	}
}

func TestWaitInterface(t *testing.T) {
	create := WaitOptions{Target: []string{StateConfirming, StateAvailable}, Pending: []string{StatePending}}
	del := WaitOptions{Target: []string{StateDeleted}, Pending: []string{StateDeleting, StateAvailable}, NotFoundIsTarget: true}
	cases := []struct {
		name            string
		states          []string
		opts            WaitOptions
		wantState       string // "" with no error: nil interface
		wantUnexpected  string
		wantTransitions []string
	}{
		{
			name: "pending then available", states: []string{"pending", "pending", "pending", "available"}, opts: create,
			wantState: StateAvailable, wantTransitions: []string{"pending>available"},
		},
		{
			name: "already at target", states: []string{"confirming"}, opts: create,
			wantState: StateConfirming,
		},
		{
			name: "rejected ends the wait", states: []string{"pending", "rejected"}, opts: create,
			wantUnexpected: StateRejected, wantTransitions: []string{"pending>rejected"},
		},
		{
			name: "unknown state ends the wait", states: []string{"pending", "verifying"}, opts: create,
			wantUnexpected: "verifying", wantTransitions: []string{"pending>verifying"},
		},
		{
			name: "gone while creating", states: []string{"pending", ""}, opts: create,
			wantUnexpected: stateGone, wantTransitions: []string{"pending>not found"},
		},
		{
			name: "gone is the target of a delete", states: []string{"deleting", "deleting", ""}, opts: del,
			wantTransitions: []string{"deleting>not found"},
		},
		{
			name: "deleted is a target of a delete", states: []string{"available", "deleting", "deleted"}, opts: del,
			wantState: StateDeleted, wantTransitions: []string{"available>deleting", "deleting>deleted"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t, scriptedStates(tc.states...))
			c := newTestClient(t, f.config())
			var transitions []string
			opts := tc.opts
			opts.OnTransition = func(from, to string) { transitions = append(transitions, from+">"+to) }
			got, err := c.WaitInterface(context.Background(), "dxvif-00000001", opts)
			if tc.wantUnexpected != "" {
				var ue *UnexpectedStateError
				if !errors.As(err, &ue) || ue.State != tc.wantUnexpected || ue.ID != "dxvif-00000001" {
					t.Fatalf("err = %v, want an unexpected state %q", err, tc.wantUnexpected)
				}
				if IsNotFound(err) != (tc.wantUnexpected == stateGone) {
					t.Errorf("IsNotFound = %v for state %q", IsNotFound(err), tc.wantUnexpected)
				}
			} else {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				if (got == nil) != (tc.wantState == "") || (got != nil && got.State != tc.wantState) {
					t.Fatalf("got %+v, want state %q", got, tc.wantState)
				}
			}
			if !reflect.DeepEqual(transitions, tc.wantTransitions) {
				t.Errorf("transitions %v, want %v", transitions, tc.wantTransitions)
			}
		})
	}
}

func TestWaitInterfaceDeadlineNamesTheLastState(t *testing.T) {
	f := newFakeAPI(t, scriptedStates("pending"))
	c := newTestClient(t, f.config())
	// Long enough for the first polls on a loaded machine.
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	got, err := c.WaitInterface(ctx, "dxvif-00000001", WaitOptions{Target: []string{StateAvailable}, Pending: []string{StatePending}})
	var te *WaitTimeoutError
	if !errors.As(err, &te) || te.LastState != StatePending || !errors.Is(err, context.DeadlineExceeded) || IsInterrupted(err) {
		t.Fatalf("err = %v, want a timeout (not an interrupt) naming state pending and wrapping the deadline", err)
	}
	if got == nil || got.ID != "dxvif-00000001" {
		t.Errorf("want the last interface seen with the timeout, got %+v", got)
	}
}

func TestWaitInterfaceIsNeverServedFromTheSnapshot(t *testing.T) {
	store := newInterfaceStore(3)
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) { return store.read(body) })
	c := newTestClient(t, f.config())
	ctx := context.Background()
	store.set("dxvif-00000001", "State", "pending")
	if it, err := c.ReadInterface(ctx, "dxvif-00000001", FromSnapshot); err != nil || it.State != StatePending {
		t.Fatalf("ReadInterface = %+v, %v", it, err)
	}
	store.set("dxvif-00000001", "State", "available")
	it, err := c.WaitInterface(ctx, "dxvif-00000001", WaitOptions{Target: []string{StateAvailable}, Pending: []string{StatePending}})
	if err != nil || it.State != StateAvailable {
		t.Fatalf("WaitInterface = %+v, %v: want the current state, not the snapshot's", it, err)
	}
}
