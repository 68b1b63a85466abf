package provider

import (
	"sync"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// operationLedger is what one configured provider knows of the Terraform
// operation (one walk: plan, apply or import) it serves. Terraform never tells
// a provider which resource instance a request is for, nor that a create is
// the second half of a replacement, so the ledger keeps the few facts that
// let the provider tell, within one walk:
//
//   - which interfaces are in the state of some instance (every plan of an
//     instance with a prior state notes its interface and planned arguments),
//     so that the create half of that instance's replacement, planned next
//     with no prior state, knows the interface it replaces is no foreign
//     holder of its VLAN;
//   - which DirectLink VLANs planned creates claim, so that two instances
//     asking for one VLAN fail at plan instead of one adopting the other's;
//   - which interfaces this process created, so that a create meeting one of
//     them on its VLAN names its sibling instead of adopting it.
//
// It never outlives the walk: Terraform configures the provider anew for each
// walk, and Configure makes a new ledger.
type operationLedger struct {
	mu sync.Mutex
	// inState holds, by interface ID, the planned arguments of each
	// osc_hosted_directlink_interface instance planned with a prior state.
	inState map[string]*ledgerEntry
	// accepted holds the interface IDs of accepters planned with a prior state.
	accepted map[string]bool
	// creates holds, by DirectLink and VLAN, the name of the first planned
	// create that asked for it.
	creates map[vlanKey]string
	// created holds, by interface ID, the name of the instance this process
	// created (or adopted after a create whose outcome was unclear) it for.
	created map[string]string
}

type vlanKey struct {
	directLinkID string
	vlan         int64
}

type ledgerEntry struct {
	planned oscapi.CreateInterfaceInput
	// fromRead: only refreshed, never planned with a prior state. Terraform
	// plans a tainted instance as a create at once (no prior state), so
	// its arguments may be new: any create of its DirectLink and VLAN is its
	// replacement.
	fromRead bool
	// replaced is set once a create planned with no prior state was found
	// to be this instance's replacement; one replacement per instance.
	replaced bool
	// destroyed: the instance is planned for destruction on its own (its
	// resource or key left the configuration): nothing orders that destroy
	// before an unrelated create, so its VLAN is not free for this walk.
	destroyed bool
}

func newOperationLedger() *operationLedger {
	return &operationLedger{
		inState:  map[string]*ledgerEntry{},
		accepted: map[string]bool{},
		creates:  map[vlanKey]string{},
		created:  map[string]string{},
	}
}

// noteInState records an instance planned with a prior state: its interface
// and the arguments its plan asks for.
func (l *operationLedger) noteInState(id string, planned oscapi.CreateInterfaceInput) {
	if id == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.inState[id]; ok {
		e.planned, e.fromRead = planned, false
		return
	}
	l.inState[id] = &ledgerEntry{planned: planned}
}

// noteRead records an instance refreshed from state (Read), before or
// without a plan with prior state: a tainted instance gets none.
func (l *operationLedger) noteRead(id string, current oscapi.CreateInterfaceInput) {
	if id == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.inState[id]; ok {
		return
	}
	l.inState[id] = &ledgerEntry{planned: current, fromRead: true}
}

// holderRole says what the interface holding a VLAN is to a create planned
// with no prior state, in.
type holderRole int

const (
	holderForeign     holderRole = iota // in no state this walk has seen: another state, or none
	holderPredecessor                   // the interface this create's replacement destroys first
	holderSibling                       // in the state of another instance of this configuration
	holderDestroyed                     // destroyed by this walk on its own, in parallel with the create
)

// roleOf tells what holder is to the create in. The interface of an instance
// in state is that instance's predecessor when the create asks for exactly
// the arguments that instance's plan asked for (a replacement: rename,
// -replace, taint), and only for one create.
func (l *operationLedger) roleOf(holderID string, in oscapi.CreateInterfaceInput) holderRole {
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.inState[holderID]
	if !ok {
		if _, mine := l.created[holderID]; mine {
			return holderSibling
		}
		return holderForeign
	}
	if e.destroyed {
		return holderDestroyed
	}
	same := sameArguments(e.planned, in) ||
		(e.fromRead && e.planned.DirectLinkID == in.DirectLinkID && e.planned.VLAN == in.VLAN)
	if !e.replaced && same {
		e.replaced = true
		return holderPredecessor
	}
	return holderSibling
}

// noteDestroyed records an instance planned for destruction on its own. It
// returns false when a create of this walk already took its interface for
// the one its replacement destroys first: that create and this destroy are
// then two instances, run in parallel, not one replacement.
func (l *operationLedger) noteDestroyed(id string) bool {
	if id == "" {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.inState[id]
	if !ok {
		l.inState[id] = &ledgerEntry{destroyed: true}
		return true
	}
	e.destroyed = true
	return !e.replaced
}

// plannedName is the name the instance in state that holds id plans for it.
func (l *operationLedger) plannedName(id string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.inState[id]; ok {
		return e.planned.Name
	}
	return l.created[id]
}

// claimVLAN records a planned create of in's VLAN. It returns the name of
// the create that claimed it first, and false, when another did.
func (l *operationLedger) claimVLAN(in oscapi.CreateInterfaceInput) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	k := vlanKey{in.DirectLinkID, in.VLAN}
	if first, taken := l.creates[k]; taken {
		return first, false
	}
	l.creates[k] = in.Name
	return "", true
}

// noteCreated records an interface this process made for the instance named name.
func (l *operationLedger) noteCreated(id, name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.created[id] = name
}

// createdHere tells whether this process created id, and for which name.
func (l *operationLedger) createdHere(id string) (string, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	name, ok := l.created[id]
	return name, ok
}

// isInState tells whether some instance of this walk has id in its state.
func (l *operationLedger) isInState(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.inState[id]
	return ok
}

// noteAccepted records an accepter planned with a prior state.
func (l *operationLedger) noteAccepted(id string) {
	if id == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.accepted[id] = true
}

// isAccepted tells whether an accepter of this walk has id in its state.
func (l *operationLedger) isAccepted(id string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.accepted[id]
}

// sameArguments compares two creates argument by argument; an argument that
// one of them leaves empty (not configured, or unknown at plan) matches.
func sameArguments(a, b oscapi.CreateInterfaceInput) bool {
	str := func(x, y string) bool { return x == "" || y == "" || x == y }
	num := func(x, y int64) bool { return x == 0 || y == 0 || x == y }
	return a.DirectLinkID == b.DirectLinkID && a.VLAN == b.VLAN &&
		str(a.Name, b.Name) && num(a.BGPASN, b.BGPASN) && str(a.BGPKey, b.BGPKey) &&
		str(a.OutscalePrivateIP, b.OutscalePrivateIP) && str(a.ClientPrivateIP, b.ClientPrivateIP) &&
		a.VirtualGatewayID == b.VirtualGatewayID && a.OwnerAccountID == b.OwnerAccountID
}
