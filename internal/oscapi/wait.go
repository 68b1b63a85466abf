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

// WaitInterface polls the interface with fresh reads (never the batch
// snapshot; polls of concurrent waits share calls, see coalescer) until it
// reaches a target state, fails, or ctx ends.
//
// The first poll is immediate; the interval then starts at PollMinInterval
// and grows by half each poll up to PollMaxInterval, and falls back to
// PollMinInterval whenever the state changes, as one change often announces
// the next (pending soon becomes available).
//
// It returns the interface in its target state (nil when NotFoundIsTarget
// and it is gone). A state outside Target and Pending ends the wait with an
// *UnexpectedStateError; the end of ctx with a *WaitTimeoutError naming the
// last state seen. Both come with the last interface seen, if any.
func (c *Client) WaitInterface(ctx context.Context, id string, opts WaitOptions) (*Interface, error) {
	ctx = c.logCtx(ctx)
	start := time.Now()
	interval := c.cfg.PollMinInterval
	var (
		last  *Interface
		state string
	)
	for poll := 0; ; poll++ {
		it, err := c.readOne(ctx, id)
		switch {
		case err == nil:
		case IsNotFound(err):
			it = nil
		case ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
			return last, waitEnded(ctx, id, state, opts.Target, start)
		default:
			return last, err
		}

		seen := stateGone
		if it != nil {
			seen = it.State
			last = it
		}
		if poll == 0 || seen != state {
			if poll > 0 {
				tflog.SubsystemInfo(ctx, subsystem, "DirectLink interface changed state", map[string]any{
					"interface_id": id,
					"from":         state,
					"to":           seen,
					"elapsed_ms":   time.Since(start).Milliseconds(),
				})
				if opts.OnTransition != nil {
					opts.OnTransition(state, seen)
				}
				interval = c.cfg.PollMinInterval
			}
			state = seen
		}

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

		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return last, waitEnded(ctx, id, state, opts.Target, start)
		case <-t.C:
		}
		interval = min(interval*3/2, c.cfg.PollMaxInterval)
	}
}

// waitEnded is the error of a wait whose context ended: interrupted
// (cancelled) or timed out (deadline; a deadline about to pass counts as
// passed: the limiter refuses a call it cannot send before it).
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
