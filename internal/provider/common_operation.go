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
// a context bounded by it, and ok = false when the timeouts block is invalid.
func beginOperation(ctx context.Context, get timeoutGetter, diags *diag.Diagnostics) (context.Context, context.CancelFunc, operation, bool) {
	timeout, d := get(ctx, defaultInterfaceTimeout)
	diags.Append(d...)
	if diags.HasError() {
		return ctx, func() {}, operation{}, false
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, cancel, operation{timeout: timeout, start: time.Now()}, true
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

// maskSecrets keeps the BGP key, and every secret the API client knows (the
// secret key, the BGP keys it sent or received), out of every log line
// written with ctx: the provider's own and the API layer's subsystem.
func maskSecrets(ctx context.Context, api any, bgpKey types.String) context.Context {
	if m, ok := api.(interface {
		MaskContext(context.Context) context.Context
	}); ok {
		ctx = m.MaskContext(ctx)
	}
	if !isKnown(bgpKey) || bgpKey.ValueString() == "" {
		return ctx
	}
	k := bgpKey.ValueString()
	return tflog.MaskAllFieldValuesStrings(tflog.MaskMessageStrings(ctx, k), k)
}
