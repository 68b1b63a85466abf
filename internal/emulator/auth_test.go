package emulator

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/aws-http-auth/credentials"
	"github.com/aws/smithy-go/aws-http-auth/sigv4"
)

const (
	testAccessKey = "AKTESTOSC4EXAMPLE000"
	testSecretKey = "secretsecretsecretsecretsecretsecret0000"
)

func testLookup(accessKey string) (string, bool) {
	if accessKey == testAccessKey {
		return testSecretKey, true
	}
	return "", false
}

// Captured from curl 7.88.1 (--aws-sigv4) against a local listener, so the
// emulator is checked against a signer nobody here wrote.
const (
	curlOSC4 = "POST /api/v1/ReadDirectLinks HTTP/1.1\r\n" +
		"Host: 127.0.0.1:18411\r\n" +
		"Authorization: OSC4-HMAC-SHA256 Credential=AKTESTOSC4EXAMPLE000/20261126/eu-west-2/api/osc4_request, SignedHeaders=content-type;host;x-osc-date, Signature=2326b013e6e13d5b497814a5c297078b8a9ec460631f989ed108a9e9d93ec64a\r\n" +
		"X-Osc-Date: 20261126T014214Z\r\n" +
		"User-Agent: curl/7.88.1\r\n" +
		"Accept: */*\r\n" +
		"Content-Type: application/json\r\n" +
		"Content-Length: 36\r\n" +
		"\r\n" +
		`{"DirectLinkIds":["dxcon-12345678"]}`
	curlOSC4Time = "20261126T014214Z"

	curlDirectConnect = "POST / HTTP/1.1\r\n" +
		"Host: 127.0.0.1:18412\r\n" +
		"Authorization: AWS4-HMAC-SHA256 Credential=AKTESTOSC4EXAMPLE000/20261126/eu-west-2/directconnect/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=06a3e2129830e751a100997a2637347ce11f64619d6fe04c24faf2b57338a8b5\r\n" +
		"X-Amz-Date: 20261126T014217Z\r\n" +
		"User-Agent: curl/7.88.1\r\n" +
		"Accept: */*\r\n" +
		"Content-Type: application/x-amz-json-1.1\r\n" +
		"X-Amz-Target:   OvertureService.DescribeConnections\r\n" +
		"Content-Length: 2\r\n" +
		"\r\n" +
		`{}`
	curlDirectConnectTime = "20261126T014217Z"

	// A query string and a signed header with inner runs of spaces.
	curlQuery = "POST /api/v1/ReadDirectLinkInterfaces?b=2&a=x%20y HTTP/1.1\r\n" +
		"Host: 127.0.0.1:18413\r\n" +
		"Authorization: AWS4-HMAC-SHA256 Credential=AKTESTOSC4EXAMPLE000/20261126/us-east-1/oapi/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-test, Signature=a5280fdc01eea52f7d4fd8323b6a82592a9fc69b4593293951ec93dad73ca786\r\n" +
		"X-Amz-Date: 20261126T014223Z\r\n" +
		"User-Agent: curl/7.88.1\r\n" +
		"Accept: */*\r\n" +
		"Content-Type: application/json\r\n" +
		"X-Test: a   b  c\r\n" +
		"Content-Length: 14\r\n" +
		"\r\n" +
		`{"Filters":{}}`
	curlQueryTime = "20261126T014223Z"
)

var signedAt = time.Date(2026, 11, 26, 1, 42, 14, 0, time.UTC)

// signed is a request as the server receives it, with the body it read.
type signed struct {
	req  *http.Request
	body []byte
}

// received turns raw wire bytes into the server's view of a request.
func received(t *testing.T, wire string) signed {
	t.Helper()
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(wire)))
	if err != nil {
		t.Fatalf("parse request: %v", err)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return signed{req: r, body: body}
}

// onWire sends a client-side request through the HTTP/1.1 encoding, so that
// Host and Content-Length end up where Go's server puts them.
func onWire(t *testing.T, r *http.Request) signed {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatalf("write request: %v", err)
	}
	return received(t, buf.String())
}

type clientRequest struct {
	path    string
	body    string
	headers map[string]string
}

