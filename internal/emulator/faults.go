package emulator

import (
	"net/http"
	"time"
)

// Injected faults: throttling, latency and dropped answers. Draws come from
// one seeded generator, so a run with a fixed Seed and the same sequence of
// requests meets the same faults.

func (e *Emulator) drawThrottle() bool {
	e.faultMu.Lock()
	defer e.faultMu.Unlock()
	return e.throttle > 0 && e.rng.Float64() < e.throttle
}

func (e *Emulator) drawDrop() bool {
	e.faultMu.Lock()
	defer e.faultMu.Unlock()
	return e.drop > 0 && e.rng.Float64() < e.drop
}

// throttleKind is which of OUTSCALE's three limiters refused the request.
type throttleKind int

const (
	throttlePerAccount throttleKind = iota
	throttlePerCall
	throttlePlatform
)

// drawThrottleKind mixes OUTSCALE's throttling answers so that clients meet
// all of them: mostly the per-account limiter (429, code 24), sometimes the
// per-call one (429, code 25) or the platform one (503, code 6).
func (e *Emulator) drawThrottleKind() throttleKind {
	e.faultMu.Lock()
	defer e.faultMu.Unlock()
	switch x := e.rng.Float64(); {
	case x < 0.6:
		return throttlePerAccount
	case x < 0.8:
		return throttlePerCall
	default:
		return throttlePlatform
	}
}

func oscThrottleReply(requestID string, kind throttleKind) reply {
	oe := &oscError{Status: http.StatusTooManyRequests, Code: oscCodeThrottledAccount, Type: "AccessDenied",
		Details: "ErrorOperationThrottledPerAccount: Request rate exceeded."}
	switch kind {
	case throttlePerCall:
		oe.Code, oe.Details = oscCodeThrottledCall, "ErrorOperationThrottledPerCall: Request rate exceeded."
	case throttlePlatform:
		oe.Status, oe.Code, oe.Details = http.StatusServiceUnavailable, oscCodeThrottledPlatform, "ErrorOperationThrottledWholePlatform: Request rate exceeded."
	}
	return oscErrorReply(requestID, oe)
}

// wait holds the answer for the configured latency, measured from now (the
// request has been read and served). It reports false if the client left.
func (e *Emulator) wait(r *http.Request) bool {
	if e.opts.Latency <= 0 {
		return true
	}
	t := time.NewTimer(e.opts.Latency)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// dropConnection closes the connection without answering: the client sees
// its request fail (EOF / connection reset) although the emulator carried it
// out, as when a network cut loses an answer.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 cannot hand over its connection: abort the stream instead.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
