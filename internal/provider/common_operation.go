package provider

import (
	"context"
	"errors"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// operation is one create, update or delete: how long it may take, and when
// it began, so that a diagnostic can tell a timeout from an interrupt and say
// how long was spent.
type operation struct {
	timeout time.Duration
	start   time.Time
}

// timeoutGetter is the shape of terraform-plugin-framework-timeouts' Create,
// Update and Delete methods.
type timeoutGetter func(ctx context.Context, def time.Duration) (time.Duration, diag.Diagnostics)

// beginOperation is the preamble of every create, update and delete: the
// operation's timeout from the timeouts block (default defaultInterfaceTimeout),
// a context bounded by it whose loggers mask every secret (see secured), and
// done, to defer, which releases the context and redacts the secrets from
// diags. ok = false when the timeouts block is invalid.
func beginOperation(ctx context.Context, get timeoutGetter, api any, diags *diag.Diagnostics, keys ...types.String) (_ context.Context, _ operation, done func(), ok bool) {
	timeout, d := get(ctx, defaultInterfaceTimeout)
	diags.Append(d...)
	if diags.HasError() {
		return ctx, operation{}, func() {}, false
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	ctx, unredacted := secured(ctx, api, diags, keys...)
	return ctx, operation{timeout: timeout, start: time.Now()}, func() { unredacted(); cancel() }, true
}

// secured keeps the BGP keys given, and every secret the API client knows
// (the secret key, the BGP keys it sent or received), out of every log line
// written with ctx, the API layer's subsystem included; the returned func,
// to defer, removes the keys from diags (an API may quote a request back).
func secured(ctx context.Context, api any, diags *diag.Diagnostics, keys ...types.String) (context.Context, func()) {
	if m, ok := api.(interface {
		MaskContext(context.Context) context.Context
	}); ok {
		ctx = m.MaskContext(ctx)
	}
	var secrets []string
	for _, k := range keys {
		if isKnown(k) && k.ValueString() != "" {
			secrets = append(secrets, k.ValueString())
		}
	}
	if len(secrets) > 0 {
		ctx = tflog.MaskAllFieldValuesStrings(tflog.MaskMessageStrings(ctx, secrets...), secrets...)
	}
	return ctx, func() { *diags = redact(*diags, secrets...) }
}

// elapsed is the time spent so far, rounded for people.
func (op operation) elapsed() time.Duration {
	if op.start.IsZero() {
		return 0
	}
	return time.Since(op.start).Round(time.Second)
}

// interrupted tells whether err, or ctx, ended because Terraform was
// interrupted (Ctrl-C, SIGTERM: Terraform then stops the provider, which
// cancels every request's context), not because the timeout passed.
func interrupted(ctx context.Context, err error) bool {
	if errors.Is(err, context.Canceled) {
		return true
	}
	return errors.Is(ctx.Err(), context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}
