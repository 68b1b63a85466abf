package provider

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// adoptAPI is an oscapi.API that answers CreateInterface from a script and
// ListInterfaces from a fixed list; any other call panics (the embedded nil
// interface), which proves the code under test does not make it.
type adoptAPI struct {
	oscapi.API
	creates   []error // answer of the n-th create; nil = success
	created   *oscapi.Interface
	listed    []oscapi.Interface
	listErr   error
	nCreate   int
	nList     int
	listCalls []oscapi.InterfaceFilter
}

func (f *adoptAPI) CreateInterface(_ context.Context, in oscapi.CreateInterfaceInput) (*oscapi.Interface, error) {
	f.nCreate++
	if f.nCreate <= len(f.creates) && f.creates[f.nCreate-1] != nil {
		return nil, f.creates[f.nCreate-1]
	}
	if f.created != nil {
		return f.created, nil
	}
	return &oscapi.Interface{ID: "dxvif-new00000", DirectLinkID: in.DirectLinkID, VLAN: in.VLAN, Name: in.Name, State: oscapi.StatePending}, nil
}

func (f *adoptAPI) ListInterfaces(_ context.Context, flt oscapi.InterfaceFilter) ([]oscapi.Interface, error) {
	f.nList++
	f.listCalls = append(f.listCalls, flt)
	return f.listed, f.listErr
}

var (
	errConflict  = &oscapi.Error{Kind: oscapi.KindConflict, Action: "CreateDirectLinkInterface", Message: "VLAN 101 is already in use", RequestID: "req-1"}
	errTransport = &oscapi.Error{Kind: oscapi.KindTransport, Action: "CreateDirectLinkInterface", Message: "connection reset by peer"}
	errNotSent   = &oscapi.Error{Kind: oscapi.KindTransport, Action: "CreateDirectLinkInterface", Message: "connection refused", NotSent: true}
	err502       = &oscapi.Error{Kind: oscapi.KindServer, Action: "CreateDirectLinkInterface", HTTPStatus: 502, Message: "bad gateway"}
	errInvalid   = &oscapi.Error{Kind: oscapi.KindValidation, Action: "CreateDirectLinkInterface", Message: "invalid BgpAsn"}
)

func ownInput() oscapi.CreateInterfaceInput {
	return oscapi.CreateInterfaceInput{
		DirectLinkID:     "dxcon-12345678",
		Name:             "customer-a",
		VLAN:             101,
		BGPASN:           65000,
		VirtualGatewayID: "vgw-12345678",
	}
}

// orphan is what the API holds after a create of ownInput() whose answer was
// lost: the API filled in the optional attributes.
func orphan() oscapi.Interface {
	return oscapi.Interface{
		ID:                "dxvif-0a1b2c3d",
		Name:              "customer-a",
		DirectLinkID:      "dxcon-12345678",
		AccountID:         "123456789012",
		VirtualGatewayID:  "vgw-12345678",
		VLAN:              101,
		BGPASN:            65000,
		BGPKey:            "generated-key-0001",
		OutscalePrivateIP: "169.254.10.1/30",
		ClientPrivateIP:   "169.254.10.2/30",
		State:             oscapi.StatePending,
	}
}

func with(it oscapi.Interface, edit func(*oscapi.Interface)) oscapi.Interface {
	edit(&it)
	return it
}

