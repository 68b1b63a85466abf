package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// maxClockSkew is how far a request's signing date may be from the server
// clock, either way, as on the real endpoints.
const maxClockSkew = 5 * time.Minute

const sigTimeFormat = "20060102T150405Z"

// authReason says why a request was not authenticated; each API turns it into
// its own error answer.
type authReason int

const (
	authMissing authReason = iota + 1
	authUnknownKey
	authBadSignature
	authExpired
)

func (r authReason) String() string {
	switch r {
	case authMissing:
		return "missing authentication"
	case authUnknownKey:
		return "unknown access key"
	case authBadSignature:
		return "signature mismatch"
	case authExpired:
		return "request expired"
	default:
		return "authentication failed"
	}
}

// authError is what verifySignature refuses a request with. Detail tells the
// caller what to fix; it never holds a secret key or a signature.
type authError struct {
	Reason authReason
	Detail string
}

func (e *authError) Error() string {
	return e.Reason.String() + ": " + e.Detail
}

func authFail(reason authReason, format string, args ...any) *authError {
	return &authError{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// sigScheme is one spelling of Signature Version 4: AWS's, and OUTSCALE's
// own (OSC4, with X-Osc-Date), which differ only in names.
type sigScheme struct {
	keyPrefix   string   // prepended to the secret key to derive the signing key
	terminator  string   // last element of the credential scope
	dateHeaders []string // where the signing time is read from, preferred first
}

var sigSchemes = map[string]sigScheme{
	"AWS4-HMAC-SHA256": {keyPrefix: "AWS4", terminator: "aws4_request", dateHeaders: []string{"X-Amz-Date", "X-Osc-Date"}},
	"OSC4-HMAC-SHA256": {keyPrefix: "OSC4", terminator: "osc4_request", dateHeaders: []string{"X-Osc-Date", "X-Amz-Date"}},
}

// signingServices are the service names clients put in the credential scope
// for these endpoints: osc-sdk-go v3 ("osc"), osc-sdk-go v2 ("oapi"), OUTSCALE's
// CLIs and curl ("api"), AWS Direct Connect clients ("directconnect") and
// OUTSCALE's own name for the DirectLink API ("directlink").
var signingServices = []string{"api", "directconnect", "directlink", "oapi", "osc"}

// sigV4Auth is a parsed Authorization header.
type sigV4Auth struct {
	algorithm     string
	accessKey     string
	scopeDate     string
	region        string
	service       string
	terminator    string
	signedHeaders []string
	signature     []byte
}

func (a sigV4Auth) scope() string {
	return strings.Join([]string{a.scopeDate, a.region, a.service, a.terminator}, "/")
}

// verifySignature checks SigV4 (AWS4-HMAC-SHA256, any region and the service names clients send)
// or OSC4-HMAC-SHA256 (X-Osc-Date) on r, whose body the caller already read into body.
// lookup returns the secret key of an access key. On success it returns the access key.
//
// The signature is recomputed for the scope and signed headers the client
// chose, so any conforming signer works: the official SDKs, the AWS CLI and
// curl --aws-sigv4.
func verifySignature(r *http.Request, body []byte, now time.Time, lookup func(accessKey string) (secret string, ok bool)) (accessKey string, err error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		if r.URL.Query().Get("X-Amz-Signature") != "" {
			return "", authFail(authMissing, "presigned URLs are not accepted: sign the request with an Authorization header")
		}
		return "", authFail(authMissing, "the request has no Authorization header: sign it with AWS4-HMAC-SHA256 or OSC4-HMAC-SHA256")
	}
	auth, err := parseAuthorization(header)
	if err != nil {
		return "", err
	}
	scheme := sigSchemes[auth.algorithm]
	if auth.terminator != scheme.terminator {
		return "", authFail(authBadSignature, "credential scope ends in %q; %s expects %q", auth.terminator, auth.algorithm, scheme.terminator)
	}
	if !knownService(auth.service) {
		return "", authFail(authBadSignature, "credential scope names service %q; sign for one of %s", auth.service, strings.Join(signingServices, ", "))
	}
	if auth.region == "" {
		return "", authFail(authBadSignature, "credential scope has an empty region")
	}

	dateHeader, stamp := signingDate(r, scheme)
	if stamp == "" {
		return "", authFail(authMissing, "the request has no %s header giving its signing time", strings.Join(scheme.dateHeaders, " or "))
	}
	signedAt, perr := time.Parse(sigTimeFormat, stamp)
	if perr != nil {
		return "", authFail(authBadSignature, "%s %q is not in the format YYYYMMDDTHHMMSSZ", dateHeader, stamp)
	}
	if auth.scopeDate != stamp[:8] {
		return "", authFail(authBadSignature, "credential scope date %s is not the date of %s %s", auth.scopeDate, dateHeader, stamp)
	}

	secret, ok := lookup(auth.accessKey)
	if !ok {
		return "", authFail(authUnknownKey, "access key %q is not known", auth.accessKey)
	}

	hashes, err := payloadHashes(r, body)
	if err != nil {
		return "", err
	}
	canonicals, err := canonicalRequests(r, auth.signedHeaders, hashes)
	if err != nil {
		return "", err
	}
	key := signingKey(scheme.keyPrefix+secret, auth)
	matched := 0
	for _, canonical := range canonicals {
		sum := sha256.Sum256([]byte(canonical))
		toSign := strings.Join([]string{auth.algorithm, stamp, auth.scope(), hex.EncodeToString(sum[:])}, "\n")
		// Every candidate is compared so the time taken does not tell which one matched.
		matched |= subtle.ConstantTimeCompare(hmacSHA256(key, toSign), auth.signature)
	}
	if matched != 1 {
		return "", authFail(authBadSignature, "the signature does not match the request: check the secret key, and that the signed headers and the body are sent as signed")
	}

	if d := signedAt.Sub(now); d > maxClockSkew || d < -maxClockSkew {
		return "", authFail(authExpired, "request signed at %s is more than %s away from the server time %s", stamp, maxClockSkew, now.UTC().Format(sigTimeFormat))
	}
	return auth.accessKey, nil
}

// parseAuthorization reads
// "ALG Credential=AK/DATE/REGION/SERVICE/TERMINATOR, SignedHeaders=a;b, Signature=HEX".
func parseAuthorization(header string) (sigV4Auth, error) {
	algorithm, rest, _ := strings.Cut(strings.TrimSpace(header), " ")
	if _, ok := sigSchemes[algorithm]; !ok {
		return sigV4Auth{}, authFail(authBadSignature, "authorization scheme %s is not supported: use AWS4-HMAC-SHA256 or OSC4-HMAC-SHA256", printableScheme(algorithm))
	}
	params := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		params[name] = strings.TrimSpace(value)
	}
	for _, name := range []string{"Credential", "SignedHeaders", "Signature"} {
		if params[name] == "" {
			return sigV4Auth{}, authFail(authBadSignature, "the Authorization header has no %s", name)
		}
	}

	cred := strings.Split(params["Credential"], "/")
	if len(cred) != 5 || cred[0] == "" {
		return sigV4Auth{}, authFail(authBadSignature, "Credential must read ACCESS_KEY/YYYYMMDD/REGION/SERVICE/TERMINATOR")
	}
	signature, err := hex.DecodeString(params["Signature"])
	if err != nil || len(signature) != sha256.Size {
		return sigV4Auth{}, authFail(authBadSignature, "Signature must be %d hexadecimal digits", 2*sha256.Size)
	}
	var signed []string
	for _, name := range strings.Split(params["SignedHeaders"], ";") {
		if name = strings.ToLower(strings.TrimSpace(name)); name != "" {
			signed = append(signed, name)
		}
	}
	hasHost := false
	for _, name := range signed {
		hasHost = hasHost || name == "host"
	}
	if !hasHost {
		return sigV4Auth{}, authFail(authBadSignature, "SignedHeaders must include host")
	}
	return sigV4Auth{
		algorithm:     algorithm,
		accessKey:     cred[0],
		scopeDate:     cred[1],
		region:        cred[2],
		service:       cred[3],
		terminator:    cred[4],
		signedHeaders: signed,
		signature:     signature,
	}, nil
}

