package oscapi

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// TestSecretsNeverReachTheLogs runs every kind of call at TRACE, with BGP
// keys in requests and answers of both APIs, and looks for any secret in
// the output.
func TestSecretsNeverReachTheLogs(t *testing.T) {
	const (
		bgpKeySent     = "sentBgpKey-0123456789"
		bgpKeyReturned = "returnedBgpKey-9876543210"
	)
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		switch action {
		case "AllocatePrivateVirtualInterface":
			return http.StatusOK, nil, map[string]any{"virtualInterfaceId": "dxvif-00000002", "virtualInterfaceState": "confirming", "authKey": bgpKeySent}
		case "CreateDirectLinkInterface":
			return oscOK(map[string]any{"DirectLinkInterface": map[string]any{"DirectLinkInterfaceId": "dxvif-00000001", "State": "pending", "BgpKey": bgpKeyReturned}})
		case "ReadDirectLinkInterfaces":
			return oscOK(map[string]any{"DirectLinkInterfaces": []any{map[string]any{"DirectLinkInterfaceId": "dxvif-00000001", "State": "available", "BgpKey": bgpKeyReturned}}})
		case "ConfirmPrivateVirtualInterface":
			return dlErr(400, "DirectConnectClientException", "bad authKey for "+testSecretKey)
		}
		return oscThrottled()
	})
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	c := newTestClient(t, f.config())

	if _, err := c.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: "dxcon-12345678", Name: "own", VLAN: 2, BGPASN: 1, BGPKey: bgpKeySent, VirtualGatewayID: "vgw-12345678"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: "dxcon-12345678", Name: "hosted", VLAN: 3, BGPASN: 1, BGPKey: bgpKeySent, OwnerAccountID: "123456789000"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitInterface(ctx, "dxvif-00000001", WaitOptions{Target: []string{StateAvailable}}); err != nil {
		t.Fatal(err)
	}
	err := c.ConfirmInterface(ctx, "dxvif-00000002", "vgw-87654321")
	if err == nil {
		t.Fatal("confirm succeeded")
	}
	if strings.Contains(err.Error(), testSecretKey) {
		t.Errorf("the error carries the secret key: %v", err)
	}
	_, _ = c.ListDirectLinks(ctx) // throttled until retries run out

	logs := out.String()
	for _, secret := range []string{bgpKeySent, bgpKeyReturned, testSecretKey, "Signature="} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil {
		t.Fatal(err)
	}
	var calls, traces, retries int
	for _, e := range entries {
		if e["@module"] != "provider.oscapi" {
			continue
		}
		switch e["@message"] {
		case "API call succeeded", "API call failed":
			calls++
			for _, k := range []string{"action", "api", "duration_ms", "http_status", "request_id", "attempt"} {
				if _, ok := e[k]; !ok {
					t.Errorf("DEBUG entry %v lacks %s", e, k)
				}
			}
		case "API call failed, will retry":
			retries++
		case "HTTP request", "HTTP response":
			traces++
		}
	}
	if calls < 4 || traces < 8 || retries == 0 {
		t.Errorf("logged %d calls, %d retries, %d HTTP traces; want every call, retry and body logged", calls, retries, traces)
	}
	if !strings.Contains(logs, `\"BgpKey\":\"***\"`) || !strings.Contains(logs, `\"authKey\":\"***\"`) {
		t.Errorf("request bodies should show the BGP key masked; logs:\n%s", logs)
	}
}

// An API error that echoes the BGP key in its words (not in a BgpKey
// member, which the body redaction already masks) is masked in the error
// text and in every log line, TRACE of the HTTP layer included; a BGP key
// the client only received is masked too, in the root logger of a context
// from MaskContext.
func TestEchoedBGPKeyIsMaskedEverywhere(t *testing.T) {
	const (
		sent     = "echoedBgpKey-4242"
		received = "receivedBgpKey-777"
	)
	f := newFakeAPI(t, func(api, action string, body []byte) (int, http.Header, any) {
		switch action {
		case "CreateDirectLinkInterface":
			return oscErr(400, "4047", "InvalidParameterValue", "BGP key "+sent+" is not a valid MD5 key")
		case "AllocatePrivateVirtualInterface":
			return dlErr(400, "DirectConnectClientException", "authKey "+sent+" rejected")
		default:
			return oscOK(map[string]any{"DirectLinkInterfaces": []any{map[string]any{"DirectLinkInterfaceId": "dxvif-00000001", "State": "available", "BgpKey": received}}})
		}
	})
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	c := newTestClient(t, f.config())

	var errs []error
	_, err := c.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: "dxcon-12345678", Name: "own", VLAN: 2, BGPASN: 1, BGPKey: sent, VirtualGatewayID: "vgw-12345678"})
	errs = append(errs, err)
	_, err = c.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: "dxcon-12345678", Name: "hosted", VLAN: 3, BGPASN: 1, BGPKey: sent, OwnerAccountID: "123456789000"})
	errs = append(errs, err)
	for _, err := range errs {
		if err == nil {
			t.Fatal("the create succeeded")
		}
		if strings.Contains(err.Error(), sent) || !strings.Contains(err.Error(), masked) {
			t.Errorf("error text shows the BGP key: %v", err)
		}
	}
	if _, err := c.ReadInterface(ctx, "dxvif-00000001", Fresh); err != nil {
		t.Fatal(err)
	}
	mctx := c.MaskContext(ctx)
	tflog.Info(mctx, "provider message naming "+received, map[string]any{"detail": "key " + sent})
	tflog.SubsystemInfo(mctx, subsystem, "subsystem message naming "+received)

	logs := out.String()
	for _, secret := range []string{sent, received, testSecretKey} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q:\n%s", secret, logs)
		}
	}
	if !strings.Contains(logs, "provider message naming "+masked) || !strings.Contains(logs, "BGP key "+masked+" is not a valid") {
		t.Errorf("the masked lines are missing from the logs:\n%s", logs)
	}
}