func TestCreateOrAdopt(t *testing.T) {
	other := with(orphan(), func(i *oscapi.Interface) { i.ID = "dxvif-99999999"; i.VLAN = 102; i.Name = "customer-b" })
	tests := []struct {
		name        string
		in          oscapi.CreateInterfaceInput
		api         adoptAPI
		wantID      string
		wantAdopted bool
		wantErr     string // substring; "" = success
		wantErrIs   error  // the create's own error is passed through
		wantCreates int
		wantLists   int
	}{
		{
			name:        "create answers",
			in:          ownInput(),
			wantID:      "dxvif-new00000",
			wantCreates: 1,
		},
		{
			name:        "other API errors are the caller's to report",
			in:          ownInput(),
			api:         adoptAPI{creates: []error{errInvalid}},
			wantErrIs:   errInvalid,
			wantCreates: 1,
		},
		{
			name:        "conflict with a matching orphan is never adopted: the error prints the import block",
			in:          ownInput(),
			api:         adoptAPI{creates: []error{errConflict}, listed: []oscapi.Interface{other, orphan()}},
			wantErr:     "import {\n  to = osc_hosted_directlink_interface.<name>\n  id = \"dxvif-0a1b2c3d\"\n}",
			wantCreates: 1,
			wantLists:   1,
		},
		{
			name:        "lost answer of a create that landed adopts without a second create",
			in:          ownInput(),
			api:         adoptAPI{creates: []error{errTransport}, listed: []oscapi.Interface{orphan()}},
			wantID:      "dxvif-0a1b2c3d",
			wantAdopted: true,
			wantCreates: 1,
			wantLists:   1,
		},
		{
			name:        "a 5xx after the API committed adopts without a second create",
			in:          ownInput(),
			api:         adoptAPI{creates: []error{err502}, listed: []oscapi.Interface{orphan()}},
			wantID:      "dxvif-0a1b2c3d",
			wantAdopted: true,
			wantCreates: 1,
			wantLists:   1,
		},
		{
			name:        "a create that never reached the API is the API layer's to resend, not ours to reconcile",
			in:          ownInput(),
			api:         adoptAPI{creates: []error{errNotSent}},
			wantErrIs:   errNotSent,
			wantCreates: 1,
		},
		{
			name:        "lost create that never landed is sent once more after reading",
			in:          ownInput(),
			api:         adoptAPI{creates: []error{errTransport}, listed: []oscapi.Interface{other}},
			wantID:      "dxvif-new00000",
			wantCreates: 2,
			wantLists:   1,
		},
		{
			name:        "two lost creates end with the transport error",
			in:          ownInput(),
			api:         adoptAPI{creates: []error{errTransport, errTransport}},
			wantErrIs:   errTransport,
			wantCreates: 2,
			wantLists:   2,
		},
		{
			name: "a deleting interface still holds its VLAN; a deleted one does not",
			in:   ownInput(),
			api: adoptAPI{creates: []error{errConflict}, listed: []oscapi.Interface{
				with(orphan(), func(i *oscapi.Interface) { i.ID = "dxvif-deleted0"; i.State = oscapi.StateDeleted }),
				with(orphan(), func(i *oscapi.Interface) { i.State = oscapi.StateDeleting }),
			}},
			wantErr:     `already used by DirectLink interface dxvif-0a1b2c3d (name "customer-a", state deleting)`,
			wantCreates: 1,
			wantLists:   1,
		},
		{
			name: "holder with another name is not adopted",
			in:   ownInput(),
			api: adoptAPI{creates: []error{errTransport}, listed: []oscapi.Interface{
				with(orphan(), func(i *oscapi.Interface) { i.Name = "someone-else"; i.State = oscapi.StateAvailable }),
			}},
			wantErr: `VLAN 101 on dxcon-12345678 is already used by DirectLink interface dxvif-0a1b2c3d (name "someone-else", state available), ` +
				`which is in no Terraform state this run knows of. It differs from this configuration: name is "someone-else", configured "customer-a".`,
			wantCreates: 1,
			wantLists:   1,
		},
		{
			name: "holder differing on every compared attribute lists each difference",
			in: with2(ownInput(), func(in *oscapi.CreateInterfaceInput) {
				in.OutscalePrivateIP, in.ClientPrivateIP, in.BGPKey = "172.16.0.4/30", "172.16.0.5/30", "configured-key"
			}),
			api: adoptAPI{creates: []error{errTransport}, listed: []oscapi.Interface{
				with(orphan(), func(i *oscapi.Interface) { i.BGPASN = 65001; i.VirtualGatewayID = "vgw-87654321" }),
			}},
			wantErr: `bgp_asn is 65001, configured 65000; virtual_gateway_id is vgw-87654321, configured vgw-12345678; ` +
				`outscale_private_ip is 169.254.10.1/30, configured 172.16.0.4/30; client_private_ip is 169.254.10.2/30, configured 172.16.0.5/30; ` +
				`bgp_key differs from the configured one`,
			wantCreates: 1,
			wantLists:   1,
		},
		{
			name: "hosted mode matches on the account it is hosted for",
			in: with2(ownInput(), func(in *oscapi.CreateInterfaceInput) {
				in.VirtualGatewayID, in.OwnerAccountID = "", "123456789000"
			}),
			api: adoptAPI{creates: []error{errTransport}, listed: []oscapi.Interface{
				with(orphan(), func(i *oscapi.Interface) {
					i.VirtualGatewayID = ""
					i.AccountID = "123456789000"
					i.State = oscapi.StateConfirming
				}),
			}},
			wantID:      "dxvif-0a1b2c3d",
			wantAdopted: true,
			wantCreates: 1,
			wantLists:   1,
		},
		{
			name: "hosted mode refuses an interface hosted for another account",
			in: with2(ownInput(), func(in *oscapi.CreateInterfaceInput) {
				in.VirtualGatewayID, in.OwnerAccountID = "", "123456789000"
			}),
			api: adoptAPI{creates: []error{errTransport}, listed: []oscapi.Interface{
				with(orphan(), func(i *oscapi.Interface) { i.VirtualGatewayID = ""; i.AccountID = "123456789099" }),
			}},
			wantErr:     "it belongs to account 123456789099, configured owner_account_id 123456789000",
			wantCreates: 1,
			wantLists:   1,
		},
		{
			name: "configured addresses match the API's spelling of them",
			in: with2(ownInput(), func(in *oscapi.CreateInterfaceInput) {
				in.OutscalePrivateIP, in.ClientPrivateIP = "172.16.0.4/30", "172.16.0.5/30"
			}),
			api: adoptAPI{creates: []error{errTransport}, listed: []oscapi.Interface{
				with(orphan(), func(i *oscapi.Interface) { i.OutscalePrivateIP, i.ClientPrivateIP = "172.16.0.4/30", "172.16.0.5/30" }),
			}},
			wantID:      "dxvif-0a1b2c3d",
			wantAdopted: true,
			wantCreates: 1,
			wantLists:   1,
		},
		{
			name:        "failed lookup reports the create's error and the lookup's",
			in:          ownInput(),
			api:         adoptAPI{creates: []error{errConflict}, listErr: errors.New("listing refused")},
			wantErrIs:   errConflict,
			wantErr:     "VLAN 101 is already in use [request ID req-1]; then reading the interfaces of dxcon-12345678, to find out whether the create was carried out, failed: listing refused",
			wantCreates: 1,
			wantLists:   1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := tt.api
			got, adopted, err := createOrAdopt(context.Background(), &api, newOperationLedger(), tt.in)
			if api.nCreate != tt.wantCreates || api.nList != tt.wantLists {
				t.Errorf("API calls: %d creates, %d lists; want %d, %d", api.nCreate, api.nList, tt.wantCreates, tt.wantLists)
			}
			for _, f := range api.listCalls {
				if len(f.DirectLinkIDs) != 1 || f.DirectLinkIDs[0] != tt.in.DirectLinkID || len(f.InterfaceIDs) != 0 {
					t.Errorf("listed with filter %+v, want the DirectLink %s only", f, tt.in.DirectLinkID)
				}
				// The create may have made the interface: it must be read
				// afresh, not left out as one of this client's own.
				if f.OthersOnly || f.Freshness != oscapi.Fresh {
					t.Errorf("looked for the VLAN's holder with %+v: want a fresh read that can show the interface the create made", f)
				}
			}
			if tt.wantErr == "" && tt.wantErrIs == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				if got.ID != tt.wantID || adopted != tt.wantAdopted {
					t.Fatalf("got %s (adopted %v), want %s (adopted %v)", got.ID, adopted, tt.wantID, tt.wantAdopted)
				}
				return
			}
			if err == nil {
				t.Fatalf("got %s (adopted %v), want an error", got.ID, adopted)
			}
			if tt.wantErrIs != nil && !errors.Is(err, tt.wantErrIs) {
				t.Errorf("error %v does not carry the create's error %v", err, tt.wantErrIs)
			}
			if tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error\n  %v\ndoes not contain\n  %s", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "generated-key-0001") || strings.Contains(err.Error(), "configured-key") {
				t.Errorf("error shows a BGP key: %v", err)
			}
			var unclear *createUnclearError
			if tt.wantErrIs == nil && !isVLANInUse(err) && !errors.As(err, &unclear) {
				t.Errorf("mismatch error is not recognizable as such: %T", err)
			}
		})
	}
}

