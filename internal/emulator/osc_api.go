package emulator

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// The OUTSCALE API's DirectLink calls: POST /api/v1/<Action>, JSON in and
// out, request shapes exactly as in the official api.yaml (every object there
// has additionalProperties: false).

// oscTargetPrefix starts the x-osc-target header that osc-cli sends (and
// signs) beside the path: OutscaleService.<Action>.
const oscTargetPrefix = "OutscaleService."

var (
	dryRunField   = field{kind: kBool}
	pageSizeField = field{kind: kInt, min: 1, max: 1000}
	pageToken     = field{kind: kBytes}

	oscRequests = map[string]map[string]field{
		"CreateDirectLinkInterface": {
			"DirectLinkId": {kind: kString, required: true},
			"DirectLinkInterface": {kind: kObject, required: true, fields: map[string]field{
				"BgpAsn":                  {kind: kInt, required: true},
				"BgpKey":                  {kind: kString},
				"ClientPrivateIp":         {kind: kString},
				"DirectLinkInterfaceName": {kind: kString, required: true},
				"OutscalePrivateIp":       {kind: kString},
				"VirtualGatewayId":        {kind: kString, required: true},
				"Vlan":                    {kind: kInt, required: true},
			}},
			"DryRun": dryRunField,
		},
		"ReadDirectLinkInterfaces": {
			"DryRun": dryRunField,
			"Filters": {kind: kObject, fields: map[string]field{
				"DirectLinkIds":          {kind: kStringList},
				"DirectLinkInterfaceIds": {kind: kStringList},
			}},
			"NextPageToken":  pageToken,
			"ResultsPerPage": pageSizeField,
		},
		"UpdateDirectLinkInterface": {
			"DirectLinkInterfaceId": {kind: kString, required: true},
			"DryRun":                dryRunField,
			"Mtu":                   {kind: kInt, required: true, enum: []int64{onlyMTU}},
		},
		"DeleteDirectLinkInterface": {
			"DirectLinkInterfaceId": {kind: kString, required: true},
			"DryRun":                dryRunField,
		},
		"ReadDirectLinks": {
			"DryRun": dryRunField,
			"Filters": {kind: kObject, fields: map[string]field{
				"DirectLinkIds": {kind: kStringList},
			}},
			"NextPageToken":  pageToken,
			"ResultsPerPage": pageSizeField,
		},
		"ReadLocations": {
			"DryRun":         dryRunField,
			"NextPageToken":  pageToken,
			"ResultsPerPage": pageSizeField,
		},
	}

	// oscMutating are the actions whose answer DropResponse may drop.
	oscMutating = map[string]bool{"CreateDirectLinkInterface": true, "UpdateDirectLinkInterface": true, "DeleteDirectLinkInterface": true}
)

type oscResponseContext struct {
	RequestId string `json:"RequestId"`
}

type oscInterface struct {
	AccountId               string `json:"AccountId"`
	BgpAsn                  int64  `json:"BgpAsn"`
	BgpKey                  string `json:"BgpKey"`
	ClientPrivateIp         string `json:"ClientPrivateIp"`
	DirectLinkId            string `json:"DirectLinkId"`
	DirectLinkInterfaceId   string `json:"DirectLinkInterfaceId"`
	DirectLinkInterfaceName string `json:"DirectLinkInterfaceName"`
	InterfaceType           string `json:"InterfaceType"`
	Location                string `json:"Location"`
	Mtu                     int64  `json:"Mtu"`
	OutscalePrivateIp       string `json:"OutscalePrivateIp"`
	State                   string `json:"State"`
	VirtualGatewayId        string `json:"VirtualGatewayId,omitempty"`
	Vlan                    int64  `json:"Vlan"`
}

func toOSCInterface(i Interface) oscInterface {
	return oscInterface{
		AccountId:               i.OwnerAccountID,
		BgpAsn:                  i.BGPASN,
		BgpKey:                  i.BGPKey,
		ClientPrivateIp:         i.ClientPrivateIP,
		DirectLinkId:            i.DirectLinkID,
		DirectLinkInterfaceId:   i.ID,
		DirectLinkInterfaceName: i.Name,
		InterfaceType:           "private",
		Location:                i.Location,
		Mtu:                     i.MTU,
		OutscalePrivateIp:       i.OutscalePrivateIP,
		State:                   i.State,
		VirtualGatewayId:        i.VirtualGatewayID,
		Vlan:                    i.VLAN,
	}
}