// printableScheme names an unsupported scheme without echoing credentials
// that a mistyped header may carry.
func printableScheme(s string) string {
	if len(s) == 0 || len(s) > 32 {
		return "(unrecognized)"
	}
	for _, c := range s {
		alnum := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
		if !alnum && c != '-' {
			return "(unrecognized)"
		}
	}
	return strconv.Quote(s)
}

func knownService(service string) bool {
	for _, s := range signingServices {
		if s == service {
			return true
		}
	}
	return false
}

func signingDate(r *http.Request, scheme sigScheme) (header, value string) {
	for _, h := range scheme.dateHeaders {
		if v := strings.TrimSpace(r.Header.Get(h)); v != "" {
			return h, v
		}
	}
	return scheme.dateHeaders[0], ""
}

// payloadHashes are the payload hashes a conforming client may have signed
// this body with: its hex SHA-256, or, for an empty body only, the
// UNSIGNED-PAYLOAD sentinel that smithy's signer (osc-sdk-go v3) uses when a
// request has no body to hash; with nothing to protect, that is safe. A client
// that also sends the hash in X-Amz-Content-Sha256 (curl does for some
// services) must send the right one: a body is never accepted unchecked.
func payloadHashes(r *http.Request, body []byte) ([]string, error) {
	sum := sha256.Sum256(body)
	computed := hex.EncodeToString(sum[:])
	for _, h := range []string{"X-Amz-Content-Sha256", "X-Osc-Content-Sha256"} {
		sent := strings.TrimSpace(r.Header.Get(h))
		switch {
		case sent == "":
		case sent == "UNSIGNED-PAYLOAD":
			if len(body) > 0 {
				return nil, authFail(authBadSignature, "%s: UNSIGNED-PAYLOAD is not accepted; sign the body", h)
			}
		case !strings.EqualFold(sent, computed):
			return nil, authFail(authBadSignature, "%s does not match the body received", h)
		}
	}
	if len(body) == 0 {
		return []string{computed, "UNSIGNED-PAYLOAD"}, nil
	}
	return []string{computed}, nil
}

