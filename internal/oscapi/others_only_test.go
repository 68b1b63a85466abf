package oscapi

import (
	"context"
	"fmt"
	"testing"
)

// The plan-time VLAN check runs before every create of an apply; listing
// with OthersOnly must then cost no call beyond the snapshot, however many
// interfaces the apply already created or changed, and must leave those out.
func TestListOthersOnlyStaysInTheSnapshot(t *testing.T) {
	store := newInterfaceStore(6) // dxcon-00000001 holds the odd ones
	f := storeAPI(t, store, nil)
	c := newTestClient(t, f.config())
	ctx := context.Background()
	list := func(flt InterfaceFilter) string { t.Helper(); return listNames(t, c, flt) }
	others := InterfaceFilter{DirectLinkIDs: []string{"dxcon-00000001"}, OthersOnly: true}
	if got := list(others); got != "[dxvif-00000001=if-1 dxvif-00000003=if-3 dxvif-00000005=if-5]" {
		t.Errorf("others-only list = %s", got)
	}
	if _, err := c.UpdateInterfaceMTU(ctx, "dxvif-00000003", 1500); err != nil {
		t.Fatal(err)
	}
	before := f.count("ReadDirectLinkInterfaces")
	for range 3 {
		if got := list(others); got != "[dxvif-00000001=if-1 dxvif-00000005=if-5]" {
			t.Errorf("others-only list after our update = %s, want the interface we changed left out", got)
		}
	}
	if n := f.count("ReadDirectLinkInterfaces") - before; n != 0 {
		t.Errorf("others-only lists made %d calls, want none beyond the snapshot", n)
	}
	// Without OthersOnly the changed interface is read afresh, as before.
	if got := list(InterfaceFilter{DirectLinkIDs: []string{"dxcon-00000001"}}); got != "[dxvif-00000001=if-1 dxvif-00000003=updated dxvif-00000005=if-5]" {
		t.Errorf("plain list after our update = %s", got)
	}
}

func TestListOthersOnlyWithoutBatching(t *testing.T) {
	store := newInterfaceStore(4)
	f := storeAPI(t, store, nil)
	cfg := f.config()
	cfg.DisableBatching = true
	c := newTestClient(t, cfg)
	ctx := context.Background()
	if _, err := c.UpdateInterfaceMTU(ctx, "dxvif-00000001", 1500); err != nil {
		t.Fatal(err)
	}
	got, err := c.ListInterfaces(ctx, InterfaceFilter{OthersOnly: true, Freshness: FromSnapshot})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range got {
		ids = append(ids, it.ID)
	}
	if fmt.Sprint(ids) != "[dxvif-00000000 dxvif-00000002 dxvif-00000003]" {
		t.Errorf("others-only list without batching = %v, want the interface we changed left out", ids)
	}
}
