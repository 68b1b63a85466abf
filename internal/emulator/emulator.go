package emulator

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options tunes an Emulator. Zero values take the defaults.
type Options struct {
	TransitionDelay time.Duration // time spent in each transitional state (default 2s)
	ConfirmExpiry   time.Duration // confirming longer than this -> expired (default 168h)
	Throttle        float64       // fraction of requests answered with the API's throttling error
	DropResponse    float64       // fraction of mutating requests carried out whose answer is dropped
	Latency         time.Duration // added to every response
	StatePath       string        // JSON file: loaded at start if present, saved after every change
	Region          string        // default "eu-west-2"
	Seed            int64         // seeds IDs and fault draws; 0 = time-based

	// Now is the emulator's clock: signature expiry, state transitions,
	// confirm expiry and the recorded transition times all read it.
	// Default time.Now; a FakeClock's Now makes time-dependent tests and
	// replays of recorded requests need no sleeps.
	Now func() time.Time

	// FailAfterCommit is the fraction of mutating requests that are carried
	// out and then answered FailAfterCommitStatus (default 502) with a
	// gateway page, as when a proxy loses the API's answer.
	FailAfterCommit       float64
	FailAfterCommitStatus int
	// Fail503Plain is the fraction of requests answered 503 with a gateway's
	// HTML page before anything is carried out: an outage that is not
	// throttling, so clients can be checked not to take it for one.
	Fail503Plain float64

	// SeedInterfaces stores that many available interfaces in the owner's
	// account at start (distinct VLANs, spread over the owner's DirectLinks),
	// so that a big account exists without as many API calls.
	SeedInterfaces int
	// SeedHosted makes every second seeded interface a hosted one,
	// confirmed by the recipient on its gateway.
	SeedHosted bool

	// TransitionJitter lengthens each pending and deleting state by a
	// random part of up to this much, drawn from Seed as the state is
	// entered (see drawExtra), so that transitions do not all keep the
	// phase of the calls that caused them. Default 0: every such state
	// lasts TransitionDelay.
	TransitionJitter time.Duration
}

// Info is what a client needs to reach the emulator: the first stdout line
// of the command.
type Info struct {
	APIEndpoint        string    `json:"api_endpoint"`        // baseURL + "/api/v1"
	DirectLinkEndpoint string    `json:"directlink_endpoint"` // baseURL
	Region             string    `json:"region"`
	Accounts           []Account `json:"accounts"`

	// APIBaseURL is the OUTSCALE API's host-only base (baseURL), the form
	// osc-cli's endpoints.api takes: it appends /api/latest/<Action> itself.
	APIBaseURL string `json:"api_base_url"`
	// APINamedBaseURL is the same base under the host name
	// api.<region>.localhost, for oapi-cli: libcurl signs with the region and
	// service it reads from the host name's first two labels, and resolves
	// *.localhost to the loopback address on its own.
	APINamedBaseURL string `json:"api_named_base_url"`
}

// Stats counts the API requests received (the /_emulator/ endpoints excluded).
type Stats struct {
	Total             int            `json:"total"`
	Throttled         int            `json:"throttled"`
	FailedAfterCommit int            `json:"failed_after_commit"` // carried out, then answered 5xx
	Failed503Plain    int            `json:"failed_503_plain"`    // answered a gateway's 503 page, not carried out
	Actions           map[string]int `json:"actions"`
}

// Emulator serves both OUTSCALE APIs over one store. It is an http.Handler.
type Emulator struct {
	opts  Options
	store *store
	state *stateFile // nil without StatePath

	faultMu  sync.Mutex
	rng      *mrand.Rand // fault draws
	throttle float64
	drop     float64
	commit5x float64
	plain503 float64

	statsMu sync.Mutex
	stats   Stats
}

