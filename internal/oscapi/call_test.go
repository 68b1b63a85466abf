package oscapi

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/outscale/osc-sdk-go/v3/pkg/osc"
)

// sequence answers the n-th call of an action with answers[n], repeating the
// last answer afterwards.
func sequence(answers ...func() (int, http.Header, any)) func(api, action string, body []byte) (int, http.Header, any) {
	var n atomic.Int64
	return func(api, action string, body []byte) (int, http.Header, any) {
		i := int(n.Add(1)) - 1
		return answers[min(i, len(answers)-1)]()
	}
}

func oscThrottled() (int, http.Header, any) {
	return oscErr(429, "24", "AccessDenied", "Request rate exceeded.")
}
func oscServerError() (int, http.Header, any) {
	return oscErr(500, "0", "DefaultError", "internal error")
}
func oscListOK() (int, http.Header, any) {
	return oscOK(map[string]any{"DirectLinkInterfaces": []any{}})
}
func oscCreateOK() (int, http.Header, any) {
	return oscOK(map[string]any{"DirectLinkInterface": map[string]any{"DirectLinkInterfaceId": "dxvif-00000001", "State": "pending"}})
}
func dlThrottled() (int, http.Header, any) { return dlErr(400, "ThrottlingException", "Rate exceeded") }
func dlAllocateOK() (int, http.Header, any) {
	return http.StatusOK, nil, map[string]any{"virtualInterfaceId": "dxvif-00000002", "virtualInterfaceState": "confirming", "connectionId": "dxcon-12345678"}
}

