package provider_test

import (
	"os"
	"testing"

	"github.com/oscdl/terraform-provider-osc/internal/acctest"
)

func TestMain(m *testing.M) {
	// The provider polls the emulator often, so that waits end soon after
	// the emulator's short transitions instead of after production delays.
	if os.Getenv("OSC_POLL_MIN_INTERVAL") == "" {
		_ = os.Setenv("OSC_POLL_MIN_INTERVAL", acctest.PollInterval.String())
	}
	// Tests configure every provider block themselves; a developer's own
	// OUTSCALE credentials or profile must never reach them.
	for _, k := range []string{
		"OSC_ACCESS_KEY", "OSC_SECRET_KEY", "OSC_REGION", "OSC_PROFILE", "OSC_CONFIG_FILE",
		"OSC_ENDPOINT_API", "OSC_ENDPOINT_DIRECT_LINK", "OSC_TLS_SKIP_VERIFY",
	} {
		_ = os.Unsetenv(k)
	}
	os.Exit(m.Run())
}
