package oscapi

import (
	"context"
	"time"
)

// Interface states, as both APIs report them.
const (
	StatePending    = "pending"
	StateConfirming = "confirming"
	StateAvailable  = "available"
	StateDeleting   = "deleting"
	StateDeleted    = "deleted"
	StateRejected   = "rejected"
	StateExpired    = "expired"
)

// Interface is a DirectLink interface as the provider sees it, whichever API
// reported it.
type Interface struct {
	ID                string // dxvif-...
	Name              string
	DirectLinkID      string // dxcon-...
	AccountID         string // account that owns the interface (the recipient, for a hosted one)
	VirtualGatewayID  string // empty for a hosted interface not yet confirmed
	VLAN              int64
	BGPASN            int64
	BGPKey            string
	OutscalePrivateIP string // CIDR, e.g. 172.16.0.4/30
	ClientPrivateIP   string // CIDR, e.g. 172.16.0.5/30
	State             string
	InterfaceType     string // always "private"
	Location          string
	MTU               int64
}

// CreateInterfaceInput is what the create call needs. Exactly one of
// VirtualGatewayID (an interface in the caller's own account, created with
// CreateDirectLinkInterface) and OwnerAccountID (an interface hosted for
// another account, created with AllocatePrivateVirtualInterface) is set.
type CreateInterfaceInput struct {
	DirectLinkID      string
	Name              string
	VLAN              int64
	BGPASN            int64
	BGPKey            string // optional
	OutscalePrivateIP string // optional, with ClientPrivateIP
	ClientPrivateIP   string // optional, with OutscalePrivateIP
	VirtualGatewayID  string
	OwnerAccountID    string
}

// Freshness says how current a read must be; see the package doc's table.
type Freshness int

const (
	// Fresh reads with an API call sent after the read was asked for: never
	// a snapshot. The zero value, so that a read that does not say is fresh.
	// Decisions that change something (adopt, confirm, delete) read Fresh.
	Fresh Freshness = iota
	// FromSnapshot may be served from the operation's snapshot of all
	// interfaces (or a batch shared with other reads of the moment): never
	// older than the start of the operation, nor than this client's own
	// last change to the interface. Refreshes (Read) use it.
	FromSnapshot
)

func (f Freshness) String() string {
	if f == FromSnapshot {
		return "from snapshot"
	}
	return "fresh"
}

// InterfaceFilter narrows ListInterfaces the way the API can; empty slices
// mean no filter on that field.
type InterfaceFilter struct {
	// Freshness of the listing; the zero value is Fresh.
	Freshness     Freshness
	DirectLinkIDs []string
	InterfaceIDs  []string
	// OthersOnly leaves out the interfaces this client created, changed or
	// deleted, so that with batching the answer comes wholly from the
	// operation's snapshot, without the fresh read those would need: for
	// lookups about interfaces made elsewhere (the plan-time VLAN check,
	// which Terraform runs again before each create of an apply).
	OthersOnly bool
}

// DirectLink is a DirectLink connection.
type DirectLink struct {
	ID        string
	Name      string
	AccountID string
	Bandwidth string
	Location  string
	Region    string
	State     string
}

// Location is an OUTSCALE datacenter where DirectLinks can be set up.
type Location struct {
	Code string
	Name string
}

// WaitOptions tunes a wait. Zero values take the package defaults.
type WaitOptions struct {
	// Target states end the wait successfully.
	Target []string
	// Pending states keep the wait going; any state in neither list (and
	// "not found", unless NotFoundIsTarget) ends it with an *UnexpectedStateError.
	Pending []string
	// NotFoundIsTarget makes "the interface is gone" a success (delete waits).
	NotFoundIsTarget bool
	// OnTransition, if set, is called each time the observed state changes.
	OnTransition func(from, to string)
}

// API is the interface the provider programs against. All methods honor ctx
// (deadline and cancellation) and retry throttling and 5xx answers internally.
type API interface {
	// CreateInterface creates (own account) or allocates (hosted) an interface
	// and returns it as the API answered, usually in state pending/confirming.
	CreateInterface(ctx context.Context, in CreateInterfaceInput) (*Interface, error)
	// ReadInterface returns one interface; an *Error of kind KindNotFound when
	// it does not exist or is not visible to the caller. fr says whether it
	// may come from the operation's snapshot (see the package doc).
	ReadInterface(ctx context.Context, id string, fr Freshness) (*Interface, error)
	// ListInterfaces returns every interface matching the filter, all pages,
	// as fresh as f.Freshness asks.
	ListInterfaces(ctx context.Context, f InterfaceFilter) ([]Interface, error)
	// UpdateInterfaceMTU sets the MTU (the only mutable attribute).
	UpdateInterfaceMTU(ctx context.Context, id string, mtu int64) (*Interface, error)
	// DeleteInterface deletes an interface; not-found is returned as an *Error
	// of kind KindNotFound so that callers may treat it as done.
	DeleteInterface(ctx context.Context, id string) error
	// ConfirmInterface accepts a hosted interface (recipient side) and attaches
	// it to the given virtual gateway of the caller.
	ConfirmInterface(ctx context.Context, id, virtualGatewayID string) error
	// WaitInterface polls the interface with fresh reads until a target
	// state or ctx ends: a deadline gives a *WaitTimeoutError, a
	// cancellation a *WaitInterruptedError (IsInterrupted).
	WaitInterface(ctx context.Context, id string, opts WaitOptions) (*Interface, error)
	// ListDirectLinks returns the caller's DirectLinks.
	ListDirectLinks(ctx context.Context) ([]DirectLink, error)
	// ListLocations returns the locations; it needs no credentials.
	ListLocations(ctx context.Context) ([]Location, error)
	// MaskContext returns ctx with its root logger (and this package's
	// subsystem) masking every secret the client knows at that moment: the
	// secret key and every BGP key it sent or received. The provider calls
	// it at the start of each CRUD method.
	MaskContext(ctx context.Context) context.Context
}

// Config configures a client. Endpoints are full base URLs:
// APIEndpoint like "https://api.eu-west-2.outscale.com/api/v1",
// DirectLinkEndpoint like "https://directlink.eu-west-2.outscale.com".
type Config struct {
	AccessKey          string
	SecretKey          string
	Region             string
	APIEndpoint        string
	DirectLinkEndpoint string
	Insecure           bool
	UserAgent          string // e.g. "terraform-provider-osc/0.1.0 (+terraform 1.11.4)"
	// MaxRequestsPerSecond caps the client's request rate (shared by both
	// APIs, as OUTSCALE throttles per account). 0 takes the default.
	MaxRequestsPerSecond float64
	// MaxRetries bounds retries of one throttled or 5xx call; ctx bounds them too.
	MaxRetries int
	// ResponseTimeout bounds each attempt of each call, from sending to the
	// last byte of the answer; 0 takes DefaultResponseTimeout. An attempt
	// that hits it is not sent again (the endpoint is not answering), so
	// that an unreachable endpoint fails a plan quickly.
	ResponseTimeout time.Duration
	// PollMinInterval is the tick of the client's shared poller (one call a
	// tick for every wait), capped at 1 s: the longest interval between two
	// polls, each drawn between 0.8 and 1 times it; 0 takes the default
	// (0.95 s).
	// Tests set it lower.
	PollMinInterval time.Duration
	// PollMaxInterval is ignored: waits no longer back off (kept so that
	// configurations that set it still build).
	PollMaxInterval time.Duration
	// DisableBatching makes every ReadInterface and ListInterfaces its own
	// API call, as if each asked Fresh (benchmarks). Waits always share the
	// poller's tick.
	DisableBatching bool
}
