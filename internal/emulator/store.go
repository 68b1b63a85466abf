package emulator

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"sort"
	"sync"
	"time"
)

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

// store is the one state both APIs serve. Transitions are computed from
// timestamps whenever the store is looked at, so no timer runs and a state
// file reloaded later catches up exactly.
type store struct {
	mu            sync.Mutex
	now           func() time.Time
	transition    time.Duration
	jitter        time.Duration // up to this much added to each pending and deleting state
	jitterSeed    int64         // what those additions are drawn from (see drawExtra)
	confirmExpiry time.Duration
	region        string
	rng           *rand.Rand
	accounts      []Account
	directLinks   map[string]*directLink
	gateways      map[string]string // gateway ID -> account ID
	locations     []location
	interfaces    map[string]*record
	onChange      func([]record) // called with the lock held after every change
	transitions   []Transition   // every state change, in order
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
	r.Extra = s.drawExtra(r.ID, statePending, r.Since)
	if hosted {
		r.Next = stateConfirming
	}
	s.interfaces[r.ID] = r
	s.transitions = append(s.transitions, Transition{ID: r.ID, To: r.State, At: r.Since.UTC()})
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
		s.setState(r, stateRejected, s.now())
	default:
		s.setState(r, stateDeleting, s.now())
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
	s.setState(r, statePending, s.now())
	r.Next = stateAvailable
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
		state := c.State
		c.State = r.State
		r.Interface = c
		s.setState(r, state, s.now())
	} else {
		r.Interface = c
	}
	s.changed()
	return nil
}