type oscErrorBody struct {
	Errors          []oscErrorItem     `json:"Errors"`
	ResponseContext oscResponseContext `json:"ResponseContext"`
}

type oscErrorItem struct {
	Code    string `json:"Code"`
	Type    string `json:"Type"`
	Details string `json:"Details"`
}

func oscErrorReply(requestID string, err error) reply {
	oe := toOSCError(err)
	return reply{
		status:      oe.Status,
		contentType: "application/json",
		body: oscErrorBody{
			Errors:          []oscErrorItem{{Code: oe.Code, Type: oe.Type, Details: oe.Details}},
			ResponseContext: oscResponseContext{RequestId: requestID},
		},
	}
}

func oscOK(body any) reply {
	return reply{status: http.StatusOK, contentType: "application/json", body: body}
}

// violationToOSC maps a request-shape violation to the OUTSCALE API codes.
func violationToOSC(err error) error {
	var v *violation
	if !errors.As(err, &v) {
		return err
	}
	switch v.Kind {
	case vUnknown:
		return oscInvalid(oscCodeUnknownParam, "%s", v.Message)
	case vMissing:
		return oscInvalid(oscCodeMissingParam, "%s", v.Message)
	case vRange:
		return oscInvalid(oscCodeOutOfRange, "%s", v.Message)
	case vEnum, vFormat:
		return oscInvalid(oscCodeInvalidValue, "%s", v.Message)
	default:
		return oscInvalid(oscCodeWrongType, "%s", v.Message)
	}
}

// idSuffix is the body of an ID after its prefix: lower-case letters and
// digits, of any length, so that a longer ID format does not break clients
// (today's IDs have 8 hexadecimal digits).
var idSuffix = regexp.MustCompile(`^[0-9a-z]+$`)

// checkID refuses an ID of the wrong kind (4104) or with a malformed body
// (4105), as OUTSCALE does before looking anything up.
func checkID(field, id, prefix string) error {
	if !strings.HasPrefix(id, prefix) {
		return oscInvalid(oscCodeBadIDPrefix, "%s %q is not valid: it must start with %q.", field, id, prefix)
	}
	if !idSuffix.MatchString(strings.TrimPrefix(id, prefix)) {
		return oscInvalid(oscCodeBadIDLength, "%s %q is not valid: it must be %q followed by lower-case letters and digits.", field, id, prefix)
	}
	return nil
}

// oscCall is one OUTSCALE API request being served.
type oscCall struct {
	caller string // account ID; empty for ReadLocations, which needs no signature
	rc     oscResponseContext
	body   []byte
}

// oscRequest is what every request of the OUTSCALE API carries.
type oscRequest struct {
	DryRun bool
}

func (r oscRequest) dryRun() bool { return r.DryRun }

type idCheck struct{ field, value, prefix string }

// decode checks the body against the action's description, decodes it into
// req and checks the IDs it names. It returns a ready answer when the request
// is refused or is a dry run (which stops once the request is known valid).
func (c oscCall) decode(action string, req interface{ dryRun() bool }, ids func() []idCheck) (reply, bool) {
	if err := decodeStrict(c.body, oscRequests[action], req); err != nil {
		return oscErrorReply(c.rc.RequestId, violationToOSC(err)), true
	}
	if ids != nil {
		for _, id := range ids() {
			if err := checkID(id.field, id.value, id.prefix); err != nil {
				return oscErrorReply(c.rc.RequestId, err), true
			}
		}
	}
	if req.dryRun() {
		return oscOK(struct{ ResponseContext oscResponseContext }{c.rc}), true
	}
	return reply{}, false
}

func (c oscCall) fail(err error) reply { return oscErrorReply(c.rc.RequestId, err) }

type oscInterfaceAnswer struct {
	DirectLinkInterface oscInterface
	ResponseContext     oscResponseContext
}

