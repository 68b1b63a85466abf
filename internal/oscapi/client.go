package oscapi

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	"github.com/outscale/osc-sdk-go/v3/pkg/middleware"
	"github.com/outscale/osc-sdk-go/v3/pkg/options"
	"github.com/outscale/osc-sdk-go/v3/pkg/osc"
	"github.com/outscale/osc-sdk-go/v3/pkg/profile"
)

// Defaults applied to zero Config fields.
const (
	// DefaultRegion is OUTSCALE's default Region.
	DefaultRegion = "eu-west-2"
	// DefaultMaxRequestsPerSecond is the client-side rate shared by both
	// APIs. OUTSCALE throttles per account and per call; 10 requests per
	// second keeps a 500-interface apply well below those limits while
	// leaving room for other tools using the same account.
	DefaultMaxRequestsPerSecond = 10.0
	// DefaultMaxRetries bounds retries of one call (throttling, 5xx,
	// transport errors of reads).
	DefaultMaxRetries = 10
	// DefaultPollMinInterval is the tick of the shared poller: one call a
	// tick per client, whatever the number of waits, each interval drawn
	// between 0.8 and 1 times it (0.76 to 0.95 s, 0.86 s on average). 0.95 s,
	// below the 1 s ceiling by about one answer's latency: a transition is
	// noticed within a second of happening, the poll's own round trip
	// included.
	DefaultPollMinInterval = 950 * time.Millisecond
	// DefaultPollMaxInterval is kept for compatibility; waits no longer back off.
	DefaultPollMaxInterval = time.Second
	// DefaultResponseTimeout bounds each attempt of a call. The API answers
	// in well under a second; 10 s leaves room for a loaded endpoint while
	// an endpoint that accepts and never answers fails a plan in 10 s and
	// an apply (whose plan meets it first) in about as long.
	DefaultResponseTimeout = 10 * time.Second
	// dialTimeout bounds opening a connection: on a reachable network a
	// refused port fails at once, and a silent host (a firewall dropping
	// packets) is told apart within seconds.
	dialTimeout = 5 * time.Second
	// DefaultUserAgent is sent when Config.UserAgent is empty.
	DefaultUserAgent = "terraform-provider-osc"

	defaultRetryBase      = 250 * time.Millisecond
	defaultRetryCap       = 20 * time.Second
	defaultSnapshotMaxAge = 2 * time.Minute
	maxRetryAfter         = time.Minute
	pageSize              = 1000
)

// Client implements API over the OUTSCALE API (osc-sdk-go) and the DirectLink
// API (aws-sdk-go-v2 directconnect). One Client is meant to live for one
// Terraform operation: its read snapshot is never older than the client.
type Client struct {
	cfg     Config
	osc     *osc.Client // signed requests
	oscAnon *osc.Client // ReadLocations, which needs no credentials
	dl      *directconnect.Client
	limiter *adaptiveLimiter
	batch   *batcher
	fresh   *coalescer
	poller  *poller

	// Retry backoff bounds; fields so that tests can shorten them.
	retryBase time.Duration
	retryCap  time.Duration

	secrets secrets

	accountMu sync.Mutex
	accountID string
}

var _ API = (*Client)(nil)

// New builds a client. It makes no API call.
func New(ctx context.Context, cfg Config) (*Client, error) {
	cfg = withDefaults(cfg)

	base := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   32, // Terraform runs 10 operations at once by default
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   dialTimeout,
		ExpectContinueTimeout: time.Second,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.Insecure}, // only when the user sets insecure = true
	}
	wire := &wireTransport{next: base, userAgent: cfg.UserAgent}

	c := &Client{
		cfg:       cfg,
		limiter:   sharedLimiter(cfg),
		retryBase: defaultRetryBase,
		retryCap:  defaultRetryCap,
	}
	c.secrets.add(cfg.SecretKey)
	c.batch = newBatcher(c, defaultSnapshotMaxAge)
	c.fresh = &coalescer{c: c}
	c.poller = newPoller(c, realClock{}, cfg.PollMinInterval)

	// The SDK's own retry, rate limit and logging middlewares are removed:
	// our policy applies once, around each call, for both APIs alike.
	sdkOpts := []middleware.MiddlewareChainOption{
		options.WithoutRetry(),
		options.WithoutRatelimit(),
		options.WithoutLogging(),
		middleware.WithBaseTransport(base),
		middleware.WithMiddleware(middleware.MiddlewareSlotUseragent, wire),
	}
	// ReadLocations needs no credentials: it goes through a client without.
	anonymous := profile.Profile{
		Region:        cfg.Region,
		Protocol:      "https",
		TlsSkipVerify: cfg.Insecure,
		Endpoints:     profile.Endpoint{API: cfg.APIEndpoint},
	}
	signed := anonymous
	signed.AccessKey, signed.SecretKey = cfg.AccessKey, cfg.SecretKey
	var err error
	if c.osc, err = osc.NewClient(&signed, sdkOpts...); err != nil {
		return nil, fmt.Errorf("configuring the OUTSCALE API client: %w", err)
	}
	if c.oscAnon, err = osc.NewClient(&anonymous, sdkOpts...); err != nil {
		return nil, fmt.Errorf("configuring the OUTSCALE API client: %w", err)
	}

	c.dl = directconnect.New(directconnect.Options{
		Region:       cfg.Region,
		BaseEndpoint: aws.String(cfg.DirectLinkEndpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: cfg.AccessKey, SecretAccessKey: cfg.SecretKey, Source: "terraform-provider-osc"}, nil
		}),
		Retryer:    aws.NopRetryer{},
		HTTPClient: &http.Client{Transport: wire},
	})
	return c, nil
}