func with2(in oscapi.CreateInterfaceInput, edit func(*oscapi.CreateInterfaceInput)) oscapi.CreateInterfaceInput {
	edit(&in)
	return in
}

func TestAdoptedWarningNamesTheInterface(t *testing.T) {
	it := orphan()
	d := adoptedWarning(&it)
	if !strings.Contains(d.Detail(), "DirectLink interface dxvif-0a1b2c3d") || !strings.Contains(d.Detail(), "No second interface was created") {
		t.Errorf("warning detail %q does not name the adopted interface", d.Detail())
	}
	if strings.Contains(d.Detail(), it.BGPKey) {
		t.Errorf("warning shows the BGP key: %q", d.Detail())
	}
}

// Instances of one configuration never share an interface: a create that
// meets, on its VLAN, the interface another instance of this walk created or
// holds names it instead of adopting it, even when it matches.
func TestCreateOrAdoptNeverTakesASiblingsInterface(t *testing.T) {
	for _, tt := range []struct {
		name   string
		ledger func(l *operationLedger)
	}{
		{"created by another instance of this apply", func(l *operationLedger) { l.noteCreated("dxvif-0a1b2c3d", "customer-a-copy") }},
		{"in the state of another instance", func(l *operationLedger) {
			l.noteInState("dxvif-0a1b2c3d", with2(ownInput(), func(in *oscapi.CreateInterfaceInput) { in.Name = "customer-a-copy" }))
		}},
	} {
		for _, createErr := range []error{errConflict, errTransport} {
			t.Run(tt.name+"/"+createErr.Error(), func(t *testing.T) {
				l := newOperationLedger()
				tt.ledger(l)
				api := adoptAPI{creates: []error{createErr}, listed: []oscapi.Interface{orphan()}}
				got, _, err := createOrAdopt(context.Background(), &api, l, ownInput())
				if err == nil {
					t.Fatalf("took %s, which another instance holds", got.ID)
				}
				if !strings.Contains(err.Error(), `another resource instance of this configuration (the one named "customer-a-copy")`) {
					t.Errorf("error does not name the sibling: %v", err)
				}
				if api.nCreate != 1 {
					t.Errorf("%d creates, want 1", api.nCreate)
				}
			})
		}
	}
}

