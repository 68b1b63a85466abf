package provider

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// importPlaceholder is how error messages name the resource: the provider is
// never told the resource address, so the user substitutes their own.
const importPlaceholder = "osc_hosted_directlink_interface.<name>"

// createOrAdopt creates the interface described by in, exactly once.
//
// A create the API answered is done. A create whose outcome is unclear (a
// lost answer, a 5xx, a deadline after the request was sent: oscapi.MaybeDone)
// is never sent again blindly: the interface on its VLAN is read fresh, and
// adopted (adopted = true) only when it matches in and no other instance of
// this walk holds or made it. That is the proof that this process's own
// create made it: the plan of this very create found the VLAN free moments
// before. When nothing holds the VLAN, the create did not land, and it is
// sent once more.
//
// A conflict (VLAN in use) is never adopted, even when the holder matches: it
// was there before this create, made by an apply killed before recording it,
// another workspace, or the console. The error names it and prints the
// import block. A holder that this walk created for another instance is
// named as that sibling.
func createOrAdopt(ctx context.Context, client oscapi.API, ledger *operationLedger, in oscapi.CreateInterfaceInput) (iface *oscapi.Interface, adopted bool, err error) {
	const attempts = 2
	for attempt := 1; ; attempt++ {
		iface, err = client.CreateInterface(ctx, in)
		if err == nil {
			ledger.noteCreated(iface.ID, in.Name)
			return iface, false, nil
		}
		unclear := oscapi.MaybeDone(err)
		if !unclear && !oscapi.IsConflict(err) {
			return nil, false, err
		}
		tflog.Warn(ctx, "create of DirectLink interface did not succeed; reading the interface that holds its VLAN", map[string]any{
			"directlink_id": in.DirectLinkID,
			"vlan":          in.VLAN,
			"outcome":       map[bool]string{true: "unclear", false: "conflict"}[unclear],
		})
		// An interrupt (or the deadline) that came while the create was
		// answered still lets one read find out what it did, so that an
		// interface it made reaches the state instead of being orphaned.
		// Nothing is sent again after that.
		lookupCtx, stopLookup := ctx, context.CancelFunc(func() {})
		ended := ctx.Err() != nil
		if ended {
			lookupCtx, stopLookup = context.WithTimeout(context.WithoutCancel(ctx), oscapi.DefaultResponseTimeout)
		}
		holder, listErr := findVLANHolder(lookupCtx, client, oscapi.InterfaceFilter{DirectLinkIDs: []string{in.DirectLinkID}, Freshness: oscapi.Fresh}, in.VLAN)
		stopLookup()
		if listErr != nil {
			// Report the create's failure, which is what the user asked
			// for; the lookup's failure only explains why we could not
			// tell what it did.
			return nil, false, &createUnclearError{Err: err, LookupErr: listErr, In: in}
		}
		if holder == nil {
			if unclear && attempt < attempts && !ended {
				tflog.Warn(ctx, "no interface holds the VLAN: the create did not land; sending it once more", map[string]any{
					"directlink_id": in.DirectLinkID,
					"vlan":          in.VLAN,
				})
				continue
			}
			return nil, false, err
		}
		if name, mine := ledger.createdHere(holder.ID); mine {
			return nil, false, &vlanInUseError{Holder: *holder, Sibling: name}
		}
		if ledger.isInState(holder.ID) {
			return nil, false, &vlanInUseError{Holder: *holder, Sibling: ledger.plannedName(holder.ID)}
		}
		if !unclear {
			return nil, false, &vlanInUseError{Holder: *holder, In: in}
		}
		if diffs := specDiffs(*holder, in); len(diffs) > 0 {
			return nil, false, &vlanInUseError{Holder: *holder, In: in}
		}
		ledger.noteCreated(holder.ID, in.Name)
		return holder, true, nil
	}
}

// adoptedWarning is the diagnostic that tells the user the interface their
// create made was found after its answer was lost.
func adoptedWarning(iface *oscapi.Interface) diag.Diagnostic {
	return diag.NewWarningDiagnostic(
		"DirectLink Interface Found After an Unclear Create",
		fmt.Sprintf("The answer to this create was lost or was a server error, so the provider read what the API did: DirectLink interface %s "+
			"(VLAN %d on %s, state %s) now holds the VLAN, matches this configuration and was not there when the create was planned. "+
			"It is the interface this create made, and it is recorded in the state. No second interface was created.",
			iface.ID, iface.VLAN, iface.DirectLinkID, iface.State),
	)
}

// createUnclearError is a create whose outcome is unknown and could not be
// found out.
type createUnclearError struct {
	Err       error
	LookupErr error
	In        oscapi.CreateInterfaceInput
}

