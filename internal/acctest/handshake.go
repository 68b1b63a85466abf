package acctest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/oscdl/terraform-provider-osc/internal/emulator"
	"github.com/oscdl/terraform-provider-osc/internal/oscapi"
	"github.com/oscdl/terraform-provider-osc/internal/provider"
)

// RecipientProvider is the local provider name the recipient's provider
// configuration has in the in-process tests.
//
// In-process, terraform-plugin-testing serves each provider name with one
// provider server, and Terraform configures every alias of a name on that
// same server: the last alias configured wins, and the owner's resources
// would sign as the recipient. So the in-process handshake tests give the
// recipient a provider name of its own (the AWS provider's tests do the same
// with "awsalternate"); TestAccAccepter_handshakeWithAliases runs the
// configuration users write, two aliases of "osc", against the built binary,
// where Terraform starts one provider process per alias.
const RecipientProvider = "oscrecipient"

// ProtoV6ProviderFactoriesTwoAccounts serves "osc" (the owner) and
// RecipientProvider (the recipient) as two provider servers.
var ProtoV6ProviderFactoriesTwoAccounts = map[string]func() (tfprotov6.ProviderServer, error){
	"osc":             providerserver.NewProtocol6WithError(provider.New("test")()),
	RecipientProvider: providerserver.NewProtocol6WithError(provider.New("test")()),
}

// TwoAccountConfig is the owner's default provider "osc", the recipient's
// provider RecipientProvider, then the given configuration parts. Use it with
// ProtoV6ProviderFactoriesTwoAccounts.
func (e *Env) TwoAccountConfig(parts ...string) string {
	recipient := strings.Replace(e.ProviderBlock(e.Recipient, ""), `provider "osc"`, fmt.Sprintf("provider %q", RecipientProvider), 1)
	return e.ProviderBlock(e.Owner, "") + "\n" + recipient + "\n" + strings.Join(parts, "\n")
}

// SingleAccountConfig is the default provider "osc" signing as acct, then
// the given configuration parts.
func (e *Env) SingleAccountConfig(acct emulator.Account, parts ...string) string {
	return e.ProviderBlock(acct, "") + "\n" + strings.Join(parts, "\n")
}

// seedRate is the request rate of the clients that fill the emulator before
// a test: as fast as it answers, since nothing throttles in tests.
const seedRate = 100000

// seedClient signs as acct with no client-side rate limit worth the name.
func (e *Env) seedClient(t *testing.T, acct emulator.Account) oscapi.API {
	t.Helper()
	return e.client(t, acct, seedRate)
}

// Seed creates interfaces as acct outside Terraform, in order, and returns
// them as the API answered (pending, soon available or confirming).
func (e *Env) Seed(t *testing.T, acct emulator.Account, ins ...oscapi.CreateInterfaceInput) []oscapi.Interface {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c := e.seedClient(t, acct)
	out := make([]oscapi.Interface, 0, len(ins))
	for _, in := range ins {
		it, err := c.CreateInterface(ctx, in)
		if err != nil {
			t.Fatalf("seeding interface %q (VLAN %d) as %s: %v", in.Name, in.VLAN, acct.Name, err)
		}
		out = append(out, *it)
	}
	return out
}

// WaitState waits, reading as acct, until interface id is in state.
func (e *Env) WaitState(t *testing.T, acct emulator.Account, id, state string, pending ...string) oscapi.Interface {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	it, err := e.seedClient(t, acct).WaitInterface(ctx, id, oscapi.WaitOptions{Target: []string{state}, Pending: pending})
	if err != nil {
		t.Fatalf("waiting for %s to be %s: %v", id, state, err)
	}
	return *it
}

// HostForRecipient has the owner host an interface for the recipient on
// its first DirectLink, outside Terraform, and waits until it is confirming.
func (e *Env) HostForRecipient(t *testing.T, name string, vlan int64) oscapi.Interface {
	t.Helper()
	it := e.Seed(t, e.Owner, oscapi.CreateInterfaceInput{
		DirectLinkID:   e.Owner.DirectLinkIDs[0],
		Name:           name,
		VLAN:           vlan,
		BGPASN:         65000,
		OwnerAccountID: e.Recipient.AccountID,
	})[0]
	return e.WaitState(t, e.Owner, it.ID, oscapi.StateConfirming, oscapi.StatePending)
}

// AcceptAs confirms interface id as acct, outside Terraform, attaching it to
// acct's first virtual gateway, and waits until it is available.
func (e *Env) AcceptAs(t *testing.T, acct emulator.Account, id string) oscapi.Interface {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := e.seedClient(t, acct).ConfirmInterface(ctx, id, acct.VirtualGatewayIDs[0]); err != nil {
		t.Fatalf("confirming %s as %s: %v", id, acct.Name, err)
	}
	return e.WaitState(t, acct, id, oscapi.StateAvailable, oscapi.StatePending, oscapi.StateConfirming)
}

// AccepterBlock is an osc_hosted_directlink_interface_accepter named name,
// signed by the provider RecipientProvider, for interface expression
// interfaceID (an HCL expression: a reference or a quoted ID), attached to
// the recipient's gateway; extra lines go inside the block.
func (e *Env) AccepterBlock(name, interfaceID string, extra ...string) string {
	return fmt.Sprintf(`
resource "osc_hosted_directlink_interface_accepter" %q {
  provider                = %s
  directlink_interface_id = %s
  virtual_gateway_id      = %q
  %s
}
`, name, RecipientProvider, interfaceID, e.Recipient.VirtualGatewayIDs[0], strings.Join(extra, "\n  "))
}

// HostedBlock is an osc_hosted_directlink_interface named name, hosted by
// the owner for the recipient on the owner's first DirectLink.
func (e *Env) HostedBlock(name string, vlan int) string {
	return fmt.Sprintf(`
resource "osc_hosted_directlink_interface" %q {
  directlink_id    = %q
  name             = %q
  vlan             = %d
  bgp_asn          = 65000
  owner_account_id = %q
}
`, name, e.Owner.DirectLinkIDs[0], "hosted-"+name, vlan, e.Recipient.AccountID)
}
