package oscapi

import (
	"errors"
	"fmt"
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
	Err        error  // underlying cause, if any
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

// WaitTimeoutError ends a wait whose context ended (the resource's timeout)
// before a target state was reached. It unwraps to the context's error.
type WaitTimeoutError struct {
	ID        string
	LastState string // "" if the interface was never seen
	Expected  []string
	Err       error
}

func (e *WaitTimeoutError) Error() string {
	last := e.LastState
	if last == "" {
		last = "unknown"
	}
	return fmt.Sprintf("timed out waiting for DirectLink interface %s to reach %v; last seen state: %s", e.ID, e.Expected, last)
}

func (e *WaitTimeoutError) Unwrap() error { return e.Err }