func TestRetryPolicy(t *testing.T) {
	cases := []struct {
		name      string
		answers   []func() (int, http.Header, any)
		run       func(ctx context.Context, c *Client) error
		action    string
		wantCalls int
		wantKind  Kind // KindUnknown: success
		maybeDone bool // MaybeDone of the error
	}{
		{
			name:    "read retried on throttling until it succeeds",
			answers: []func() (int, http.Header, any){oscThrottled, oscThrottled, oscThrottled, oscListOK},
			run: func(ctx context.Context, c *Client) error {
				_, err := c.listAPI(ctx, InterfaceFilter{})
				return err
			},
			action: "ReadDirectLinkInterfaces", wantCalls: 4,
		},
		{
			name:    "read retried on 5xx",
			answers: []func() (int, http.Header, any){oscServerError, oscServerError, oscListOK},
			run: func(ctx context.Context, c *Client) error {
				_, err := c.listAPI(ctx, InterfaceFilter{})
				return err
			},
			action: "ReadDirectLinkInterfaces", wantCalls: 3,
		},
		{
			name:    "create retried on throttling: the API did not carry it out",
			answers: []func() (int, http.Header, any){oscThrottled, oscCreateOK},
			run: func(ctx context.Context, c *Client) error {
				_, err := c.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: "dxcon-12345678", Name: "a", VLAN: 10, BGPASN: 65000, VirtualGatewayID: "vgw-12345678"})
				return err
			},
			action: "CreateDirectLinkInterface", wantCalls: 2,
		},
		{
			name:    "create not retried on 5xx: it may have been carried out",
			answers: []func() (int, http.Header, any){oscServerError, oscCreateOK},
			run: func(ctx context.Context, c *Client) error {
				_, err := c.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: "dxcon-12345678", Name: "a", VLAN: 10, BGPASN: 65000, VirtualGatewayID: "vgw-12345678"})
				return err
			},
			action: "CreateDirectLinkInterface", wantCalls: 1, wantKind: KindServer, maybeDone: true,
		},
		{
			name:    "hosted allocate retried on DirectLink throttling",
			answers: []func() (int, http.Header, any){dlThrottled, dlThrottled, dlAllocateOK},
			run: func(ctx context.Context, c *Client) error {
				_, err := c.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: "dxcon-12345678", Name: "a", VLAN: 10, BGPASN: 65000, OwnerAccountID: "123456789000"})
				return err
			},
			action: "AllocatePrivateVirtualInterface", wantCalls: 3,
		},
		{
			name: "validation not retried",
			answers: []func() (int, http.Header, any){func() (int, http.Header, any) {
				return oscErr(400, "4113", "InvalidParameterValue", "Vlan out of range")
			}},
			run: func(ctx context.Context, c *Client) error {
				_, err := c.listAPI(ctx, InterfaceFilter{})
				return err
			},
			action: "ReadDirectLinkInterfaces", wantCalls: 1, wantKind: KindValidation,
		},
		{
			name:    "throttling retried at most MaxRetries times",
			answers: []func() (int, http.Header, any){oscThrottled},
			run: func(ctx context.Context, c *Client) error {
				_, err := c.listAPI(ctx, InterfaceFilter{})
				return err
			},
			action: "ReadDirectLinkInterfaces", wantCalls: 6, wantKind: KindThrottled, // 1 + MaxRetries (5)
		},
		{
			name: "create answered a gateway's 503 page", answers: []func() (int, http.Header, any){gateway503, oscCreateOK},
			run:    func(ctx context.Context, c *Client) error { _, err := c.CreateInterface(ctx, ownCreate); return err },
			action: "CreateDirectLinkInterface", wantCalls: 1, wantKind: KindServer, maybeDone: true,
		},
		{
			name: "create answered OUTSCALE's 503 throttling is sent again", answers: []func() (int, http.Header, any){platformThrottled, oscCreateOK},
			run:    func(ctx context.Context, c *Client) error { _, err := c.CreateInterface(ctx, ownCreate); return err },
			action: "CreateDirectLinkInterface", wantCalls: 2,
		},
		{
			name: "create whose answer is lost", answers: []func() (int, http.Header, any){dropped, oscCreateOK},
			run:    func(ctx context.Context, c *Client) error { _, err := c.CreateInterface(ctx, ownCreate); return err },
			action: "CreateDirectLinkInterface", wantCalls: 1, wantKind: KindTransport, maybeDone: true,
		},
		{
			name: "hosted allocate whose answer is lost", answers: []func() (int, http.Header, any){dropped, dlAllocateOK},
			run: func(ctx context.Context, c *Client) error {
				in := ownCreate
				in.VirtualGatewayID, in.OwnerAccountID = "", "123456789000"
				_, err := c.CreateInterface(ctx, in)
				return err
			},
			action: "AllocatePrivateVirtualInterface", wantCalls: 1, wantKind: KindTransport, maybeDone: true,
		},
		{
			name: "delete answered 502", answers: []func() (int, http.Header, any){func() (int, http.Header, any) { return 502, nil, rawBody("bad gateway") }},
			run:    func(ctx context.Context, c *Client) error { return c.DeleteInterface(ctx, "dxvif-00000001") },
			action: "DeleteDirectLinkInterface", wantCalls: 1, wantKind: KindServer, maybeDone: true,
		},
		{
			name: "confirm answered DirectConnectServerException", answers: []func() (int, http.Header, any){func() (int, http.Header, any) { return dlErr(500, "DirectConnectServerException", "boom") }},
			run: func(ctx context.Context, c *Client) error {
				return c.ConfirmInterface(ctx, "dxvif-00000001", "vgw-12345678")
			},
			action: "ConfirmPrivateVirtualInterface", wantCalls: 1, wantKind: KindServer, maybeDone: true,
		},
		{
			name: "create refused for its parameters is not done", answers: []func() (int, http.Header, any){func() (int, http.Header, any) {
				return oscErr(400, "4113", "InvalidParameterValue", "Vlan out of range")
			}},
			run:    func(ctx context.Context, c *Client) error { _, err := c.CreateInterface(ctx, ownCreate); return err },
			action: "CreateDirectLinkInterface", wantCalls: 1, wantKind: KindValidation,
		},
		{
			name: "read whose answer is lost is read again", answers: []func() (int, http.Header, any){dropped, oscListOK},
			run:    func(ctx context.Context, c *Client) error { _, err := c.listAPI(ctx, InterfaceFilter{}); return err },
			action: "ReadDirectLinkInterfaces", wantCalls: 2,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t, sequence(tc.answers...))
			c := newTestClient(t, f.config())
			err := tc.run(context.Background(), c)
			if got := f.count(tc.action); got != tc.wantCalls {
				t.Errorf("%s calls = %d, want %d", tc.action, got, tc.wantCalls)
			}
			if tc.wantKind == KindUnknown {
				if err != nil {
					t.Fatalf("want success, got %v", err)
				}
				return
			}
			if KindOf(err) != tc.wantKind || MaybeDone(err) != tc.maybeDone {
				t.Fatalf("kind %v, MaybeDone %v (%v); want %v, %v", KindOf(err), MaybeDone(err), err, tc.wantKind, tc.maybeDone)
			}
			if strings.Contains(err.Error(), "no answer") && !strings.Contains(err.Error(), f.srv.URL) {
				t.Errorf("a lost answer should name the endpoint %s: %v", f.srv.URL, err)
			}
		})
	}
}

