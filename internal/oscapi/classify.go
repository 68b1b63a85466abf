package oscapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// oscErrorBody is the OUTSCALE API's error answer.
type oscErrorBody struct {
	Errors []struct {
		Code    string `json:"Code"`
		Type    string `json:"Type"`
		Details string `json:"Details"`
	} `json:"Errors"`
	ResponseContext *struct {
		RequestID string `json:"RequestId"`
	} `json:"ResponseContext"`
}

// dlErrorBody is the DirectLink API's (AWS JSON 1.1) error answer.
type dlErrorBody struct {
	Type         string `json:"__type"`
	Message      string `json:"message"`
	MessageUpper string `json:"Message"`
}

// classify turns a failed attempt into an *Error, from what the wire showed
// (status, headers, body) rather than from either SDK's error types, so that
// both APIs are judged alike.
func classify(api, action string, x *exchange, err error) *Error {
	e := &Error{Action: action, HTTPStatus: x.status, Err: err}
	if x.status == 0 {
		e.Kind = KindTransport
		e.Message = "no answer from the " + api + ": " + redact(err.Error())
		return e
	}
	if api == apiDirectLink {
		classifyDirectLink(e, x)
	} else {
		classifyOSC(e, x)
	}
	if e.Message == "" {
		e.Message = redact(err.Error())
	}
	e.Message = redact(e.Message)
	return e
}

func classifyOSC(e *Error, x *exchange) {
	var body oscErrorBody
	_ = json.Unmarshal(x.body, &body)
	typ := ""
	if len(body.Errors) > 0 {
		first := body.Errors[0]
		e.Code, typ = first.Code, first.Type
		e.Message = strings.Join(nonEmpty(first.Type, first.Details), ": ")
	}
	if body.ResponseContext != nil {
		e.RequestID = body.ResponseContext.RequestID
	}
	if e.RequestID == "" {
		e.RequestID = x.header.Get("X-Request-Id")
	}
	e.Kind = oscKind(x.status, e.Code, typ)
}

// oscKind classifies by HTTP status and the OUTSCALE error code (see the
// API's error list): 6/24/25 throttling, 1-20 authentication, 5xxx missing
// resources, 1xxx/6xxx/9xxx dependencies, conflicts and wrong states, other
// 4xx answers refused parameters.
func oscKind(status int, code, typ string) Kind {
	n, numErr := strconv.Atoi(code)
	numeric := numErr == nil
	in := func(lo, hi int) bool { return numeric && n >= lo && n <= hi }
	switch {
	case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable,
		numeric && (n == 6 || n == 24 || n == 25),
		strings.Contains(strings.ToLower(typ), "throttl"):
		return KindThrottled
	case status == http.StatusUnauthorized || status == http.StatusForbidden, in(1, 20):
		return KindAuth
	case in(5000, 5999), status == http.StatusNotFound:
		return KindNotFound
	case in(1000, 1999), in(6000, 6999), in(9000, 9999),
		status == http.StatusConflict, status == http.StatusFailedDependency:
		return KindConflict
	case status >= 500:
		return KindServer
	case status >= 400:
		return KindValidation
	default:
		return KindUnknown
	}
}

func classifyDirectLink(e *Error, x *exchange) {
	var body dlErrorBody
	_ = json.Unmarshal(x.body, &body)
	typ := body.Type
	if typ == "" {
		typ = x.header.Get("X-Amzn-ErrorType")
	}
	// "com.amazonaws.directconnect#DirectConnectClientException:http://..." -> "DirectConnectClientException"
	if i := strings.LastIndex(typ, "#"); i >= 0 {
		typ = typ[i+1:]
	}
	if i := strings.Index(typ, ":"); i >= 0 {
		typ = typ[:i]
	}
	e.Code = typ
	e.Message = body.Message
	if e.Message == "" {
		e.Message = body.MessageUpper
	}
	e.RequestID = x.header.Get("X-Amzn-Requestid")
	e.Kind = directLinkKind(x.status, typ, e.Message)
}

// directLinkKind classifies by HTTP status, the AWS error type and, for the
// catch-all DirectConnectClientException, the message's words.
func directLinkKind(status int, typ, msg string) Kind {
	m := strings.ToLower(msg)
	switch typ {
	case "Throttling", "ThrottlingException", "TooManyRequestsException", "TooManyRequests",
		"RequestLimitExceeded", "SlowDown", "RequestThrottled", "RequestThrottledException":
		return KindThrottled
	case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignature",
		"MissingAuthenticationToken", "MissingAuthenticationTokenException", "AccessDeniedException",
		"AccessDenied", "SignatureDoesNotMatch", "InvalidClientTokenId", "ExpiredTokenException", "AuthFailure":
		return KindAuth
	case "ResourceNotFoundException", "NotFoundException":
		return KindNotFound
	case "DirectConnectServerException", "InternalFailure", "InternalServerError", "ServiceUnavailable":
		return KindServer
	}
	switch {
	case status == http.StatusTooManyRequests:
		return KindThrottled
	case status == http.StatusUnauthorized || status == http.StatusForbidden,
		strings.Contains(m, "not authorized"), strings.Contains(m, "only the account"):
		return KindAuth
	case status >= 500:
		return KindServer
	case status == http.StatusNotFound,
		strings.Contains(m, "does not exist"), strings.Contains(m, "not found"),
		strings.Contains(m, "could not be found"), strings.Contains(m, "no such"):
		return KindNotFound
	case status == http.StatusConflict,
		strings.Contains(m, "already"), strings.Contains(m, "in use"),
		strings.Contains(m, "conflict"), strings.Contains(m, " state"):
		return KindConflict
	case status >= 400:
		return KindValidation
	default:
		return KindUnknown
	}
}

// requestID reads the request ID of a successful answer.
func requestID(api string, x *exchange) string {
	if api == apiDirectLink {
		return x.header.Get("X-Amzn-Requestid")
	}
	var body struct {
		ResponseContext *struct {
			RequestID string `json:"RequestId"`
		} `json:"ResponseContext"`
	}
	if json.Unmarshal(x.body, &body) == nil && body.ResponseContext != nil {
		return body.ResponseContext.RequestID
	}
	return ""
}

func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