// New returns an emulator with the default accounts, loading the state file
// when Options.StatePath names one that exists.
func New(opts Options) (*Emulator, error) {
	if opts.TransitionDelay <= 0 {
		opts.TransitionDelay = 2 * time.Second
	}
	if opts.ConfirmExpiry <= 0 {
		opts.ConfirmExpiry = 168 * time.Hour
	}
	if opts.Region == "" {
		opts.Region = "eu-west-2"
	}
	if err := checkFraction("Throttle", opts.Throttle); err != nil {
		return nil, err
	}
	if err := checkFraction("DropResponse", opts.DropResponse); err != nil {
		return nil, err
	}
	if err := checkFraction("FailAfterCommit", opts.FailAfterCommit); err != nil {
		return nil, err
	}
	if err := checkFraction("Fail503Plain", opts.Fail503Plain); err != nil {
		return nil, err
	}
	if opts.FailAfterCommitStatus == 0 {
		opts.FailAfterCommitStatus = http.StatusBadGateway
	}
	if opts.FailAfterCommitStatus < 500 || opts.FailAfterCommitStatus > 599 {
		return nil, fmt.Errorf("FailAfterCommitStatus must be a 5xx status, got %d", opts.FailAfterCommitStatus)
	}
	if opts.Latency < 0 {
		return nil, fmt.Errorf("latency must not be negative, got %s", opts.Latency)
	}
	if opts.TransitionJitter < 0 {
		return nil, fmt.Errorf("TransitionJitter must not be negative, got %s", opts.TransitionJitter)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	seed := opts.Seed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	e := &Emulator{
		opts:     opts,
		rng:      mrand.New(mrand.NewPCG(uint64(seed), 0x6661756c7473)),
		throttle: opts.Throttle,
		drop:     opts.DropResponse,
		commit5x: opts.FailAfterCommit,
		plain503: opts.Fail503Plain,
		stats:    Stats{Actions: map[string]int{}},
	}
	e.store = newStore(opts, mrand.New(mrand.NewPCG(uint64(seed), 0x73746f7265)), seed)
	if err := e.store.seedInterfaces(opts.SeedInterfaces, opts.SeedHosted); err != nil {
		return nil, err
	}
	if opts.StatePath != "" {
		e.state = &stateFile{path: opts.StatePath}
		records, err := e.state.load()
		if err != nil {
			return nil, err
		}
		for i := range records {
			r := records[i]
			e.store.interfaces[r.ID] = &r
		}
		e.store.onChange = e.state.save
	}
	return e, nil
}

func checkFraction(name string, v float64) error {
	if v < 0 || v > 1 || v != v {
		return fmt.Errorf("%s must be a fraction between 0 and 1, got %v", name, v)
	}
	return nil
}

// Accounts returns the accounts: owner first, then recipient, then outsider.
func (e *Emulator) Accounts() []Account {
	out := make([]Account, len(e.store.accounts))
	for i, a := range e.store.accounts {
		a.DirectLinkIDs = append([]string{}, a.DirectLinkIDs...)
		a.VirtualGatewayIDs = append([]string{}, a.VirtualGatewayIDs...)
		out[i] = a
	}
	return out
}

// Account returns the account of that name ("owner", "recipient",
// "outsider"), or the zero Account.
func (e *Emulator) Account(name string) Account {
	for _, a := range e.Accounts() {
		if a.Name == name {
			return a
		}
	}
	return Account{}
}

// Info returns the endpoints under baseURL (such as "http://127.0.0.1:7575")
// and the accounts.
func (e *Emulator) Info(baseURL string) Info {
	baseURL = strings.TrimRight(baseURL, "/")
	return Info{
		APIEndpoint:        baseURL + "/api/v1",
		DirectLinkEndpoint: baseURL,
		Region:             e.opts.Region,
		Accounts:           e.Accounts(),
		APIBaseURL:         baseURL,
		APINamedBaseURL:    namedBase(baseURL, e.opts.Region),
	}
}

// Stats returns the request counts so far.
func (e *Emulator) Stats() Stats {
	e.statsMu.Lock()
	defer e.statsMu.Unlock()
	s := e.stats
	s.Actions = make(map[string]int, len(e.stats.Actions))
	for k, v := range e.stats.Actions {
		s.Actions[k] = v
	}
	return s
}

// Interfaces returns a copy of every stored interface, in any state, sorted by ID.
func (e *Emulator) Interfaces() []Interface {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	e.store.look()
	records := e.store.snapshotRecords()
	out := make([]Interface, len(records))
	for i, r := range records {
		out[i] = r.Interface
	}
	return out
}

// Modify changes a stored interface out of band, as someone acting outside
// Terraform would (for example MTU 9000, to create drift). fn gets a copy;
// its ID cannot change. A change of State restarts that state's timer.
func (e *Emulator) Modify(id string, fn func(*Interface)) error {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	return e.store.modify(id, fn)
}

// Transitions returns every state change so far, in the order they happened.
// States advance whenever the store is looked at, so the changes found at
// one look are recorded in map order: they are sorted here by time.
func (e *Emulator) Transitions() []Transition {
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	e.store.look()
	out := append([]Transition{}, e.store.transitions...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// SetFaults changes the throttle and drop-response fractions at run time.
// Values outside 0..1 are clamped.
func (e *Emulator) SetFaults(throttle, dropResponse float64) {
	e.faultMu.Lock()
	defer e.faultMu.Unlock()
	e.throttle, e.drop = clamp01(throttle), clamp01(dropResponse)
}

func clamp01(v float64) float64 {
	if v != v || v < 0 {
		return 0
	}
	if v > 1 {
		return 1
	}
	return v
}

// Close saves the state file, if any. The emulator keeps no timer or
// goroutine: states advance from timestamps whenever they are looked at.
func (e *Emulator) Close() error {
	if e.state == nil {
		return nil
	}
	e.store.mu.Lock()
	defer e.store.mu.Unlock()
	e.store.advance()
	e.state.save(e.store.snapshotRecords())
	return e.state.err()
}

// reply is an answer ready to be written.
type reply struct {
	status      int
	contentType string
	header      map[string]string
	body        any
}

const maxBody = 1 << 20

// ServeHTTP routes /api/v1/<Action> and /api/latest/<Action> to the
// OUTSCALE API, POST / to the DirectLink API, and /_emulator/ to the
// emulator's own endpoints. Runs of slashes count as one, as on the real
// endpoints (osc-cli sends //api/latest/<Action>).
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := collapseSlashes(r.URL.Path)
	if strings.HasPrefix(p, "/_emulator/") {
		e.serveControl(w, r, strings.TrimPrefix(p, "/_emulator/"))
		return
	}
	var (
		isOSC   bool
		action  string
		unknown bool // no API serves this path
	)
	switch {
	case strings.HasPrefix(p, "/api/v1/"):
		isOSC, action = true, strings.Trim(strings.TrimPrefix(p, "/api/v1/"), "/")
	case strings.HasPrefix(p, "/api/latest/"):
		isOSC, action = true, strings.Trim(strings.TrimPrefix(p, "/api/latest/"), "/")
	case p == "/":
		target := r.Header.Get("X-Amz-Target")
		action = strings.TrimPrefix(target, dxTargetPrefix)
		if action == target {
			action = "" // not an OvertureService target
		}
	default:
		// Answer in the format of the API the client meant: the DirectLink
		// API's clients always send X-Amz-Target.
		unknown, isOSC = true, r.Header.Get("X-Amz-Target") == ""
	}

	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return // the client went away
	}
	requestID := newRequestID()
	if unknown {
		e.count("(unknown path)")
		finishReply(w, isOSC, requestID, unknownPathReply(isOSC, requestID, r.URL.Path))
		return
	}
	e.count(action)

	var rep reply
	mutating := false
	switch {
	case e.drawThrottle():
		e.countThrottled()
		if isOSC {
			rep = oscThrottleReply(requestID, e.drawThrottleKind())
		} else {
			rep = dxErrorReply(&dxError{Status: http.StatusBadRequest, Type: dxThrottling, Message: "Rate exceeded"})
		}
	case e.drawPlain503():
		e.countFault(&e.stats.Failed503Plain)
		if !e.wait(r) {
			return
		}
		writeGatewayPage(w, http.StatusServiceUnavailable)
		return
	case len(body) > maxBody:
		if isOSC {
			rep = oscErrorReply(requestID, oscInvalid(oscCodeInvalidValue, "The request body is larger than %d bytes.", maxBody))
		} else {
			rep = dxErrorReply(&dxError{Status: http.StatusRequestEntityTooLarge, Type: dxSerialization, Message: "request body too large"})
		}
	case isOSC:
		rep = e.handleOSC(r, action, requestID, body)
		mutating = oscMutating[action]
	default:
		rep = e.handleDX(r, action, body)
		mutating = dxMutating[action]
	}

	// The faults below hit requests that were carried out: only a success
	// has changed anything.
	committed := mutating && rep.status == http.StatusOK
	if committed && e.drawFailAfterCommit() {
		e.countFault(&e.stats.FailedAfterCommit)
		if !e.wait(r) {
			return
		}
		writeGatewayPage(w, e.opts.FailAfterCommitStatus)
		return
	}
	if !e.wait(r) {
		return
	}
	if mutating && e.drawDrop() {
		dropConnection(w)
		return
	}
	finishReply(w, isOSC, requestID, rep)
}

// finishReply writes rep; DirectLink API answers carry the request ID under both
// spellings, AWS's (x-amzn-RequestId) and the one osc-cli's DirectLink client
// reads (x-amz-requestid, a KeyError there when missing).
func finishReply(w http.ResponseWriter, isOSC bool, requestID string, rep reply) {
	if !isOSC {
		if rep.header == nil {
			rep.header = map[string]string{}
		}
		rep.header["X-Amzn-Requestid"] = requestID
		rep.header["X-Amz-Requestid"] = requestID
	}
	writeReply(w, rep)
}

// unknownPathReply is the answer to a path no API serves, in the error
// format of the API the client meant.
func unknownPathReply(isOSC bool, requestID, path string) reply {
	if isOSC {
		return oscErrorReply(requestID, &oscError{Status: http.StatusNotFound, Code: oscCodeNotImplemented, Type: "DefaultError",
			Details: fmt.Sprintf("No API serves the path %q: the OUTSCALE API is at POST /api/v1/<Action> (or /api/latest/<Action>), the DirectLink API at POST / with X-Amz-Target.", path)})
	}
	return dxErrorReply(&dxError{Status: http.StatusNotFound, Type: dxUnknownOperation,
		Message: fmt.Sprintf("No API serves the path %q: the DirectLink API is at POST / with X-Amz-Target: %s<Action>.", path, dxTargetPrefix)})
}

// collapseSlashes turns every run of slashes into one, as SigV4 path
// normalisation does (and the real endpoints route).
func collapseSlashes(p string) string {
	if !strings.Contains(p, "//") {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '/' && i > 0 && p[i-1] == '/' {
			continue
		}
		b.WriteByte(p[i])
	}
	return b.String()
}

// namedBase is baseURL with its host replaced by api.<region>.localhost.
func namedBase(baseURL, region string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return ""
	}
	host := "api." + region + ".localhost"
	if port := u.Port(); port != "" {
		host += ":" + port
	}
	u.Host = host
	return u.String()
}

