package emulator_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	dxtypes "github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/aws/smithy-go"
	"github.com/outscale/osc-sdk-go/v3/pkg/options"
	"github.com/outscale/osc-sdk-go/v3/pkg/osc"
	"github.com/outscale/osc-sdk-go/v3/pkg/profile"

	"github.com/oscdl/terraform-provider-osc/internal/emulator"
)

// These tests drive the emulator with the official clients the provider uses,
// exactly as they would talk to OUTSCALE: osc-sdk-go v3 for the OUTSCALE API,
// aws-sdk-go-v2's Direct Connect client for the DirectLink API.

const (
	ownerID     = "123456789012"
	recipientID = "123456789000"
)

// transitionDelay keeps the state machine quick; tests wait for states by
// polling, never by sleeping a fixed time.
const transitionDelay = 30 * time.Millisecond

type harness struct {
	emu                        *emulator.Emulator
	srv                        *httptest.Server
	owner, recipient, outsider emulator.Account
}

// startEmulator serves a fresh emulator on 127.0.0.1; wrap, if given, sits
// between the clients and the emulator (the OpenAPI test validates there).
func startEmulator(t *testing.T, wrap func(http.Handler) http.Handler) *harness {
	t.Helper()
	emu, err := emulator.New(emulator.Options{TransitionDelay: transitionDelay, Seed: 1})
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	var h http.Handler = emu
	if wrap != nil {
		h = wrap(emu)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		if err := emu.Close(); err != nil {
			t.Errorf("emulator.Close: %v", err)
		}
	})
	return &harness{
		emu:       emu,
		srv:       srv,
		owner:     emu.Account("owner"),
		recipient: emu.Account("recipient"),
		outsider:  emu.Account("outsider"),
	}
}

func (h *harness) apiEndpoint() string { return h.srv.URL + "/api/v1" }

// oscClient is osc-sdk-go v3 configured the way a user would: a profile with
// keys, region and an endpoint override. Its own rate limit is lifted and
// its retries shortened so that fault tests run quickly.
func (h *harness) oscClient(t *testing.T, a emulator.Account) *osc.Client {
	t.Helper()
	p := &profile.Profile{
		AccessKey: a.AccessKey,
		SecretKey: a.SecretKey,
		Region:    "eu-west-2",
		Protocol:  "http",
		Endpoints: profile.Endpoint{API: h.apiEndpoint()},
	}
	wait := time.Millisecond
	retries := 2
	c, err := osc.NewClient(p, options.WithoutLogging(), options.WithoutRatelimit(), options.WithRetry(&wait, &wait, &retries))
	if err != nil {
		t.Fatalf("osc.NewClient: %v", err)
	}
	return c
}

// dxClient is the AWS SDK's Direct Connect client with a custom base
// endpoint and static keys, retrying without delay.
func (h *harness) dxClient(t *testing.T, a emulator.Account) *directconnect.Client {
	t.Helper()
	return directconnect.New(directconnect.Options{
		Region:       "eu-west-2",
		BaseEndpoint: aws.String(h.srv.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: a.AccessKey, SecretAccessKey: a.SecretKey, Source: "emulator"}, nil
		}),
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 3
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		}),
	})
}

// waitFor polls read until it reports want, failing on an error or after a
// generous bound: a stuck state machine fails instead of hanging the suite.
func waitFor(t *testing.T, what, want string, read func() (string, error)) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	last := ""
	for time.Now().Before(deadline) {
		got, err := read()
		if err != nil {
			t.Fatalf("%s: waiting for %q: %v", what, want, err)
		}
		if got == want {
			return
		}
		last = got
		time.Sleep(transitionDelay / 3)
	}
	t.Fatalf("%s: still %q, never reached %q", what, last, want)
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func num(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}