func (e *createUnclearError) Error() string {
	return fmt.Sprintf("%v; then reading the interfaces of %s, to find out whether the create was carried out, failed: %v",
		e.Err, e.In.DirectLinkID, e.LookupErr)
}

func (e *createUnclearError) Unwrap() error { return e.Err }

// findVLANHolder returns the interface on the one DirectLink of f that holds
// vlan, or nil. An interface holds its VLAN until it is deleted: a deleting,
// rejected or expired one still does, and the API refuses a new interface on
// that VLAN until then.
func findVLANHolder(ctx context.Context, client oscapi.API, f oscapi.InterfaceFilter, vlan int64) (*oscapi.Interface, error) {
	ifaces, err := client.ListInterfaces(ctx, f)
	if err != nil {
		return nil, err
	}
	for i := range ifaces {
		it := ifaces[i]
		if !slices.Contains(f.DirectLinkIDs, it.DirectLinkID) || it.VLAN != vlan {
			continue
		}
		if !holdsVLAN(it.State) {
			continue
		}
		return &it, nil
	}
	return nil, nil
}

// specDiffs lists, in the user's terms, how an existing interface differs
// from the configuration in. Zero values in in (an optional attribute left
// out, or a value not known yet at plan time) are not compared. The BGP key
// is compared but never shown.
func specDiffs(got oscapi.Interface, in oscapi.CreateInterfaceInput) []string {
	var diffs []string
	if in.Name != "" && got.Name != in.Name {
		diffs = append(diffs, fmt.Sprintf("name is %q, configured %q", got.Name, in.Name))
	}
	if in.BGPASN != 0 && got.BGPASN != in.BGPASN {
		diffs = append(diffs, fmt.Sprintf("bgp_asn is %d, configured %d", got.BGPASN, in.BGPASN))
	}
	switch {
	case in.VirtualGatewayID != "":
		if got.VirtualGatewayID != in.VirtualGatewayID {
			diffs = append(diffs, fmt.Sprintf("virtual_gateway_id is %s, configured %s", orNone(got.VirtualGatewayID), in.VirtualGatewayID))
		}
	case in.OwnerAccountID != "":
		if got.AccountID != in.OwnerAccountID {
			diffs = append(diffs, fmt.Sprintf("it belongs to account %s, configured owner_account_id %s", orNone(got.AccountID), in.OwnerAccountID))
		}
	}
	if in.OutscalePrivateIP != "" && !sameCIDR(got.OutscalePrivateIP, in.OutscalePrivateIP) {
		diffs = append(diffs, fmt.Sprintf("outscale_private_ip is %s, configured %s", orNone(got.OutscalePrivateIP), in.OutscalePrivateIP))
	}
	if in.ClientPrivateIP != "" && !sameCIDR(got.ClientPrivateIP, in.ClientPrivateIP) {
		diffs = append(diffs, fmt.Sprintf("client_private_ip is %s, configured %s", orNone(got.ClientPrivateIP), in.ClientPrivateIP))
	}
	// An API that does not show the key to this caller cannot contradict it.
	if in.BGPKey != "" && got.BGPKey != "" && got.BGPKey != in.BGPKey {
		diffs = append(diffs, "bgp_key differs from the configured one")
	}
	return diffs
}

// sameCIDR compares two address/prefix strings as addresses, so that
// spellings of the same value (leading zeros aside, which the API refuses)
// are equal.
func sameCIDR(a, b string) bool {
	pa, errA := netip.ParsePrefix(a)
	pb, errB := netip.ParsePrefix(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return pa == pb
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// holdsVLAN is the one rule, the emulator's too, of which interfaces keep
// their VLAN: every one that is not deleted yet.
func holdsVLAN(state string) bool {
	return state != oscapi.StateDeleted
}

// vlanInUseError says that the VLAN of a create is held by an interface that
// this create did not make: a sibling instance's (Sibling names it), or one in
// no state of this walk.
type vlanInUseError struct {
	Holder  oscapi.Interface
	Sibling string // name planned by the other instance of this configuration, if it is one
	In      oscapi.CreateInterfaceInput
}

func (e *vlanInUseError) Error() string {
	if e.Sibling != "" {
		return fmt.Sprintf("VLAN %d on %s is used by DirectLink interface %s (name %q, state %s), which another resource instance "+
			"of this configuration (the one named %q) created or manages: two interfaces cannot hold one VLAN. Give this instance another vlan.",
			e.Holder.VLAN, e.Holder.DirectLinkID, e.Holder.ID, e.Holder.Name, e.Holder.State, e.Sibling)
	}
	return vlanHeldDetail(e.Holder, e.In)
}

// isVLANInUse reports whether err is the "held by another interface" error
// of createOrAdopt.
func isVLANInUse(err error) bool {
	var e *vlanInUseError
	return errors.As(err, &e)
}
