package emulator

import (
	"errors"
	"fmt"
	"math"
	"net/http"
)

// The DirectLink API: the AWS Direct Connect protocol (JSON 1.1, POST /,
// X-Amz-Target: OvertureService.<Action>) with the member names AWS Direct
// Connect clients serialize and deserialize.

const dxTargetPrefix = "OvertureService."

var (
	dxTag = map[string]field{"key": {kind: kString, required: true}, "value": {kind: kString}}

	dxRequests = map[string]map[string]field{
		"AllocatePrivateVirtualInterface": {
			"connectionId": {kind: kString, required: true},
			"ownerAccount": {kind: kString, required: true},
			"newPrivateVirtualInterfaceAllocation": {kind: kObject, required: true, fields: map[string]field{
				"virtualInterfaceName": {kind: kString, required: true},
				"vlan":                 {kind: kInt, required: true},
				"asn":                  {kind: kInt},
				"asnLong":              {kind: kInt},
				"mtu":                  {kind: kInt},
				"authKey":              {kind: kString},
				"amazonAddress":        {kind: kString},
				"customerAddress":      {kind: kString},
				"addressFamily":        {kind: kString},
				"tags":                 {kind: kObjectList, fields: dxTag},
			}},
		},
		"ConfirmPrivateVirtualInterface": {
			"virtualInterfaceId":     {kind: kString, required: true},
			"virtualGatewayId":       {kind: kString},
			"directConnectGatewayId": {kind: kString},
		},
		"DescribeVirtualInterfaces": {
			"connectionId":       {kind: kString},
			"virtualInterfaceId": {kind: kString},
			"maxResults":         {kind: kInt, min: 1, max: 1000},
			"nextToken":          {kind: kBytes},
		},
		"DeleteVirtualInterface": {
			"virtualInterfaceId": {kind: kString, required: true},
		},
		"DescribeConnections": {
			"connectionId": {kind: kString},
			"maxResults":   {kind: kInt, min: 1, max: 1000},
			"nextToken":    {kind: kBytes},
		},
	}

	dxMutating = map[string]bool{"AllocatePrivateVirtualInterface": true, "ConfirmPrivateVirtualInterface": true, "DeleteVirtualInterface": true}
)

type dxErrorBody struct {
	Type    string `json:"__type"`
	Message string `json:"message"`
}

func dxErrorReply(err error) reply {
	de := toDXError(err)
	return reply{
		status:      de.Status,
		contentType: "application/x-amz-json-1.1",
		header:      map[string]string{"X-Amzn-Errortype": de.Type},
		body:        dxErrorBody{Type: de.Type, Message: de.Message},
	}
}

func dxOK(body any) reply {
	return reply{status: http.StatusOK, contentType: "application/x-amz-json-1.1", body: body}
}

// violationToDX turns a request-shape violation into the error AWS-style
// endpoints answer: SerializationException for a body that is not the
// expected JSON, a client exception naming the field otherwise.
func violationToDX(err error) error {
	var v *violation
	if !errors.As(err, &v) {
		return err
	}
	switch v.Kind {
	case vSyntax, vType:
		return &dxError{Status: http.StatusBadRequest, Type: dxSerialization, Message: v.Message}
	}
	return dxClientError("%s", v.Message)
}

type dxVirtualInterface struct {
	OwnerAccount          string `json:"ownerAccount"`
	VirtualInterfaceID    string `json:"virtualInterfaceId"`
	Location              string `json:"location"`
	ConnectionID          string `json:"connectionId"`
	VirtualInterfaceType  string `json:"virtualInterfaceType"`
	VirtualInterfaceName  string `json:"virtualInterfaceName"`
	Vlan                  int64  `json:"vlan"`
	Asn                   int64  `json:"asn,omitempty"` // an int32 for AWS clients: omitted when it does not fit
	AsnLong               int64  `json:"asnLong"`
	AuthKey               string `json:"authKey"`
	AmazonAddress         string `json:"amazonAddress"`
	CustomerAddress       string `json:"customerAddress"`
	AddressFamily         string `json:"addressFamily"`
	VirtualInterfaceState string `json:"virtualInterfaceState"`
	Mtu                   int64  `json:"mtu"`
	JumboFrameCapable     bool   `json:"jumboFrameCapable"`
	VirtualGatewayID      string `json:"virtualGatewayId,omitempty"`
	Region                string `json:"region"`
}