// readInterface reads one interface through the OUTSCALE API as a's client
// sees it; ok is false when a cannot see it.
func readInterface(t *testing.T, c *osc.Client, id string) (osc.DirectLinkInterfaces, bool) {
	t.Helper()
	resp, err := c.ReadDirectLinkInterfaces(t.Context(), osc.ReadDirectLinkInterfacesRequest{
		Filters: &osc.FiltersDirectLinkInterface{DirectLinkInterfaceIds: &[]string{id}},
	})
	if err != nil {
		t.Fatalf("ReadDirectLinkInterfaces %s: %v", id, err)
	}
	if resp.DirectLinkInterfaces == nil {
		t.Fatalf("ReadDirectLinkInterfaces %s: no DirectLinkInterfaces in the answer", id)
	}
	switch list := *resp.DirectLinkInterfaces; len(list) {
	case 0:
		return osc.DirectLinkInterfaces{}, false
	case 1:
		return list[0], true
	default:
		t.Fatalf("ReadDirectLinkInterfaces %s: %d answers for one ID", id, len(list))
	}
	return osc.DirectLinkInterfaces{}, false
}

func oscState(t *testing.T, c *osc.Client, id string) func() (string, error) {
	return func() (string, error) {
		dli, ok := readInterface(t, c, id)
		if !ok {
			return "(not visible)", nil
		}
		return str(dli.State), nil
	}
}

func describeVIF(ctx context.Context, c *directconnect.Client, id string) (dxtypes.VirtualInterface, error) {
	out, err := c.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{VirtualInterfaceId: aws.String(id)})
	if err != nil {
		return dxtypes.VirtualInterface{}, err
	}
	if len(out.VirtualInterfaces) != 1 {
		return dxtypes.VirtualInterface{}, errors.New("DescribeVirtualInterfaces did not return exactly one interface")
	}
	return out.VirtualInterfaces[0], nil
}

func dxState(t *testing.T, c *directconnect.Client, id string) func() (string, error) {
	return func() (string, error) {
		vif, err := describeVIF(t.Context(), c, id)
		return string(vif.VirtualInterfaceState), err
	}
}

// The OUTSCALE documentation's OSC CLI / oapi-cli request, sent as its JSON
// body through osc-sdk-go v3, answers like its result sample.
func TestOSCSDKCreateSampleFromDocumentation(t *testing.T) {
	h := startEmulator(t, nil)
	c := h.oscClient(t, h.owner)
	ctx := t.Context()

	sample := `{
	  "DirectLinkId": "dxcon-12345678",
	  "DirectLinkInterface": {
	    "DirectLinkInterfaceName": "MyDirectLinkInterface",
	    "Vlan": 101,
	    "BgpAsn": 65000,
	    "BgpKey": "tgyn26example",
	    "OutscalePrivateIp": "172.16.0.4/30",
	    "ClientPrivateIp": "172.16.0.5/30",
	    "VirtualGatewayId": "vgw-12345678"
	  }
	}`
	resp, err := c.CreateDirectLinkInterfaceWithBody(ctx, "application/json", strings.NewReader(sample))
	if err != nil {
		t.Fatalf("CreateDirectLinkInterface (documentation sample): %v", err)
	}
	got := resp.DirectLinkInterface
	if got == nil || resp.ResponseContext == nil || str(resp.ResponseContext.RequestId) == "" {
		t.Fatalf("answer lacks DirectLinkInterface or ResponseContext.RequestId: %+v", resp)
	}
	want := map[string]any{
		"Vlan": 101, "OutscalePrivateIp": "172.16.0.4/30", "BgpAsn": 65000, "AccountId": ownerID,
		"ClientPrivateIp": "172.16.0.5/30", "VirtualGatewayId": "vgw-12345678", "BgpKey": "tgyn26example",
		"DirectLinkInterfaceName": "MyDirectLinkInterface", "DirectLinkId": "dxcon-12345678", "Mtu": 1500,
		"State": "pending", "InterfaceType": "private", "Location": "PAR1",
	}
	gotFields := map[string]any{
		"Vlan": num(got.Vlan), "OutscalePrivateIp": str(got.OutscalePrivateIp), "BgpAsn": num(got.BgpAsn), "AccountId": str(got.AccountId),
		"ClientPrivateIp": str(got.ClientPrivateIp), "VirtualGatewayId": str(got.VirtualGatewayId), "BgpKey": str(got.BgpKey),
		"DirectLinkInterfaceName": str(got.DirectLinkInterfaceName), "DirectLinkId": str(got.DirectLinkId), "Mtu": num(got.Mtu),
		"State": str(got.State), "InterfaceType": str(got.InterfaceType), "Location": str(got.Location),
	}
	for k, v := range want {
		if gotFields[k] != v {
			t.Errorf("%s = %v, want %v (documentation's result sample)", k, gotFields[k], v)
		}
	}
	if id := str(got.DirectLinkInterfaceId); !strings.HasPrefix(id, "dxvif-") {
		t.Errorf("DirectLinkInterfaceId = %q, want dxvif-...", id)
	}
	waitFor(t, "documentation sample interface", "available", oscState(t, c, str(got.DirectLinkInterfaceId)))
}

