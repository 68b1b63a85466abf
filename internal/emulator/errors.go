package emulator

import (
	"errors"
	"fmt"
	"net/http"
)

// OUTSCALE API error answers. Codes and types are the ones OUTSCALE
// documents on its API errors page and returns for these calls; the VLAN
// conflict code is not published for DirectLink, so the emulator uses one
// from the ResourceConflict range (9000-9999), which clients treat as a
// conflict.
type oscError struct {
	Status  int
	Code    string
	Type    string
	Details string
}

func (e *oscError) Error() string { return fmt.Sprintf("[%s] %s: %s", e.Code, e.Type, e.Details) }

const (
	oscCodeAuthFailed        = "1"     // 401 AccessDenied
	oscCodeMethodNotAllowed  = "2"     // 405 AccessDenied
	oscCodeThrottledPlatform = "6"     // 503 AccessDenied
	oscCodeThrottledAccount  = "24"    // 429 AccessDenied
	oscCodeThrottledCall     = "25"    // 429 AccessDenied
	oscCodeUnknownParam      = "3001"  // 400 InvalidParameter
	oscCodeBadCombination    = "3002"  // 400 InvalidParameter
	oscCodeInvalidValue      = "4047"  // 400 InvalidParameterValue
	oscCodeBadIDPrefix       = "4104"  // 400 InvalidParameterValue
	oscCodeBadIDLength       = "4105"  // 400 InvalidParameterValue
	oscCodeWrongType         = "4110"  // 400 InvalidParameterValue
	oscCodeOutOfRange        = "4113"  // 400 InvalidParameterValue
	oscCodeGatewayNotFound   = "5068"  // 400 InvalidResource
	oscCodeDirectLinkNotFnd  = "5072"  // 400 InvalidResource
	oscCodeInterfaceNotFound = "5073"  // 400 InvalidResource
	oscCodeInvalidState      = "6003"  // 409 InvalidState
	oscCodeMissingParam      = "7000"  // 400 MissingParameter
	oscCodeVLANInUse         = "9061"  // 409 ResourceConflict
	oscCodeNoCapacity        = "10001" // 400 InsufficientCapacity
	oscCodeNotImplemented    = "0"     // 501 DefaultError: an action the emulator does not serve
)

func oscInvalid(code, format string, args ...any) *oscError {
	t := "InvalidParameterValue"
	switch code {
	case oscCodeUnknownParam, oscCodeBadCombination:
		t = "InvalidParameter"
	case oscCodeMissingParam:
		t = "MissingParameter"
	}
	return &oscError{Status: http.StatusBadRequest, Code: code, Type: t, Details: fmt.Sprintf(format, args...)}
}

// toOSCError translates a store refusal into the OUTSCALE API's answer.
func toOSCError(err error) *oscError {
	var oe *oscError
	if errors.As(err, &oe) {
		return oe
	}
	var nf *notFoundError
	if errors.As(err, &nf) {
		code := map[notFoundKind]string{nfInterface: oscCodeInterfaceNotFound, nfDirectLink: oscCodeDirectLinkNotFnd, nfGateway: oscCodeGatewayNotFound}[nf.What]
		return &oscError{Status: http.StatusBadRequest, Code: code, Type: "InvalidResource", Details: nf.Error()}
	}
	var ae *apiError
	if errors.As(err, &ae) {
		switch ae.Kind {
		case errOutOfRange:
			return oscInvalid(oscCodeOutOfRange, "%s", ae.Message)
		case errMissing:
			return oscInvalid(oscCodeMissingParam, "%s", ae.Message)
		case errBadCombination:
			return oscInvalid(oscCodeBadCombination, "%s", ae.Message)
		case errConflict:
			return &oscError{Status: http.StatusConflict, Code: oscCodeVLANInUse, Type: "ResourceConflict", Details: ae.Message}
		case errInvalidState:
			return &oscError{Status: http.StatusConflict, Code: oscCodeInvalidState, Type: "InvalidState", Details: ae.Message}
		case errForbidden:
			return &oscError{Status: http.StatusUnauthorized, Code: "4", Type: "AccessDenied", Details: ae.Message}
		case errInsufficientCap:
			return &oscError{Status: http.StatusBadRequest, Code: oscCodeNoCapacity, Type: "InsufficientCapacity", Details: ae.Message}
		default:
			return oscInvalid(oscCodeInvalidValue, "%s", ae.Message)
		}
	}
	return &oscError{Status: http.StatusInternalServerError, Code: "0", Type: "DefaultError", Details: err.Error()}
}

// oscAuthError is the OUTSCALE API's answer to an unauthenticated request:
// HTTP 401, code 1 (ErrorAuthenticationFailed), with what to fix.
func oscAuthError(err error) *oscError {
	detail := "authentication failed"
	var ae *authError
	if errors.As(err, &ae) {
		detail = ae.Error()
	}
	return &oscError{Status: http.StatusUnauthorized, Code: oscCodeAuthFailed, Type: "AccessDenied", Details: detail}
}

// DirectLink API (AWS Direct Connect protocol) error answers.
type dxError struct {
	Status  int
	Type    string // __type
	Message string
}

func (e *dxError) Error() string { return e.Type + ": " + e.Message }

const (
	dxClientException   = "DirectConnectClientException"
	dxServerException   = "DirectConnectServerException"
	dxThrottling        = "Throttling" // one of the codes AWS SDKs retry as throttling
	dxUnknownOperation  = "UnknownOperationException"
	dxSerialization     = "SerializationException"
	dxMissingAuthToken  = "MissingAuthenticationTokenException"
	dxUnrecognizedClnt  = "UnrecognizedClientException"
	dxInvalidSignature  = "InvalidSignatureException"
	dxInvalidSigExpired = "InvalidSignatureException"
)

func dxClientError(format string, args ...any) *dxError {
	return &dxError{Status: http.StatusBadRequest, Type: dxClientException, Message: fmt.Sprintf(format, args...)}
}

// toDXError translates a store refusal into the DirectLink API's answer:
// every refusal is a DirectConnectClientException naming what is wrong.
func toDXError(err error) *dxError {
	var de *dxError
	if errors.As(err, &de) {
		return de
	}
	var nf *notFoundError
	if errors.As(err, &nf) {
		switch nf.What {
		case nfInterface:
			return dxClientError("Virtual interface %s does not exist.", nf.ID)
		case nfDirectLink:
			return dxClientError("Connection %s does not exist.", nf.ID)
		case nfGateway:
			return dxClientError("Virtual gateway %s does not exist.", nf.ID)
		default:
			return dxClientError("ownerAccount %s is not valid: it must be the ID of an existing account other than yours.", nf.ID)
		}
	}
	var ae *apiError
	if errors.As(err, &ae) {
		return dxClientError("%s", ae.Message)
	}
	return &dxError{Status: http.StatusInternalServerError, Type: dxServerException, Message: err.Error()}
}

// dxAuthError is the DirectLink API's answer to an unauthenticated request,
// with the exception types AWS-compatible endpoints use (HTTP 403).
func dxAuthError(err error) *dxError {
	var ae *authError
	if !errors.As(err, &ae) {
		return &dxError{Status: http.StatusForbidden, Type: dxInvalidSignature, Message: "authentication failed"}
	}
	t := dxInvalidSignature
	switch ae.Reason {
	case authMissing:
		t = dxMissingAuthToken
	case authUnknownKey:
		t = dxUnrecognizedClnt
	case authExpired:
		t = dxInvalidSigExpired
	}
	return &dxError{Status: http.StatusForbidden, Type: t, Message: ae.Error()}
}
