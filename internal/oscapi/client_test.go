package oscapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestUserAgentIsOursOnBothAPIs(t *testing.T) {
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		if api == apiDirectLink {
			return dlAllocateOK()
		}
		return oscListOK()
	})
	c := newTestClient(t, f.config())
	ctx := context.Background()
	if _, err := c.ListInterfaces(ctx, InterfaceFilter{Freshness: FromSnapshot}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: "dxcon-12345678", Name: "h", VLAN: 2, BGPASN: 1, OwnerAccountID: "123456789000"}); err != nil {
		t.Fatal(err)
	}
	if len(f.userAgents) != 1 || !f.userAgents[testUserAgent] {
		t.Fatalf("user agents seen: %v, want only %q", f.userAgents, testUserAgent)
	}
}

func TestHostedCreateSendsTheDirectLinkFields(t *testing.T) {
	cases := []struct {
		name    string
		asn     int64
		wantAsn string // JSON member expected in the allocation
	}{
		{"2-byte ASN in asn", 65000, `"asn":65000`},
		{"4-byte ASN in asnLong", 4200000000, `"asnLong":4200000000`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
				var req map[string]any
				_ = json.Unmarshal(body, &req)
				alloc, _ := req["newPrivateVirtualInterfaceAllocation"].(map[string]any)
				return http.StatusOK, nil, map[string]any{
					"virtualInterfaceId": "dxvif-0000000a", "virtualInterfaceState": "confirming",
					"connectionId": req["connectionId"], "ownerAccount": req["ownerAccount"],
					"vlan": alloc["vlan"], "asn": alloc["asn"], "asnLong": alloc["asnLong"],
					"amazonAddress": alloc["amazonAddress"], "customerAddress": alloc["customerAddress"],
					"authKey": alloc["authKey"], "virtualInterfaceName": alloc["virtualInterfaceName"],
					"virtualInterfaceType": "private", "location": "PAR1", "mtu": 1500,
				}
			})
			c := newTestClient(t, f.config())
			got, err := c.CreateInterface(context.Background(), CreateInterfaceInput{
				DirectLinkID: "dxcon-12345678", Name: "hosted", VLAN: 101, BGPASN: tc.asn, BGPKey: "k3y",
				OutscalePrivateIP: "172.16.0.4/30", ClientPrivateIP: "172.16.0.5/30", OwnerAccountID: "123456789000",
			})
			if err != nil {
				t.Fatal(err)
			}
			body := f.lastBody("AllocatePrivateVirtualInterface")
			for _, want := range []string{`"connectionId":"dxcon-12345678"`, `"ownerAccount":"123456789000"`, `"amazonAddress":"172.16.0.4/30"`,
				`"customerAddress":"172.16.0.5/30"`, `"authKey":"k3y"`, `"vlan":101`, `"virtualInterfaceName":"hosted"`, tc.wantAsn} {
				if !strings.Contains(body, want) {
					t.Errorf("request %s lacks %s", body, want)
				}
			}
			want := Interface{ID: "dxvif-0000000a", Name: "hosted", DirectLinkID: "dxcon-12345678", AccountID: "123456789000",
				VLAN: 101, BGPASN: tc.asn, BGPKey: "k3y", OutscalePrivateIP: "172.16.0.4/30", ClientPrivateIP: "172.16.0.5/30",
				State: StateConfirming, InterfaceType: "private", Location: "PAR1", MTU: 1500}
			if *got != want {
				t.Errorf("mapped\n%+v\nwant\n%+v", *got, want)
			}
		})
	}
}

func TestOwnCreateAndReadMapTheOUTSCALEFields(t *testing.T) {
	wire := map[string]any{
		"DirectLinkInterfaceId": "dxvif-0000000b", "DirectLinkInterfaceName": "own", "DirectLinkId": "dxcon-12345678",
		"AccountId": "123456789012", "VirtualGatewayId": "vgw-12345678", "Vlan": 102, "BgpAsn": 4294967295,
		"BgpKey": "generated", "OutscalePrivateIp": "169.254.0.1/30", "ClientPrivateIp": "169.254.0.2/30",
		"State": "pending", "InterfaceType": "private", "Location": "PAR1", "Mtu": 1500,
	}
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		if action == "CreateDirectLinkInterface" {
			return oscOK(map[string]any{"DirectLinkInterface": wire})
		}
		return oscOK(map[string]any{"DirectLinkInterfaces": []any{wire}})
	})
	c := newTestClient(t, f.config())
	got, err := c.CreateInterface(context.Background(), CreateInterfaceInput{
		DirectLinkID: "dxcon-12345678", Name: "own", VLAN: 102, BGPASN: 4294967295, VirtualGatewayID: "vgw-12345678",
	})
	if err != nil {
		t.Fatal(err)
	}
	want := Interface{ID: "dxvif-0000000b", Name: "own", DirectLinkID: "dxcon-12345678", AccountID: "123456789012",
		VirtualGatewayID: "vgw-12345678", VLAN: 102, BGPASN: 4294967295, BGPKey: "generated",
		OutscalePrivateIP: "169.254.0.1/30", ClientPrivateIP: "169.254.0.2/30", State: StatePending,
		InterfaceType: "private", Location: "PAR1", MTU: 1500}
	if *got != want {
		t.Errorf("create mapped\n%+v\nwant\n%+v", *got, want)
	}
	body := f.lastBody("CreateDirectLinkInterface")
	for _, w := range []string{`"DirectLinkId":"dxcon-12345678"`, `"VirtualGatewayId":"vgw-12345678"`, `"BgpAsn":4294967295`, `"Vlan":102`} {
		if !strings.Contains(body, w) {
			t.Errorf("request %s lacks %s", body, w)
		}
	}
	if strings.Contains(body, "BgpKey") || strings.Contains(body, "PrivateIp") {
		t.Errorf("request %s sends optional fields that were not set", body)
	}
	read, err := c.ReadInterface(context.Background(), "dxvif-0000000b", FromSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	if *read != want {
		t.Errorf("read mapped\n%+v\nwant\n%+v", *read, want)
	}
}