// canonicalRequests returns the canonical request of r as the SigV4 rules
// build it, in the few variants that real signers produce: the path
// URI-encoded once more (AWS SDKs) or as sent (curl), either one with runs
// of slashes collapsed (osc-cli); the query sorted and
// re-encoded, or as sent (curl before 8.x); header values with inner runs of
// spaces collapsed (AWS SDKs, AWS CLI, curl) or only trimmed (smithy's
// aws-http-auth, used by osc-sdk-go v3). Every variant covers the same bytes,
// so none weakens the check; for the requests these APIs take they are almost
// always one and the same.
func canonicalRequests(r *http.Request, signedHeaders []string, payloadHashes []string) ([]string, error) {
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	// SigV4 normalises the path (every AWS service but S3 does), so a
	// client may sign it with runs of slashes collapsed: osc-cli sends
	// //api/latest/<Action> and signs /api/latest/<Action>.
	paths := uniqueStrings(uriEncode(path, false), path)
	if normal := collapseSlashes(path); normal != path {
		paths = append(paths, uniqueStrings(uriEncode(normal, false), normal)...)
	}

	collapsed, trimmed, err := canonicalHeaders(r, signedHeaders)
	if err != nil {
		return nil, err
	}
	headerBlocks := uniqueStrings(collapsed, trimmed)

	queries := uniqueStrings(canonicalQuery(r.URL.RawQuery), r.URL.RawQuery)
	signed := strings.Join(signedHeaders, ";")
	var out []string
	for _, p := range paths {
		for _, q := range queries {
			for _, h := range headerBlocks {
				for _, hash := range payloadHashes {
					out = append(out, strings.Join([]string{r.Method, p, q, h, signed, hash}, "\n"))
				}
			}
		}
	}
	return out, nil
}

func canonicalHeaders(r *http.Request, signedHeaders []string) (collapsed, trimmed string, err error) {
	var c, t strings.Builder
	for _, name := range signedHeaders {
		values := headerValues(r, name)
		if values == nil {
			return "", "", authFail(authBadSignature, "signed header %q is missing from the request", name)
		}
		cv := make([]string, len(values))
		tv := make([]string, len(values))
		for i, v := range values {
			cv[i] = strings.Join(strings.Fields(v), " ")
			tv[i] = strings.TrimSpace(v)
		}
		fmt.Fprintf(&c, "%s:%s\n", name, strings.Join(cv, ","))
		fmt.Fprintf(&t, "%s:%s\n", name, strings.Join(tv, ","))
	}
	return c.String(), t.String(), nil
}

// headerValues returns the values of a header as the client sent it. Go's
// server moves Host out of the header map, and may do the same with
// Content-Length.
func headerValues(r *http.Request, name string) []string {
	switch name {
	case "host":
		return []string{r.Host}
	case "content-length":
		if v := r.Header.Values("Content-Length"); len(v) > 0 {
			return v
		}
		if r.ContentLength >= 0 {
			return []string{strconv.FormatInt(r.ContentLength, 10)}
		}
		return nil
	}
	return r.Header.Values(name)
}

// canonicalQuery sorts the parameters by name then value, each decoded and
// re-encoded the SigV4 way (every byte but A-Z a-z 0-9 - . _ ~ as %XX).
func canonicalQuery(raw string) string {
	if raw == "" {
		return ""
	}
	type param struct{ name, value string }
	var params []param
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		name, value, _ := strings.Cut(part, "=")
		params = append(params, param{uriEncode(queryUnescape(name), true), uriEncode(queryUnescape(value), true)})
	}
	sort.Slice(params, func(i, j int) bool {
		if params[i].name != params[j].name {
			return params[i].name < params[j].name
		}
		return params[i].value < params[j].value
	})
	parts := make([]string, len(params))
	for i, p := range params {
		parts[i] = p.name + "=" + p.value
	}
	return strings.Join(parts, "&")
}

func queryUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// uriEncode percent-encodes every byte but the unreserved ones, and '/'
// unless encodeSlash.
func uriEncode(s string, encodeSlash bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || (c == '/' && !encodeSlash) {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

func signingKey(secret string, auth sigV4Auth) []byte {
	key := hmacSHA256([]byte(secret), auth.scopeDate)
	for _, part := range []string{auth.region, auth.service, auth.terminator} {
		key = hmacSHA256(key, part)
	}
	return key
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func uniqueStrings(a, b string) []string {
	if a == b {
		return []string{a}
	}
	return []string{a, b}
}
