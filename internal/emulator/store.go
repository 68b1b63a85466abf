package emulator

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Interface states, as both APIs report them.
const (
	statePending    = "pending"
	stateConfirming = "confirming"
	stateAvailable  = "available"
	stateDeleting   = "deleting"
	stateDeleted    = "deleted"
	stateRejected   = "rejected"
	stateExpired    = "expired"
)

// reservedASNs are refused by OUTSCALE although they lie inside the 4-byte range.
var reservedASNs = []int64{50624, 53306, 132418}

const (
	minVLAN, maxVLAN = 2, 4094
	minASN, maxASN   = 1, 4294967295
	onlyMTU          = 1500
)

// Account is one of the emulator's fixed accounts, with the credentials that
// sign its requests and the resources it holds.
type Account struct {
	Name              string   `json:"name"`
	AccountID         string   `json:"account_id"`
	AccessKey         string   `json:"access_key"`
	SecretKey         string   `json:"secret_key"`
	DirectLinkIDs     []string `json:"directlink_ids"`
	VirtualGatewayIDs []string `json:"virtual_gateway_ids"`
}

// Interface is a copy of a stored DirectLink interface.
type Interface struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	DirectLinkID      string `json:"directlink_id"`
	OwnerAccountID    string `json:"owner_account_id"`   // AccountId: the recipient, for a hosted interface
	CreatorAccountID  string `json:"creator_account_id"` // who created or allocated it (the DirectLink owner)
	VirtualGatewayID  string `json:"virtual_gateway_id"` // empty for a hosted interface not yet confirmed
	VLAN              int64  `json:"vlan"`
	BGPASN            int64  `json:"bgp_asn"`
	MTU               int64  `json:"mtu"`
	BGPKey            string `json:"bgp_key"`
	OutscalePrivateIP string `json:"outscale_private_ip"`
	ClientPrivateIP   string `json:"client_private_ip"`
	State             string `json:"state"`
	Location          string `json:"location"`
	Hosted            bool   `json:"hosted"`
}

type directLink struct {
	ID        string
	Name      string
	AccountID string
	Bandwidth string
	Location  string
	State     string
}

type location struct{ Code, Name string }

// record is a stored interface plus what drives its state machine: the time
// it entered its state and, while pending, the state it moves on to.
type record struct {
	Interface
	Since time.Time `json:"since"`
	Next  string    `json:"next,omitempty"`
}

// store is the one state both APIs serve. Transitions are computed from
// timestamps whenever the store is looked at, so no timer runs and a state
// file reloaded later catches up exactly.
type store struct {
	mu            sync.Mutex
	now           func() time.Time
	transition    time.Duration
	confirmExpiry time.Duration
	region        string
	rng           *rand.Rand
	accounts      []Account
	directLinks   map[string]*directLink
	gateways      map[string]string // gateway ID -> account ID
	locations     []location
	interfaces    map[string]*record
	onChange      func([]record) // called with the lock held after every change
}

// apiError is a refusal by the store, in terms both APIs translate into
// their own error answer.
type apiError struct {
	Kind    errKind
	Field   string // the request field at fault, in OUTSCALE API spelling, if any
	Message string
}

func (e *apiError) Error() string { return e.Message }

type errKind int

const (
	errInvalidValue    errKind = iota + 1 // a malformed or unsupported value
	errOutOfRange                         // a number outside its range
	errMissing                            // a required value is absent
	errBadCombination                     // values valid alone but not together
	errNotFound                           // no such object visible to the caller
	errConflict                           // e.g. VLAN already in use
	errInvalidState                       // the object's state forbids the action
	errForbidden                          // visible, but the caller may not do this
	errInsufficientCap                    // no free address left
)

// notFoundKind says which object a not-found refers to; each API names it its own way.
type notFoundKind int

const (
	nfInterface notFoundKind = iota + 1
	nfDirectLink
	nfGateway
	nfAccount
)

type notFoundError struct {
	What notFoundKind
	ID   string
}

