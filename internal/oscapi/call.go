package oscapi

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

const (
	apiOSC        = "OUTSCALE API"
	apiDirectLink = "DirectLink API"
)

// maxTransportRetries bounds the resends after failures without an answer
// (refused or failed connections, dropped answers of reads): an endpoint
// that does not answer three times in a row is not going to, and the user
// should hear it within seconds, not after the throttling budget.
const maxTransportRetries = 2

// errResponseDeadline is the cause of an attempt's context when
// Config.ResponseTimeout passed before the answer was in.
var errResponseDeadline = errors.New("response deadline passed")

// call runs fn, one SDK call, under the client's policy: rate limit, a
// response deadline per attempt, retries with backoff, classification of the
// failure into an *Error, secrets masked, and logging.
//
// Throttling answers are retried for every call (the API did not carry the
// request out). Other failures are retried only for idempotent calls, but a
// mutating call is also sent again when the request provably never reached
// the server (NotSent). A response deadline is never followed by a resend.
func (c *Client) call(ctx context.Context, api, action string, idempotent bool, fn func(context.Context) error) error {
	ctx = c.logCtx(ctx)
	var last *Error
	first := time.Now()
	transportRetries := 0
	for attempt := 1; ; attempt++ {
		if err := c.limiter.wait(ctx, laneOf(ctx)); err != nil {
			return c.gaveUp(ctx, api, action, err, last, true)
		}
		if err := ctx.Err(); err != nil {
			// A rate limiter with a token to spare does not look at ctx.
			return c.gaveUp(ctx, api, action, err, last, true)
		}
		actx, x, cancel := c.attemptContext(ctx, idempotent)
		start := time.Now()
		err := fn(actx)
		timedOut := err != nil && errors.Is(context.Cause(actx), errResponseDeadline)
		cancel()
		fields := map[string]any{
			"api":         api,
			"action":      action,
			"attempt":     attempt,
			"duration_ms": time.Since(start).Milliseconds(),
			"http_status": x.status,
		}
		if err == nil {
			c.limiter.succeeded()
			fields["request_id"] = requestID(api, x)
			tflog.SubsystemDebug(ctx, subsystem, "API call succeeded", fields)
			return nil
		}
		if x.status == 0 && ctx.Err() != nil {
			return c.gaveUp(ctx, api, action, ctx.Err(), last, !x.sent())
		}

		e := classify(api, action, x, err)
		if e.Kind == KindTransport {
			e.NotSent = !x.sent() || dialFailed(err)
			e.Message = c.transportMessage(api, err, timedOut)
		}
		e.Message = c.secrets.mask(e.Message)
		fields["request_id"] = e.RequestID
		fields["error_kind"] = e.Kind.String()
		fields["error_code"] = e.Code
		fields["error_message"] = e.Message
		if e.Kind == KindThrottled {
			c.limiter.throttled()
		}
		retry := retryable(e, idempotent) && attempt <= c.cfg.MaxRetries
		if e.Kind == KindTransport {
			retry = retry && !timedOut && transportRetries < maxTransportRetries &&
				time.Since(first) < c.cfg.ResponseTimeout
			transportRetries++
		}
		if !retry {
			tflog.SubsystemDebug(ctx, subsystem, "API call failed", fields)
			return e
		}
		delay := backoff(c.retryBase, c.retryCap, attempt)
		if ra := retryAfter(x.header); ra > delay {
			delay = ra
		}
		fields["retry_in_ms"] = delay.Milliseconds()
		tflog.SubsystemDebug(ctx, subsystem, "API call failed, will retry", fields)
		last = e
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			// Only a call known not carried out (or throttled) is retried,
			// so nothing of it was done when it is given up here.
			return c.gaveUp(ctx, api, action, ctx.Err(), last, true)
		case <-t.C:
		}
	}
}

