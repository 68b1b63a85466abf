package oscapi

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

const (
	apiOSC        = "OUTSCALE API"
	apiDirectLink = "DirectLink API"
)

// call runs fn, one SDK call, under the client's policy: rate limit, retries
// with backoff, classification of the failure into an *Error, and logging.
//
// Throttling answers are retried for every call (the API did not carry the
// request out). 5xx answers and lost answers are retried only for idempotent
// calls; a mutating call is sent again only when the connection could not
// even be opened.
func (c *Client) call(ctx context.Context, api, action string, idempotent bool, fn func(context.Context) error) error {
	ctx = c.logCtx(ctx)
	var last *Error
	for attempt := 1; ; attempt++ {
		if err := c.limiter.Wait(ctx); err != nil {
			return gaveUp(ctx, action, err, last)
		}
		actx, x := withExchange(ctx)
		start := time.Now()
		err := fn(actx)
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
			return gaveUp(ctx, action, ctx.Err(), last)
		}

		e := classify(api, action, x, err)
		if c.cfg.SecretKey != "" {
			e.Message = strings.ReplaceAll(e.Message, c.cfg.SecretKey, masked)
		}
		fields["request_id"] = e.RequestID
		fields["error_kind"] = e.Kind.String()
		fields["error_code"] = e.Code
		fields["error_message"] = e.Message
		if e.Kind == KindThrottled {
			c.limiter.throttled()
		}
		retry := retryable(e, idempotent) && attempt <= c.cfg.MaxRetries
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
			return gaveUp(ctx, action, ctx.Err(), last)
		case <-t.C:
		}
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
		return !tlsRefused(e.Err) && (idempotent || dialFailed(e.Err))
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

// gaveUp is the error of a call ended by its context, carrying the last API
// answer when there was one (e.g. the throttling that kept it retrying).
func gaveUp(ctx context.Context, action string, cause error, last *Error) error {
	if ctx.Err() != nil {
		cause = ctx.Err()
	}
	if last == nil {
		return &Error{Kind: KindTransport, Action: action, Message: fmt.Sprintf("no answer before the operation ended: %v", cause), Err: cause}
	}
	e := *last
	e.Message = fmt.Sprintf("%s (still failing when the operation ended: %v)", last.Message, cause)
	e.Err = errors.Join(cause, last)
	return &e
}