var oscActions = map[string]func(*Emulator, oscCall) reply{
	"CreateDirectLinkInterface": (*Emulator).oscCreateInterface,
	"ReadDirectLinkInterfaces":  (*Emulator).oscReadInterfaces,
	"UpdateDirectLinkInterface": (*Emulator).oscUpdateInterface,
	"DeleteDirectLinkInterface": (*Emulator).oscDeleteInterface,
	"ReadDirectLinks":           (*Emulator).oscReadDirectLinks,
	"ReadLocations":             (*Emulator).oscReadLocations,
}

// serveOSC answers one OUTSCALE API action for the authenticated caller
// (empty for ReadLocations, which needs no authentication).
func (e *Emulator) serveOSC(action, caller, requestID string, body []byte) reply {
	c := oscCall{caller: caller, rc: oscResponseContext{RequestId: requestID}, body: body}
	if serve, ok := oscActions[action]; ok {
		return serve(e, c)
	}
	return c.fail(&oscError{Status: http.StatusNotImplemented, Code: oscCodeNotImplemented, Type: "DefaultError",
		Details: fmt.Sprintf("The emulator does not implement the action %q; it implements %s.", action, strings.Join(sortedKeys(oscRequests), ", "))})
}

func (e *Emulator) oscCreateInterface(c oscCall) reply {
	var req struct {
		oscRequest
		DirectLinkId        string
		DirectLinkInterface struct {
			BgpAsn                  int64
			BgpKey                  string
			ClientPrivateIp         string
			DirectLinkInterfaceName string
			OutscalePrivateIp       string
			VirtualGatewayId        string
			Vlan                    int64
		}
	}
	if answer, done := c.decode("CreateDirectLinkInterface", &req, func() []idCheck {
		return []idCheck{
			{"DirectLinkId", req.DirectLinkId, "dxcon-"},
			{"DirectLinkInterface.VirtualGatewayId", req.DirectLinkInterface.VirtualGatewayId, "vgw-"},
		}
	}); done {
		return answer
	}
	in := req.DirectLinkInterface
	e.store.mu.Lock()
	created, err := e.store.create(c.caller, newInterface{
		DirectLinkID:      req.DirectLinkId,
		Name:              in.DirectLinkInterfaceName,
		VLAN:              in.Vlan,
		BGPASN:            in.BgpAsn,
		BGPKey:            in.BgpKey,
		OutscalePrivateIP: in.OutscalePrivateIp,
		ClientPrivateIP:   in.ClientPrivateIp,
		VirtualGatewayID:  in.VirtualGatewayId,
	}, oscFields)
	e.store.mu.Unlock()
	if err != nil {
		return c.fail(err)
	}
	return oscOK(oscInterfaceAnswer{toOSCInterface(created), c.rc})
}

func (e *Emulator) oscReadInterfaces(c oscCall) reply {
	var req struct {
		oscRequest
		Filters struct {
			DirectLinkIds          []string
			DirectLinkInterfaceIds []string
		}
		NextPageToken  string
		ResultsPerPage int
	}
	if answer, done := c.decode("ReadDirectLinkInterfaces", &req, nil); done {
		return answer
	}
	e.store.mu.Lock()
	all := e.store.list(c.caller, req.Filters.DirectLinkIds, req.Filters.DirectLinkInterfaceIds)
	e.store.mu.Unlock()
	page, next, err := paginate(all, func(i Interface) string { return i.ID }, req.NextPageToken, req.ResultsPerPage)
	if err != nil {
		return c.fail(oscInvalid(oscCodeInvalidValue, "NextPageToken %s", err))
	}
	out := make([]oscInterface, len(page))
	for i, itf := range page {
		out[i] = toOSCInterface(itf)
	}
	return oscOK(struct {
		DirectLinkInterfaces []oscInterface
		NextPageToken        string `json:",omitempty"`
		ResponseContext      oscResponseContext
	}{out, next, c.rc})
}