// The AWS CLI allocation sample of the same page, through the AWS SDK: the
// owner hosts an interface for account 123456789000.
func TestDirectConnectAllocateSampleFromDocumentation(t *testing.T) {
	h := startEmulator(t, nil)
	dx := h.dxClient(t, h.owner)

	out, err := dx.AllocatePrivateVirtualInterface(t.Context(), &directconnect.AllocatePrivateVirtualInterfaceInput{
		ConnectionId: aws.String("dxcon-12345678"),
		OwnerAccount: aws.String("123456789000"),
		NewPrivateVirtualInterfaceAllocation: &dxtypes.NewPrivateVirtualInterfaceAllocation{
			VirtualInterfaceName: aws.String("MyPrivateVirtualInterface"),
			Vlan:                 101,
			Asn:                  65000,
			AuthKey:              aws.String("tgyn26example"),
			AmazonAddress:        aws.String("172.16.0.1/30"),
			CustomerAddress:      aws.String("172.16.0.2/30"),
		},
	})
	if err != nil {
		t.Fatalf("AllocatePrivateVirtualInterface (documentation sample): %v", err)
	}
	checks := []struct {
		field, got, want string
	}{
		{"asn", strconv.Itoa(int(out.Asn)), "65000"},
		{"vlan", strconv.Itoa(int(out.Vlan)), "101"},
		{"customerAddress", str(out.CustomerAddress), "172.16.0.2/30"},
		{"ownerAccount", str(out.OwnerAccount), "123456789000"},
		{"connectionId", str(out.ConnectionId), "dxcon-12345678"},
		{"authKey", str(out.AuthKey), "tgyn26example"},
		{"location", str(out.Location), "PAR1"},
		{"amazonAddress", str(out.AmazonAddress), "172.16.0.1/30"},
		{"virtualInterfaceType", str(out.VirtualInterfaceType), "private"},
		{"virtualInterfaceName", str(out.VirtualInterfaceName), "MyPrivateVirtualInterface"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q (documentation's result sample)", c.field, c.got, c.want)
		}
	}
	if s := out.VirtualInterfaceState; s != dxtypes.VirtualInterfaceStateConfirming && s != dxtypes.VirtualInterfaceStatePending {
		t.Errorf("virtualInterfaceState = %q, want confirming (or pending on its way there)", s)
	}
	waitFor(t, "allocated interface", "confirming", dxState(t, dx, str(out.VirtualInterfaceId)))
}

// The whole hosted handshake between the two default accounts, watched
// through both APIs and both accounts.
func TestHostedHandshakeAcrossBothSDKs(t *testing.T) {
	h := startEmulator(t, nil)
	ctx := t.Context()
	ownerDX, recipientDX, outsiderDX := h.dxClient(t, h.owner), h.dxClient(t, h.recipient), h.dxClient(t, h.outsider)
	ownerOSC, recipientOSC, outsiderOSC := h.oscClient(t, h.owner), h.oscClient(t, h.recipient), h.oscClient(t, h.outsider)

	alloc, err := ownerDX.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{
		ConnectionId: aws.String("dxcon-12345678"),
		OwnerAccount: aws.String(recipientID),
		NewPrivateVirtualInterfaceAllocation: &dxtypes.NewPrivateVirtualInterfaceAllocation{
			VirtualInterfaceName: aws.String("hosted-for-recipient"),
			Vlan:                 200,
			Asn:                  65001,
		},
	})
	if err != nil {
		t.Fatalf("owner allocates: %v", err)
	}
	id := str(alloc.VirtualInterfaceId)
	if str(alloc.AuthKey) == "" || str(alloc.AmazonAddress) == "" || str(alloc.CustomerAddress) == "" {
		t.Errorf("allocation without BGP key or addresses did not get generated ones: authKey set=%v amazon=%q customer=%q",
			str(alloc.AuthKey) != "", str(alloc.AmazonAddress), str(alloc.CustomerAddress))
	}
	waitFor(t, "owner's view (DirectLink API)", "confirming", dxState(t, ownerDX, id))

	// Both accounts, through both APIs, see one object in one state.
	for name, read := range map[string]func() (string, error){
		"recipient, DirectLink API": dxState(t, recipientDX, id),
		"owner, OUTSCALE API":       oscState(t, ownerOSC, id),
		"recipient, OUTSCALE API":   oscState(t, recipientOSC, id),
	} {
		if got, err := read(); err != nil || got != "confirming" {
			t.Errorf("%s: state %q (err %v), want confirming", name, got, err)
		}
	}
	viaOSC, _ := readInterface(t, recipientOSC, id)
	if str(viaOSC.AccountId) != recipientID || num(viaOSC.Vlan) != 200 || str(viaOSC.DirectLinkId) != "dxcon-12345678" {
		t.Errorf("recipient reads AccountId=%q Vlan=%d DirectLinkId=%q, want %s/200/dxcon-12345678",
			str(viaOSC.AccountId), num(viaOSC.Vlan), str(viaOSC.DirectLinkId), recipientID)
	}
	if str(viaOSC.OutscalePrivateIp) != str(alloc.AmazonAddress) || str(viaOSC.ClientPrivateIp) != str(alloc.CustomerAddress) {
		t.Errorf("addresses differ between the APIs: OUTSCALE API %q/%q, DirectLink API %q/%q",
			str(viaOSC.OutscalePrivateIp), str(viaOSC.ClientPrivateIp), str(alloc.AmazonAddress), str(alloc.CustomerAddress))
	}

	// Nobody else sees it, through either API.
	if _, ok := readInterface(t, outsiderOSC, id); ok {
		t.Error("outsider sees the hosted interface through the OUTSCALE API")
	}
	if _, err := describeVIF(ctx, outsiderDX, id); err == nil {
		t.Error("outsider sees the hosted interface through the DirectLink API")
	}

	// Only the recipient confirms, and only with a gateway of its own.
	if _, err := ownerDX.ConfirmPrivateVirtualInterface(ctx, &directconnect.ConfirmPrivateVirtualInterfaceInput{
		VirtualInterfaceId: aws.String(id), VirtualGatewayId: aws.String("vgw-12345678"),
	}); err == nil {
		t.Error("the DirectLink owner confirmed an interface hosted for another account")
	}
	_, err = recipientDX.ConfirmPrivateVirtualInterface(ctx, &directconnect.ConfirmPrivateVirtualInterfaceInput{
		VirtualInterfaceId: aws.String(id), VirtualGatewayId: aws.String("vgw-99999999"),
	})
	var clientErr *dxtypes.DirectConnectClientException
	if !errors.As(err, &clientErr) {
		t.Errorf("confirming with another account's gateway: err = %v, want a DirectConnectClientException", err)
	}

	conf, err := recipientDX.ConfirmPrivateVirtualInterface(ctx, &directconnect.ConfirmPrivateVirtualInterfaceInput{
		VirtualInterfaceId: aws.String(id), VirtualGatewayId: aws.String("vgw-87654321"),
	})
	if err != nil {
		t.Fatalf("recipient confirms: %v", err)
	}
	if conf.VirtualInterfaceState != dxtypes.VirtualInterfaceStatePending {
		t.Errorf("confirm answered state %q, want pending", conf.VirtualInterfaceState)
	}
	waitFor(t, "recipient's view (OUTSCALE API)", "available", oscState(t, recipientOSC, id))
	for name, read := range map[string]func() (string, error){
		"owner, DirectLink API":     dxState(t, ownerDX, id),
		"recipient, DirectLink API": dxState(t, recipientDX, id),
		"owner, OUTSCALE API":       oscState(t, ownerOSC, id),
	} {
		if got, err := read(); err != nil || got != "available" {
			t.Errorf("%s: state %q (err %v), want available", name, got, err)
		}
	}
	viaOSC, _ = readInterface(t, ownerOSC, id)
	if str(viaOSC.VirtualGatewayId) != "vgw-87654321" {
		t.Errorf("after confirmation VirtualGatewayId = %q, want the recipient's vgw-87654321", str(viaOSC.VirtualGatewayId))
	}

	// A second allocation, refused by its recipient while confirming.
	second, err := ownerDX.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{
		ConnectionId: aws.String("dxcon-12345678"),
		OwnerAccount: aws.String(recipientID),
		NewPrivateVirtualInterfaceAllocation: &dxtypes.NewPrivateVirtualInterfaceAllocation{
			VirtualInterfaceName: aws.String("declined"), Vlan: 201, Asn: 65001,
		},
	})
	if err != nil {
		t.Fatalf("owner allocates a second interface: %v", err)
	}
	id2 := str(second.VirtualInterfaceId)
	waitFor(t, "second interface", "confirming", dxState(t, recipientDX, id2))
	if _, err := recipientDX.DeleteVirtualInterface(ctx, &directconnect.DeleteVirtualInterfaceInput{VirtualInterfaceId: aws.String(id2)}); err != nil {
		t.Fatalf("recipient declines: %v", err)
	}
	waitFor(t, "declined interface (owner, OUTSCALE API)", "rejected", oscState(t, ownerOSC, id2))
	if got, err := dxState(t, recipientDX, id2)(); err != nil || got != "rejected" {
		t.Errorf("recipient, DirectLink API: declined interface is %q (err %v), want rejected", got, err)
	}
}