func (e *notFoundError) Error() string {
	switch e.What {
	case nfInterface:
		return fmt.Sprintf("The DirectLink interface %s does not exist.", e.ID)
	case nfDirectLink:
		return fmt.Sprintf("The DirectLink %s does not exist.", e.ID)
	case nfGateway:
		return fmt.Sprintf("The virtual gateway %s does not exist.", e.ID)
	default:
		return fmt.Sprintf("The account %s does not exist.", e.ID)
	}
}

func invalid(field, format string, args ...any) *apiError {
	return &apiError{Kind: errInvalidValue, Field: field, Message: fmt.Sprintf(format, args...)}
}

func outOfRange(field, format string, args ...any) *apiError {
	return &apiError{Kind: errOutOfRange, Field: field, Message: fmt.Sprintf(format, args...)}
}

func defaultAccounts() []Account {
	return []Account{
		{
			Name:              "owner",
			AccountID:         "123456789012",
			AccessKey:         "EMULATOROWNERKEY0001",
			SecretKey:         "emulatorOwnerSecretKey000000000000000001",
			DirectLinkIDs:     []string{"dxcon-12345678", "dxcon-23456789"},
			VirtualGatewayIDs: []string{"vgw-12345678"},
		},
		{
			Name:              "recipient",
			AccountID:         "123456789000",
			AccessKey:         "EMULATORRECIPIENT001",
			SecretKey:         "emulatorRecipientSecretKey00000000000001",
			DirectLinkIDs:     []string{},
			VirtualGatewayIDs: []string{"vgw-87654321"},
		},
		{
			Name:              "outsider",
			AccountID:         "123456789099",
			AccessKey:         "EMULATOROUTSIDER0001",
			SecretKey:         "emulatorOutsiderSecretKey000000000000001",
			DirectLinkIDs:     []string{},
			VirtualGatewayIDs: []string{"vgw-99999999"},
		},
	}
}

func newStore(opts Options, rng *rand.Rand) *store {
	s := &store{
		now:           time.Now,
		transition:    opts.TransitionDelay,
		confirmExpiry: opts.ConfirmExpiry,
		region:        opts.Region,
		rng:           rng,
		accounts:      defaultAccounts(),
		directLinks: map[string]*directLink{
			"dxcon-12345678": {ID: "dxcon-12345678", Name: "Connection to Outscale", AccountID: "123456789012", Bandwidth: "1Gbps", Location: "PAR1", State: stateAvailable},
			"dxcon-23456789": {ID: "dxcon-23456789", Name: "Backup connection to Outscale", AccountID: "123456789012", Bandwidth: "10Gbps", Location: "PAR4", State: stateAvailable},
		},
		gateways:   map[string]string{},
		interfaces: map[string]*record{},
		locations: []location{
			{Code: "PAR1", Name: "Telehouse 3, France"},
			{Code: "PAR4", Name: "Equinix Pantin, France"},
		},
	}
	for _, a := range s.accounts {
		for _, g := range a.VirtualGatewayIDs {
			s.gateways[g] = a.AccountID
		}
	}
	return s
}

func (s *store) accountByKey(accessKey string) (Account, bool) {
	for _, a := range s.accounts {
		if a.AccessKey == accessKey {
			return a, true
		}
	}
	return Account{}, false
}

func (s *store) accountByID(id string) (Account, bool) {
	for _, a := range s.accounts {
		if a.AccountID == id {
			return a, true
		}
	}
	return Account{}, false
}

// advance moves every interface through the transitions that are due,
// dating each step from the end of the previous one, and purges interfaces
// deleted for longer than one transition delay. It reports whether anything
// changed. The caller holds s.mu.
func (s *store) advance() bool {
	now := s.now()
	changed := false
	for id, r := range s.interfaces {
		for {
			next, at, ok := s.due(r)
			if !ok || now.Before(at) {
				break
			}
			changed = true
			if next == "" {
				delete(s.interfaces, id)
				break
			}
			r.State, r.Since, r.Next = next, at, ""
		}
	}
	return changed
}

