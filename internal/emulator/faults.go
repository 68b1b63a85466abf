package emulator

import (
	"fmt"
	"net/http"
	"time"
)

// Injected faults: throttling, latency, dropped answers, 5xx answers to
// requests carried out, and gateway 503 pages. Draws come from
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

func (e *Emulator) drawFailAfterCommit() bool {
	e.faultMu.Lock()
	defer e.faultMu.Unlock()
	return e.commit5x > 0 && e.rng.Float64() < e.commit5x
}

func (e *Emulator) drawPlain503() bool {
	e.faultMu.Lock()
	defer e.faultMu.Unlock()
	return e.plain503 > 0 && e.rng.Float64() < e.plain503
}

// SetFailAfterCommit changes at run time the fraction of mutating requests
// carried out and then answered Options.FailAfterCommitStatus.
func (e *Emulator) SetFailAfterCommit(fraction float64) {
	e.faultMu.Lock()
	defer e.faultMu.Unlock()
	e.commit5x = clamp01(fraction)
}

// SetFail503Plain changes at run time the fraction of requests answered with
// a gateway's 503 page.
func (e *Emulator) SetFail503Plain(fraction float64) {
	e.faultMu.Lock()
	defer e.faultMu.Unlock()
	e.plain503 = clamp01(fraction)
}

// writeGatewayPage answers as a reverse proxy in front of the API does when
// the API behind it fails: an HTML page, in neither API's error format, so
// nothing in it says whether the request was carried out.
func writeGatewayPage(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	text := http.StatusText(status)
	_, _ = fmt.Fprintf(w, "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n</body>\r\n</html>\r\n", status, text, status, text)
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
