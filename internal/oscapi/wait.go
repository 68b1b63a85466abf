package oscapi

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// stateGone is how a wait names "the interface is not found" in transitions
// and errors.
const stateGone = "not found"

// WaitInterface follows the interface through the client's shared poller
// (one filtered call per tick for every wait of the client; see poller)
// until it reaches a target state, fails, or ctx ends. The first poll comes
// within coalesceWindow, then one a tick (PollMinInterval, at most 1 s):
// a transition is noticed at most one tick after it happens.
//
// It returns the interface in its target state (nil when NotFoundIsTarget
// and it is gone). A state outside Target and Pending ends the wait with an
// *UnexpectedStateError; a deadline with a *WaitTimeoutError, a
// cancellation with a *WaitInterruptedError, both naming the last state
// seen. All come with the last interface seen, if any.
func (c *Client) WaitInterface(ctx context.Context, id string, opts WaitOptions) (*Interface, error) {
	ctx = c.logCtx(ctx)
	start := time.Now()
	w := c.poller.watch(ctx, id)
	defer c.poller.unwatch(w)
	var (
		last  *Interface
		state string
	)
	for poll := 0; ; poll++ {
		var r pollResult
		select {
		case r = <-w.results:
		case <-ctx.Done():
			return last, waitEnded(ctx, id, state, opts.Target, start)
		}
		it, err := r.it, r.err
		switch {
		case err == nil && it == nil:
			err = notFound(id)
		case err != nil && (ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded)):
			return last, waitEnded(ctx, id, state, opts.Target, start)
		case err != nil:
			return last, err
		}

		seen := stateGone
		if it != nil {
			seen = it.State
			last = it
		}
		if poll > 0 && seen != state {
			tflog.SubsystemInfo(ctx, subsystem, "DirectLink interface changed state", map[string]any{
				"interface_id": id,
				"from":         state,
				"to":           seen,
				"elapsed_ms":   time.Since(start).Milliseconds(),
			})
			if opts.OnTransition != nil {
				opts.OnTransition(state, seen)
			}
		}
		state = seen

		switch {
		case it == nil && opts.NotFoundIsTarget:
			return nil, nil
		case it == nil:
			return last, &UnexpectedStateError{ID: id, State: stateGone, Expected: opts.Target, Err: err}
		case slices.Contains(opts.Target, seen):
			return it, nil
		case !slices.Contains(opts.Pending, seen):
			return it, &UnexpectedStateError{ID: id, State: seen, Expected: opts.Target}
		}
	}
}

// waitEnded is the error of a wait whose context ended: interrupted
// (cancelled) or timed out (the deadline passed, while polling or while a
// call queued at the limiter).
func waitEnded(ctx context.Context, id, state string, target []string, start time.Time) error {
	elapsed := time.Since(start)
	if cause := context.Cause(ctx); errors.Is(cause, context.Canceled) {
		return &WaitInterruptedError{ID: id, LastState: state, Expected: target, Elapsed: elapsed, Err: cause}
	}
	cause := context.Cause(ctx)
	if cause == nil {
		cause = context.DeadlineExceeded
	}
	return &WaitTimeoutError{ID: id, LastState: state, Expected: target, Elapsed: elapsed, Err: cause}
}
