package emulator

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
)

// The fixed accounts, their DirectLinks, gateways and locations: the
// emulator's world, the same on every start.

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

type directLink struct {
	ID        string
	Name      string
	AccountID string
	Bandwidth string
	Location  string
	State     string
}

type location struct{ Code, Name string }

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

func newStore(opts Options, rng *rand.Rand, seed int64) *store {
	s := &store{
		now:           opts.Now,
		transition:    opts.TransitionDelay,
		jitter:        opts.TransitionJitter,
		jitterSeed:    seed,
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

// seedInterfaces stores n available interfaces of the owner, with distinct
// VLANs, filling its DirectLinks in order and adding DirectLinks
// (dxcon-5eed0001, ...) when those it has run out of VLANs. With hosted,
// every second one is hosted for the recipient and attached to its gateway.
// Nothing is checked or persisted one by one: this is how a benchmark gets
// an account of 10,000 interfaces at start.
func (s *store) seedInterfaces(n int, hosted bool) error {
	if n < 0 {
		return fmt.Errorf("SeedInterfaces must not be negative, got %d", n)
	}
	if n == 0 {
		return nil
	}
	owner, recipient := s.accounts[0], s.accounts[1]
	perLink := maxVLAN - minVLAN + 1
	links := append([]string{}, owner.DirectLinkIDs...)
	for extra := 1; len(links)*perLink < n; extra++ {
		id := fmt.Sprintf("dxcon-5eed%04d", extra)
		s.directLinks[id] = &directLink{ID: id, Name: fmt.Sprintf("Seeded connection %d", extra), AccountID: owner.AccountID,
			Bandwidth: "10Gbps", Location: "PAR4", State: stateAvailable}
		links = append(links, id)
		s.accounts[0].DirectLinkIDs = append(s.accounts[0].DirectLinkIDs, id)
	}
	now := s.now()
	for k := 0; k < n; k++ {
		dl := s.directLinks[links[k/perLink]]
		slot := k % perLink
		base := [4]byte{169, 254, byte(slot >> 6), byte(slot<<2) & 0xfc}
		o, c := base, base
		o[3]++
		c[3] += 2
		r := &record{Interface: Interface{
			ID:                s.newID(),
			Name:              fmt.Sprintf("seeded-%05d", k),
			DirectLinkID:      dl.ID,
			OwnerAccountID:    owner.AccountID,
			CreatorAccountID:  owner.AccountID,
			VirtualGatewayID:  owner.VirtualGatewayIDs[0],
			VLAN:              int64(minVLAN + slot),
			BGPASN:            65000,
			MTU:               onlyMTU,
			BGPKey:            s.randomString(24, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
			OutscalePrivateIP: netip.PrefixFrom(netip.AddrFrom4(o), 30).String(),
			ClientPrivateIP:   netip.PrefixFrom(netip.AddrFrom4(c), 30).String(),
			State:             stateAvailable,
			Location:          dl.Location,
		}, Since: now}
		if hosted && k%2 == 1 {
			r.OwnerAccountID, r.VirtualGatewayID, r.Hosted = recipient.AccountID, recipient.VirtualGatewayIDs[0], true
		}
		s.interfaces[r.ID] = r
	}
	s.changed()
	return nil
}