// An interface in the owner's own account through osc-sdk-go v3: create,
// read, update, delete, and the refusals a user meets on the way.
func TestOSCSDKOwnInterfaceLifecycle(t *testing.T) {
	h := startEmulator(t, nil)
	ctx := t.Context()
	c := h.oscClient(t, h.owner)

	create := func(vlan int) (*osc.CreateDirectLinkInterfaceResponse, error) {
		return c.CreateDirectLinkInterface(ctx, osc.CreateDirectLinkInterfaceRequest{
			DirectLinkId: "dxcon-12345678",
			DirectLinkInterface: osc.DirectLinkInterface{
				DirectLinkInterfaceName: "own",
				Vlan:                    vlan,
				BgpAsn:                  4200000000, // a 4-byte ASN
				VirtualGatewayId:        "vgw-12345678",
			},
		})
	}
	created, err := create(300)
	if err != nil {
		t.Fatalf("CreateDirectLinkInterface: %v", err)
	}
	id := str(created.DirectLinkInterface.DirectLinkInterfaceId)
	if got := num(created.DirectLinkInterface.BgpAsn); got != 4200000000 {
		t.Errorf("BgpAsn = %d, want 4200000000", got)
	}
	if str(created.DirectLinkInterface.BgpKey) == "" || !strings.HasPrefix(str(created.DirectLinkInterface.OutscalePrivateIp), "169.254.") {
		t.Errorf("omitted BGP key and addresses were not generated: key set=%v OutscalePrivateIp=%q",
			str(created.DirectLinkInterface.BgpKey) != "", str(created.DirectLinkInterface.OutscalePrivateIp))
	}
	waitFor(t, "own interface", "available", oscState(t, c, id))

	// The same VLAN on the same DirectLink is refused while the first lives.
	if _, err := create(300); err == nil {
		t.Error("a second interface with VLAN 300 on dxcon-12345678 was accepted")
	}
	// Out-of-range values come back as the SDK's typed error naming the field.
	_, err = create(4095)
	if er := osc.AsErrorResponse(err); er == nil || len(er.Errors) == 0 || !strings.Contains(er.Errors[0].Details, "Vlan") {
		t.Errorf("VLAN 4095: err = %v, want an *osc.ErrorResponse whose details name Vlan", err)
	}

	if _, err := c.UpdateDirectLinkInterface(ctx, osc.UpdateDirectLinkInterfaceRequest{DirectLinkInterfaceId: id, Mtu: 1500}); err != nil {
		t.Errorf("UpdateDirectLinkInterface Mtu 1500: %v", err)
	}
	raw, err := c.UpdateDirectLinkInterfaceWithBody(ctx, "application/json",
		strings.NewReader(`{"DirectLinkInterfaceId":"`+id+`","Mtu":9000}`))
	if er := osc.AsErrorResponse(err); raw != nil || er == nil {
		t.Errorf("Mtu 9000: err = %v, want an *osc.ErrorResponse", err)
	}

	// Another account cannot touch it and is told it does not exist.
	_, err = h.oscClient(t, h.outsider).DeleteDirectLinkInterface(ctx, osc.DeleteDirectLinkInterfaceRequest{DirectLinkInterfaceId: id})
	if er := osc.AsErrorResponse(err); er == nil || !osc.IsNotFound(err) {
		t.Errorf("outsider deletes: err = %v, want the SDK's not-found", err)
	}

	if _, err := c.DeleteDirectLinkInterface(ctx, osc.DeleteDirectLinkInterfaceRequest{DirectLinkInterfaceId: id}); err != nil {
		t.Fatalf("DeleteDirectLinkInterface: %v", err)
	}
	waitFor(t, "deleted interface", "deleted", oscState(t, c, id))
	waitFor(t, "deleted interface", "(not visible)", oscState(t, c, id))

	// Its VLAN is free again.
	if _, err := create(300); err != nil {
		t.Errorf("VLAN 300 after the first interface is gone: %v", err)
	}
}