func TestAccountID(t *testing.T) {
	cases := []struct {
		name        string
		directLinks []any
		connections []any
		want        string
		wantErr     bool
	}{
		{"from ReadDirectLinks", []any{map[string]any{"DirectLinkId": "dxcon-12345678", "AccountId": "123456789012"}}, nil, "123456789012", false},
		{"from DescribeConnections", nil, []any{map[string]any{"connectionId": "dxcon-1", "ownerAccount": "123456789099"}}, "123456789099", false},
		{"neither tells", nil, nil, "", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
				if action == "DescribeConnections" {
					return http.StatusOK, nil, map[string]any{"connections": tc.connections}
				}
				return oscOK(map[string]any{"DirectLinks": tc.directLinks})
			})
			c := newTestClient(t, f.config())
			for i := 0; i < 3; i++ {
				got, err := c.AccountID(context.Background())
				if (err != nil) != tc.wantErr || got != tc.want {
					t.Fatalf("AccountID = %q, %v; want %q (error: %v)", got, err, tc.want, tc.wantErr)
				}
			}
			if !tc.wantErr && f.total() > 2 {
				t.Errorf("%d calls for three AccountID: the answer is not cached", f.total())
			}
		})
	}
}

func TestListLocationsIsUnsigned(t *testing.T) {
	var mu sync.Mutex
	var auth []string
	f := newFakeAPI(t, nil)
	f.srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.URL.Path+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		f.serve(w, r)
	})
	f.handle = func(api, action string, body []byte) (int, http.Header, any) {
		if action == "ReadLocations" {
			return oscOK(map[string]any{"Locations": []any{map[string]any{"Code": "PAR1", "Name": "Paris"}}})
		}
		return oscOK(map[string]any{"DirectLinks": []any{}})
	}
	c := newTestClient(t, f.config())
	locs, err := c.ListLocations(context.Background())
	if err != nil || len(locs) != 1 || locs[0] != (Location{Code: "PAR1", Name: "Paris"}) {
		t.Fatalf("ListLocations = %v, %v", locs, err)
	}
	if _, err := c.ListDirectLinks(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(auth) != 2 || auth[0] != "/api/v1/ReadLocations " || !strings.HasPrefix(auth[1], "/api/v1/ReadDirectLinks AWS4-HMAC-SHA256 Credential="+testAccessKey) {
		t.Fatalf("requests seen: %q; want ReadLocations unsigned and ReadDirectLinks signed", auth)
	}
}

func TestNotFoundErrorCarriesTheAPIsWords(t *testing.T) {
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		return dlErr(400, "DirectConnectClientException", "Virtual interface dxvif-00000009 does not exist.")
	})
	c := newTestClient(t, f.config())
	err := c.ConfirmInterface(context.Background(), "dxvif-00000009", "vgw-87654321")
	if !IsNotFound(err) {
		t.Fatalf("err = %v, want not found", err)
	}
	if RequestID(err) != "dl-req-ConfirmPrivateVirtualInterface" || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("err = %q (request ID %q): want the API's words and request ID", err, RequestID(err))
	}
}

func TestInsecureSkipsCertificateChecks(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"DirectLinks":[],"ResponseContext":{"RequestId":"r"}}`))
	}))
	defer srv.Close()
	cfg := Config{AccessKey: testAccessKey, SecretKey: testSecretKey, APIEndpoint: srv.URL + "/api/v1", DirectLinkEndpoint: srv.URL, MaxRequestsPerSecond: 1000, MaxRetries: 50}

	strict := newTestClient(t, cfg)
	strict.retryBase, strict.retryCap = time.Minute, time.Minute // a retry would outlast ctx
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := strict.ListDirectLinks(ctx)
	if KindOf(err) != KindTransport || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("self-signed certificate without insecure: %v; want a transport error at once, not retried", err)
	}

	cfg.Insecure = true
	if _, err := newTestClient(t, cfg).ListDirectLinks(ctx); err != nil {
		t.Fatalf("insecure: %v", err)
	}
}
