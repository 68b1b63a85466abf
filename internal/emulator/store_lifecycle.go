package emulator

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sort"
	"time"
)

// The state machine: what each state moves on to and when. Transitions are
// computed from timestamps whenever the store is looked at (see advance), so
// no timer runs.

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

// record is a stored interface plus what drives its state machine: the time
// it entered its state, what it stays there past TransitionDelay (the drawn
// TransitionJitter) and, while pending, the state it moves on to.
type record struct {
	Interface
	Since time.Time     `json:"since"`
	Extra time.Duration `json:"extra,omitempty"`
	Next  string        `json:"next,omitempty"`
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
			s.setState(r, next, at)
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
		return next, r.Since.Add(s.transition + r.Extra), true
	case stateConfirming:
		return stateExpired, r.Since.Add(s.confirmExpiry), true
	case stateDeleting:
		return stateDeleted, r.Since.Add(s.transition + r.Extra), true
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

// Transition is one change of an interface's state, dated by the emulator's
// clock: when it happened, not when someone looked. From is empty for the
// creation of the interface.
type Transition struct {
	ID   string    `json:"id"`
	From string    `json:"from"`
	To   string    `json:"to"`
	At   time.Time `json:"at"`
}

// setState moves r to state at time at, and records the change. The caller
// holds s.mu.
func (s *store) setState(r *record, state string, at time.Time) {
	if state != r.State {
		s.transitions = append(s.transitions, Transition{ID: r.ID, From: r.State, To: state, At: at.UTC()})
	}
	r.State, r.Since, r.Next, r.Extra = state, at, "", s.drawExtra(r.ID, state, at)
}

// drawExtra is how much longer than TransitionDelay r, entering state at
// at, stays in it: a uniform draw below TransitionJitter for the states a
// client waits out (pending, deleting), none for the others (so a deleted
// interface is purged one TransitionDelay after its deletion completes).
// The draw is a hash of the seed, the interface, the state and the time, so
// the same calls give the same transitions whatever order the interfaces are
// advanced in.
func (s *store) drawExtra(id, state string, at time.Time) time.Duration {
	if s.jitter <= 0 || state != statePending && state != stateDeleting {
		return 0
	}
	h := fnv.New64a()
	_, _ = fmt.Fprintf(h, "%d/%s/%s/%d", s.jitterSeed, id, state, at.UnixNano())
	return time.Duration(rand.New(rand.NewPCG(h.Sum64(), 0)).Int64N(int64(s.jitter)))
}