// Pagination through osc-sdk-go v3: every interface once, in pages of the size asked.
func TestOSCSDKPagination(t *testing.T) {
	h := startEmulator(t, nil)
	ctx := t.Context()
	c := h.oscClient(t, h.owner)

	want := map[string]bool{}
	for vlan := 400; vlan < 407; vlan++ {
		resp, err := c.CreateDirectLinkInterface(ctx, osc.CreateDirectLinkInterfaceRequest{
			DirectLinkId: "dxcon-23456789",
			DirectLinkInterface: osc.DirectLinkInterface{
				DirectLinkInterfaceName: "page", Vlan: vlan, BgpAsn: 65000, VirtualGatewayId: "vgw-12345678",
			},
		})
		if err != nil {
			t.Fatalf("create VLAN %d: %v", vlan, err)
		}
		want[str(resp.DirectLinkInterface.DirectLinkInterfaceId)] = true
	}

	seen := map[string]bool{}
	pages := 0
	var token *string
	for {
		perPage := 3
		resp, err := c.ReadDirectLinkInterfaces(ctx, osc.ReadDirectLinkInterfacesRequest{
			Filters:        &osc.FiltersDirectLinkInterface{DirectLinkIds: &[]string{"dxcon-23456789"}},
			ResultsPerPage: &perPage,
			NextPageToken:  token,
		})
		if err != nil {
			t.Fatalf("page %d: %v", pages+1, err)
		}
		pages++
		if n := len(*resp.DirectLinkInterfaces); n > perPage {
			t.Fatalf("page %d has %d interfaces, asked for at most %d", pages, n, perPage)
		}
		for _, dli := range *resp.DirectLinkInterfaces {
			id := str(dli.DirectLinkInterfaceId)
			if seen[id] {
				t.Errorf("%s listed twice", id)
			}
			seen[id] = true
		}
		if str(resp.NextPageToken) == "" {
			break
		}
		token = resp.NextPageToken
		if pages > 10 {
			t.Fatal("pagination does not end")
		}
	}
	if pages != 3 {
		t.Errorf("7 interfaces in pages of 3 took %d pages, want 3", pages)
	}
	if len(seen) != len(want) {
		t.Errorf("listed %d interfaces, created %d", len(seen), len(want))
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("%s never listed", id)
		}
	}

	for _, n := range []int{0, 1001} {
		_, err := c.ReadDirectLinkInterfaces(ctx, osc.ReadDirectLinkInterfacesRequest{ResultsPerPage: &n})
		if osc.AsErrorResponse(err) == nil {
			t.Errorf("ResultsPerPage %d: err = %v, want an *osc.ErrorResponse", n, err)
		}
	}
}

