package emulator_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	dxtypes "github.com/aws/aws-sdk-go-v2/service/directconnect/types"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/outscale/osc-sdk-go/v3/pkg/osc"
)

// officialSpec loads the OUTSCALE API's OpenAPI description that ships with
// osc-sdk-go v3, from the module cache: the emulator is checked against the
// same document the SDK was generated from, never against a copy of ours.
func officialSpec(t *testing.T) *openapi3.T {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/outscale/osc-sdk-go/v3").Output()
	if err != nil {
		t.Fatalf("locating osc-sdk-go/v3 in the module cache (go list -m): %v", err)
	}
	file := filepath.Join(strings.TrimSpace(string(out)), "pkg", "osc", "api.yaml")
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile(file)
	if err != nil {
		t.Fatalf("loading %s: %v", file, err)
	}
	// Some of the spec's own examples (far from DirectLink) break its date
	// formats; the schemas are what the emulator is held to.
	if err := doc.Validate(loader.Context, openapi3.DisableExamplesValidation()); err != nil {
		t.Fatalf("%s is not a valid OpenAPI document: %v", file, err)
	}
	// The spec names the real hosts; the emulator serves the same paths on
	// any host, under the same /api/v1 prefix.
	doc.Servers = openapi3.Servers{{URL: "/api/v1"}}
	return doc
}

// specValidator sits between the clients and the emulator and checks every
// OUTSCALE API exchange against the spec:
//   - a request the spec accepts must get either a 200 answer that matches
//     the operation's response schema, or an ErrorResponse;
//   - a request the spec refuses (unknown field, wrong type, missing
//     required field, value outside an enum) must be refused with an
//     ErrorResponse, never carried out.
type specValidator struct {
	router    routers.Router
	errSchema *openapi3.Schema

	mu       sync.Mutex
	failures []string
	checked  map[string][]int // action -> statuses seen
}

func newSpecValidator(t *testing.T) *specValidator {
	doc := officialSpec(t)
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("routing the spec: %v", err)
	}
	return &specValidator{
		router:    router,
		errSchema: doc.Components.Schemas["ErrorResponse"].Value,
		checked:   map[string][]int{},
	}
}

func (v *specValidator) fail(format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.failures = append(v.failures, fmt.Sprintf(format, args...))
}

func (v *specValidator) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		specPath, ok := specPathOf(r.URL.Path)
		if !ok {
			next.ServeHTTP(w, r) // the DirectLink API has no OpenAPI description
			return
		}
		action := path.Base(specPath)
		body, err := io.ReadAll(r.Body)
		if err != nil {
			v.fail("%s: reading request: %v", action, err)
		}

		// The spec is routed by its own path (/api/v1/<Action>); the
		// emulator gets the request as sent.
		sr := r.Clone(r.Context())
		sr.URL.Path, sr.URL.RawPath = specPath, ""
		specBody := body
		if len(bytes.TrimSpace(body)) == 0 {
			// oapi-cli sends calls without parameters with an empty body,
			// which the real API takes as {} (the spec cannot say so).
			specBody = []byte("{}")
		}
		var in *openapi3filter.RequestValidationInput
		route, params, reqErr := v.router.FindRoute(sr)
		if reqErr == nil {
			sr.Body = io.NopCloser(bytes.NewReader(specBody))
			sr.ContentLength = int64(len(specBody))
			in = &openapi3filter.RequestValidationInput{
				Request: sr, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true},
			}
			reqErr = openapi3filter.ValidateRequest(r.Context(), in)
		}

		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		for k, vals := range rec.Header() {
			w.Header()[k] = vals
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())

		v.mu.Lock()
		v.checked[action] = append(v.checked[action], rec.Code)
		v.mu.Unlock()

		switch {
		case rec.Code == http.StatusOK && reqErr != nil:
			v.fail("%s: the emulator carried out a request the spec refuses (%s): %v", action, body, reqErr)
		case rec.Code == http.StatusOK:
			out := &openapi3filter.ResponseValidationInput{
				RequestValidationInput: in,
				Status:                 rec.Code,
				Header:                 rec.Header(),
				Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
			}
			out.SetBodyBytes(rec.Body.Bytes())
			if err := openapi3filter.ValidateResponse(r.Context(), out); err != nil {
				v.fail("%s: answer does not match the spec: %v\nanswer: %s", action, err, rec.Body.Bytes())
			}
		default:
			v.checkError(action, rec)
		}
	})
}

// specPathOf maps a request path to the spec's: runs of slashes collapsed,
// and /api/latest/ (osc-cli's prefix) served as /api/v1/.
func specPathOf(p string) (string, bool) {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	if rest, ok := strings.CutPrefix(p, "/api/latest/"); ok {
		p = "/api/v1/" + rest
	}
	return p, strings.HasPrefix(p, "/api/v1/")
}