// due returns the transition r is waiting for: the next state ("" = purge)
// and when it happens.
func (s *store) due(r *record) (next string, at time.Time, ok bool) {
	switch r.State {
	case statePending:
		next = r.Next
		if next == "" {
			next = stateAvailable
		}
		return next, r.Since.Add(s.transition), true
	case stateConfirming:
		return stateExpired, r.Since.Add(s.confirmExpiry), true
	case stateDeleting:
		return stateDeleted, r.Since.Add(s.transition), true
	case stateDeleted:
		return "", r.Since.Add(s.transition), true
	}
	return "", time.Time{}, false
}

// changed runs after every mutation; the caller holds s.mu.
func (s *store) changed() {
	if s.onChange != nil {
		s.onChange(s.snapshotRecords())
	}
}

// look advances the state machine and persists if that changed anything;
// every read goes through it so all callers see the same, current state.
func (s *store) look() {
	if s.advance() {
		s.changed()
	}
}

func (s *store) snapshotRecords() []record {
	out := make([]record, 0, len(s.interfaces))
	for _, r := range s.interfaces {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// visible says whether caller may see (and so read, update and delete) r:
// its owner (the recipient, for a hosted interface) and the owner of its
// DirectLink may.
func (s *store) visible(r *record, caller string) bool {
	if r.OwnerAccountID == caller {
		return true
	}
	dl := s.directLinks[r.DirectLinkID]
	return dl != nil && dl.AccountID == caller
}

// lookup returns the interface id as caller may see it, or a not-found.
func (s *store) lookup(id, caller string) (*record, error) {
	r := s.interfaces[id]
	if r == nil || !s.visible(r, caller) {
		return nil, &notFoundError{What: nfInterface, ID: id}
	}
	return r, nil
}

// ownDirectLink returns the caller's DirectLink id, refusing one that is not
// visible to the caller or not available.
func (s *store) ownDirectLink(id, caller string) (*directLink, error) {
	dl := s.directLinks[id]
	if dl == nil || dl.AccountID != caller {
		return nil, &notFoundError{What: nfDirectLink, ID: id}
	}
	if dl.State != stateAvailable {
		return nil, &apiError{Kind: errInvalidState, Field: "DirectLinkId",
			Message: fmt.Sprintf("The DirectLink %s is %s; interfaces can only be created on an available DirectLink.", id, dl.State)}
	}
	return dl, nil
}

// ownGateway checks that gateway id exists and belongs to account.
func (s *store) ownGateway(id, account string) error {
	if owner, ok := s.gateways[id]; !ok || owner != account {
		return &notFoundError{What: nfGateway, ID: id}
	}
	return nil
}

// newInterface is what a create or an allocate asks for; both go through
// the same rules.
type newInterface struct {
	DirectLinkID      string
	Name              string
	VLAN              int64
	BGPASN            int64
	BGPKey            string
	OutscalePrivateIP string
	ClientPrivateIP   string
	MTU               int64 // 0 = default
	VirtualGatewayID  string
	OwnerAccountID    string // hosted only: the recipient
}

// fieldNames spell the request fields the shared rules refer to, per API, so
// that each refusal names the field as the caller wrote it.
type fieldNames struct {
	VLAN, ASN, OutscaleIP, ClientIP, MTU, Name, Gateway, Owner string
}

var (
	oscFields = fieldNames{VLAN: "DirectLinkInterface.Vlan", ASN: "DirectLinkInterface.BgpAsn",
		OutscaleIP: "DirectLinkInterface.OutscalePrivateIp", ClientIP: "DirectLinkInterface.ClientPrivateIp",
		MTU: "Mtu", Name: "DirectLinkInterface.DirectLinkInterfaceName", Gateway: "DirectLinkInterface.VirtualGatewayId"}
	dxFields = fieldNames{VLAN: "newPrivateVirtualInterfaceAllocation.vlan", ASN: "newPrivateVirtualInterfaceAllocation.asn",
		OutscaleIP: "newPrivateVirtualInterfaceAllocation.amazonAddress", ClientIP: "newPrivateVirtualInterfaceAllocation.customerAddress",
		MTU: "newPrivateVirtualInterfaceAllocation.mtu", Name: "newPrivateVirtualInterfaceAllocation.virtualInterfaceName",
		Gateway: "virtualGatewayId", Owner: "ownerAccount"}
)

// checkValues applies the rules that need no stored state.
func checkValues(in newInterface, f fieldNames) error {
	if strings.TrimSpace(in.Name) == "" {
		return invalid(f.Name, "%s must not be empty.", f.Name)
	}
	if in.VLAN < minVLAN || in.VLAN > maxVLAN {
		return outOfRange(f.VLAN, "%s %d is out of range: it must be between %d and %d.", f.VLAN, in.VLAN, minVLAN, maxVLAN)
	}
	if in.BGPASN < minASN || in.BGPASN > maxASN {
		return outOfRange(f.ASN, "%s %d is out of range: it must be between %d and %d, except %s.", f.ASN, in.BGPASN, minASN, int64(maxASN), joinInts(reservedASNs))
	}
	if slices.Contains(reservedASNs, in.BGPASN) {
		return invalid(f.ASN, "%s %d is reserved: it must be between %d and %d, except %s.", f.ASN, in.BGPASN, minASN, int64(maxASN), joinInts(reservedASNs))
	}
	if in.MTU != 0 && in.MTU != onlyMTU {
		return invalid(f.MTU, "%s %d is not supported: the only allowed value is %d.", f.MTU, in.MTU, onlyMTU)
	}
	return checkAddressPair(in.OutscalePrivateIP, in.ClientPrivateIP, f)
}

// checkAddressPair: both or neither; both /30 in one network; distinct.
func checkAddressPair(outscale, client string, f fieldNames) error {
	if outscale == "" && client == "" {
		return nil
	}
	if outscale == "" || client == "" {
		return &apiError{Kind: errBadCombination, Field: f.OutscaleIP,
			Message: fmt.Sprintf("%s and %s go together: set both or neither.", f.OutscaleIP, f.ClientIP)}
	}
	o, err := parseSlash30(outscale, f.OutscaleIP)
	if err != nil {
		return err
	}
	c, err := parseSlash30(client, f.ClientIP)
	if err != nil {
		return err
	}
	if o.Masked() != c.Masked() {
		return &apiError{Kind: errBadCombination, Field: f.ClientIP,
			Message: fmt.Sprintf("%s %s and %s %s must be in the same /30 network.", f.OutscaleIP, outscale, f.ClientIP, client)}
	}
	if o.Addr() == c.Addr() {
		return &apiError{Kind: errBadCombination, Field: f.ClientIP,
			Message: fmt.Sprintf("%s and %s must be two different addresses of the /30 network.", f.OutscaleIP, f.ClientIP)}
	}
	return nil
}

func parseSlash30(v, field string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(v)
	if err != nil || !p.Addr().Is4() || p.Bits() != 30 {
		return netip.Prefix{}, invalid(field, "%s %q is not valid: it must be an IPv4 address in /30 CIDR notation, such as 172.16.0.4/30.", field, v)
	}
	return p, nil
}

func joinInts(v []int64) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}

// create stores a new interface for caller: in its own account when
// in.OwnerAccountID is empty (CreateDirectLinkInterface), else hosted for
// that account (AllocatePrivateVirtualInterface). The caller holds s.mu.
func (s *store) create(caller string, in newInterface, f fieldNames) (Interface, error) {
	s.look()
	if err := checkValues(in, f); err != nil {
		return Interface{}, err
	}
	dl, err := s.ownDirectLink(in.DirectLinkID, caller)
	if err != nil {
		return Interface{}, err
	}
	hosted := in.OwnerAccountID != ""
	owner := caller
	if hosted {
		if in.OwnerAccountID == caller {
			return Interface{}, &apiError{Kind: errInvalidValue, Field: f.Owner,
				Message: fmt.Sprintf("%s %s is your own account: a hosted interface is allocated to another account; to create one in your own account, give a virtual gateway instead.", f.Owner, caller)}
		}
		if _, ok := s.accountByID(in.OwnerAccountID); !ok {
			return Interface{}, &notFoundError{What: nfAccount, ID: in.OwnerAccountID}
		}
		owner = in.OwnerAccountID
	} else if err := s.ownGateway(in.VirtualGatewayID, caller); err != nil {
		return Interface{}, err
	}
	if holder := s.vlanHolder(dl.ID, in.VLAN); holder != "" {
		return Interface{}, &apiError{Kind: errConflict, Field: f.VLAN,
			Message: fmt.Sprintf("VLAN %d is already used on DirectLink %s by interface %s; choose another VLAN between %d and %d.", in.VLAN, dl.ID, holder, minVLAN, maxVLAN)}
	}
	if in.OutscalePrivateIP == "" {
		in.OutscalePrivateIP, in.ClientPrivateIP, err = s.freeLinkLocalPair(dl.ID)
		if err != nil {
			return Interface{}, err
		}
	}
	if in.BGPKey == "" {
		in.BGPKey = s.randomString(24, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
	}
	r := &record{
		Interface: Interface{
			ID:                s.newID(),
			Name:              in.Name,
			DirectLinkID:      dl.ID,
			OwnerAccountID:    owner,
			CreatorAccountID:  caller,
			VirtualGatewayID:  in.VirtualGatewayID,
			VLAN:              in.VLAN,
			BGPASN:            in.BGPASN,
			MTU:               onlyMTU,
			BGPKey:            in.BGPKey,
			OutscalePrivateIP: in.OutscalePrivateIP,
			ClientPrivateIP:   in.ClientPrivateIP,
			State:             statePending,
			Location:          dl.Location,
			Hosted:            hosted,
		},
		Since: s.now(),
	}
	if hosted {
		r.Next = stateConfirming
	}
	s.interfaces[r.ID] = r
	s.changed()
	return r.Interface, nil
}

// vlanHolder returns the interface that holds vlan on directLinkID, if any.
// Every interface not yet deleted holds its VLAN.
func (s *store) vlanHolder(directLinkID string, vlan int64) string {
	for _, r := range s.interfaces {
		if r.DirectLinkID == directLinkID && r.VLAN == vlan && r.State != stateDeleted {
			return r.ID
		}
	}
	return ""
}

// freeLinkLocalPair picks the first /30 of 169.254.0.0/16 that no interface
// on the DirectLink uses: .1 for OUTSCALE's side, .2 for the client's.
func (s *store) freeLinkLocalPair(directLinkID string) (string, string, error) {
	used := map[netip.Prefix]bool{}
	for _, r := range s.interfaces {
		if r.DirectLinkID != directLinkID || r.State == stateDeleted {
			continue
		}
		if p, err := netip.ParsePrefix(r.OutscalePrivateIP); err == nil {
			used[p.Masked()] = true
		}
	}
	for n := 0; n < 1<<14; n++ {
		base := netip.AddrFrom4([4]byte{169, 254, byte(n >> 6), byte(n<<2) & 0xfc})
		network := netip.PrefixFrom(base, 30)
		if used[network] {
			continue
		}
		b := base.As4()
		b[3]++
		o := netip.PrefixFrom(netip.AddrFrom4(b), 30)
		b[3]++
		c := netip.PrefixFrom(netip.AddrFrom4(b), 30)
		return o.String(), c.String(), nil
	}
	return "", "", &apiError{Kind: errInsufficientCap, Message: "No free 169.254.0.0/16 address pair is left on this DirectLink; give OutscalePrivateIp and ClientPrivateIp."}
}

func (s *store) newID() string {
	for {
		id := "dxvif-" + s.randomString(8, "0123456789abcdef")
		if _, taken := s.interfaces[id]; !taken {
			return id
		}
	}
}

func (s *store) randomString(n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[s.rng.IntN(len(alphabet))]
	}
	return string(b)
}

// list returns the interfaces caller may see, sorted by ID, optionally
// narrowed to some DirectLinks and interface IDs. The caller holds s.mu.
func (s *store) list(caller string, directLinkIDs, interfaceIDs []string) []Interface {
	s.look()
	var out []Interface
	for _, r := range s.interfaces {
		if !s.visible(r, caller) {
			continue
		}
		if len(directLinkIDs) > 0 && !slices.Contains(directLinkIDs, r.DirectLinkID) {
			continue
		}
		if len(interfaceIDs) > 0 && !slices.Contains(interfaceIDs, r.ID) {
			continue
		}
		out = append(out, r.Interface)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// get returns one interface as caller sees it.
func (s *store) get(caller, id string) (Interface, error) {
	s.look()
	r, err := s.lookup(id, caller)
	if err != nil {
		return Interface{}, err
	}
	return r.Interface, nil
}

// updateMTU sets the MTU; only 1500 exists, so this mostly repairs drift.
func (s *store) updateMTU(caller, id string, mtu int64, f fieldNames) (Interface, error) {
	s.look()
	r, err := s.lookup(id, caller)
	if err != nil {
		return Interface{}, err
	}
	if mtu != onlyMTU {
		return Interface{}, invalid(f.MTU, "%s %d is not supported: the only allowed value is %d.", f.MTU, mtu, onlyMTU)
	}
	switch r.State {
	case stateDeleting, stateDeleted, stateRejected, stateExpired:
		return Interface{}, &apiError{Kind: errInvalidState,
			Message: fmt.Sprintf("The DirectLink interface %s is %s and can no longer be updated.", id, r.State)}
	}
	if r.MTU != mtu {
		r.MTU = mtu
		s.changed()
	}
	return r.Interface, nil
}

// delete starts deleting an interface. The recipient deleting a hosted
// interface it has not confirmed rejects it. Deleting what is already
// deleting or deleted succeeds and changes nothing.
func (s *store) delete(caller, id string) (Interface, error) {
	s.look()
	r, err := s.lookup(id, caller)
	if err != nil {
		return Interface{}, err
	}
	switch {
	case r.State == stateDeleting || r.State == stateDeleted:
		return r.Interface, nil
	case r.State == stateConfirming && caller == r.OwnerAccountID:
		r.State, r.Since, r.Next = stateRejected, s.now(), ""
	default:
		r.State, r.Since, r.Next = stateDeleting, s.now(), ""
	}
	s.changed()
	return r.Interface, nil
}

// confirm accepts a hosted interface on behalf of its recipient and attaches
// it to one of the recipient's virtual gateways.
func (s *store) confirm(caller, id, gatewayID string, f fieldNames) (Interface, error) {
	s.look()
	r, err := s.lookup(id, caller)
	if err != nil {
		return Interface{}, err
	}
	if caller != r.OwnerAccountID {
		return Interface{}, &apiError{Kind: errForbidden,
			Message: fmt.Sprintf("Only the account the interface %s is hosted for (%s) may confirm it.", id, r.OwnerAccountID)}
	}
	if r.State != stateConfirming {
		return Interface{}, &apiError{Kind: errInvalidState,
			Message: fmt.Sprintf("The virtual interface %s is %s; only an interface in state confirming can be confirmed.", id, r.State)}
	}
	if gatewayID == "" {
		return Interface{}, &apiError{Kind: errMissing, Field: f.Gateway, Message: fmt.Sprintf("%s is required.", f.Gateway)}
	}
	if err := s.ownGateway(gatewayID, caller); err != nil {
		return Interface{}, err
	}
	r.VirtualGatewayID = gatewayID
	r.State, r.Since, r.Next = statePending, s.now(), stateAvailable
	s.changed()
	return r.Interface, nil
}

// directLinksOf returns caller's DirectLinks, sorted by ID.
func (s *store) directLinksOf(caller string) []directLink {
	var out []directLink
	for _, dl := range s.directLinks {
		if dl.AccountID == caller {
			out = append(out, *dl)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// modify lets tests change a stored interface out of band (drift).
func (s *store) modify(id string, fn func(*Interface)) error {
	s.look()
	r := s.interfaces[id]
	if r == nil {
		return &notFoundError{What: nfInterface, ID: id}
	}
	c := r.Interface
	fn(&c)
	c.ID = id
	if c.State != r.State {
		r.Since, r.Next = s.now(), ""
	}
	r.Interface = c
	s.changed()
	return nil
}
