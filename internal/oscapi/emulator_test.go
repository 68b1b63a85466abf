package oscapi

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/oscdl/terraform-provider-osc/internal/emulator"
)

// These tests run the client end to end against the project's emulator,
// in-process, with short transition delays.

const emuDelay = 20 * time.Millisecond

type emuEnv struct {
	emu *emulator.Emulator
	srv *httptest.Server
}

func startEmulator(t *testing.T) *emuEnv {
	t.Helper()
	emu, err := emulator.New(emulator.Options{TransitionDelay: emuDelay, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(func() {
		srv.Close()
		_ = emu.Close()
	})
	return &emuEnv{emu: emu, srv: srv}
}

func (e *emuEnv) client(t *testing.T, account string, mod ...func(*Config)) *Client {
	t.Helper()
	a := e.emu.Account(account)
	info := e.emu.Info(e.srv.URL)
	cfg := Config{
		AccessKey: a.AccessKey, SecretKey: a.SecretKey, Region: info.Region,
		APIEndpoint: info.APIEndpoint, DirectLinkEndpoint: info.DirectLinkEndpoint,
		UserAgent:            testUserAgent,
		MaxRequestsPerSecond: 1000,
		PollMinInterval:      5 * time.Millisecond,
		PollMaxInterval:      20 * time.Millisecond,
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.retryBase, c.retryCap = 2*time.Millisecond, 20*time.Millisecond
	return c
}

var (
	untilCreated = WaitOptions{Target: []string{StateConfirming, StateAvailable}, Pending: []string{StatePending}}
	untilUp      = WaitOptions{Target: []string{StateAvailable}, Pending: []string{StatePending, StateConfirming}}
	untilGone    = WaitOptions{Target: []string{StateDeleted}, Pending: []string{StateDeleting, StateAvailable, StatePending}, NotFoundIsTarget: true}
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestEmulatorOwnInterfaceLifecycle(t *testing.T) {
	for _, batching := range []bool{true, false} {
		t.Run(fmt.Sprintf("batching=%v", batching), func(t *testing.T) {
			env := startEmulator(t)
			owner := env.emu.Account("owner")
			c := env.client(t, "owner", func(cfg *Config) { cfg.DisableBatching = !batching })
			ctx := testCtx(t)

			// The sample of OUTSCALE's documentation: the /30 network address is allowed.
			created, err := c.CreateInterface(ctx, CreateInterfaceInput{
				DirectLinkID: owner.DirectLinkIDs[0], Name: "own", VLAN: 101, BGPASN: 65000,
				OutscalePrivateIP: "172.16.0.4/30", ClientPrivateIP: "172.16.0.5/30",
				VirtualGatewayID: owner.VirtualGatewayIDs[0],
			})
			if err != nil {
				t.Fatal(err)
			}
			if created.ID == "" || created.AccountID != owner.AccountID || created.BGPKey == "" {
				t.Fatalf("created %+v", created)
			}
			up, err := c.WaitInterface(ctx, created.ID, untilUp)
			if err != nil {
				t.Fatal(err)
			}
			read, err := c.ReadInterface(ctx, created.ID, FromSnapshot)
			if err != nil {
				t.Fatal(err)
			}
			if *read != *up || read.State != StateAvailable || read.VirtualGatewayID != owner.VirtualGatewayIDs[0] || read.MTU != 1500 {
				t.Fatalf("read %+v, want %+v", read, up)
			}
			if _, err := c.UpdateInterfaceMTU(ctx, created.ID, 1500); err != nil {
				t.Fatal(err)
			}
			if _, err := c.UpdateInterfaceMTU(ctx, created.ID, 9000); !IsValidation(err) {
				t.Errorf("MTU 9000: %v, want a validation error", err)
			}
			_, err = c.CreateInterface(ctx, CreateInterfaceInput{
				DirectLinkID: owner.DirectLinkIDs[0], Name: "dup", VLAN: 101, BGPASN: 65000, VirtualGatewayID: owner.VirtualGatewayIDs[0],
			})
			if !IsConflict(err) || RequestID(err) == "" {
				t.Errorf("duplicate VLAN: %v (request ID %q), want a conflict with a request ID", err, RequestID(err))
			}
			if err := c.DeleteInterface(ctx, created.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := c.WaitInterface(ctx, created.ID, untilGone); err != nil {
				t.Fatal(err)
			}
			if _, err := c.ReadInterface(ctx, "dxvif-0badf00d", FromSnapshot); !IsNotFound(err) {
				t.Errorf("unknown interface: %v, want not found", err)
			}
		})
	}
}

func TestEmulatorHostedInterfaceLifecycle(t *testing.T) {
	env := startEmulator(t)
	ownerAcct, recipientAcct := env.emu.Account("owner"), env.emu.Account("recipient")
	owner, recipient, outsider := env.client(t, "owner"), env.client(t, "recipient"), env.client(t, "outsider")
	ctx := testCtx(t)

	hosted, err := owner.CreateInterface(ctx, CreateInterfaceInput{
		DirectLinkID: ownerAcct.DirectLinkIDs[0], Name: "hosted", VLAN: 102, BGPASN: 4200000000, BGPKey: "sharedBgpKey123",
		OwnerAccountID: recipientAcct.AccountID,
	})
	if err != nil {
		t.Fatal(err)
	}
	if hosted.AccountID != recipientAcct.AccountID || hosted.BGPASN != 4200000000 {
		t.Errorf("allocated %+v", hosted)
	}
	got, err := owner.WaitInterface(ctx, hosted.ID, untilCreated)
	if err != nil || got.State != StateConfirming {
		t.Fatalf("wait: %+v, %v; want confirming", got, err)
	}
	if _, err := outsider.ReadInterface(ctx, hosted.ID, FromSnapshot); !IsNotFound(err) {
		t.Errorf("outsider read: %v, want not found", err)
	}
	if err := owner.ConfirmInterface(ctx, hosted.ID, ownerAcct.VirtualGatewayIDs[0]); err == nil {
		t.Error("the owner confirmed an interface hosted for someone else")
	}
	if err := recipient.ConfirmInterface(ctx, hosted.ID, recipientAcct.VirtualGatewayIDs[0]); err != nil {
		t.Fatal(err)
	}
	if err := recipient.ConfirmInterface(ctx, hosted.ID, recipientAcct.VirtualGatewayIDs[0]); !IsConflict(err) {
		t.Errorf("second confirm: %v, want a conflict (wrong state)", err)
	}
	up, err := recipient.WaitInterface(ctx, hosted.ID, untilUp)
	if err != nil {
		t.Fatal(err)
	}
	fromOwner, err := owner.ReadInterface(ctx, hosted.ID, FromSnapshot)
	if err != nil || fromOwner.State != StateAvailable || fromOwner.VirtualGatewayID != recipientAcct.VirtualGatewayIDs[0] || up.BGPKey != "sharedBgpKey123" {
		t.Fatalf("owner read %+v, %v", fromOwner, err)
	}

	id, err := owner.AccountID(ctx)
	if err != nil || id != ownerAcct.AccountID {
		t.Errorf("owner AccountID = %q, %v", id, err)
	}
	if _, err := recipient.AccountID(ctx); err == nil {
		t.Error("recipient has no DirectLink: AccountID should say it cannot tell")
	}
	links, err := owner.ListDirectLinks(ctx)
	if err != nil || len(links) == 0 || links[0].ID != ownerAcct.DirectLinkIDs[0] {
		t.Errorf("ListDirectLinks = %+v, %v", links, err)
	}
	anon := env.client(t, "owner", func(cfg *Config) { cfg.AccessKey, cfg.SecretKey = "", "" })
	if locs, err := anon.ListLocations(ctx); err != nil || len(locs) == 0 {
		t.Errorf("ListLocations without credentials = %v, %v", locs, err)
	}

	if err := recipient.DeleteInterface(ctx, hosted.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := owner.WaitInterface(ctx, hosted.ID, untilGone); err != nil {
		t.Fatal(err)
	}
}

func TestEmulatorWrongSecretIsAnAuthError(t *testing.T) {
	env := startEmulator(t)
	c := env.client(t, "owner", func(cfg *Config) { cfg.SecretKey = "wrong-secret-key-0000000000000000000000" })
	ctx := testCtx(t)
	if _, err := c.ListDirectLinks(ctx); !IsAuth(err) {
		t.Errorf("OUTSCALE API: %v, want an authentication error", err)
	}
	_, err := c.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: "dxcon-12345678", Name: "x", VLAN: 5, BGPASN: 1, OwnerAccountID: "123456789000"})
	if !IsAuth(err) {
		t.Errorf("DirectLink API: %v, want an authentication error", err)
	}
}

// With 30% of requests throttled, creating, waiting for, reading and
// deleting interfaces in both modes all succeed: throttling is retried,
// never returned.
func TestEmulatorThrottledThirtyPercentSucceeds(t *testing.T) {
	env := startEmulator(t)
	env.emu.SetFaults(0.3, 0)
	ownerAcct, recipientAcct := env.emu.Account("owner"), env.emu.Account("recipient")
	owner := env.client(t, "owner", func(cfg *Config) { cfg.MaxRetries = 20 })
	ctx := testCtx(t)

	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := CreateInterfaceInput{DirectLinkID: ownerAcct.DirectLinkIDs[0], Name: fmt.Sprintf("t%d", i), VLAN: int64(200 + i), BGPASN: 65000}
			if i%2 == 0 {
				in.VirtualGatewayID = ownerAcct.VirtualGatewayIDs[0]
			} else {
				in.OwnerAccountID = recipientAcct.AccountID
			}
			it, err := owner.CreateInterface(ctx, in)
			if err == nil {
				_, err = owner.WaitInterface(ctx, it.ID, untilCreated)
			}
			if err == nil {
				_, err = owner.ReadInterface(ctx, it.ID, FromSnapshot)
			}
			if err == nil {
				err = owner.DeleteInterface(ctx, it.ID)
			}
			if err == nil {
				_, err = owner.WaitInterface(ctx, it.ID, untilGone)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	stats := env.emu.Stats()
	if stats.Throttled == 0 {
		t.Fatalf("the emulator throttled nothing (%+v): the test proves nothing", stats)
	}
	if got := len(env.emu.Interfaces()); got > n {
		t.Errorf("emulator holds %d interfaces, want at most %d: a throttled create was duplicated", got, n)
	}
}

func TestEmulatorBatchedRefresh(t *testing.T) {
	env := startEmulator(t)
	ownerAcct := env.emu.Account("owner")
	setup := env.client(t, "owner")
	ctx := testCtx(t)
	const n = 40
	var ids []string
	for i := 0; i < n; i++ {
		it, err := setup.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: ownerAcct.DirectLinkIDs[0], Name: fmt.Sprintf("b%d", i), VLAN: int64(300 + i), BGPASN: 65000, VirtualGatewayID: ownerAcct.VirtualGatewayIDs[0]})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, it.ID)
	}
	for _, batching := range []bool{true, false} {
		t.Run(fmt.Sprintf("batching=%v", batching), func(t *testing.T) {
			before := env.emu.Stats().Actions["ReadDirectLinkInterfaces"]
			c := env.client(t, "owner", func(cfg *Config) { cfg.DisableBatching = !batching })
			got := readAll(t, c, ids, 10)
			for i, id := range ids {
				if got[id] == nil || got[id].VLAN != int64(300+i) {
					t.Fatalf("read %s = %+v", id, got[id])
				}
			}
			calls := env.emu.Stats().Actions["ReadDirectLinkInterfaces"] - before
			want := n
			if batching {
				want = 1
			}
			if calls != want {
				t.Errorf("ReadDirectLinkInterfaces calls = %d, want %d", calls, want)
			}
		})
	}
}

// A create whose answer is dropped after the emulator carried it out fails
// as a transport error, is not sent again (no duplicate), and the interface
// it created shows in the next listing of its DirectLink, for adoption.
func TestEmulatorDroppedCreateAnswer(t *testing.T) {
	env := startEmulator(t)
	ownerAcct := env.emu.Account("owner")
	c := env.client(t, "owner")
	ctx := testCtx(t)
	if _, err := c.ListInterfaces(ctx, InterfaceFilter{Freshness: FromSnapshot}); err != nil { // a snapshot from before the create
		t.Fatal(err)
	}
	env.emu.SetFaults(0, 1)
	_, err := c.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: ownerAcct.DirectLinkIDs[0], Name: "lost", VLAN: 400, BGPASN: 65000, VirtualGatewayID: ownerAcct.VirtualGatewayIDs[0]})
	if KindOf(err) != KindTransport {
		t.Fatalf("create with its answer dropped: %v, want a transport error", err)
	}
	env.emu.SetFaults(0, 0)
	if n := env.emu.Stats().Actions["CreateDirectLinkInterface"]; n != 1 {
		t.Errorf("CreateDirectLinkInterface sent %d times, want 1: a create whose answer was lost must not be repeated", n)
	}
	list, err := c.ListInterfaces(ctx, InterfaceFilter{Freshness: FromSnapshot, DirectLinkIDs: []string{ownerAcct.DirectLinkIDs[0]}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, it := range list {
		if it.VLAN == 400 {
			names = append(names, it.Name)
		}
	}
	if len(names) != 1 || names[0] != "lost" {
		t.Errorf("interfaces on VLAN 400: %v, want exactly the one created", names)
	}
}