// checkError: the operations declare only their 200 answer, and every error
// of the OUTSCALE API has the one ErrorResponse shape.
func (v *specValidator) checkError(action string, rec *httptest.ResponseRecorder) {
	if rec.Code < 400 {
		v.fail("%s: status %d is neither 200 nor an error", action, rec.Code)
		return
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		v.fail("%s: error answer has Content-Type %q, want application/json", action, ct)
	}
	var doc any
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		v.fail("%s: error answer is not JSON: %v: %s", action, err, rec.Body.Bytes())
		return
	}
	if err := v.errSchema.VisitJSON(doc, openapi3.MultiErrors()); err != nil {
		v.fail("%s: error answer is not an ErrorResponse: %v\nanswer: %s", action, err, rec.Body.Bytes())
		return
	}
	var er osc.ErrorResponse
	_ = json.Unmarshal(rec.Body.Bytes(), &er)
	if len(er.Errors) == 0 || er.Errors[0].Code == "" || er.Errors[0].Type == "" || er.Errors[0].Details == "" ||
		er.ResponseContext == nil || str(er.ResponseContext.RequestId) == "" {
		v.fail("%s: error answer lacks Errors[0].Code/Type/Details or ResponseContext.RequestId: %s", action, rec.Body.Bytes())
	}
}

