// Package emulator is a local, in-memory OUTSCALE: the OUTSCALE API's DirectLink
// calls under /api/v1/ (and /api/latest/) and the AWS-Direct-Connect-compatible DirectLink API at
// POST / (X-Amz-Target: OvertureService.<Action>), over one store, with real
// signature checks, the real state machine, and injectable faults.
//
// It imports nothing from the provider: it is a product of its own, usable by
// anyone's tests in-process (Emulator is an http.Handler) or as the command
// cmd/osc-emulator.
//
// Exported surface (the seam other packages rely on):
//
//	type Options struct {
//		TransitionDelay time.Duration // time spent in each transitional state (default 2s)
//		TransitionJitter time.Duration // pending and deleting last up to this much longer, drawn per transition
//		ConfirmExpiry   time.Duration // confirming longer than this -> expired (default 168h)
//		Throttle        float64       // fraction of requests answered with the API's throttling error
//		DropResponse    float64       // fraction of mutating requests carried out whose answer is dropped
//		Latency         time.Duration // added to every response
//		StatePath       string        // JSON file: loaded at start if present, saved after every change
//		Region          string        // default "eu-west-2"
//		Seed            int64         // seeds IDs and fault draws; 0 = time-based
//		Now             func() time.Time // the clock (default time.Now); FakeClock.Now for tests
//		FailAfterCommit       float64 // fraction of mutating requests carried out, then answered 5xx
//		FailAfterCommitStatus int     // that 5xx (default 502)
//		Fail503Plain          float64 // fraction of requests answered a gateway's 503 page, not carried out
//		SeedInterfaces        int     // available interfaces of the owner stored at start
//		SeedHosted            bool    // every second seeded interface hosted for the recipient
//	}
//	func New(opts Options) (*Emulator, error)
//	func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request)
//	func (e *Emulator) Accounts() []Account      // owner, recipient, outsider
//	func (e *Emulator) Account(name string) Account
//	func (e *Emulator) Info(baseURL string) Info // the first stdout line of the command
//	func (e *Emulator) Stats() Stats             // same numbers as GET /_emulator/stats
//	func (e *Emulator) Interfaces() []Interface  // snapshot of every interface, any state, sorted by ID
//	func (e *Emulator) Modify(id string, fn func(*Interface)) error // out-of-band change (drift) for tests
//	func (e *Emulator) Transitions() []Transition // every state change, in order (GET /_emulator/transitions)
//	func (e *Emulator) SetFaults(throttle, dropResponse float64)    // change faults at run time (tests)
//	func (e *Emulator) SetFailAfterCommit(fraction float64)
//	func (e *Emulator) SetFail503Plain(fraction float64)
//	func NewFakeClock(t time.Time) *FakeClock    // Now, Set, Advance: a clock that moves when told
//	func StartedClock(start time.Time) func() time.Time // starts at start, runs at real speed
//	func (e *Emulator) Close() error             // saves state; returns the last save error
//
//	type Account struct {
//		Name              string   `json:"name"`
//		AccountID         string   `json:"account_id"`
//		AccessKey         string   `json:"access_key"`
//		SecretKey         string   `json:"secret_key"`
//		DirectLinkIDs     []string `json:"directlink_ids"`
//		VirtualGatewayIDs []string `json:"virtual_gateway_ids"`
//	}
//	type Info struct {
//		APIEndpoint        string    `json:"api_endpoint"`        // baseURL + "/api/v1"
//		DirectLinkEndpoint string    `json:"directlink_endpoint"` // baseURL
//		Region             string    `json:"region"`
//		Accounts           []Account `json:"accounts"`
//		APIBaseURL         string    `json:"api_base_url"`       // baseURL: osc-cli's endpoints.api
//		APINamedBaseURL    string    `json:"api_named_base_url"` // http://api.<region>.localhost:PORT: oapi-cli's
//	}
//	type Stats struct {
//		Total             int            `json:"total"`
//		Throttled         int            `json:"throttled"`
//		FailedAfterCommit int            `json:"failed_after_commit"`
//		Failed503Plain    int            `json:"failed_503_plain"`
//		Actions           map[string]int `json:"actions"`
//	}
//	type Transition struct { // one state change, dated by the emulator's clock
//		ID   string    `json:"id"`
//		From string    `json:"from"` // "" for the creation
//		To   string    `json:"to"`
//		At   time.Time `json:"at"`   // UTC, RFC 3339 with nanoseconds
//	}
//	type Interface struct { // a copy of the stored object (JSON: snake_case names)
//		ID, Name, DirectLinkID, OwnerAccountID, CreatorAccountID, VirtualGatewayID string
//		VLAN, BGPASN, MTU int64
//		BGPKey, OutscalePrivateIP, ClientPrivateIP, State, Location string
//		Hosted bool
//	}
//
// # Fixtures
//
// Three accounts, always the same:
//
//	owner     123456789012  EMULATOROWNERKEY0001  DirectLinks dxcon-12345678 (PAR1, 1Gbps) and
//	                                              dxcon-23456789 (PAR4, 10Gbps), both available;
//	                                              virtual gateway vgw-12345678
//	recipient 123456789000  EMULATORRECIPIENT001  virtual gateway vgw-87654321
//	outsider  123456789099  EMULATOROUTSIDER0001  virtual gateway vgw-99999999, no DirectLink
//
// Secret keys are in Accounts() and in the command's first line. With
// SeedInterfaces, the owner also holds that many available interfaces at
// start (VLANs 2, 3, ... on dxcon-12345678, then dxcon-23456789, then added
// DirectLinks dxcon-5eed0001, ...), which then behave as any other. Locations
// (ReadLocations): PAR1 "Telehouse 3, France", PAR4 "Equinix Pantin, France".
//
// # Endpoints
//
//	POST /api/v1/<Action>   OUTSCALE API (also /api/latest/<Action>): CreateDirectLinkInterface, ReadDirectLinkInterfaces,
//	                        UpdateDirectLinkInterface, DeleteDirectLinkInterface, ReadDirectLinks,
//	                        ReadLocations (the only one that needs no signature)
//	POST /                  DirectLink API, X-Amz-Target: OvertureService.<Action>:
//	                        AllocatePrivateVirtualInterface, ConfirmPrivateVirtualInterface,
//	                        DescribeVirtualInterfaces, DeleteVirtualInterface, DescribeConnections
//	GET  /_emulator/stats       request counts (not counting /_emulator/ itself)
//	GET  /_emulator/interfaces  every stored interface (Interface as JSON), for shell tests
//	GET  /_emulator/info        the Info of this server
//	GET  /_emulator/transitions every state change so far, in order:
//	                            [{"id":"dxvif-...","from":"pending","to":"available","at":"<RFC3339Nano>"}]
//	                            "at" is when it happened on the emulator's clock (states advance
//	                            from timestamps, so it is exact however late anyone looks);
//	                            "from" is "" for the creation. Not kept in the state file.
//
// Paths are routed with runs of slashes collapsed, as the real endpoints do
// (osc-cli sends //api/latest/<Action>), and signatures verify against the
// path as sent or collapsed (SigV4 path normalisation). An x-osc-target
// header (osc-cli) must be OutscaleService.<the path's action>. An empty body
// is {}. A path no API serves gets a JSON error: the DirectLink API's when
// X-Amz-Target is present, else the OUTSCALE API's (404, code 0). DirectLink
// API answers carry the request ID as X-Amzn-Requestid and X-Amz-Requestid.
//
// Requests are signed with SigV4 (AWS4-HMAC-SHA256, any region, service
// api, oapi, osc, directconnect or directlink) or OSC4-HMAC-SHA256.
//
// # Rules and states
//
// VLAN 2-4094, unique per DirectLink among interfaces not in state deleted
// (a deleting interface still holds its VLAN);
// BGP ASN 1-4294967295 except 50624, 53306 and 132418; private IPs both or
// neither, IPv4 /30, in the same /30, distinct (when omitted: a free
// 169.254.x.y/30 pair, .1 OUTSCALE side, .2 client side); BGP key generated
// when omitted; MTU only 1500; the DirectLink must be the caller's and
// available; the virtual gateway must be the caller's (the recipient's, on
// confirm); a hosted interface's ownerAccount must exist and not be the caller.
//
// own create: pending -> available. Allocate: pending -> confirming. Confirm
// (recipient only): pending -> available. Delete: deleting -> deleted, purged
// one TransitionDelay later; deleting what is deleting or deleted succeeds
// and changes nothing. The recipient deleting a confirming interface rejects
// it (rejected). Confirming longer than ConfirmExpiry: expired. Each
// transitional state lasts TransitionDelay (pending and deleting, plus a
// draw below TransitionJitter: a hash of the seed, the interface, the state
// and when it was entered); states advance from timestamps
// whenever the store is looked at, so there is no timer to stop.
//
// An interface is visible to its owner (AccountId; the recipient for a hosted
// one) and to the owner of its DirectLink; both may read, update and delete
// it. Anyone else gets the API's not-found answer.
//
// # Errors
//
// OUTSCALE API: {"Errors":[{"Code","Type","Details"}],"ResponseContext":{"RequestId"}}.
//
//	400 3001 InvalidParameter       unknown parameter (at any depth)
//	400 3002 InvalidParameter       incompatible values (IP pair)
//	400 4047 InvalidParameterValue  invalid value (format, enum such as Mtu, reserved ASN, bad NextPageToken,
//	                                x-osc-target naming another action)
//	400 4104 InvalidParameterValue  ID with the wrong prefix
//	400 4105 InvalidParameterValue  ID whose body (after the prefix) is not lower-case letters and digits
//	400 4110 InvalidParameterValue  wrong JSON type, or a body that is not a JSON object
//	400 4113 InvalidParameterValue  number out of range (Vlan, BgpAsn, ResultsPerPage)
//	400 5068 InvalidResource        virtual gateway not found (or not the caller's)
//	400 5072 InvalidResource        DirectLink not found (or not the caller's)
//	400 5073 InvalidResource        DirectLink interface not found (or not visible)
//	400 7000 MissingParameter       required parameter missing
//	400 10001 InsufficientCapacity  no free 169.254 pair left
//	401 1    AccessDenied           authentication failed (missing, unknown key, bad signature, expired)
//	405 2    AccessDenied           method other than POST
//	409 6003 InvalidState           state forbids the action (DirectLink not available, update while deleting)
//	409 9061 ResourceConflict       VLAN already used on the DirectLink (emulator's choice in the 9xxx range)
//	429 24 / 429 25 / 503 6 AccessDenied  throttling (per account / per call / whole platform)
//	404 0    DefaultError           a path no API serves
//	501 0    DefaultError           an action the emulator does not implement
//
// DirectLink API: {"__type","message"} plus X-Amzn-Errortype and
// X-Amzn-Requestid headers: 400 DirectConnectClientException (every refusal,
// not-found included), 400 SerializationException (body not the expected
// JSON), 400 Throttling, 400 UnknownOperationException, 403
// MissingAuthenticationTokenException / UnrecognizedClientException /
// InvalidSignatureException, 404 UnknownOperationException (a path no API
// serves). testdata/directlink-errors holds these bodies as fixtures.
//
// # Faults
//
// Throttle answers that fraction of API requests (drawn first, nothing is
// carried out) with the throttling error; Latency holds every API answer;
// DropResponse carries out that fraction of mutating requests
// (Create/Update/Delete, Allocate/Confirm/DeleteVirtualInterface) and then
// closes the connection without answering. FailAfterCommit carries out that
// fraction of the same requests (those that succeed) and answers
// FailAfterCommitStatus with a gateway's HTML page; Fail503Plain answers that
// fraction of API requests 503 with a gateway's HTML page, before anything is
// carried out: not OUTSCALE's throttling error (which is 503 code 6, or 429
// code 24 or 25, in the API's JSON error body). Both are counted in Stats.
// Draws come from a generator seeded with Seed.
//
// # Clock
//
// Options.Now is the only clock: signature expiry (5 minutes either way),
// every transition and the confirm expiry read it, so a FakeClock makes
// time-dependent tests exact and sleep-free, and lets recorded requests be
// replayed at their signing time.
package emulator
