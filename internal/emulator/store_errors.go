package emulator

import "fmt"

// apiError is a refusal by the store, in terms both APIs translate into
// their own error answer.
type apiError struct {
	Kind    errKind
	Field   string // the request field at fault, in OUTSCALE API spelling, if any
	Message string
}

func (e *apiError) Error() string { return e.Message }

type errKind int

const (
	errInvalidValue    errKind = iota + 1 // a malformed or unsupported value
	errOutOfRange                         // a number outside its range
	errMissing                            // a required value is absent
	errBadCombination                     // values valid alone but not together
	errNotFound                           // no such object visible to the caller
	errConflict                           // e.g. VLAN already in use
	errInvalidState                       // the object's state forbids the action
	errForbidden                          // visible, but the caller may not do this
	errInsufficientCap                    // no free address left
)

// notFoundKind says which object a not-found refers to; each API names it its own way.
type notFoundKind int

const (
	nfInterface notFoundKind = iota + 1
	nfDirectLink
	nfGateway
	nfAccount
)

type notFoundError struct {
	What notFoundKind
	ID   string
}

func (e *notFoundError) Error() string {
	switch e.What {
	case nfInterface:
		return fmt.Sprintf("The DirectLink interface %s does not exist.", e.ID)
	case nfDirectLink:
		return fmt.Sprintf("The DirectLink %s does not exist.", e.ID)
	case nfGateway:
		return fmt.Sprintf("The virtual gateway %s does not exist.", e.ID)
	default:
		return fmt.Sprintf("The account %s does not exist.", e.ID)
	}
}

func invalid(field, format string, args ...any) *apiError {
	return &apiError{Kind: errInvalidValue, Field: field, Message: fmt.Sprintf(format, args...)}
}

func outOfRange(field, format string, args ...any) *apiError {
	return &apiError{Kind: errOutOfRange, Field: field, Message: fmt.Sprintf(format, args...)}
}