// attemptContext is the context of one attempt: bounded by the response
// deadline, and recording the exchange.
//
// A mutating request (idempotent false) that was written before ctx ended (an
// interrupt, the operation's deadline) is not abandoned: its answer is
// awaited, up to the response deadline, because it carries the outcome. An
// abandoned create leaves an interface that no state records (its ID was in
// the answer); an abandoned delete or confirmation leaves the user guessing.
// Until a connection is obtained, ctx still cancels the attempt, so an
// interrupt during a dial or a TLS handshake stops at once. From the first
// byte written it does not: the server may have the whole request before the
// client learns that it was written, so an attempt cut there could be taken
// for one never sent while the API carries it out.
func (c *Client) attemptContext(ctx context.Context, idempotent bool) (context.Context, *exchange, context.CancelFunc) {
	if idempotent {
		actx, cancel := context.WithTimeoutCause(ctx, c.cfg.ResponseTimeout, errResponseDeadline)
		actx, x := withExchange(actx)
		return actx, x, cancel
	}
	actx, cancelDeadline := context.WithTimeoutCause(context.WithoutCancel(ctx), c.cfg.ResponseTimeout, errResponseDeadline)
	actx, cancelUnsent := context.WithCancelCause(actx)
	actx, x := withExchange(actx)
	stop := context.AfterFunc(ctx, func() {
		if !x.writing() {
			cancelUnsent(context.Cause(ctx))
			return
		}
		tflog.SubsystemDebug(ctx, subsystem, "a request already sent when the operation ended: waiting for its answer", map[string]any{
			"wait_up_to_ms": c.cfg.ResponseTimeout.Milliseconds(),
		})
	})
	return actx, x, func() {
		stop()
		cancelUnsent(nil)
		cancelDeadline()
	}
}

// retryable says whether a failed attempt may be sent again.
func retryable(e *Error, idempotent bool) bool {
	switch e.Kind {
	case KindThrottled:
		return true
	case KindServer:
		return idempotent
	case KindTransport:
		return !tlsRefused(e.Err) && (idempotent || e.NotSent)
	default:
		return false
	}
}

// backoff is exponential backoff with full jitter: a uniform draw in
// [0, min(limit, base*2^(attempt-1))], so that clients throttled together do
// not come back together.
func backoff(base, limit time.Duration, attempt int) time.Duration {
	ceiling := limit
	if attempt < 32 {
		if d := base << (attempt - 1); d > 0 && d < limit {
			ceiling = d
		}
	}
	if ceiling <= 0 {
		return 0
	}
	return rand.N(ceiling + 1)
}

// retryAfter reads a Retry-After header (seconds or an HTTP date), capped.
func retryAfter(h http.Header) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = time.Until(t)
	}
	return min(max(d, 0), maxRetryAfter)
}

// gaveUp is the error of a call ended by its context (interrupted, or past
// its deadline), carrying the last API answer when there was one (e.g. the
// throttling that kept it retrying). It wraps the context's error, so that
// errors.Is(err, context.Canceled) holds for an interrupt. notSent says the
// request of the final attempt is known not to have reached the server.
func (c *Client) gaveUp(ctx context.Context, api, action string, cause error, last *Error, notSent bool) error {
	if ctx.Err() != nil {
		cause = ctx.Err()
	}
	how := "the operation's deadline passed"
	if errors.Is(cause, context.Canceled) {
		how = "interrupted (the operation was cancelled)"
	}
	if last == nil {
		msg := fmt.Sprintf("%s before %s answered", how, c.endpoint(api))
		if !notSent {
			msg += "; the request had been sent, so it may have been carried out"
		}
		return &Error{Kind: KindTransport, Action: action, Message: msg, NotSent: notSent, Err: cause}
	}
	e := *last
	e.Message = fmt.Sprintf("%s (still failing when %s)", last.Message, how)
	e.NotSent = e.NotSent || notSent
	e.Err = errors.Join(cause, last)
	return &e
}