var (
	directLinkAPIRequest = clientRequest{path: "/", body: `{"connectionId":"dxcon-12345678"}`, headers: map[string]string{
		"Content-Type": "application/x-amz-json-1.1",
		"X-Amz-Target": "OvertureService.DescribeConnections",
	}}
	outscaleAPIRequest = clientRequest{path: "/api/v1/ReadDirectLinks", body: `{"Filters":{"DirectLinkIds":["dxcon-12345678"]}}`, headers: map[string]string{
		"Content-Type": "application/json",
	}}
)

func (c clientRequest) new(t *testing.T) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:7575"+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range c.headers {
		r.Header.Set(k, v)
	}
	r.Header.Set("User-Agent", "auth-test")
	return r
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// awsSDKSigned signs like aws-sdk-go-v2 (the AWS SDK and the Direct Connect client).
func awsSDKSigned(t *testing.T, c clientRequest, accessKey, secret, service, region string, at time.Time, mutate ...func(*http.Request)) signed {
	t.Helper()
	r := c.new(t)
	creds := aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(t.Context(), creds, r, sha256Hex(c.body), service, region, at); err != nil {
		t.Fatalf("sign: %v", err)
	}
	for _, m := range mutate {
		m(r)
	}
	return onWire(t, r)
}

// smithySigned signs like osc-sdk-go v3, through smithy's aws-http-auth.
func smithySigned(t *testing.T, c clientRequest, service, region string, at time.Time) signed {
	t.Helper()
	r := c.new(t)
	sum := sha256.Sum256([]byte(c.body))
	err := sigv4.New().SignRequest(&sigv4.SignRequestInput{
		Request:     r,
		PayloadHash: sum[:],
		Credentials: credentials.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey},
		Service:     service,
		Region:      region,
		Time:        at,
	})
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return onWire(t, r)
}

