package oscapi

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// exchange records what one attempt of one call saw on the wire, whatever
// the SDK makes of it: classification and logging read the status, headers
// and body from here, identically for both APIs.
type exchange struct {
	status int
	header http.Header
	body   []byte
	wrote  atomic.Bool // the whole request was written to a connection
	conn   atomic.Bool // a connection was obtained: writing has begun
}

// sent reports whether the request may have reached the server.
func (x *exchange) sent() bool { return x.wrote.Load() }

// writing reports whether the request has begun to be written: from then on
// the server may get all of it before the client learns that it was sent.
func (x *exchange) writing() bool { return x.conn.Load() }

type exchangeKey struct{}

func withExchange(ctx context.Context) (context.Context, *exchange) {
	x := &exchange{}
	return context.WithValue(ctx, exchangeKey{}, x), x
}

// wireTransport is the one HTTP layer under both SDKs: it sets our user
// agent, records the exchange, and logs bodies at TRACE with secrets masked.
// It is also an osc-sdk-go middleware (Decorate), placed in the SDK's
// user-agent slot, below its signer.
type wireTransport struct {
	next      http.RoundTripper
	userAgent string
}

func (t *wireTransport) Decorate(next http.RoundTripper) http.RoundTripper {
	return &wireTransport{next: next, userAgent: t.userAgent}
}

func (t *wireTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	req = req.Clone(ctx)
	// Signers (SigV4 in both SDKs) do not sign User-Agent, so replacing it
	// after signing keeps the signature valid.
	req.Header.Set("User-Agent", t.userAgent)

	if tflog.SubsystemIsTrace(ctx, subsystem) {
		fields := map[string]any{
			"http_method": req.Method,
			"http_url":    req.URL.String(),
			"user_agent":  t.userAgent,
		}
		if target := req.Header.Get("X-Amz-Target"); target != "" {
			fields["amz_target"] = target
		}
		if b, ok := peekBody(req); ok {
			fields["http_request_body"] = redact(string(b))
		}
		tflog.SubsystemTrace(ctx, subsystem, "HTTP request", fields)
	}

	if x, ok := ctx.Value(exchangeKey{}).(*exchange); ok {
		// Whether the request was written decides whether a failed
		// mutating call may be sent again: it may not once it was.
		req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
			GotConn: func(httptrace.GotConnInfo) { x.conn.Store(true) },
			WroteRequest: func(info httptrace.WroteRequestInfo) {
				if info.Err == nil {
					x.wrote.Store(true)
				}
			},
		}))
	}

	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))

	if x, ok := ctx.Value(exchangeKey{}).(*exchange); ok {
		x.status = resp.StatusCode
		x.header = resp.Header.Clone()
		x.body = body
	}
	if tflog.SubsystemIsTrace(ctx, subsystem) {
		tflog.SubsystemTrace(ctx, subsystem, "HTTP response", map[string]any{
			"http_status":        resp.StatusCode,
			"http_duration_ms":   time.Since(start).Milliseconds(),
			"http_response_body": redact(string(body)),
		})
	}
	return resp, nil
}

// peekBody returns the request body without consuming it: through GetBody
// when the SDK set it (osc-sdk-go), else by buffering it (aws-sdk-go-v2
// streams its bodies).
func peekBody(req *http.Request) ([]byte, bool) {
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, false
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		return b, err == nil
	}
	if req.Body == nil || req.Body == http.NoBody {
		return nil, false
	}
	b, err := io.ReadAll(req.Body)
	_ = req.Body.Close()
	req.Body = io.NopCloser(bytes.NewReader(b))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return b, err == nil
}