// handleOSC authenticates (every action but ReadLocations) and serves.
func (e *Emulator) handleOSC(r *http.Request, action, requestID string, body []byte) reply {
	if r.Method != http.MethodPost {
		return oscErrorReply(requestID, &oscError{Status: http.StatusMethodNotAllowed, Code: oscCodeMethodNotAllowed, Type: "AccessDenied",
			Details: fmt.Sprintf("The OUTSCALE API takes POST requests, not %s.", r.Method)})
	}
	if target := r.Header.Get("X-Osc-Target"); target != "" && target != oscTargetPrefix+action {
		return oscErrorReply(requestID, oscInvalid(oscCodeInvalidValue,
			"The x-osc-target header %q does not name the action of the path (%s%s).", target, oscTargetPrefix, action))
	}
	caller := ""
	// ReadLocations takes no authentication: osc-cli sends it unsigned, and
	// a signature that is sent (oapi-cli, the SDKs) is not looked at, so a
	// client with no or wrong keys can still list the locations.
	if _, known := oscRequests[action]; known && action != "ReadLocations" {
		account, err := e.authenticate(r, body)
		if err != nil {
			return oscErrorReply(requestID, oscAuthError(err))
		}
		caller = account.AccountID
	}
	return e.serveOSC(action, caller, requestID, body)
}