func (e *Emulator) toDXInterface(i Interface) dxVirtualInterface {
	v := dxVirtualInterface{
		OwnerAccount:          i.OwnerAccountID,
		VirtualInterfaceID:    i.ID,
		Location:              i.Location,
		ConnectionID:          i.DirectLinkID,
		VirtualInterfaceType:  "private",
		VirtualInterfaceName:  i.Name,
		Vlan:                  i.VLAN,
		AsnLong:               i.BGPASN,
		AuthKey:               i.BGPKey,
		AmazonAddress:         i.OutscalePrivateIP,
		CustomerAddress:       i.ClientPrivateIP,
		AddressFamily:         "ipv4",
		VirtualInterfaceState: i.State,
		Mtu:                   i.MTU,
		VirtualGatewayID:      i.VirtualGatewayID,
		Region:                e.opts.Region,
	}
	if i.BGPASN <= math.MaxInt32 {
		v.Asn = i.BGPASN
	}
	return v
}

type dxConnection struct {
	OwnerAccount         string `json:"ownerAccount"`
	ConnectionID         string `json:"connectionId"`
	ConnectionName       string `json:"connectionName"`
	ConnectionState      string `json:"connectionState"`
	Region               string `json:"region"`
	Location             string `json:"location"`
	Bandwidth            string `json:"bandwidth"`
	JumboFrameCapable    bool   `json:"jumboFrameCapable"`
	HasLogicalRedundancy string `json:"hasLogicalRedundancy"`
}

var dxActions = map[string]func(e *Emulator, caller string, body []byte) reply{
	"AllocatePrivateVirtualInterface": (*Emulator).dxAllocate,
	"ConfirmPrivateVirtualInterface":  (*Emulator).dxConfirm,
	"DescribeVirtualInterfaces":       (*Emulator).dxDescribeInterfaces,
	"DeleteVirtualInterface":          (*Emulator).dxDelete,
	"DescribeConnections":             (*Emulator).dxDescribeConnections,
}

// serveDX answers one DirectLink API action for the authenticated caller.
func (e *Emulator) serveDX(action, caller string, body []byte) reply {
	if serve, ok := dxActions[action]; ok {
		return serve(e, caller, body)
	}
	return dxErrorReply(&dxError{Status: http.StatusBadRequest, Type: dxUnknownOperation, Message: fmt.Sprintf("Unknown operation %q.", action)})
}

func (e *Emulator) dxAllocate(caller string, body []byte) reply {
	var req struct {
		ConnectionID string `json:"connectionId"`
		OwnerAccount string `json:"ownerAccount"`
		Allocation   struct {
			VirtualInterfaceName string `json:"virtualInterfaceName"`
			Vlan                 int64  `json:"vlan"`
			Asn                  *int64 `json:"asn"`
			AsnLong              *int64 `json:"asnLong"`
			Mtu                  int64  `json:"mtu"`
			AuthKey              string `json:"authKey"`
			AmazonAddress        string `json:"amazonAddress"`
			CustomerAddress      string `json:"customerAddress"`
			AddressFamily        string `json:"addressFamily"`
		} `json:"newPrivateVirtualInterfaceAllocation"`
	}
	if err := decodeStrict(body, dxRequests["AllocatePrivateVirtualInterface"], &req); err != nil {
		return dxErrorReply(violationToDX(err))
	}
	a := req.Allocation
	var asn int64
	switch {
	case a.Asn == nil && a.AsnLong == nil:
		return dxErrorReply(dxClientError("newPrivateVirtualInterfaceAllocation.asn (or asnLong) is required: the BGP ASN on the customer side, between 1 and 4294967295."))
	case a.Asn != nil && a.AsnLong != nil && *a.Asn != *a.AsnLong:
		return dxErrorReply(dxClientError("newPrivateVirtualInterfaceAllocation.asn %d and asnLong %d differ: give only one of them.", *a.Asn, *a.AsnLong))
	case a.AsnLong != nil:
		asn = *a.AsnLong
	default:
		asn = *a.Asn
	}
	if a.AddressFamily != "" && a.AddressFamily != "ipv4" {
		return dxErrorReply(dxClientError("newPrivateVirtualInterfaceAllocation.addressFamily %q is not supported: the only allowed value is ipv4.", a.AddressFamily))
	}
	e.store.mu.Lock()
	created, err := e.store.create(caller, newInterface{
		DirectLinkID:      req.ConnectionID,
		Name:              a.VirtualInterfaceName,
		VLAN:              a.Vlan,
		BGPASN:            asn,
		BGPKey:            a.AuthKey,
		OutscalePrivateIP: a.AmazonAddress,
		ClientPrivateIP:   a.CustomerAddress,
		MTU:               a.Mtu,
		OwnerAccountID:    req.OwnerAccount,
	}, dxFields)
	e.store.mu.Unlock()
	if err != nil {
		return dxErrorReply(err)
	}
	return dxOK(e.toDXInterface(created))
}