// Every OUTSCALE API request and answer of a representative session,
// through the official SDK and raw bodies, matches the official spec.
func TestOUTSCALEAPIMatchesOfficialSpec(t *testing.T) {
	v := newSpecValidator(t)
	h := startEmulator(t, v.wrap)
	ctx := t.Context()
	owner, recipient := h.oscClient(t, h.owner), h.oscClient(t, h.recipient)

	// Reads of the fixtures.
	if _, err := owner.ReadLocations(ctx, osc.ReadLocationsRequest{}); err != nil {
		t.Errorf("ReadLocations: %v", err)
	}
	if _, err := owner.ReadDirectLinks(ctx, osc.ReadDirectLinksRequest{}); err != nil {
		t.Errorf("ReadDirectLinks: %v", err)
	}
	if _, err := owner.ReadDirectLinks(ctx, osc.ReadDirectLinksRequest{Filters: &osc.FiltersDirectLink{DirectLinkIds: &[]string{"dxcon-12345678"}}}); err != nil {
		t.Errorf("ReadDirectLinks by ID: %v", err)
	}

	// Own interface: the documentation's sample, then reads, update, delete.
	created, err := owner.CreateDirectLinkInterfaceWithBody(ctx, "application/json", strings.NewReader(
		`{"DirectLinkId":"dxcon-12345678","DirectLinkInterface":{"DirectLinkInterfaceName":"MyDirectLinkInterface","Vlan":101,"BgpAsn":65000,"BgpKey":"tgyn26example","OutscalePrivateIp":"172.16.0.4/30","ClientPrivateIp":"172.16.0.5/30","VirtualGatewayId":"vgw-12345678"}}`))
	if err != nil {
		t.Fatalf("CreateDirectLinkInterface: %v", err)
	}
	id := str(created.DirectLinkInterface.DirectLinkInterfaceId)
	for vlan := 102; vlan < 105; vlan++ {
		if _, err := owner.CreateDirectLinkInterface(ctx, osc.CreateDirectLinkInterfaceRequest{
			DirectLinkId:        "dxcon-12345678",
			DirectLinkInterface: osc.DirectLinkInterface{DirectLinkInterfaceName: "generated", Vlan: vlan, BgpAsn: 4294967295, VirtualGatewayId: "vgw-12345678"},
		}); err != nil {
			t.Fatalf("CreateDirectLinkInterface VLAN %d: %v", vlan, err)
		}
	}
	waitFor(t, "sample interface", "available", oscState(t, owner, id))
	one := 1
	var token *string
	for pages := 0; pages < 10; pages++ {
		resp, err := owner.ReadDirectLinkInterfaces(ctx, osc.ReadDirectLinkInterfacesRequest{ResultsPerPage: &one, NextPageToken: token})
		if err != nil {
			t.Fatalf("ReadDirectLinkInterfaces page: %v", err)
		}
		if token = resp.NextPageToken; str(token) == "" {
			break
		}
	}
	if _, err := owner.ReadDirectLinkInterfaces(ctx, osc.ReadDirectLinkInterfacesRequest{
		Filters: &osc.FiltersDirectLinkInterface{DirectLinkIds: &[]string{"dxcon-12345678"}, DirectLinkInterfaceIds: &[]string{id}},
	}); err != nil {
		t.Errorf("ReadDirectLinkInterfaces with both filters: %v", err)
	}
	if _, err := owner.UpdateDirectLinkInterface(ctx, osc.UpdateDirectLinkInterfaceRequest{DirectLinkInterfaceId: id, Mtu: 1500}); err != nil {
		t.Errorf("UpdateDirectLinkInterface: %v", err)
	}

	// A hosted interface, as the recipient reads it before and after confirming.
	alloc, err := h.dxClient(t, h.owner).AllocatePrivateVirtualInterface(ctx, &directconnect.AllocatePrivateVirtualInterfaceInput{
		ConnectionId: aws.String("dxcon-12345678"),
		OwnerAccount: aws.String(recipientID),
		NewPrivateVirtualInterfaceAllocation: &dxtypes.NewPrivateVirtualInterfaceAllocation{
			VirtualInterfaceName: aws.String("hosted"), Vlan: 110, Asn: 65000,
		},
	})
	if err != nil {
		t.Fatalf("AllocatePrivateVirtualInterface: %v", err)
	}
	hosted := str(alloc.VirtualInterfaceId)
	waitFor(t, "hosted interface", "confirming", oscState(t, recipient, hosted))
	if _, err := h.dxClient(t, h.recipient).ConfirmPrivateVirtualInterface(ctx, &directconnect.ConfirmPrivateVirtualInterfaceInput{
		VirtualInterfaceId: aws.String(hosted), VirtualGatewayId: aws.String("vgw-87654321"),
	}); err != nil {
		t.Fatalf("ConfirmPrivateVirtualInterface: %v", err)
	}
	waitFor(t, "hosted interface", "available", oscState(t, recipient, hosted))

	// Requests the spec refuses, and requests it allows that the service refuses.
	raw := func(action, body string) {
		t.Helper()
		var err error
		switch action {
		case "CreateDirectLinkInterface":
			_, err = owner.CreateDirectLinkInterfaceWithBody(ctx, "application/json", strings.NewReader(body))
		case "UpdateDirectLinkInterface":
			_, err = owner.UpdateDirectLinkInterfaceWithBody(ctx, "application/json", strings.NewReader(body))
		case "DeleteDirectLinkInterface":
			_, err = owner.DeleteDirectLinkInterfaceWithBody(ctx, "application/json", strings.NewReader(body))
		case "ReadDirectLinkInterfaces":
			_, err = owner.ReadDirectLinkInterfacesWithBody(ctx, "application/json", strings.NewReader(body))
		case "ReadDirectLinks":
			_, err = owner.ReadDirectLinksWithBody(ctx, "application/json", strings.NewReader(body))
		default:
			t.Fatalf("no raw sender for %s", action)
		}
		if err == nil {
			t.Errorf("%s %s was accepted", action, body)
		}
	}
	iface := func(fields string) string {
		return `{"DirectLinkId":"dxcon-12345678","DirectLinkInterface":{` + fields + `}}`
	}
	raw("CreateDirectLinkInterface", iface(`"DirectLinkInterfaceName":"x","Vlan":120,"BgpAsn":65000,"VirtualGatewayId":"vgw-12345678","Shade":"red"`))
	raw("CreateDirectLinkInterface", iface(`"DirectLinkInterfaceName":"x","Vlan":"120","BgpAsn":65000,"VirtualGatewayId":"vgw-12345678"`))
	raw("CreateDirectLinkInterface", iface(`"Vlan":120,"BgpAsn":65000,"VirtualGatewayId":"vgw-12345678"`))
	raw("CreateDirectLinkInterface", `{"DirectLinkInterface":{"DirectLinkInterfaceName":"x","Vlan":120,"BgpAsn":65000,"VirtualGatewayId":"vgw-12345678"}}`)
	raw("CreateDirectLinkInterface", iface(`"DirectLinkInterfaceName":"x","Vlan":4095,"BgpAsn":65000,"VirtualGatewayId":"vgw-12345678"`))
	raw("CreateDirectLinkInterface", iface(`"DirectLinkInterfaceName":"x","Vlan":101,"BgpAsn":65000,"VirtualGatewayId":"vgw-12345678"`))
	raw("CreateDirectLinkInterface", iface(`"DirectLinkInterfaceName":"x","Vlan":121,"BgpAsn":50624,"VirtualGatewayId":"vgw-12345678"`))
	raw("CreateDirectLinkInterface", iface(`"DirectLinkInterfaceName":"x","Vlan":122,"BgpAsn":65000,"VirtualGatewayId":"vgw-87654321"`))
	raw("CreateDirectLinkInterface", iface(`"DirectLinkInterfaceName":"x","Vlan":123,"BgpAsn":65000,"VirtualGatewayId":"vgw-12345678","OutscalePrivateIp":"172.16.0.4/30"`))
	raw("CreateDirectLinkInterface", `not json`)
	raw("UpdateDirectLinkInterface", `{"DirectLinkInterfaceId":"`+id+`","Mtu":9000}`)
	raw("UpdateDirectLinkInterface", `{"DirectLinkInterfaceId":"`+id+`"}`)
	raw("DeleteDirectLinkInterface", `{"DirectLinkInterfaceId":"dxvif-00000000"}`)
	raw("DeleteDirectLinkInterface", `{}`)
	raw("ReadDirectLinkInterfaces", `{"ResultsPerPage":0}`)
	raw("ReadDirectLinkInterfaces", `{"ResultsPerPage":1001}`)
	raw("ReadDirectLinkInterfaces", `{"Filters":{"States":["available"]}}`)
	raw("ReadDirectLinks", `{"Filters":{"DirectLinkIds":"dxcon-12345678"}}`)

	// Authentication and throttling answers.
	unknown := h.owner
	unknown.AccessKey = "AKUNKNOWNUNKNOWN0000"
	if _, err := h.oscClient(t, unknown).ReadDirectLinks(ctx, osc.ReadDirectLinksRequest{}); err == nil {
		t.Error("ReadDirectLinks with an unknown access key was accepted")
	}
	h.emu.SetFaults(1, 0)
	if _, err := owner.ReadDirectLinkInterfaces(ctx, osc.ReadDirectLinkInterfacesRequest{}); err == nil {
		t.Error("ReadDirectLinkInterfaces succeeded while every request is throttled")
	}
	h.emu.SetFaults(0, 0)

	if _, err := owner.DeleteDirectLinkInterface(ctx, osc.DeleteDirectLinkInterfaceRequest{DirectLinkInterfaceId: id}); err != nil {
		t.Errorf("DeleteDirectLinkInterface: %v", err)
	}
	waitFor(t, "deleted interface", "deleted", oscState(t, owner, id))

	v.mu.Lock()
	defer v.mu.Unlock()
	for _, f := range v.failures {
		t.Error(f)
	}
	var actions []string
	for a, statuses := range v.checked {
		actions = append(actions, fmt.Sprintf("%s%v", a, statuses))
	}
	sort.Strings(actions)
	t.Logf("validated against the spec: %s", strings.Join(actions, " "))
	for _, a := range []string{"CreateDirectLinkInterface", "ReadDirectLinkInterfaces", "UpdateDirectLinkInterface", "DeleteDirectLinkInterface", "ReadDirectLinks", "ReadLocations"} {
		var ok, refused bool
		for _, s := range v.checked[a] {
			ok = ok || s == http.StatusOK
			refused = refused || s >= 400
		}
		if !ok {
			t.Errorf("%s: no successful exchange was validated", a)
		}
		if !refused && a != "ReadLocations" {
			t.Errorf("%s: no error answer was validated", a)
		}
	}
}