// handleDX authenticates and serves a DirectLink API call.
func (e *Emulator) handleDX(r *http.Request, action string, body []byte) reply {
	if r.Method != http.MethodPost {
		return dxErrorReply(&dxError{Status: http.StatusMethodNotAllowed, Type: dxUnknownOperation,
			Message: fmt.Sprintf("The DirectLink API takes POST requests, not %s.", r.Method)})
	}
	if _, known := dxRequests[action]; !known {
		return dxErrorReply(&dxError{Status: http.StatusBadRequest, Type: dxUnknownOperation,
			Message: fmt.Sprintf("Unknown operation %q: set X-Amz-Target to %s<Action>, one of %s.", r.Header.Get("X-Amz-Target"), dxTargetPrefix, strings.Join(sortedKeys(dxRequests), ", "))})
	}
	account, err := e.authenticate(r, body)
	if err != nil {
		return dxErrorReply(dxAuthError(err))
	}
	return e.serveDX(action, account.AccountID, body)
}

func (e *Emulator) authenticate(r *http.Request, body []byte) (Account, error) {
	ak, err := verifySignature(r, body, e.opts.Now(), func(accessKey string) (string, bool) {
		a, ok := e.store.accountByKey(accessKey)
		return a.SecretKey, ok
	})
	if err != nil {
		return Account{}, err
	}
	a, ok := e.store.accountByKey(ak)
	if !ok {
		return Account{}, &authError{Reason: authUnknownKey, Detail: "access key is not known"}
	}
	return a, nil
}