func withDefaults(cfg Config) Config {
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if cfg.APIEndpoint == "" {
		cfg.APIEndpoint = fmt.Sprintf("https://api.%s.outscale.com/api/v1", cfg.Region)
	}
	if cfg.DirectLinkEndpoint == "" {
		cfg.DirectLinkEndpoint = fmt.Sprintf("https://directlink.%s.outscale.com", cfg.Region)
	}
	cfg.DirectLinkEndpoint = strings.TrimRight(cfg.DirectLinkEndpoint, "/")
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.MaxRequestsPerSecond <= 0 {
		cfg.MaxRequestsPerSecond = DefaultMaxRequestsPerSecond
	}
	if cfg.MaxRetries <= 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.ResponseTimeout <= 0 {
		cfg.ResponseTimeout = DefaultResponseTimeout
	}
	if cfg.PollMinInterval <= 0 {
		cfg.PollMinInterval = DefaultPollMinInterval
	}
	if cfg.PollMaxInterval <= 0 {
		cfg.PollMaxInterval = DefaultPollMaxInterval
	}
	if cfg.PollMaxInterval < cfg.PollMinInterval {
		cfg.PollMaxInterval = cfg.PollMinInterval
	}
	return cfg
}

// Region is the Region the client is configured for.
func (c *Client) Region() string { return c.cfg.Region }

// AccountID returns the caller's account ID, from its DirectLinks (OUTSCALE
// API), else from its connections (DirectLink API). The answer is cached.
// An account that holds no DirectLink cannot be identified this way: the
// error says so.
func (c *Client) AccountID(ctx context.Context) (string, error) {
	c.accountMu.Lock()
	defer c.accountMu.Unlock()
	if c.accountID != "" {
		return c.accountID, nil
	}
	links, err := c.ListDirectLinks(ctx)
	if err != nil {
		return "", err
	}
	for _, l := range links {
		if l.AccountID != "" {
			c.accountID = l.AccountID
			return c.accountID, nil
		}
	}
	var out *directconnect.DescribeConnectionsOutput
	err = c.call(ctx, apiDirectLink, "DescribeConnections", true, func(ctx context.Context) error {
		var err error
		out, err = c.dl.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
		return err
	})
	if err != nil {
		return "", err
	}
	for _, conn := range out.Connections {
		if id := aws.ToString(conn.OwnerAccount); id != "" {
			c.accountID = id
			return c.accountID, nil
		}
	}
	return "", errors.New("unable to determine the account ID of these credentials: neither ReadDirectLinks nor DescribeConnections returned a DirectLink for them")
}

// tlsRefused reports whether err is the endpoint's certificate being refused:
// sending again cannot help, the configuration must change (endpoint, or
// insecure for a test endpoint).
func tlsRefused(err error) bool {
	var (
		verify   *tls.CertificateVerificationError
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		record   tls.RecordHeaderError
	)
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &hostname) ||
		errors.As(err, &invalid) || errors.As(err, &record)
}

// endpoint names where the calls of api go, as scheme://host:port, for
// messages about an endpoint that does not answer.
func (c *Client) endpoint(api string) string {
	raw := c.cfg.APIEndpoint
	if api == apiDirectLink {
		raw = c.cfg.DirectLinkEndpoint
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if port == "" {
		return u.Scheme + "://" + u.Host
	}
	return u.Scheme + "://" + net.JoinHostPort(u.Hostname(), port)
}

// endpointSetting names the provider setting of api's endpoint.
func endpointSetting(api string) string {
	if api == apiDirectLink {
		return "endpoints.direct_link or OSC_ENDPOINT_DIRECT_LINK"
	}
	return "endpoints.api or OSC_ENDPOINT_API"
}

// transportMessage says what happened to a call that got no answer, where,
// and what to check: the Go error of a failed dial reads "Post \"...\": dial
// tcp ...: connect: connection refused", which tells a user little.
func (c *Client) transportMessage(api string, err error, timedOut bool) string {
	where := fmt.Sprintf("no answer from %s (%s)", c.endpoint(api), api)
	check := fmt.Sprintf("check the endpoint (%s) and that it is reachable from this machine", endpointSetting(api))
	var (
		dns *net.DNSError
		ne  net.Error
	)
	switch {
	case timedOut:
		return fmt.Sprintf("%s: nothing came back within %s of sending the request (the connection was accepted, but the server never answered); "+
			"the request may have been carried out. Check that %s is an OUTSCALE endpoint and is not overloaded (%s)",
			where, c.cfg.ResponseTimeout, c.endpoint(api), endpointSetting(api))
	case tlsRefused(err):
		return fmt.Sprintf("%s: its TLS certificate was refused (%s); check the endpoint, or set insecure = true for a test endpoint", where, redact(rootCause(err)))
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("%s: connection refused (nothing listens on that port); %s", where, check)
	case errors.As(err, &dns):
		return fmt.Sprintf("%s: the host name %q could not be resolved; %s", where, dns.Name, check)
	case dialFailed(err) && errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("%s: could not connect within %s; %s", where, dialTimeout, check)
	case dialFailed(err):
		return fmt.Sprintf("%s: could not connect (%s); %s", where, redact(rootCause(err)), check)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return fmt.Sprintf("%s: the connection was closed before the answer came; the request may have been carried out", where)
	default:
		return fmt.Sprintf("%s: %s", where, redact(rootCause(err)))
	}
}

// rootCause is the innermost error's text: the SDKs wrap a transport
// failure in several layers that repeat the URL and the operation.
func rootCause(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		err = next
	}
}

// dialFailed reports whether err proves the request never reached the server
// (the connection could not be opened), so that even a mutating call may be
// sent again.
func dialFailed(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	return errors.As(err, &dns)
}