func TestRetryStopsWithContext(t *testing.T) {
	f := newFakeAPI(t, sequence(oscThrottled))
	cfg := f.config()
	cfg.MaxRetries = 1000
	c := newTestClient(t, cfg)
	c.retryBase, c.retryCap = 20*time.Millisecond, 20*time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.listAPI(ctx, InterfaceFilter{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want one that wraps the context's deadline", err)
	}
	if !IsThrottled(err) {
		t.Errorf("kind = %v, want throttled (the last answer)", KindOf(err))
	}
	if n := f.count("ReadDirectLinkInterfaces"); n >= 1000 {
		t.Errorf("calls = %d: the context did not bound the retries", n)
	}
}

func TestRetryableTransport(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	cases := []struct {
		name       string
		err        *Error
		idempotent bool
		want       bool
	}{
		{"read, answer lost", &Error{Kind: KindTransport, Err: reset}, true, true},
		{"create, answer lost", &Error{Kind: KindTransport, Err: reset}, false, false},
		{"create, connection refused", &Error{Kind: KindTransport, Err: refused, NotSent: true}, false, true},
		{"create, throttled", &Error{Kind: KindThrottled}, false, true},
		{"read, server error", &Error{Kind: KindServer}, true, true},
		{"delete, server error", &Error{Kind: KindServer}, false, false},
		{"read, not found", &Error{Kind: KindNotFound}, true, false},
		{"read, auth", &Error{Kind: KindAuth}, true, false},
		{"create, conflict", &Error{Kind: KindConflict}, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := retryable(tc.err, tc.idempotent); got != tc.want {
				t.Errorf("retryable = %v, want %v", got, tc.want)
			}
		})
	}
}

// A refused connection proves the request was not received: even a
// mutating call is sent again, on both APIs, but only a couple of times, so
// that a wrong endpoint is reported within seconds.
func TestMutatingCallRetriedWhenConnectionRefused(t *testing.T) {
	cases := []struct {
		api, action string
		send        func(ctx context.Context, c *Client) error
	}{
		{apiOSC, "DeleteDirectLinkInterface", func(ctx context.Context, c *Client) error {
			_, err := c.osc.DeleteDirectLinkInterface(ctx, osc.DeleteDirectLinkInterfaceRequest{DirectLinkInterfaceId: "dxvif-00000001"})
			return err
		}},
		{apiDirectLink, "ConfirmPrivateVirtualInterface", func(ctx context.Context, c *Client) error {
			_, err := c.dl.ConfirmPrivateVirtualInterface(ctx, &directconnect.ConfirmPrivateVirtualInterfaceInput{
				VirtualInterfaceId: aws.String("dxvif-00000001"), VirtualGatewayId: aws.String("vgw-87654321"),
			})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			// A listener closed right away: every dial is refused.
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			addr := l.Addr().String()
			_ = l.Close()
			c := newTestClient(t, Config{
				AccessKey: testAccessKey, SecretKey: testSecretKey, Region: "eu-west-2",
				APIEndpoint: "http://" + addr + "/api/v1", DirectLinkEndpoint: "http://" + addr,
				MaxRequestsPerSecond: 100000, MaxRetries: 3,
			})
			var attempts atomic.Int64
			err = c.call(context.Background(), tc.api, tc.action, false, func(ctx context.Context) error {
				attempts.Add(1)
				return tc.send(ctx, c)
			})
			if attempts.Load() != 1+maxTransportRetries || KindOf(err) != KindTransport || MaybeDone(err) {
				t.Errorf("attempts = %d, kind %v, MaybeDone %v; want %d, a transport error, and known not done",
					attempts.Load(), KindOf(err), MaybeDone(err), 1+maxTransportRetries)
			}
		})
	}
}