// The DirectLink API's reads through the AWS SDK, and its own-account rules.
func TestDirectConnectSDKReadsAndRefusals(t *testing.T) {
	h := startEmulator(t, nil)
	ctx := t.Context()
	owner := h.dxClient(t, h.owner)

	conns, err := owner.DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	if err != nil {
		t.Fatalf("DescribeConnections: %v", err)
	}
	var ids []string
	for _, cn := range conns.Connections {
		ids = append(ids, str(cn.ConnectionId))
		if str(cn.ConnectionId) == "dxcon-12345678" {
			if cn.ConnectionState != dxtypes.ConnectionStateAvailable || str(cn.Location) != "PAR1" || str(cn.OwnerAccount) != ownerID {
				t.Errorf("dxcon-12345678: state %q location %q owner %q, want available/PAR1/%s", cn.ConnectionState, str(cn.Location), str(cn.OwnerAccount), ownerID)
			}
		}
	}
	sort.Strings(ids)
	if len(ids) == 0 || ids[0] != "dxcon-12345678" {
		t.Errorf("owner's connections = %v, want dxcon-12345678 among them", ids)
	}
	others, err := h.dxClient(t, h.recipient).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	if err != nil {
		t.Fatalf("recipient DescribeConnections: %v", err)
	}
	if len(others.Connections) != 0 {
		t.Errorf("recipient sees %d connections of another account", len(others.Connections))
	}

	var clientErr *dxtypes.DirectConnectClientException
	_, err = owner.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{
		ConnectionId: aws.String("dxcon-12345678"),
		OwnerAccount: aws.String(ownerID),
		NewPrivateVirtualInterfaceAllocation: &dxtypes.NewPrivateVirtualInterfaceAllocation{
			VirtualInterfaceName: aws.String("to-myself"), Vlan: 500, Asn: 65000,
		},
	})
	if !errors.As(err, &clientErr) {
		t.Errorf("allocating to one's own account: err = %v, want a DirectConnectClientException", err)
	}
	_, err = owner.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{
		ConnectionId: aws.String("dxcon-12345678"),
		OwnerAccount: aws.String(recipientID),
		NewPrivateVirtualInterfaceAllocation: &dxtypes.NewPrivateVirtualInterfaceAllocation{
			VirtualInterfaceName: aws.String("bad-pair"), Vlan: 501, Asn: 65000,
			AmazonAddress: aws.String("172.16.0.1/30"), CustomerAddress: aws.String("172.16.0.9/30"),
		},
	})
	if !errors.As(err, &clientErr) || !strings.Contains(clientErr.ErrorMessage(), "ddress") {
		t.Errorf("addresses in two /30 networks: err = %v, want a DirectConnectClientException about the addresses", err)
	}
	_, err = h.dxClient(t, h.recipient).AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{
		ConnectionId: aws.String("dxcon-12345678"),
		OwnerAccount: aws.String(ownerID),
		NewPrivateVirtualInterfaceAllocation: &dxtypes.NewPrivateVirtualInterfaceAllocation{
			VirtualInterfaceName: aws.String("not-my-link"), Vlan: 502, Asn: 65000,
		},
	})
	if !errors.As(err, &clientErr) {
		t.Errorf("allocating on another account's connection: err = %v, want a DirectConnectClientException", err)
	}
}

