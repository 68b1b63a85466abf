// Command terraform-provider-osc serves the OUTSCALE DirectLink provider to
// Terraform and OpenTofu over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/oscdl/terraform-provider-osc/internal/provider"
)

// Regenerate docs/ from the schema descriptions, examples/ and templates/.
//go:generate bash scripts/docs.sh generate

// version is set at release time through -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "start the provider with support for debuggers like delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/oscdl/osc",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}
