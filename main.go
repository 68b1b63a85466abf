// Command terraform-provider-osc serves the OUTSCALE DirectLink provider to
// Terraform and OpenTofu over plugin protocol 6.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

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

	if !debug { // in debug mode the provider's own stderr is what the developer reads
		quietUnreadLogs(os.Getenv, os.Setenv)
	}
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/oscdl/osc",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// logTree names the plugin-side loggers whose levels environment variables
// set: each root, then the subsystems that inherit its level when their own
// variable is unset.
var logTree = []struct {
	root     string
	children []string
}{
	{"TF_LOG_SDK", []string{"TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}},
	{"TF_LOG_PROVIDER_OSC", []string{"TF_LOG_PROVIDER_OSC_API"}},
}

// quietUnreadLogs keeps the plugin-side loggers from writing lines that
// Terraform (or OpenTofu) will throw away. The CLI keeps a provider's lines
// at TF_LOG_PROVIDER, else TF_LOG, and none when both are unset, but the
// framework and the SDK log at TRACE whatever it keeps: formatting those
// lines was about a third of the provider's CPU in a 500-resource plan
// (BENCHMARKS.md). So every logger level the user left unset is set to the
// level the CLI keeps, or OFF; one the user set (TF_LOG_SDK=TRACE, ...) is
// left as it is, and so is everything when the CLI keeps TRACE, JSON or a
// level it does not know (it reads those as TRACE). No line the CLI would
// show is lost.
func quietUnreadLogs(getenv func(string) string, setenv func(key, value string) error) {
	level := strings.ToUpper(strings.TrimSpace(getenv("TF_LOG_PROVIDER")))
	if level == "" {
		level = strings.ToUpper(strings.TrimSpace(getenv("TF_LOG")))
	}
	switch level {
	case "":
		level = "OFF"
	case "DEBUG", "INFO", "WARN", "ERROR", "OFF":
	default: // TRACE, JSON, or what the CLI reads as TRACE
		return
	}
	for _, t := range logTree {
		if getenv(t.root) != "" {
			continue // the user's level, which its subsystems inherit
		}
		_ = setenv(t.root, level)
		for _, c := range t.children {
			if getenv(c) == "" {
				_ = setenv(c, level)
			}
		}
	}
}
