package oscapi

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	dltypes "github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/outscale/osc-sdk-go/v3/pkg/osc"
)

// CreateInterface creates an interface in the caller's account
// (CreateDirectLinkInterface, OUTSCALE API) or allocates one hosted for
// another account (AllocatePrivateVirtualInterface, DirectLink API).
func (c *Client) CreateInterface(ctx context.Context, in CreateInterfaceInput) (*Interface, error) {
	var (
		out *Interface
		err error
	)
	// Registered before sending: an error answer that echoes it is masked.
	c.secrets.add(in.BGPKey)
	if in.OwnerAccountID != "" {
		out, err = c.allocateHosted(ctx, in)
	} else {
		out, err = c.createOwn(ctx, in)
	}
	if err != nil {
		c.batch.invalidate()
		return nil, err
	}
	c.learn(*out)
	c.batch.touched(out.ID, out.DirectLinkID)
	return out, nil
}

func (c *Client) createOwn(ctx context.Context, in CreateInterfaceInput) (*Interface, error) {
	req := osc.CreateDirectLinkInterfaceRequest{
		DirectLinkId: in.DirectLinkID,
		DirectLinkInterface: osc.DirectLinkInterface{
			DirectLinkInterfaceName: in.Name,
			VirtualGatewayId:        in.VirtualGatewayID,
			Vlan:                    int(in.VLAN),
			BgpAsn:                  int(in.BGPASN),
			BgpKey:                  optString(in.BGPKey),
			OutscalePrivateIp:       optString(in.OutscalePrivateIP),
			ClientPrivateIp:         optString(in.ClientPrivateIP),
		},
	}
	var resp *osc.CreateDirectLinkInterfaceResponse
	err := c.call(ctx, apiOSC, "CreateDirectLinkInterface", false, func(ctx context.Context) error {
		var err error
		resp, err = c.osc.CreateDirectLinkInterface(ctx, req)
		return err
	})
	if err != nil {
		return nil, err
	}
	if resp.DirectLinkInterface == nil {
		return nil, &Error{Kind: KindUnknown, Action: "CreateDirectLinkInterface", Message: "the answer holds no DirectLink interface", RequestID: oscRequestID(resp.ResponseContext)}
	}
	out := fromOSC(*resp.DirectLinkInterface)
	return &out, nil
}