func (e *Emulator) oscUpdateInterface(c oscCall) reply {
	var req struct {
		oscRequest
		DirectLinkInterfaceId string
		Mtu                   int64
	}
	if answer, done := c.decode("UpdateDirectLinkInterface", &req, func() []idCheck {
		return []idCheck{{"DirectLinkInterfaceId", req.DirectLinkInterfaceId, "dxvif-"}}
	}); done {
		return answer
	}
	e.store.mu.Lock()
	updated, err := e.store.updateMTU(c.caller, req.DirectLinkInterfaceId, req.Mtu, oscFields)
	e.store.mu.Unlock()
	if err != nil {
		return c.fail(err)
	}
	return oscOK(oscInterfaceAnswer{toOSCInterface(updated), c.rc})
}

func (e *Emulator) oscDeleteInterface(c oscCall) reply {
	var req struct {
		oscRequest
		DirectLinkInterfaceId string
	}
	if answer, done := c.decode("DeleteDirectLinkInterface", &req, func() []idCheck {
		return []idCheck{{"DirectLinkInterfaceId", req.DirectLinkInterfaceId, "dxvif-"}}
	}); done {
		return answer
	}
	e.store.mu.Lock()
	_, err := e.store.delete(c.caller, req.DirectLinkInterfaceId)
	e.store.mu.Unlock()
	if err != nil {
		return c.fail(err)
	}
	return oscOK(struct{ ResponseContext oscResponseContext }{c.rc})
}

type oscDirectLink struct {
	AccountId, Bandwidth, DirectLinkId, DirectLinkName, Location, RegionName, State string
}

func (e *Emulator) oscReadDirectLinks(c oscCall) reply {
	var req struct {
		oscRequest
		Filters        struct{ DirectLinkIds []string }
		NextPageToken  string
		ResultsPerPage int
	}
	if answer, done := c.decode("ReadDirectLinks", &req, nil); done {
		return answer
	}
	var all []oscDirectLink
	e.store.mu.Lock()
	for _, dl := range e.store.directLinksOf(c.caller) {
		if len(req.Filters.DirectLinkIds) == 0 || slices.Contains(req.Filters.DirectLinkIds, dl.ID) {
			all = append(all, oscDirectLink{dl.AccountID, dl.Bandwidth, dl.ID, dl.Name, dl.Location, e.store.region, dl.State})
		}
	}
	e.store.mu.Unlock()
	page, next, err := paginate(all, func(d oscDirectLink) string { return d.DirectLinkId }, req.NextPageToken, req.ResultsPerPage)
	if err != nil {
		return c.fail(oscInvalid(oscCodeInvalidValue, "NextPageToken %s", err))
	}
	return oscOK(struct {
		DirectLinks     []oscDirectLink
		NextPageToken   string `json:",omitempty"`
		ResponseContext oscResponseContext
	}{orEmpty(page), next, c.rc})
}

func (e *Emulator) oscReadLocations(c oscCall) reply {
	var req struct {
		oscRequest
		NextPageToken  string
		ResultsPerPage int
	}
	if answer, done := c.decode("ReadLocations", &req, nil); done {
		return answer
	}
	page, next, err := paginate(e.store.locations, func(l location) string { return l.Code }, req.NextPageToken, req.ResultsPerPage)
	if err != nil {
		return c.fail(oscInvalid(oscCodeInvalidValue, "NextPageToken %s", err))
	}
	return oscOK(struct {
		Locations       []location
		NextPageToken   string `json:",omitempty"`
		ResponseContext oscResponseContext
	}{orEmpty(page), next, c.rc})
}

// paginate returns the page of items (sorted by key) that follows token,
// and the token of the next page, if any. Tokens are opaque base64 strings
// naming the last key served, so a page stays right when items come and go.
func paginate[T any](items []T, key func(T) string, token string, size int) ([]T, string, error) {
	start := 0
	if token != "" {
		raw, err := base64.StdEncoding.DecodeString(token)
		after, ok := strings.CutPrefix(string(raw), "after:")
		if err != nil || !ok {
			return nil, "", errors.New("is not a token this API issued")
		}
		for start < len(items) && key(items[start]) <= after {
			start++
		}
	}
	if size <= 0 || start+size >= len(items) {
		return items[start:], "", nil
	}
	page := items[start : start+size]
	next := base64.StdEncoding.EncodeToString([]byte("after:" + key(page[len(page)-1])))
	return page, next, nil
}

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