// The fakes of this package's unit tests embed a nil oscapi.API so that any
// call they do not script panics; masking is no API call.
func (f *adoptAPI) MaskContext(ctx context.Context) context.Context    { return ctx }
func (f *createAPI) MaskContext(ctx context.Context) context.Context   { return ctx }
func (f *accepterAPI) MaskContext(ctx context.Context) context.Context { return ctx }
func (f linksAPI) MaskContext(ctx context.Context) context.Context     { return ctx }

// interruptingAPI is an adoptAPI whose create ends the operation (Ctrl-C, the
// deadline) while it is in flight, and whose lists fail on an ended context,
// as the real client's do.
type interruptingAPI struct {
	adoptAPI
	interrupt context.CancelFunc
}

func (f *interruptingAPI) CreateInterface(ctx context.Context, in oscapi.CreateInterfaceInput) (*oscapi.Interface, error) {
	f.interrupt()
	return f.adoptAPI.CreateInterface(ctx, in)
}

func (f *interruptingAPI) ListInterfaces(ctx context.Context, flt oscapi.InterfaceFilter) ([]oscapi.Interface, error) {
	if err := ctx.Err(); err != nil {
		f.nList++
		return nil, err
	}
	return f.adoptAPI.ListInterfaces(ctx, flt)
}

// An interrupt that comes while a create is in flight, whose answer is then
// unclear, still lets one read find out what the create did: the interface
// it made reaches the state instead of being orphaned. Nothing is sent again
// once the operation has ended.
func TestCreateOrAdoptAfterAnInterrupt(t *testing.T) {
	interruptedCreate := &oscapi.Error{Kind: oscapi.KindTransport, Action: "CreateDirectLinkInterface",
		Message: "interrupted (the operation was cancelled) before the API answered; the request had been sent, so it may have been carried out",
		Err:     context.Canceled}
	for _, tt := range []struct {
		name      string
		createErr error
		listed    []oscapi.Interface
		wantID    string
	}{
		{"the create landed: its interface is adopted", interruptedCreate, []oscapi.Interface{orphan()}, "dxvif-0a1b2c3d"},
		{"a 5xx answered as the user pressed Ctrl-C: the interface is adopted", err502, []oscapi.Interface{orphan()}, "dxvif-0a1b2c3d"},
		{"the create did not land: it is not sent again", interruptedCreate, nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			api := &interruptingAPI{adoptAPI: adoptAPI{creates: []error{tt.createErr}, listed: tt.listed}, interrupt: cancel}
			got, adopted, err := createOrAdopt(ctx, api, newOperationLedger(), ownInput())
			if api.nCreate != 1 || api.nList != 1 {
				t.Errorf("API calls: %d creates, %d lists; want 1 create and 1 list that completes although the operation ended", api.nCreate, api.nList)
			}
			var unclear *createUnclearError
			if errors.As(err, &unclear) {
				t.Fatalf("the lookup was cancelled with the operation: %v", err)
			}
			if tt.wantID == "" {
				if !errors.Is(err, tt.createErr) {
					t.Errorf("err = %v, want the create's own error", err)
				}
				return
			}
			if err != nil || got.ID != tt.wantID || !adopted {
				t.Fatalf("got %v (adopted %v, err %v), want %s adopted", got, adopted, err, tt.wantID)
			}
		})
	}
}
