package provider

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
)

// importPlaceholder is how error messages name the resource: the provider is
// never told the resource address, so the user substitutes their own.
const importPlaceholder = "osc_hosted_directlink_interface.<name>"

// createOrAdopt creates the interface described by in, surviving the two ways
// a create can go wrong after the API already carried it out:
//
//   - Terraform was killed after an earlier create and before the ID reached
//     state: this create fails with a conflict (VLAN already in use);
//   - the create's answer was lost on the way back (transport error).
//
// In both cases the interface holding the VLAN on that DirectLink is looked
// up; when it matches the configuration it is adopted (adopted = true) and the
// caller carries on with its normal wait, exactly as if the create had
// answered. When it does not match, the error is a *vlanInUseError that names
// it and says how to import it. A transport error with no interface on the
// VLAN means the create never landed: it is retried once.
//
// Any other error is returned unchanged for the caller to report.
func createOrAdopt(ctx context.Context, client oscapi.API, in oscapi.CreateInterfaceInput) (iface *oscapi.Interface, adopted bool, err error) {
	const attempts = 2
	for attempt := 1; ; attempt++ {
		iface, err = client.CreateInterface(ctx, in)
		if err == nil {
			return iface, false, nil
		}
		kind := oscapi.KindOf(err)
		if kind != oscapi.KindConflict && kind != oscapi.KindTransport {
			return nil, false, err
		}
		tflog.Warn(ctx, "create of DirectLink interface did not succeed; looking for an interface already holding its VLAN", map[string]any{
			"directlink_id": in.DirectLinkID,
			"vlan":          in.VLAN,
			"error_kind":    kind.String(),
		})

		holder, listErr := findVLANHolder(ctx, client, oscapi.InterfaceFilter{DirectLinkIDs: []string{in.DirectLinkID}}, in.VLAN)
		if listErr != nil {
			// Report the create's failure, which is what the user asked
			// for; the lookup's failure only explains why we could not
			// recover from it.
			return nil, false, fmt.Errorf("%w (then listing the interfaces of %s to find one already holding VLAN %d failed: %v)",
				err, in.DirectLinkID, in.VLAN, listErr)
		}
		if holder != nil {
			if diffs := specDiffs(*holder, in); len(diffs) > 0 {
				return nil, false, &vlanInUseError{Holder: *holder, Diffs: diffs}
			}
			return holder, true, nil
		}
		if kind == oscapi.KindTransport && attempt < attempts {
			tflog.Warn(ctx, "no interface holds the VLAN: the create did not land; retrying it once", map[string]any{
				"directlink_id": in.DirectLinkID,
				"vlan":          in.VLAN,
			})
			continue
		}
		return nil, false, err
	}
}

// adoptedWarning is the diagnostic that tells the user an existing interface
// was taken over instead of created.
func adoptedWarning(iface *oscapi.Interface) diag.Diagnostic {
	return diag.NewWarningDiagnostic(
		"Adopted Existing DirectLink Interface",
		fmt.Sprintf("Adopted existing DirectLink interface %s (VLAN %d on %s, state %s): it matches this configuration, "+
			"so it is most likely the interface an earlier create made before its answer was lost or Terraform was stopped. "+
			"No second interface was created.",
			iface.ID, iface.VLAN, iface.DirectLinkID, iface.State),
	)
}

// findVLANHolder returns the interface on the one DirectLink of f that holds
// vlan, or nil. Deleted and deleting interfaces no longer hold their VLAN:
// the API accepts a new interface on it.
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
		if it.State == oscapi.StateDeleted || it.State == oscapi.StateDeleting {
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

// vlanInUseError says that the VLAN of a create is held by an interface that
// is not the one the configuration describes.
type vlanInUseError struct {
	Holder oscapi.Interface
	Diffs  []string
}

func (e *vlanInUseError) Error() string {
	return fmt.Sprintf("VLAN %d on %s is already used by DirectLink interface %s (name %q, state %s), which does not match this configuration: %s. "+
		"If it is yours, import it instead of creating it: terraform import %s %s",
		e.Holder.VLAN, e.Holder.DirectLinkID, e.Holder.ID, e.Holder.Name, e.Holder.State,
		strings.Join(e.Diffs, "; "), importPlaceholder, e.Holder.ID)
}

// isVLANInUse reports whether err is the "held by another interface" error
// of createOrAdopt.
func isVLANInUse(err error) bool {
	var e *vlanInUseError
	return errors.As(err, &e)
}