func (c *Client) allocateHosted(ctx context.Context, in CreateInterfaceInput) (*Interface, error) {
	alloc := &dltypes.NewPrivateVirtualInterfaceAllocation{
		VirtualInterfaceName: aws.String(in.Name),
		Vlan:                 int32(in.VLAN),
		AuthKey:              optString(in.BGPKey),
		AmazonAddress:        optString(in.OutscalePrivateIP),
		CustomerAddress:      optString(in.ClientPrivateIP),
	}
	// asn is an int32 on the wire; ASNs above it travel in asnLong.
	if in.BGPASN <= math.MaxInt32 {
		alloc.Asn = int32(in.BGPASN)
	} else {
		alloc.AsnLong = aws.Int64(in.BGPASN)
	}
	var out *directconnect.AllocatePrivateVirtualInterfaceOutput
	err := c.call(ctx, apiDirectLink, "AllocatePrivateVirtualInterface", false, func(ctx context.Context) error {
		var err error
		out, err = c.dl.AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{
			ConnectionId:                         aws.String(in.DirectLinkID),
			OwnerAccount:                         aws.String(in.OwnerAccountID),
			NewPrivateVirtualInterfaceAllocation: alloc,
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	vi := fromDirectLink(dltypes.VirtualInterface{
		AmazonAddress:         out.AmazonAddress,
		Asn:                   out.Asn,
		AsnLong:               out.AsnLong,
		AuthKey:               out.AuthKey,
		ConnectionId:          out.ConnectionId,
		CustomerAddress:       out.CustomerAddress,
		Location:              out.Location,
		Mtu:                   out.Mtu,
		OwnerAccount:          out.OwnerAccount,
		VirtualGatewayId:      out.VirtualGatewayId,
		VirtualInterfaceId:    out.VirtualInterfaceId,
		VirtualInterfaceName:  out.VirtualInterfaceName,
		VirtualInterfaceState: out.VirtualInterfaceState,
		VirtualInterfaceType:  out.VirtualInterfaceType,
		Vlan:                  out.Vlan,
	})
	if vi.ID == "" {
		return nil, &Error{Kind: KindUnknown, Action: "AllocatePrivateVirtualInterface", Message: "the answer holds no virtual interface ID"}
	}
	return &vi, nil
}

// ReadInterface returns one interface: FromSnapshot from this client's
// snapshot of all interfaces when batching is on (see batcher), else afresh.
func (c *Client) ReadInterface(ctx context.Context, id string, fr Freshness) (*Interface, error) {
	if fr == FromSnapshot && !c.cfg.DisableBatching {
		return c.batch.read(ctx, id)
	}
	return c.readOne(ctx, id)
}

// readOne reads one interface afresh, bypassing the snapshot: in a filtered
// call shared with other fresh reads of the moment (see coalescer), or its
// own call when batching is off.
func (c *Client) readOne(ctx context.Context, id string) (*Interface, error) {
	if !c.cfg.DisableBatching {
		return c.fresh.read(ctx, id)
	}
	list, err := c.listAPI(ctx, InterfaceFilter{InterfaceIDs: []string{id}})
	if err != nil {
		return nil, err
	}
	for i := range list {
		if list[i].ID == id {
			return &list[i], nil
		}
	}
	return nil, notFound(id)
}

func notFound(id string) *Error {
	return &Error{
		Kind:    KindNotFound,
		Action:  "ReadDirectLinkInterfaces",
		Message: fmt.Sprintf("DirectLink interface %s does not exist or is not visible to these credentials", id),
	}
}

// ListInterfaces returns every interface matching f, all pages.
func (c *Client) ListInterfaces(ctx context.Context, f InterfaceFilter) ([]Interface, error) {
	if f.Freshness == FromSnapshot && !c.cfg.DisableBatching {
		return c.batch.list(ctx, f)
	}
	list, err := c.listAPI(ctx, f)
	if err != nil || !f.OthersOnly {
		return list, err
	}
	return slices.DeleteFunc(list, func(it Interface) bool { return c.batch.isTouched(it.ID) }), nil
}

// listAPI is ReadDirectLinkInterfaces with f, every page.
func (c *Client) listAPI(ctx context.Context, f InterfaceFilter) ([]Interface, error) {
	list, _, err := c.listPages(ctx, f, nil, 0)
	return list, err
}

// listPages is ReadDirectLinkInterfaces with f from the page of token (nil:
// the first), at most maxPages pages (0: every page); rest is the token of
// the first page left unread, nil when none is.
func (c *Client) listPages(ctx context.Context, f InterfaceFilter, token *string, maxPages int) (out []Interface, rest *string, err error) {
	req := osc.ReadDirectLinkInterfacesRequest{ResultsPerPage: aws.Int(pageSize)}
	if len(f.DirectLinkIDs) > 0 || len(f.InterfaceIDs) > 0 {
		req.Filters = &osc.FiltersDirectLinkInterface{}
		if len(f.DirectLinkIDs) > 0 {
			req.Filters.DirectLinkIds = &f.DirectLinkIDs
		}
		if len(f.InterfaceIDs) > 0 {
			req.Filters.DirectLinkInterfaceIds = &f.InterfaceIDs
		}
	}
	rest, err = c.eachPage(ctx, "ReadDirectLinkInterfaces", token, maxPages, func(ctx context.Context, token *string) (*string, error) {
		req.NextPageToken = token
		resp, err := c.osc.ReadDirectLinkInterfaces(ctx, req)
		if err != nil {
			return nil, err
		}
		for _, d := range deref(resp.DirectLinkInterfaces) {
			out = append(out, fromOSC(d))
		}
		return resp.NextPageToken, nil
	})
	if err != nil {
		return nil, nil, err
	}
	c.learn(out...)
	return out, rest, nil
}

// eachPage calls fetch, one page of a read of the OUTSCALE API, under the
// client's policy, from the page of token (nil: the first) with the token
// of the next page until there is none, or maxPages pages were read (0: no
// limit); rest is the token of the first page left unread.
func (c *Client) eachPage(ctx context.Context, action string, token *string, maxPages int, fetch func(ctx context.Context, token *string) (next *string, err error)) (rest *string, err error) {
	for page := 1; ; page++ {
		var next *string
		err := c.call(ctx, apiOSC, action, true, func(ctx context.Context) error {
			var err error
			next, err = fetch(ctx, token)
			return err
		})
		if err != nil {
			return nil, err
		}
		if next == nil || *next == "" {
			return nil, nil
		}
		if page == maxPages {
			return next, nil
		}
		token = next
	}
}

func deref[T any](p *[]T) []T {
	if p == nil {
		return nil
	}
	return *p
}

// UpdateInterfaceMTU sets the MTU (UpdateDirectLinkInterface).
func (c *Client) UpdateInterfaceMTU(ctx context.Context, id string, mtu int64) (*Interface, error) {
	c.batch.touched(id, "")
	var resp *osc.UpdateDirectLinkInterfaceResponse
	err := c.call(ctx, apiOSC, "UpdateDirectLinkInterface", false, func(ctx context.Context) error {
		var err error
		resp, err = c.osc.UpdateDirectLinkInterface(ctx, osc.UpdateDirectLinkInterfaceRequest{
			DirectLinkInterfaceId: id,
			Mtu:                   osc.UpdateDirectLinkInterfaceRequestMtu(mtu),
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	if resp.DirectLinkInterface == nil {
		return c.readOne(ctx, id)
	}
	out := fromOSC(*resp.DirectLinkInterface)
	c.learn(out)
	return &out, nil
}

// DeleteInterface deletes an interface (DeleteDirectLinkInterface).
func (c *Client) DeleteInterface(ctx context.Context, id string) error {
	c.batch.touched(id, "")
	return c.call(ctx, apiOSC, "DeleteDirectLinkInterface", false, func(ctx context.Context) error {
		_, err := c.osc.DeleteDirectLinkInterface(ctx, osc.DeleteDirectLinkInterfaceRequest{DirectLinkInterfaceId: id})
		return err
	})
}

// ConfirmInterface accepts a hosted interface (ConfirmPrivateVirtualInterface).
func (c *Client) ConfirmInterface(ctx context.Context, id, virtualGatewayID string) error {
	c.batch.touched(id, "")
	return c.call(ctx, apiDirectLink, "ConfirmPrivateVirtualInterface", false, func(ctx context.Context) error {
		_, err := c.dl.ConfirmPrivateVirtualInterface(ctx, &directconnect.ConfirmPrivateVirtualInterfaceInput{
			VirtualInterfaceId: aws.String(id),
			VirtualGatewayId:   aws.String(virtualGatewayID),
		})
		return err
	})
}

// ListDirectLinks returns the caller's DirectLinks (ReadDirectLinks).
func (c *Client) ListDirectLinks(ctx context.Context) ([]DirectLink, error) {
	return collect(ctx, c, "ReadDirectLinks", func(ctx context.Context, token *string) ([]DirectLink, *string, error) {
		resp, err := c.osc.ReadDirectLinks(ctx, osc.ReadDirectLinksRequest{ResultsPerPage: aws.Int(pageSize), NextPageToken: token})
		if err != nil {
			return nil, nil, err
		}
		var out []DirectLink
		for _, d := range deref(resp.DirectLinks) {
			out = append(out, DirectLink{
				ID:        aws.ToString(d.DirectLinkId),
				Name:      aws.ToString(d.DirectLinkName),
				AccountID: aws.ToString(d.AccountId),
				Bandwidth: aws.ToString(d.Bandwidth),
				Location:  aws.ToString(d.Location),
				Region:    aws.ToString(d.RegionName),
				State:     aws.ToString(d.State),
			})
		}
		return out, resp.NextPageToken, nil
	})
}

// ListLocations returns the locations (ReadLocations, unsigned).
func (c *Client) ListLocations(ctx context.Context) ([]Location, error) {
	return collect(ctx, c, "ReadLocations", func(ctx context.Context, token *string) ([]Location, *string, error) {
		resp, err := c.oscAnon.ReadLocations(ctx, osc.ReadLocationsRequest{ResultsPerPage: aws.Int(pageSize), NextPageToken: token})
		if err != nil {
			return nil, nil, err
		}
		var out []Location
		for _, l := range deref(resp.Locations) {
			out = append(out, Location{Code: aws.ToString(l.Code), Name: aws.ToString(l.Name)})
		}
		return out, resp.NextPageToken, nil
	})
}

// collect reads every page of a listing of the OUTSCALE API (see eachPage)
// and gathers the items of each.
func collect[T any](ctx context.Context, c *Client, action string, page func(ctx context.Context, token *string) ([]T, *string, error)) ([]T, error) {
	var out []T
	_, err := c.eachPage(ctx, action, nil, 0, func(ctx context.Context, token *string) (*string, error) {
		items, next, err := page(ctx, token)
		out = append(out, items...)
		return next, err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// fromOSC maps an OUTSCALE API interface.
func fromOSC(d osc.DirectLinkInterfaces) Interface {
	return Interface{
		ID:                aws.ToString(d.DirectLinkInterfaceId),
		Name:              aws.ToString(d.DirectLinkInterfaceName),
		DirectLinkID:      aws.ToString(d.DirectLinkId),
		AccountID:         aws.ToString(d.AccountId),
		VirtualGatewayID:  aws.ToString(d.VirtualGatewayId),
		VLAN:              int64(aws.ToInt(d.Vlan)),
		BGPASN:            int64(aws.ToInt(d.BgpAsn)),
		BGPKey:            aws.ToString(d.BgpKey),
		OutscalePrivateIP: aws.ToString(d.OutscalePrivateIp),
		ClientPrivateIP:   aws.ToString(d.ClientPrivateIp),
		State:             aws.ToString(d.State),
		InterfaceType:     aws.ToString(d.InterfaceType),
		Location:          aws.ToString(d.Location),
		MTU:               int64(aws.ToInt(d.Mtu)),
	}
}

// fromDirectLink maps a DirectLink API virtual interface.
func fromDirectLink(v dltypes.VirtualInterface) Interface {
	asn := int64(v.Asn)
	if v.AsnLong != nil && *v.AsnLong != 0 {
		asn = *v.AsnLong
	}
	return Interface{
		ID:                aws.ToString(v.VirtualInterfaceId),
		Name:              aws.ToString(v.VirtualInterfaceName),
		DirectLinkID:      aws.ToString(v.ConnectionId),
		AccountID:         aws.ToString(v.OwnerAccount),
		VirtualGatewayID:  aws.ToString(v.VirtualGatewayId),
		VLAN:              int64(v.Vlan),
		BGPASN:            asn,
		BGPKey:            aws.ToString(v.AuthKey),
		OutscalePrivateIP: aws.ToString(v.AmazonAddress),
		ClientPrivateIP:   aws.ToString(v.CustomerAddress),
		State:             string(v.VirtualInterfaceState),
		InterfaceType:     aws.ToString(v.VirtualInterfaceType),
		Location:          aws.ToString(v.Location),
		MTU:               int64(aws.ToInt32(v.Mtu)),
	}
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func oscRequestID(rc *osc.ResponseContext) string {
	if rc == nil {
		return ""
	}
	return aws.ToString(rc.RequestId)
}
