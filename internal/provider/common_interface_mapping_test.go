package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

func documentedInterface() *oscapi.Interface {
	// The result sample of OUTSCALE's CreateDirectLinkInterface documentation.
	return &oscapi.Interface{
		ID:                "dxvif-12345678",
		Name:              "MyDirectLinkInterface",
		DirectLinkID:      "dxcon-12345678",
		AccountID:         "123456789012",
		VirtualGatewayID:  "vgw-12345678",
		VLAN:              101,
		BGPASN:            65000,
		BGPKey:            "tgyn26example",
		OutscalePrivateIP: "172.16.0.4/30",
		ClientPrivateIP:   "172.16.0.5/30",
		State:             "pending",
		InterfaceType:     "private",
		Location:          "PAR1",
		MTU:               1500,
	}
}

func TestInterfaceAttributesSetFromAPI(t *testing.T) {
	var a interfaceAttributes
	a.setFromAPI(documentedInterface())
	want := interfaceAttributes{
		DirectLinkID:      types.StringValue("dxcon-12345678"),
		Name:              types.StringValue("MyDirectLinkInterface"),
		VLAN:              types.Int64Value(101),
		BGPASN:            types.Int64Value(65000),
		OutscalePrivateIP: types.StringValue("172.16.0.4/30"),
		ClientPrivateIP:   types.StringValue("172.16.0.5/30"),
		MTU:               types.Int64Value(1500),
		State:             types.StringValue("pending"),
		AccountID:         types.StringValue("123456789012"),
		Location:          types.StringValue("PAR1"),
	}
	if a != want {
		t.Errorf("setFromAPI:\n got %+v\nwant %+v", a, want)
	}

	// What the API leaves empty reads as null, not as "".
	var empty interfaceAttributes
	empty.setFromAPI(&oscapi.Interface{ID: "dxvif-12345678", State: "confirming"})
	if !empty.Location.IsNull() || !empty.OutscalePrivateIP.IsNull() || !empty.Name.IsNull() {
		t.Errorf("empty API strings should map to null, got %+v", empty)
	}
}

func TestHostedInterfaceModelModes(t *testing.T) {
	tests := []struct {
		name        string
		model       hostedInterfaceModel
		in          oscapi.Interface
		wantGateway types.String
		wantOwner   types.String
	}{
		{
			name:        "own mode reads the gateway",
			model:       hostedInterfaceModel{VirtualGatewayID: types.StringValue("vgw-12345678"), OwnerAccountID: types.StringNull()},
			in:          *documentedInterface(),
			wantGateway: types.StringValue("vgw-12345678"),
			wantOwner:   types.StringNull(),
		},
		{
			name:  "hosted mode reads the recipient and ignores the recipient's gateway",
			model: hostedInterfaceModel{VirtualGatewayID: types.StringNull(), OwnerAccountID: types.StringValue("123456789000")},
			in: func() oscapi.Interface {
				i := *documentedInterface()
				i.AccountID = "123456789000"
				i.VirtualGatewayID = "vgw-87654321"
				return i
			}(),
			wantGateway: types.StringNull(),
			wantOwner:   types.StringValue("123456789000"),
		},
		{
			name:  "hosted mode shows a changed recipient as drift",
			model: hostedInterfaceModel{VirtualGatewayID: types.StringNull(), OwnerAccountID: types.StringValue("123456789000")},
			in: func() oscapi.Interface {
				i := *documentedInterface()
				i.AccountID = "123456789099"
				return i
			}(),
			wantGateway: types.StringNull(),
			wantOwner:   types.StringValue("123456789099"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.model
			m.setFromAPI(&tt.in)
			if !m.VirtualGatewayID.Equal(tt.wantGateway) || !m.OwnerAccountID.Equal(tt.wantOwner) {
				t.Errorf("virtual_gateway_id=%s owner_account_id=%s, want %s and %s", m.VirtualGatewayID, m.OwnerAccountID, tt.wantGateway, tt.wantOwner)
			}
			if m.ID.ValueString() != tt.in.ID || m.InterfaceType.ValueString() != "private" {
				t.Errorf("id=%s interface_type=%s", m.ID, m.InterfaceType)
			}
		})
	}
}

func TestHostedInterfaceModelBGPKey(t *testing.T) {
	tests := []struct {
		name   string
		before types.String
		api    string
		want   types.String
	}{
		{"generated key fills an unknown", types.StringUnknown(), "generated", types.StringValue("generated")},
		{"API value wins (drift)", types.StringValue("old"), "new", types.StringValue("new")},
		{"withheld key keeps the known one", types.StringValue("tgyn26example"), "", types.StringValue("tgyn26example")},
		{"withheld key and nothing known is null", types.StringUnknown(), "", types.StringNull()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := hostedInterfaceModel{BGPKey: tt.before, OwnerAccountID: types.StringNull()}
			in := documentedInterface()
			in.BGPKey = tt.api
			m.setFromAPI(in)
			if !m.BGPKey.Equal(tt.want) {
				t.Errorf("bgp_key = %s, want %s", m.BGPKey, tt.want)
			}
		})
	}
}

func TestHostedInterfaceModelCreateInput(t *testing.T) {
	m := hostedInterfaceModel{
		interfaceAttributes: interfaceAttributes{
			DirectLinkID:      types.StringValue("dxcon-12345678"),
			Name:              types.StringValue("MyDirectLinkInterface"),
			VLAN:              types.Int64Value(101),
			BGPASN:            types.Int64Value(65000),
			OutscalePrivateIP: types.StringUnknown(),
			ClientPrivateIP:   types.StringUnknown(),
		},
		BGPKey:           types.StringUnknown(),
		VirtualGatewayID: types.StringNull(),
		OwnerAccountID:   types.StringValue("123456789000"),
	}
	got := m.createInput()
	want := oscapi.CreateInterfaceInput{
		DirectLinkID:   "dxcon-12345678",
		Name:           "MyDirectLinkInterface",
		VLAN:           101,
		BGPASN:         65000,
		OwnerAccountID: "123456789000",
	}
	if got != want {
		t.Errorf("createInput:\n got %+v\nwant %+v", got, want)
	}
}
