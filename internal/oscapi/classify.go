package oscapi

import (
	"encoding/json"
	"fmt"
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
	Code         string `json:"code"`
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
		// Not an error of the API itself: a gateway's or proxy's page, or a
		// body the SDK could not read. Its text (HTML, or the SDK's decoding
		// error) would only confuse; the status says what happened.
		e.Message = fmt.Sprintf("HTTP %d %s, with a body that is not an error of the %s (a gateway or proxy in front of it?)",
			x.status, http.StatusText(x.status), api)
	}
	e.Message = redact(e.Message)
	return e
}

func classifyOSC(e *Error, x *exchange) {
	var body oscErrorBody
	_ = json.Unmarshal(x.body, &body)
	if len(body.Errors) > 0 {
		first := body.Errors[0]
		e.Code = first.Code
		e.Message = strings.Join(nonEmpty(first.Type, first.Details), ": ")
	}
	if body.ResponseContext != nil {
		e.RequestID = body.ResponseContext.RequestID
	}
	if e.RequestID == "" {
		e.RequestID = x.header.Get("X-Request-Id")
	}
	e.Kind = oscKind(x.status, e.Code)
}

// oscKind classifies by HTTP status and the OUTSCALE error code (see the
// API's error list): 6/24/25 throttling, 1-20 authentication, 5xxx missing
// resources, 1xxx/6xxx/9xxx dependencies, conflicts and wrong states, other
// 4xx answers refused parameters. A 503 is throttling only with one of the
// throttling codes: a gateway's 503 page is a server error, after which a
// create may have been carried out.
func oscKind(status int, code string) Kind {
	n, numErr := strconv.Atoi(code)
	numeric := numErr == nil
	in := func(lo, hi int) bool { return numeric && n >= lo && n <= hi }
	switch {
	case status == http.StatusTooManyRequests, numeric && (n == 6 || n == 24 || n == 25):
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
	e.Code = dlErrorCode(x.header, body)
	e.Message = body.Message
	if e.Message == "" {
		e.Message = body.MessageUpper
	}
	e.RequestID = x.header.Get("X-Amzn-Requestid")
	e.Kind = directLinkKind(x.status, e.Code, e.Message)
}

// dlErrorCode reads the error code of a JSON 1.1 answer the way AWS SDKs do:
// the X-Amzn-ErrorType header first, else the body's "code" or "__type";
// then sanitized, as
// "com.amazonaws.directconnect#DirectConnectClientException:http://..." ->
// "DirectConnectClientException".
func dlErrorCode(h http.Header, body dlErrorBody) string {
	code := h.Get("X-Amzn-ErrorType")
	if code == "" {
		code = body.Code
	}
	if code == "" {
		code = body.Type
	}
	if i := strings.Index(code, ":"); i >= 0 {
		code = code[:i]
	}
	if i := strings.LastIndex(code, "#"); i >= 0 {
		code = code[i+1:]
	}
	return code
}

// dlCodeKinds are the error codes that say what happened by themselves: AWS
// Direct Connect's modeled exceptions, the codes AWS SDKs retry as
// throttling or transient, and the protocol's authentication and request
// errors.
var dlCodeKinds = map[string]Kind{
	"Throttling": KindThrottled, "ThrottlingException": KindThrottled, "ThrottledException": KindThrottled,
	"TooManyRequestsException": KindThrottled, "RequestThrottled": KindThrottled, "RequestThrottledException": KindThrottled,
	"RequestLimitExceeded": KindThrottled, "ProvisionedThroughputExceededException": KindThrottled,
	"BandwidthLimitExceeded": KindThrottled, "SlowDown": KindThrottled, "PriorRequestNotComplete": KindThrottled,
	"EC2ThrottledException": KindThrottled, "TransactionInProgressException": KindThrottled,

	"UnrecognizedClientException": KindAuth, "InvalidSignatureException": KindAuth, "IncompleteSignature": KindAuth,
	"IncompleteSignatureException": KindAuth, "MissingAuthenticationToken": KindAuth,
	"MissingAuthenticationTokenException": KindAuth, "AccessDeniedException": KindAuth, "AccessDenied": KindAuth,
	"SignatureDoesNotMatch": KindAuth, "InvalidClientTokenId": KindAuth, "ExpiredToken": KindAuth,
	"ExpiredTokenException": KindAuth, "AuthFailure": KindAuth, "NotAuthorized": KindAuth,

	"ResourceNotFoundException": KindNotFound, "NotFoundException": KindNotFound,

	"ConflictException": KindConflict,

	"DirectConnectServerException": KindServer, "InternalFailure": KindServer, "InternalServerError": KindServer,
	"InternalServerException": KindServer, "InternalError": KindServer, "ServiceUnavailable": KindServer,
	"ServiceUnavailableException": KindServer, "RequestTimeout": KindServer, "RequestTimeoutException": KindServer,

	"SerializationException": KindValidation, "ValidationException": KindValidation, "ValidationError": KindValidation,
	"InvalidParameterValue": KindValidation, "InvalidParameterCombination": KindValidation,
	"MissingParameter": KindValidation, "UnknownOperationException": KindValidation, "InvalidAction": KindValidation,
	"DuplicateTagKeysException": KindValidation, "TooManyTagsException": KindValidation,
}

// dlClientException is Direct Connect's catch-all for refused requests
// (missing objects, conflicts and bad values alike): only its message tells
// them apart.
const dlClientException = "DirectConnectClientException"

// directLinkKind classifies by error code first, then by HTTP status, and
// reads the message's words only for the catch-all client exception (or an
// answer without a code), as a last resort.
func directLinkKind(status int, code, msg string) Kind {
	if k, ok := dlCodeKinds[code]; ok {
		return k
	}
	switch {
	case status == http.StatusTooManyRequests:
		return KindThrottled
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return KindAuth
	case status == http.StatusNotFound:
		return KindNotFound
	case status == http.StatusConflict:
		return KindConflict
	case status >= 500:
		return KindServer
	case status < 400:
		return KindUnknown
	case code == dlClientException || code == "":
		return clientExceptionKind(msg)
	default:
		return KindValidation
	}
}

// clientExceptionKind reads a DirectConnectClientException's message.
func clientExceptionKind(msg string) Kind {
	m := strings.ToLower(msg)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(m, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("not authorized", "only the account"):
		return KindAuth
	case has("does not exist", "not found", "could not be found", "no such"):
		return KindNotFound
	case has("already", "in use", "conflict", " state"):
		return KindConflict
	default:
		return KindValidation
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
