// Command emuinfo is the demo's bridge to the emulator: it turns the
// emulator's first stdout line into Terraform variables, and asks a running
// emulator which interfaces it still holds. It exists so that scripts/demo.sh
// needs nothing but Go and a Terraform CLI (no jq, no curl).
//
//	emuinfo tfvars OUT.json < first-line   # writes the demo's variables, prints the base URL
//	emuinfo interfaces BASE_URL            # lists live interfaces; exit 1 if any remain
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/oscdl/terraform-provider-osc/internal/emulator"
)

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "emuinfo:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) != 2 {
		return errors.New("usage: emuinfo tfvars OUT.json < first-line | emuinfo interfaces BASE_URL")
	}
	switch args[0] {
	case "tfvars":
		return writeTFVars(stdin, args[1], stdout)
	case "interfaces":
		return listInterfaces(args[1], stdout)
	default:
		return fmt.Errorf("unknown command %q (tfvars or interfaces)", args[0])
	}
}

// writeTFVars reads the emulator's JSON line and writes the variables of
// examples/demo as a .tfvars.json file (mode 0600: it holds secret keys).
func writeTFVars(stdin io.Reader, out string, stdout io.Writer) error {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading the emulator's first line: %w", err)
	}
	var info emulator.Info
	if err := json.Unmarshal([]byte(line), &info); err != nil {
		return fmt.Errorf("the emulator's first line is not its JSON description: %w", err)
	}
	owner, err := account(info, "owner")
	if err != nil {
		return err
	}
	recipient, err := account(info, "recipient")
	if err != nil {
		return err
	}
	if len(owner.DirectLinkIDs) == 0 || len(recipient.VirtualGatewayIDs) == 0 {
		return errors.New("the emulator's owner has no DirectLink or its recipient no virtual gateway")
	}
	vars := map[string]string{
		"region":                       info.Region,
		"api_endpoint":                 info.APIEndpoint,
		"directlink_endpoint":          info.DirectLinkEndpoint,
		"owner_access_key":             owner.AccessKey,
		"owner_secret_key":             owner.SecretKey,
		"recipient_access_key":         recipient.AccessKey,
		"recipient_secret_key":         recipient.SecretKey,
		"recipient_account_id":         recipient.AccountID,
		"recipient_virtual_gateway_id": recipient.VirtualGatewayIDs[0],
	}
	data, err := json.MarshalIndent(vars, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, append(data, '\n'), 0o600); err != nil {
		return err
	}
	_, err = fmt.Fprintln(stdout, info.DirectLinkEndpoint)
	return err
}

func account(info emulator.Info, name string) (emulator.Account, error) {
	for _, a := range info.Accounts {
		if a.Name == name {
			return a, nil
		}
	}
	return emulator.Account{}, fmt.Errorf("the emulator reports no %q account", name)
}

// listInterfaces prints the interfaces a running emulator still holds,
// leaving out those already deleted, and fails if there is any.
func listInterfaces(baseURL string, stdout io.Writer) error {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(strings.TrimSuffix(baseURL, "/") + "/_emulator/interfaces")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET /_emulator/interfaces: %s", resp.Status)
	}
	var all []emulator.Interface
	if err := json.NewDecoder(resp.Body).Decode(&all); err != nil {
		return fmt.Errorf("decoding /_emulator/interfaces: %w", err)
	}
	live := 0
	for _, i := range all {
		if i.State == "deleted" {
			continue
		}
		live++
		if _, err := fmt.Fprintf(stdout, "  %s %s (%s) on %s\n", i.ID, i.Name, i.State, i.DirectLinkID); err != nil {
			return err
		}
	}
	if live > 0 {
		return fmt.Errorf("the emulator still holds %d interface(s)", live)
	}
	_, err = fmt.Fprintln(stdout, "the emulator holds no interface")
	return err
}