// Authentication refusals reach each SDK as that API's error, and are not
// retried as if they were transient.
func TestSDKsSeeAuthenticationErrors(t *testing.T) {
	h := startEmulator(t, nil)
	ctx := t.Context()
	wrong := h.owner
	wrong.SecretKey = strings.Repeat("x", len(wrong.SecretKey))

	_, err := h.dxClient(t, wrong).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() == "" {
		t.Fatalf("wrong secret key, DirectLink API: err = %v, want a smithy.APIError with a code", err)
	}
	if strings.Contains(err.Error(), h.owner.SecretKey) || strings.Contains(err.Error(), wrong.SecretKey) {
		t.Error("the authentication error shows a secret key")
	}
	if h.emu.Stats().Actions["DescribeConnections"] != 1 {
		t.Errorf("the AWS SDK sent DescribeConnections %d times, want once: an auth error is not retryable", h.emu.Stats().Actions["DescribeConnections"])
	}

	unknown := h.owner
	unknown.AccessKey = "AKUNKNOWNUNKNOWN0000"
	raw, err := h.oscClient(t, unknown).ReadDirectLinksRaw(ctx, osc.ReadDirectLinksRequest{})
	if err != nil {
		t.Fatalf("unknown key, OUTSCALE API: transport error %v", err)
	}
	body, _ := io.ReadAll(raw.Body)
	raw.Body.Close()
	var er osc.ErrorResponse
	if raw.StatusCode != http.StatusUnauthorized || json.Unmarshal(body, &er) != nil || len(er.Errors) == 0 || !osc.IsAuthError(&er) {
		t.Errorf("unknown key, OUTSCALE API: HTTP %d %s, want 401 with an error the SDK classifies as an auth error", raw.StatusCode, body)
	}

	// ReadLocations needs no signature at all.
	if _, err := h.oscClient(t, unknown).ReadLocations(ctx, osc.ReadLocationsRequest{}); err != nil {
		t.Errorf("ReadLocations with an unknown key (it takes no authentication): %v", err)
	}
}

