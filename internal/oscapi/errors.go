package oscapi

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Kind classifies an API failure so that callers never parse error codes.
type Kind int

const (
	KindUnknown    Kind = iota
	KindNotFound        // the object does not exist or is not visible to the caller
	KindThrottled       // the API refused for rate (after retries were exhausted)
	KindConflict        // e.g. VLAN already in use, wrong state for the action
	KindAuth            // bad credentials, signature, or permission
	KindValidation      // the API refused the parameters
	KindServer          // 5xx after retries
	KindTransport       // no answer (connection refused, timeout, lost answer)
)

func (k Kind) String() string {
	switch k {
	case KindNotFound:
		return "not found"
	case KindThrottled:
		return "throttled"
	case KindConflict:
		return "conflict"
	case KindAuth:
		return "authentication"
	case KindValidation:
		return "validation"
	case KindServer:
		return "server error"
	case KindTransport:
		return "transport"
	default:
		return "unknown"
	}
}

// Error is every failure the API layer returns. Message never contains a
// secret (secret key, BGP key, signature).
type Error struct {
	Kind       Kind
	Action     string // e.g. "CreateDirectLinkInterface", "AllocatePrivateVirtualInterface"
	HTTPStatus int    // 0 when no answer was received
	Code       string // the API's own code ("4045", "DirectConnectClientException"), for support
	Message    string // the API's own words
	RequestID  string // the API's request ID, when it gave one
	// NotSent is true when the request provably never reached the server
	// (the connection could not be opened, or the call ended before a byte
	// of it was written): even a mutating call is then known not done.
	NotSent bool
	Err     error // underlying cause, if any
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %s", e.Action, e.Message)
	if e.Code != "" {
		msg += fmt.Sprintf(" (code %s)", e.Code)
	}
	if e.RequestID != "" {
		msg += fmt.Sprintf(" [request ID %s]", e.RequestID)
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of err, KindUnknown if it is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// MaybeDone reports whether a mutating call (create, allocate, delete,
// confirm, update) that failed with err may nevertheless have been carried
// out: a 5xx that is not throttling, or a request that was sent and whose
// answer never came (dropped connection, response deadline, interruption
// after sending). The client never sends such a call again by itself; the
// caller finds out by reading.
func MaybeDone(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Kind {
	case KindServer:
		return true
	case KindTransport:
		return !e.NotSent
	default:
		return false
	}
}

// IsInterrupted reports whether err comes from the caller's context being
// cancelled (Ctrl-C in Terraform), as opposed to a deadline (a timeout).
func IsInterrupted(err error) bool { return errors.Is(err, context.Canceled) }

func IsNotFound(err error) bool   { return KindOf(err) == KindNotFound }
func IsThrottled(err error) bool  { return KindOf(err) == KindThrottled }
func IsConflict(err error) bool   { return KindOf(err) == KindConflict }
func IsAuth(err error) bool       { return KindOf(err) == KindAuth }
func IsValidation(err error) bool { return KindOf(err) == KindValidation }

// RequestID returns the API request ID carried by err, or "".
func RequestID(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.RequestID
	}
	return ""
}

// UnexpectedStateError ends a wait that met a state it cannot leave for a
// target (rejected, expired, deleted, or a state it does not know).
type UnexpectedStateError struct {
	ID       string
	State    string
	Expected []string
	// Err is the API's not-found error when the interface disappeared
	// (State "not found"), so that IsNotFound holds for it too; else nil.
	Err error
}

func (e *UnexpectedStateError) Unwrap() error { return e.Err }

func (e *UnexpectedStateError) Error() string {
	return fmt.Sprintf("DirectLink interface %s reached state %q while waiting for %v", e.ID, e.State, e.Expected)
}

// WaitTimeoutError ends a wait whose deadline (the resource's timeout)
// passed before a target state was reached. It unwraps to the context's
// error (context.DeadlineExceeded).
type WaitTimeoutError struct {
	ID        string
	LastState string // "" if the interface was never seen
	Expected  []string
	Elapsed   time.Duration
	Err       error
}

func (e *WaitTimeoutError) Error() string {
	return fmt.Sprintf("timed out after %s waiting for DirectLink interface %s to reach %v; last seen state: %s",
		e.Elapsed.Round(time.Second), e.ID, e.Expected, lastSeen(e.LastState))
}

func (e *WaitTimeoutError) Unwrap() error { return e.Err }

// WaitInterruptedError ends a wait whose context was cancelled (Ctrl-C)
// before a target state was reached; its fields are WaitTimeoutError's. It
// unwraps to context.Canceled, so IsInterrupted holds for it.
type WaitInterruptedError WaitTimeoutError

func (e *WaitInterruptedError) Error() string {
	return fmt.Sprintf("interrupted after %s while waiting for DirectLink interface %s to reach %v; last seen state: %s",
		e.Elapsed.Round(time.Second), e.ID, e.Expected, lastSeen(e.LastState))
}

func (e *WaitInterruptedError) Unwrap() error { return e.Err }

func lastSeen(state string) string {
	if state == "" {
		return "unknown"
	}
	return state
}