func mustTime(t *testing.T, stamp string) time.Time {
	t.Helper()
	at, err := time.Parse(sigTimeFormat, stamp)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

func TestVerifySignature(t *testing.T) {
	setHeader := func(name, value string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set(name, value) }
	}
	withBody := func(s signed, body string) signed {
		s.body = []byte(body)
		return s
	}

	tests := []struct {
		name    string
		request func(t *testing.T) signed
		now     time.Time
		want    authReason // 0: accepted
	}{
		{
			name: "AWS SDK, directconnect, eu-west-2",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, testAccessKey, testSecretKey, "directconnect", "eu-west-2", signedAt)
			},
		},
		{
			name: "AWS SDK, directlink, cloudgouv-eu-west-1",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, testAccessKey, testSecretKey, "directlink", "cloudgouv-eu-west-1", signedAt)
			},
		},
		{
			name: "osc-sdk-go v2 scope (oapi) on the OUTSCALE API",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, outscaleAPIRequest, testAccessKey, testSecretKey, "oapi", "eu-west-2", signedAt)
			},
		},
		{
			name: "osc-sdk-go v3 signer (osc), us-east-2",
			request: func(t *testing.T) signed {
				return smithySigned(t, outscaleAPIRequest, "osc", "us-east-2", signedAt)
			},
		},
		{
			name: "osc-sdk-go v3 signer, ap-northeast-1, DirectLink API",
			request: func(t *testing.T) signed {
				return smithySigned(t, directLinkAPIRequest, "directlink", "ap-northeast-1", signedAt)
			},
		},
		{
			name:    "curl OSC4-HMAC-SHA256 with X-Osc-Date",
			request: func(t *testing.T) signed { return received(t, curlOSC4) },
			now:     mustTime(t, curlOSC4Time),
		},
		{
			name:    "curl aws:amz:eu-west-2:directconnect",
			request: func(t *testing.T) signed { return received(t, curlDirectConnect) },
			now:     mustTime(t, curlDirectConnectTime),
		},
		{
			name:    "curl with a query string and spaces inside a signed header",
			request: func(t *testing.T) signed { return received(t, curlQuery) },
			now:     mustTime(t, curlQueryTime),
		},
		{
			name: "unsigned header changed in transit",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, testAccessKey, testSecretKey, "directconnect", "eu-west-2", signedAt,
					setHeader("User-Agent", "a proxy"))
			},
		},
		{
			name: "content hash header matching the body",
			request: func(t *testing.T) signed {
				r := directLinkAPIRequest
				r.headers = map[string]string{"X-Amz-Content-Sha256": sha256Hex(r.body), "X-Amz-Target": "OvertureService.DescribeConnections"}
				return awsSDKSigned(t, r, testAccessKey, testSecretKey, "directconnect", "eu-west-2", signedAt)
			},
		},
		{
			name: "signed 4 minutes ago",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, testAccessKey, testSecretKey, "directconnect", "eu-west-2", signedAt)
			},
			now: signedAt.Add(4 * time.Minute),
		},
		{
			name: "wrong secret key",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, testAccessKey, "not-the-secret-not-the-secret-not-the-se", "directconnect", "eu-west-2", signedAt)
			},
			want: authBadSignature,
		},
		{
			name: "unknown access key",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, "AKUNKNOWNUNKNOWN0000", testSecretKey, "directconnect", "eu-west-2", signedAt)
			},
			want: authUnknownKey,
		},
		{
			name: "body tampered with after signing",
			request: func(t *testing.T) signed {
				s := awsSDKSigned(t, outscaleAPIRequest, testAccessKey, testSecretKey, "osc", "eu-west-2", signedAt)
				return withBody(s, `{"Filters":{"DirectLinkIds":["dxcon-87654321"]}}`)
			},
			want: authBadSignature,
		},
		{
			name: "OSC4 body tampered with",
			request: func(t *testing.T) signed {
				return withBody(received(t, curlOSC4), `{"DirectLinkIds":["dxcon-00000000"]}`)
			},
			now:  mustTime(t, curlOSC4Time),
			want: authBadSignature,
		},
		{
			name: "signed header tampered with",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, testAccessKey, testSecretKey, "directconnect", "eu-west-2", signedAt,
					setHeader("X-Amz-Target", "OvertureService.DeleteVirtualInterface"))
			},
			want: authBadSignature,
		},
		{
			name: "body not matching its content hash header",
			request: func(t *testing.T) signed {
				r := directLinkAPIRequest
				r.headers = map[string]string{"X-Amz-Content-Sha256": sha256Hex("{}"), "X-Amz-Target": "OvertureService.DescribeConnections"}
				return awsSDKSigned(t, r, testAccessKey, testSecretKey, "directconnect", "eu-west-2", signedAt)
			},
			want: authBadSignature,
		},
		{
			name: "unsigned payload with a body",
			request: func(t *testing.T) signed {
				r := directLinkAPIRequest
				r.headers = map[string]string{"X-Amz-Content-Sha256": "UNSIGNED-PAYLOAD", "X-Amz-Target": "OvertureService.DescribeConnections"}
				return awsSDKSigned(t, r, testAccessKey, testSecretKey, "directconnect", "eu-west-2", signedAt)
			},
			want: authBadSignature,
		},
		{
			name: "service this endpoint does not sign for",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, testAccessKey, testSecretKey, "s3", "eu-west-2", signedAt)
			},
			want: authBadSignature,
		},
		{
			name: "signed 6 minutes ago",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, testAccessKey, testSecretKey, "directconnect", "eu-west-2", signedAt)
			},
			now:  signedAt.Add(6 * time.Minute),
			want: authExpired,
		},
		{
			name: "signed 6 minutes in the future",
			request: func(t *testing.T) signed {
				return smithySigned(t, outscaleAPIRequest, "osc", "eu-west-2", signedAt)
			},
			now:  signedAt.Add(-6 * time.Minute),
			want: authExpired,
		},
		{
			name:    "OSC4 replayed an hour later",
			request: func(t *testing.T) signed { return received(t, curlOSC4) },
			now:     mustTime(t, curlOSC4Time).Add(time.Hour),
			want:    authExpired,
		},
		{
			name: "no Authorization header",
			request: func(t *testing.T) signed {
				return onWire(t, outscaleAPIRequest.new(t))
			},
			want: authMissing,
		},
		{
			name: "no date header",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, testAccessKey, testSecretKey, "directconnect", "eu-west-2", signedAt,
					func(r *http.Request) { r.Header.Del("X-Amz-Date") })
			},
			want: authMissing,
		},
		{
			name: "Authorization header cut short",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, testAccessKey, testSecretKey, "directconnect", "eu-west-2", signedAt,
					func(r *http.Request) {
						h := r.Header.Get("Authorization")
						r.Header.Set("Authorization", h[:strings.Index(h, ", Signature=")])
					})
			},
			want: authBadSignature,
		},
		{
			name: "credential scope without a service",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, testAccessKey, testSecretKey, "directconnect", "eu-west-2", signedAt,
					func(r *http.Request) {
						h := r.Header.Get("Authorization")
						r.Header.Set("Authorization", strings.Replace(h, "/directconnect/", "/", 1))
					})
			},
			want: authBadSignature,
		},
		{
			name: "AWS4 scheme with the OSC4 terminator",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, testAccessKey, testSecretKey, "directconnect", "eu-west-2", signedAt,
					func(r *http.Request) {
						h := r.Header.Get("Authorization")
						r.Header.Set("Authorization", strings.Replace(h, "aws4_request", "osc4_request", 1))
					})
			},
			want: authBadSignature,
		},
		{
			name: "basic authentication",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, testAccessKey, testSecretKey, "directconnect", "eu-west-2", signedAt,
					setHeader("Authorization", "Basic "+testSecretKey))
			},
			want: authBadSignature,
		},
		{
			name: "signature that is not hexadecimal",
			request: func(t *testing.T) signed {
				return awsSDKSigned(t, directLinkAPIRequest, testAccessKey, testSecretKey, "directconnect", "eu-west-2", signedAt,
					func(r *http.Request) {
						h := r.Header.Get("Authorization")
						i := strings.Index(h, "Signature=") + len("Signature=")
						r.Header.Set("Authorization", h[:i]+strings.Repeat("z", 64))
					})
			},
			want: authBadSignature,
		},
	}

	// Any 64-digit hex run in an error would be a signature (expected or received).
	signatureLike := regexp.MustCompile(`[0-9a-fA-F]{64}`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.request(t)
			now := tt.now
			if now.IsZero() {
				now = signedAt
			}
			got, err := verifySignature(s.req, s.body, now, testLookup)

			if tt.want == 0 {
				if err != nil {
					t.Fatalf("refused a valid request: %v", err)
				}
				if got != testAccessKey {
					t.Fatalf("access key = %q, want %q", got, testAccessKey)
				}
				return
			}
			var ae *authError
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v (%T), want an *authError with reason %v", err, err, tt.want)
			}
			if ae.Reason != tt.want {
				t.Fatalf("reason = %v (%s), want %v", ae.Reason, ae.Detail, tt.want)
			}
			if ae.Detail == "" {
				t.Error("the refusal does not say what is wrong")
			}
			for _, text := range []string{ae.Detail, ae.Error()} {
				if strings.Contains(text, testSecretKey) {
					t.Errorf("error reveals the secret key: %q", text)
				}
				if signatureLike.MatchString(text) {
					t.Errorf("error reveals a signature: %q", text)
				}
			}
		})
	}
}

// The emulator reads the body itself before verifying, so a request whose
// body the client streamed (no Content-Length) still verifies.
func TestVerifySignatureChunkedBody(t *testing.T) {
	r := directLinkAPIRequest.new(t)
	r.ContentLength = -1
	r.Body = io.NopCloser(strings.NewReader(directLinkAPIRequest.body))
	creds := aws.Credentials{AccessKeyID: testAccessKey, SecretAccessKey: testSecretKey}
	if err := v4.NewSigner().SignHTTP(t.Context(), creds, r, sha256Hex(directLinkAPIRequest.body), "directconnect", "eu-west-2", signedAt); err != nil {
		t.Fatal(err)
	}
	s := onWire(t, r)
	if len(s.req.TransferEncoding) == 0 {
		t.Fatalf("request was not chunked: %v", s.req.TransferEncoding)
	}
	if _, err := verifySignature(s.req, s.body, signedAt, testLookup); err != nil {
		t.Fatalf("refused a chunked request: %v", err)
	}
}