// Throttling answers are the ones each SDK recognizes and retries.
func TestSDKsRetryThrottling(t *testing.T) {
	h := startEmulator(t, nil)
	ctx := t.Context()
	h.emu.SetFaults(1, 0)

	_, err := h.dxClient(t, h.owner).DescribeConnections(ctx, &directconnect.DescribeConnectionsInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("throttled DescribeConnections: err = %v, want a smithy.APIError", err)
	}
	if retry.IsErrorThrottles(retry.DefaultThrottles).IsErrorThrottle(err) != aws.TrueTernary {
		t.Errorf("the AWS SDK does not recognize %q as throttling", apiErr.ErrorCode())
	}
	if got := h.emu.Stats().Actions["DescribeConnections"]; got != 3 {
		t.Errorf("the AWS SDK sent DescribeConnections %d times under throttling, want 3 (its retries)", got)
	}

	_, err = h.oscClient(t, h.owner).ReadDirectLinks(ctx, osc.ReadDirectLinksRequest{})
	if err == nil {
		t.Fatal("ReadDirectLinks succeeded while every request is throttled")
	}
	if got := h.emu.Stats().Actions["ReadDirectLinks"]; got != 3 {
		t.Errorf("osc-sdk-go sent ReadDirectLinks %d times under throttling, want 3 (its retries)", got)
	}
	st := h.emu.Stats()
	if st.Throttled != st.Total || st.Total != 6 {
		t.Errorf("stats: total %d, throttled %d; want 6 and 6", st.Total, st.Throttled)
	}

	// With throttling off, the same clients simply work.
	h.emu.SetFaults(0, 0)
	if _, err := h.oscClient(t, h.owner).ReadDirectLinks(ctx, osc.ReadDirectLinksRequest{}); err != nil {
		t.Errorf("ReadDirectLinks after throttling stopped: %v", err)
	}
}