func (e *Emulator) dxConfirm(caller string, body []byte) reply {
	var req struct {
		VirtualInterfaceID     string `json:"virtualInterfaceId"`
		VirtualGatewayID       string `json:"virtualGatewayId"`
		DirectConnectGatewayID string `json:"directConnectGatewayId"`
	}
	if err := decodeStrict(body, dxRequests["ConfirmPrivateVirtualInterface"], &req); err != nil {
		return dxErrorReply(violationToDX(err))
	}
	if req.DirectConnectGatewayID != "" {
		return dxErrorReply(dxClientError("directConnectGatewayId is not supported: give virtualGatewayId, the virtual gateway of your Net to attach the interface to."))
	}
	e.store.mu.Lock()
	confirmed, err := e.store.confirm(caller, req.VirtualInterfaceID, req.VirtualGatewayID, dxFields)
	e.store.mu.Unlock()
	if err != nil {
		return dxErrorReply(err)
	}
	return dxOK(map[string]string{"virtualInterfaceState": confirmed.State})
}

func (e *Emulator) dxDescribeInterfaces(caller string, body []byte) reply {
	var req struct {
		ConnectionID       string `json:"connectionId"`
		VirtualInterfaceID string `json:"virtualInterfaceId"`
		MaxResults         int    `json:"maxResults"`
		NextToken          string `json:"nextToken"`
	}
	if err := decodeStrict(body, dxRequests["DescribeVirtualInterfaces"], &req); err != nil {
		return dxErrorReply(violationToDX(err))
	}
	var byConnection, byID []string
	s := e.store
	s.mu.Lock()
	if req.ConnectionID != "" {
		if _, ok := s.directLinks[req.ConnectionID]; !ok {
			s.mu.Unlock()
			return dxErrorReply(&notFoundError{What: nfDirectLink, ID: req.ConnectionID})
		}
		byConnection = []string{req.ConnectionID}
	}
	if req.VirtualInterfaceID != "" {
		if _, err := s.get(caller, req.VirtualInterfaceID); err != nil {
			s.mu.Unlock()
			return dxErrorReply(err)
		}
		byID = []string{req.VirtualInterfaceID}
	}
	all := s.list(caller, byConnection, byID)
	s.mu.Unlock()
	page, next, err := paginate(all, func(i Interface) string { return i.ID }, req.NextToken, req.MaxResults)
	if err != nil {
		return dxErrorReply(dxClientError("nextToken %s", err))
	}
	out := make([]dxVirtualInterface, len(page))
	for i, itf := range page {
		out[i] = e.toDXInterface(itf)
	}
	return dxOK(struct {
		VirtualInterfaces []dxVirtualInterface `json:"virtualInterfaces"`
		NextToken         string               `json:"nextToken,omitempty"`
	}{out, next})
}

func (e *Emulator) dxDelete(caller string, body []byte) reply {
	var req struct {
		VirtualInterfaceID string `json:"virtualInterfaceId"`
	}
	if err := decodeStrict(body, dxRequests["DeleteVirtualInterface"], &req); err != nil {
		return dxErrorReply(violationToDX(err))
	}
	e.store.mu.Lock()
	deleted, err := e.store.delete(caller, req.VirtualInterfaceID)
	e.store.mu.Unlock()
	if err != nil {
		return dxErrorReply(err)
	}
	return dxOK(map[string]string{"virtualInterfaceState": deleted.State})
}

func (e *Emulator) dxDescribeConnections(caller string, body []byte) reply {
	var req struct {
		ConnectionID string `json:"connectionId"`
		MaxResults   int    `json:"maxResults"`
		NextToken    string `json:"nextToken"`
	}
	if err := decodeStrict(body, dxRequests["DescribeConnections"], &req); err != nil {
		return dxErrorReply(violationToDX(err))
	}
	var all []dxConnection
	e.store.mu.Lock()
	for _, dl := range e.store.directLinksOf(caller) {
		if req.ConnectionID == "" || dl.ID == req.ConnectionID {
			all = append(all, dxConnection{
				OwnerAccount: dl.AccountID, ConnectionID: dl.ID, ConnectionName: dl.Name, ConnectionState: dl.State,
				Region: e.store.region, Location: dl.Location, Bandwidth: dl.Bandwidth, HasLogicalRedundancy: "unknown",
			})
		}
	}
	e.store.mu.Unlock()
	if req.ConnectionID != "" && len(all) == 0 {
		return dxErrorReply(&notFoundError{What: nfDirectLink, ID: req.ConnectionID})
	}
	page, next, err := paginate(all, func(c dxConnection) string { return c.ConnectionID }, req.NextToken, req.MaxResults)
	if err != nil {
		return dxErrorReply(dxClientError("nextToken %s", err))
	}
	return dxOK(struct {
		Connections []dxConnection `json:"connections"`
		NextToken   string         `json:"nextToken,omitempty"`
	}{orEmpty(page), next})
}
