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
			name:        "conflict with a matching orphan adopts it",
			in:          ownInput(),
			api:         adoptAPI{creates: []error{errConflict}, listed: []oscapi.Interface{other, orphan()}},
			wantID:      "dxvif-0a1b2c3d",
			wantAdopted: true,
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
			name:        "lost create that never landed is retried once",
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
			name: "a deleting interface on the VLAN is not a holder",
			in:   ownInput(),
			api: adoptAPI{creates: []error{errConflict}, listed: []oscapi.Interface{
				with(orphan(), func(i *oscapi.Interface) { i.State = oscapi.StateDeleting }),
				with(orphan(), func(i *oscapi.Interface) { i.ID = "dxvif-deleted0"; i.State = oscapi.StateDeleted }),
			}},
			wantErrIs:   errConflict,
			wantCreates: 1,
			wantLists:   1,
		},
		{
			name: "holder with another name is not adopted",
			in:   ownInput(),
			api: adoptAPI{creates: []error{errConflict}, listed: []oscapi.Interface{
				with(orphan(), func(i *oscapi.Interface) { i.Name = "someone-else"; i.State = oscapi.StateAvailable }),
			}},
			wantErr: `VLAN 101 on dxcon-12345678 is already used by DirectLink interface dxvif-0a1b2c3d (name "someone-else", state available), ` +
				`which does not match this configuration: name is "someone-else", configured "customer-a". ` +
				`If it is yours, import it instead of creating it: terraform import osc_hosted_directlink_interface.<name> dxvif-0a1b2c3d`,
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
			api: adoptAPI{creates: []error{errConflict}, listed: []oscapi.Interface{
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
			api: adoptAPI{creates: []error{errConflict}, listed: []oscapi.Interface{
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
			api: adoptAPI{creates: []error{errConflict}, listed: []oscapi.Interface{
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
			wantErr:     "VLAN 101 is already in use [request ID req-1] (then listing the interfaces of dxcon-12345678 to find one already holding VLAN 101 failed: listing refused)",
			wantCreates: 1,
			wantLists:   1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := tt.api
			got, adopted, err := createOrAdopt(context.Background(), &api, tt.in)
			if api.nCreate != tt.wantCreates || api.nList != tt.wantLists {
				t.Errorf("API calls: %d creates, %d lists; want %d, %d", api.nCreate, api.nList, tt.wantCreates, tt.wantLists)
			}
			for _, f := range api.listCalls {
				if len(f.DirectLinkIDs) != 1 || f.DirectLinkIDs[0] != tt.in.DirectLinkID || len(f.InterfaceIDs) != 0 {
					t.Errorf("listed with filter %+v, want the DirectLink %s only", f, tt.in.DirectLinkID)
				}
				// The create may have made the interface: it must be read
				// afresh, not left out as one of this client's own.
				if f.OthersOnly {
					t.Errorf("looked for the VLAN's holder with OthersOnly, which could hide the interface the create made")
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
			if tt.wantErrIs == nil && !isVLANInUse(err) {
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
	if !strings.Contains(d.Detail(), "Adopted existing DirectLink interface dxvif-0a1b2c3d") {
		t.Errorf("warning detail %q does not name the adopted interface", d.Detail())
	}
	if strings.Contains(d.Detail(), it.BGPKey) {
		t.Errorf("warning shows the BGP key: %q", d.Detail())
	}
}