// The validator itself must catch what it is there for, or the test above
// proves nothing.
func TestSpecValidatorCatchesMismatches(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		status int
		answer string
	}{
		{"answer with a field the spec does not have", `{}`, http.StatusOK,
			`{"DirectLinks":[{"DirectLinkId":"dxcon-12345678","Shade":"red"}],"ResponseContext":{"RequestId":"r"}}`},
		{"answer with a wrongly typed field", `{}`, http.StatusOK,
			`{"DirectLinks":[{"DirectLinkId":12345678}],"ResponseContext":{"RequestId":"r"}}`},
		{"request the spec refuses, carried out", `{"Filters":{"DirectLinkIds":"dxcon-12345678"}}`, http.StatusOK,
			`{"DirectLinks":[],"ResponseContext":{"RequestId":"r"}}`},
		{"error answer in another shape", `{}`, http.StatusBadRequest,
			`{"__type":"DirectConnectClientException","message":"no"}`},
		{"error answer without a request ID", `{}`, http.StatusBadRequest,
			`{"Errors":[{"Code":"4047","Type":"InvalidParameterValue","Details":"no"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newSpecValidator(t)
			fake := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.answer)
			})
			srv := httptest.NewServer(v.wrap(fake))
			defer srv.Close()
			resp, err := http.Post(srv.URL+"/api/v1/ReadDirectLinks", "application/json", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			v.mu.Lock()
			defer v.mu.Unlock()
			if len(v.failures) == 0 {
				t.Errorf("the validator let %s pass", tt.name)
			}
		})
	}
}