func TestBackoffFullJitterBounds(t *testing.T) {
	base, limit := 100*time.Millisecond, 2*time.Second
	for attempt := 1; attempt <= 12; attempt++ {
		ceiling := min(base<<(attempt-1), limit)
		var maxSeen time.Duration
		for i := 0; i < 2000; i++ {
			d := backoff(base, limit, attempt)
			if d < 0 || d > ceiling {
				t.Fatalf("attempt %d: backoff %v outside [0, %v]", attempt, d, ceiling)
			}
			maxSeen = max(maxSeen, d)
		}
		if maxSeen < ceiling/2 {
			t.Errorf("attempt %d: largest of 2000 draws %v, want spread up to %v", attempt, maxSeen, ceiling)
		}
	}
	if d := backoff(base, limit, 200); d > limit {
		t.Errorf("huge attempt: %v beyond the cap %v", d, limit)
	}
}

func TestRetryAfter(t *testing.T) {
	cases := []struct {
		value string
		want  time.Duration
	}{
		{"", 0},
		{"3", 3 * time.Second},
		{"-4", 0},
		{"100000", maxRetryAfter},
		{"soon", 0},
	}
	for _, tc := range cases {
		if got := retryAfter(http.Header{"Retry-After": {tc.value}}); got != tc.want {
			t.Errorf("Retry-After %q: %v, want %v", tc.value, got, tc.want)
		}
	}
}

func TestAdaptiveLimiterSlowsDownAndRecovers(t *testing.T) {
	now := time.Unix(1000, 0)
	l := newAdaptiveLimiter(10)
	l.now = func() time.Time { return now }

	l.throttled()
	if got := l.rate(); got != 5 {
		t.Fatalf("after a throttle: %v req/s, want 5", got)
	}
	l.throttled() // same burst: counted once
	if got := l.rate(); got != 5 {
		t.Fatalf("second throttle of the same second: %v req/s, want 5", got)
	}
	for i := 0; i < 5; i++ {
		now = now.Add(2 * time.Second)
		l.throttled()
	}
	if got := l.rate(); got != 2.5 {
		t.Fatalf("after sustained throttling: %v req/s, want the floor 2.5", got)
	}
	now = now.Add(5 * time.Second)
	l.succeeded()
	if got := l.rate(); got != 2.5 {
		t.Fatalf("5s after the last throttle: %v req/s, want still 2.5", got)
	}
	now = now.Add(10 * time.Second)
	l.succeeded()
	if got := l.rate(); got != 5 {
		t.Fatalf("15s after the last throttle: %v req/s, want 5", got)
	}
	now = now.Add(11 * time.Second)
	l.succeeded()
	now = now.Add(11 * time.Second)
	l.succeeded()
	if got := l.rate(); got != 10 {
		t.Fatalf("recovered: %v req/s, want the configured 10", got)
	}
}

func TestClientsOfOneAccountShareTheirRateBudget(t *testing.T) {
	cfg := Config{AccessKey: "AKSHARED", SecretKey: "s", APIEndpoint: "http://127.0.0.1:1/api/v1", MaxRequestsPerSecond: 7}
	a, b := newTestClient(t, cfg), newTestClient(t, cfg)
	other := cfg
	other.AccessKey = "AKOTHER"
	c := newTestClient(t, other)
	if a.limiter != b.limiter {
		t.Error("two clients of one account have separate rate limiters: together they would exceed the account's rate")
	}
	if a.limiter == c.limiter {
		t.Error("two accounts share one rate limiter")
	}
}

func TestRetryAfterIsRespected(t *testing.T) {
	f := newFakeAPI(t, sequence(
		func() (int, http.Header, any) {
			status, _, body := oscThrottled()
			return status, http.Header{"Retry-After": {"1"}}, body
		},
		oscListOK,
	))
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	c := newTestClient(t, f.config())
	if _, err := c.listAPI(ctx, InterfaceFilter{}); err != nil {
		t.Fatal(err)
	}
	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e["@message"] == "API call failed, will retry" {
			if ms, _ := e["retry_in_ms"].(float64); ms < 1000 {
				t.Errorf("retry planned in %vms, want at least the 1s the API asked for", ms)
			}
			return
		}
	}
	t.Fatal("no retry logged")
}
