package oscapi

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// subsystem is the tflog subsystem of the API layer. Its level can be set
// apart from the provider's with TF_LOG_PROVIDER_OSC_API.
const subsystem = "oscapi"

const masked = "***"

// secretJSONField matches a JSON string member whose name says it holds a
// secret, in either API's spelling, and captures what comes before the value.
var secretJSONField = regexp.MustCompile(`(?i)("(?:BgpKey|authKey|SecretKey|SecretAccessKey|SecretKeyId|Password)"\s*:\s*)"(?:[^"\\]|\\.)*"`)

// unmaskedSecretJSONField is secretJSONField without the values redact
// already masked, for tflog's own masks (defense in depth on every field
// and message of the subsystem).
var unmaskedSecretJSONField = regexp.MustCompile(`(?i)"(?:BgpKey|authKey|SecretKey|SecretAccessKey|SecretKeyId|Password)"\s*:\s*"(?:[^"*\\]|\\.)(?:[^"\\]|\\.)*"`)

// secretHeader matches an Authorization header value or a SigV4 signature
// wherever it appears in a message.
var secretHeader = regexp.MustCompile(`(?i)(Signature=)[0-9a-f]+|(AWS4-HMAC-SHA256|OSC4-HMAC-SHA256) Credential=\S+`)

// redact masks secret values in a wire body before it is logged.
func redact(s string) string {
	s = secretJSONField.ReplaceAllString(s, `${1}"`+masked+`"`)
	return secretHeader.ReplaceAllString(s, masked)
}

type loggingKey struct{}

// WithLogging returns ctx carrying the API layer's tflog subsystem, with its
// masks for secrets (BGP keys, secret keys, signatures). Calling it again on
// the returned context is a no-op. Every Client method calls it, so calling
// it is only needed to log under the subsystem from outside the package.
func WithLogging(ctx context.Context) context.Context {
	if ctx.Value(loggingKey{}) != nil {
		return ctx
	}
	ctx = tflog.NewSubsystem(ctx, subsystem, tflog.WithLevelFromEnv("TF_LOG_PROVIDER_OSC", "API"))
	ctx = tflog.SubsystemMaskFieldValuesWithFieldKeys(ctx, subsystem,
		"bgp_key", "BgpKey", "authKey", "secret_key", "SecretKey", "secret_key_id", "authorization", "Authorization")
	ctx = tflog.SubsystemMaskAllFieldValuesRegexes(ctx, subsystem, unmaskedSecretJSONField, secretHeader)
	ctx = tflog.SubsystemMaskMessageRegexes(ctx, subsystem, unmaskedSecretJSONField, secretHeader)
	return context.WithValue(ctx, loggingKey{}, true)
}
