package oscapi

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var ownCreate = CreateInterfaceInput{DirectLinkID: "dxcon-12345678", Name: "a", VLAN: 10, BGPASN: 65000, VirtualGatewayID: "vgw-12345678"}

// Answers after which a mutating call may have been carried out: it is
// never sent again, and MaybeDone says so (see TestRetryPolicy).
func gateway503() (int, http.Header, any) {
	return 503, nil, rawBody("<html><body><h1>503 Service Unavailable</h1></body></html>")
}
func platformThrottled() (int, http.Header, any) {
	return oscErr(503, "6", "AccessDenied", "ErrorOperationThrottledWholePlatform: Request rate exceeded.")
}
func dropped() (int, http.Header, any) { return 0, nil, dropConnection{} }

// closedPort returns the address of a port where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

// stalledListener accepts connections and reads requests but never answers;
// it counts the requests it read.
func stalledListener(t *testing.T) (addr string, requests *atomic.Int64) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	requests = &atomic.Int64{}
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop); _ = l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				r := bufio.NewReader(conn)
				for {
					if _, err := http.ReadRequest(r); err != nil {
						return
					}
					requests.Add(1)
					select {
					case <-stop:
						return
					default:
					}
				}
			}()
		}
	}()
	return l.Addr().String(), requests
}

func endpointConfig(addr string) Config {
	return Config{
		AccessKey: testAccessKey, SecretKey: testSecretKey, Region: "eu-west-2",
		APIEndpoint: "http://" + addr + "/api/v1", DirectLinkEndpoint: "http://" + addr,
		MaxRequestsPerSecond: 100000,
	}
}

// A closed port fails every call with a message that names the endpoint and
// what to check; a create there is known not done.
func TestClosedPortFailsFastNamingTheEndpoint(t *testing.T) {
	addr := closedPort(t)
	c := newTestClient(t, endpointConfig(addr))
	ctx := context.Background()

	_, err := c.ListInterfaces(ctx, InterfaceFilter{Freshness: FromSnapshot})
	for _, want := range []string{"no answer from http://" + addr, "connection refused", "OSC_ENDPOINT_API"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("list error %v should contain %q", err, want)
		}
	}
	_, err = c.CreateInterface(ctx, CreateInterfaceInput{DirectLinkID: "dxcon-12345678", Name: "h", VLAN: 10, BGPASN: 65000, OwnerAccountID: "123456789000"})
	if KindOf(err) != KindTransport || MaybeDone(err) {
		t.Errorf("create on a closed port: kind %v, MaybeDone %v; want transport, known not done", KindOf(err), MaybeDone(err))
	}
	if err == nil || !strings.Contains(err.Error(), "no answer from http://"+addr+" (DirectLink API): connection refused") {
		t.Errorf("allocate error %v should name the DirectLink endpoint and the refusal", err)
	}
}

// A connection accepted and never answered ends at the response deadline,
// with one request sent: not a hang, and not a resend of a create that may
// have been carried out.
func TestStalledConnectionEndsAtTheResponseDeadline(t *testing.T) {
	addr, requests := stalledListener(t)
	cfg := endpointConfig(addr)
	cfg.ResponseTimeout = 200 * time.Millisecond
	c := newTestClient(t, cfg)
	ctx := context.Background()

	_, err := c.ReadInterface(ctx, "dxvif-00000001", Fresh)
	for _, want := range []string{"no answer from http://" + addr, "never answered"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("read error %v should contain %q", err, want)
		}
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("the stalled endpoint got %d reads, want 1 (no resend after a response deadline)", n)
	}
	_, err = c.CreateInterface(ctx, ownCreate)
	if KindOf(err) != KindTransport || !MaybeDone(err) {
		t.Errorf("create on a stalled endpoint: kind %v, MaybeDone %v (%v); want transport, maybe done", KindOf(err), MaybeDone(err), err)
	}
	if n := requests.Load(); n != 2 {
		t.Errorf("the stalled endpoint got %d requests in all, want 2 (one read, one create)", n)
	}
}
