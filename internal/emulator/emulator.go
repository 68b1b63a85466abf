package emulator

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
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
}

// Info is what a client needs to reach the emulator: the first stdout line
// of the command.
type Info struct {
	APIEndpoint        string    `json:"api_endpoint"`        // baseURL + "/api/v1"
	DirectLinkEndpoint string    `json:"directlink_endpoint"` // baseURL
	Region             string    `json:"region"`
	Accounts           []Account `json:"accounts"`
}

// Stats counts the API requests received (the /_emulator/ endpoints excluded).
type Stats struct {
	Total     int            `json:"total"`
	Throttled int            `json:"throttled"`
	Actions   map[string]int `json:"actions"`
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
	if opts.Latency < 0 {
		return nil, fmt.Errorf("latency must not be negative, got %s", opts.Latency)
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
		stats:    Stats{Actions: map[string]int{}},
	}
	e.store = newStore(opts, mrand.New(mrand.NewPCG(uint64(seed), 0x73746f7265)))
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
	}
}

// Stats returns the request counts so far.
func (e *Emulator) Stats() Stats {
	e.statsMu.Lock()
	defer e.statsMu.Unlock()
	s := Stats{Total: e.stats.Total, Throttled: e.stats.Throttled, Actions: make(map[string]int, len(e.stats.Actions))}
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

// ServeHTTP routes /api/v1/<Action> to the OUTSCALE API, POST / to the
// DirectLink API, and /_emulator/ to the emulator's own endpoints.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_emulator/") {
		e.serveControl(w, r)
		return
	}
	var (
		isOSC  bool
		action string
	)
	switch {
	case strings.HasPrefix(r.URL.Path, "/api/v1/"):
		isOSC = true
		action = strings.Trim(strings.TrimPrefix(r.URL.Path, "/api/v1/"), "/")
	case r.URL.Path == "/":
		target := r.Header.Get("X-Amz-Target")
		action = strings.TrimPrefix(target, dxTargetPrefix)
		if action == target {
			action = "" // not an OvertureService target
		}
	default:
		http.Error(w, "not found: the OUTSCALE API is under /api/v1/, the DirectLink API at POST /", http.StatusNotFound)
		return
	}

	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return // the client went away
	}
	requestID := newRequestID()
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

	if !e.wait(r) {
		return
	}
	if mutating && e.drawDrop() {
		dropConnection(w)
		return
	}
	if !isOSC {
		if rep.header == nil {
			rep.header = map[string]string{}
		}
		rep.header["X-Amzn-Requestid"] = requestID
	}
	writeReply(w, rep)
}

// handleOSC authenticates (every action but ReadLocations) and serves.
func (e *Emulator) handleOSC(r *http.Request, action, requestID string, body []byte) reply {
	if r.Method != http.MethodPost {
		return oscErrorReply(requestID, &oscError{Status: http.StatusMethodNotAllowed, Code: oscCodeMethodNotAllowed, Type: "AccessDenied",
			Details: fmt.Sprintf("The OUTSCALE API takes POST requests, not %s.", r.Method)})
	}
	caller := ""
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
	ak, err := verifySignature(r, body, time.Now(), func(accessKey string) (string, bool) {
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

func (e *Emulator) countThrottled() {
	e.statsMu.Lock()
	defer e.statsMu.Unlock()
	e.stats.Throttled++
}

// serveControl answers the emulator's own endpoints, for tests and demos:
// GET /_emulator/stats, GET /_emulator/interfaces, GET /_emulator/info.
func (e *Emulator) serveControl(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		http.Error(w, "use GET", http.StatusMethodNotAllowed)
		return
	}
	var body any
	switch strings.TrimPrefix(r.URL.Path, "/_emulator/") {
	case "stats":
		body = e.Stats()
	case "interfaces":
		body = orEmpty(e.Interfaces())
	case "info":
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		body = e.Info(scheme + "://" + r.Host)
	default:
		http.Error(w, "unknown emulator endpoint; try /_emulator/stats, /_emulator/interfaces or /_emulator/info", http.StatusNotFound)
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
