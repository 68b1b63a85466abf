package oscapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestClassifyOUTSCALE(t *testing.T) {
	cases := []struct {
		name   string
		status int
		code   string
		typ    string
		want   Kind
	}{
		{"per-account throttling", 429, "24", "AccessDenied", KindThrottled},
		{"per-call throttling", 429, "25", "AccessDenied", KindThrottled},
		{"whole-platform throttling", 503, "6", "AccessDenied", KindThrottled},
		{"503 without body code", 503, "", "", KindThrottled},
		{"authentication failed", 401, "1", "AccessDenied", KindAuth},
		{"not authorized", 401, "4", "AccessDenied", KindAuth},
		{"interface not found", 400, "5073", "InvalidResource", KindNotFound},
		{"gateway not found", 400, "5068", "InvalidResource", KindNotFound},
		{"VLAN in use", 409, "9061", "ResourceConflict", KindConflict},
		{"invalid state", 409, "6003", "InvalidState", KindConflict},
		{"dependency", 424, "1001", "DependencyProblem", KindConflict},
		{"out of range", 400, "4113", "InvalidParameterValue", KindValidation},
		{"unknown parameter", 400, "3001", "InvalidParameter", KindValidation},
		{"missing parameter", 400, "7000", "MissingParameter", KindValidation},
		{"capacity", 400, "10001", "InsufficientCapacity", KindValidation},
		{"internal error", 500, "0", "DefaultError", KindServer},
		{"bad gateway, no body", 502, "", "", KindServer},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{
				"Errors":          []map[string]string{{"Code": tc.code, "Type": tc.typ, "Details": "details of " + tc.name}},
				"ResponseContext": map[string]string{"RequestId": "req-123"},
			})
			x := &exchange{status: tc.status, header: http.Header{}, body: body}
			e := classify(apiOSC, "CreateDirectLinkInterface", x, errors.New("sdk error"))
			if e.Kind != tc.want {
				t.Errorf("kind = %v, want %v", e.Kind, tc.want)
			}
			if e.RequestID != "req-123" || e.HTTPStatus != tc.status || e.Code != tc.code || e.Action != "CreateDirectLinkInterface" {
				t.Errorf("error fields not carried: %+v", e)
			}
		})
	}
}

func TestClassifyDirectLink(t *testing.T) {
	cases := []struct {
		name   string
		status int
		typ    string
		msg    string
		want   Kind
	}{
		{"Throttling", 400, "Throttling", "Rate exceeded", KindThrottled},
		{"ThrottlingException", 400, "ThrottlingException", "Rate exceeded", KindThrottled},
		{"TooManyRequests status", 429, "", "", KindThrottled},
		{"namespaced type", 400, "com.amazonaws.directconnect#Throttling:http://internal", "slow down", KindThrottled},
		{"interface missing", 400, "DirectConnectClientException", "Virtual interface dxvif-12345678 does not exist.", KindNotFound},
		{"connection missing", 400, "DirectConnectClientException", "Connection dxcon-00000000 does not exist.", KindNotFound},
		{"VLAN in use", 400, "DirectConnectClientException", "VLAN 100 is already used on DirectLink dxcon-12345678 by interface dxvif-1", KindConflict},
		{"wrong state", 400, "DirectConnectClientException", "The virtual interface dxvif-1 is pending; only an interface in state confirming can be confirmed.", KindConflict},
		{"not the recipient", 400, "DirectConnectClientException", "Only the account the interface dxvif-1 is hosted for (123) may confirm it.", KindAuth},
		{"bad value", 400, "DirectConnectClientException", "VLAN 5000 is out of range", KindValidation},
		{"bad signature", 403, "InvalidSignatureException", "signature mismatch", KindAuth},
		{"unknown key", 403, "UnrecognizedClientException", "unknown key", KindAuth},
		{"server", 500, "DirectConnectServerException", "boom", KindServer},
		{"unparsable 503", 503, "", "", KindServer},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]string{"__type": tc.typ, "message": tc.msg})
			x := &exchange{status: tc.status, header: http.Header{"X-Amzn-Requestid": {"dl-req-9"}}, body: body}
			e := classify(apiDirectLink, "AllocatePrivateVirtualInterface", x, errors.New("sdk error"))
			if e.Kind != tc.want {
				t.Errorf("kind = %v, want %v", e.Kind, tc.want)
			}
			if e.RequestID != "dl-req-9" || e.HTTPStatus != tc.status {
				t.Errorf("request ID or status not carried: %+v", e)
			}
		})
	}
}

func TestClassifyNoAnswerIsTransport(t *testing.T) {
	e := classify(apiOSC, "ReadDirectLinkInterfaces", &exchange{}, errors.New("connection reset by peer"))
	if e.Kind != KindTransport || e.HTTPStatus != 0 {
		t.Fatalf("got %+v, want a transport error without status", e)
	}
}

func TestErrorMessageMasksSecrets(t *testing.T) {
	body := `{"__type":"DirectConnectClientException","message":"bad request {\"authKey\":\"hunter2-bgp\"}"}`
	e := classify(apiDirectLink, "AllocatePrivateVirtualInterface", &exchange{status: 400, header: http.Header{}, body: []byte(body)}, errors.New("x"))
	if got := e.Error(); strings.Contains(got, "hunter2-bgp") {
		t.Fatalf("error message leaks the BGP key: %s", got)
	}
}