func writeReply(w http.ResponseWriter, rep reply) {
	payload, err := json.Marshal(rep.body)
	if err != nil {
		http.Error(w, "emulator: cannot encode the answer: "+err.Error(), http.StatusInternalServerError)
		return
	}
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	w.Header().Set("Content-Type", rep.contentType)
	w.WriteHeader(rep.status)
	_, _ = w.Write(payload)
}

func (e *Emulator) count(action string) {
	if action == "" {
		action = "(none)"
	}
	e.statsMu.Lock()
	defer e.statsMu.Unlock()
	e.stats.Total++
	e.stats.Actions[action]++
}

func (e *Emulator) countFault(counter *int) {
	e.statsMu.Lock()
	defer e.statsMu.Unlock()
	*counter++
}

func (e *Emulator) countThrottled() {
	e.statsMu.Lock()
	defer e.statsMu.Unlock()
	e.stats.Throttled++
}

// serveControl answers the emulator's own endpoints, for tests, demos and
// benchmarks: GET /_emulator/stats, /_emulator/interfaces, /_emulator/info
// and /_emulator/transitions.
func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request, name string) {
	if r.Method != http.MethodGet {
		writeReply(w, reply{status: http.StatusMethodNotAllowed, contentType: "application/json",
			body: map[string]string{"error": "use GET"}})
		return
	}
	var body any
	switch name {
	case "stats":
		body = e.Stats()
	case "interfaces":
		body = orEmpty(e.Interfaces())
	case "transitions":
		body = e.Transitions()
	case "info":
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		body = e.Info(scheme + "://" + r.Host)
	default:
		writeReply(w, reply{status: http.StatusNotFound, contentType: "application/json",
			body: map[string]string{"error": "unknown emulator endpoint; try /_emulator/stats, /_emulator/interfaces, /_emulator/transitions or /_emulator/info"}})
		return
	}
	writeReply(w, reply{status: http.StatusOK, contentType: "application/json", body: body})
}

// newRequestID returns a random UUID (version 4), like OUTSCALE's request IDs.
func newRequestID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(errors.New("emulator: no randomness for request IDs"))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
