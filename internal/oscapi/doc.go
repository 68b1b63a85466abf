// Package oscapi is the provider's only door to OUTSCALE. It hides which of the
// two OUTSCALE APIs (the OUTSCALE API and the AWS-Direct-Connect-compatible
// DirectLink API) serves each call, and owns retries, throttling, error kinds,
// waiting and read batching. The provider never sees a wire field name or an
// error code: it asks IsNotFound(err), MaybeDone(err), IsInterrupted(err), ...
//
// # Freshness of reads
//
// One Client lives for one Terraform operation (plan, apply, ...). Every read
// says how current it must be (Freshness); which reads may be served from what:
//
//	read                                   served from                                   never older than
//	-------------------------------------  --------------------------------------------  ------------------------------------------
//	ReadInterface(id, FromSnapshot)        the client's snapshot, taken at the first such  the start of the operation (the snapshot is
//	ListInterfaces{FromSnapshot}           read and retaken after 2 min: the whole        taken by this client, every part of it
//	                                       listing in an account of up to 1000            during the operation), and this client's
//	                                       interfaces, else a first page plus the         own last change to the interface
//	                                       DirectLinks the reads need or name
//	                                       (OnDirectLink; see batcher);
//	                                       interfaces this client changed, and IDs
//	                                       absent from the snapshot, are read fresh
//	ListInterfaces{FromSnapshot,           the snapshot only (interfaces this client      the start of the operation
//	  OthersOnly}                          changed are left out, not re-read)
//	ReadInterface(id, Fresh)               a filtered call shared with the other fresh    the moment the read was asked for (the
//	ListInterfaces{Fresh}                  reads of the moment (see coalescer); own call  shared call is sent after it)
//	                                       for a filtered listing
//	WaitInterface polls                    the client's shared poller: one call per tick  the tick's call, sent after the wait began
//	                                       (0.95 s, 1 s at most) filtered on every ID
//	                                       waited on
//	after Create/Update/Delete/Confirm     always fresh (the interface is "touched")      the change itself
//
// Why none is older than the start of the operation: the snapshot is made
// by this client, which the provider builds when Terraform configures it for
// the operation, and nothing outlives the client. Decisions that change
// something (adopt, confirm, delete after a lost answer) read Fresh: a
// snapshot may predate another process's change made during the operation.
// Config.DisableBatching (OSC_DISABLE_READ_BATCHING) makes every read Fresh.
//
// # Polling and the rate budget
//
// Waits do not poll by themselves: the client's poller reads every
// interface being waited on with one ReadDirectLinkInterfaces filtered on
// their IDs (one call per 1000 IDs) per tick. The tick is
// Config.PollMinInterval (default 0.95 s), at most 1 s, with no backoff, so
// a transition is seen at most one tick (plus the poll's round trip) after
// it happens, whenever it happens. Each interval is drawn between 0.8 and 1
// times the tick: a fixed one meets the transitions of an apply, whose
// creates start when a poll frees Terraform's slots, at one phase of the
// tick, the same every time; a drawn one meets them at a random phase,
// about half an interval late on average. The poller is idle (sends
// nothing) when nothing waits, and a poller that went idle resumes its
// cadence (its next tick no sooner than the one it had drawn). A wait
// therefore costs nothing of its own, and N creates or deletes cost N calls
// plus one call per tick.
//
// Every call of the client, polls included, goes through one token bucket
// per account and endpoint (Config.MaxRequestsPerSecond, default 10/s,
// burst of as many), shared by the clients of the process. Callers without
// a token queue in order of arrival, the poller's reads ahead of every
// other call: a poll is one call a tick, and behind an apply's queued
// creates it would be a second late. The budget sets the floor of an apply:
// N creates and the ticks of about (N + ticks) / rate seconds, so with a
// mean interval t the polls add 1 / (rate × t − 1) calls per create (0.132
// at 10/s and 0.855 s). A throttling
// answer halves the rate (at most once per second, so that one burst of
// throttled answers counts once), down to a quarter of the configured rate;
// every 10 s without throttling it doubles back, up to the configured rate.
// Throttled calls are retried with full-jitter exponential backoff (250 ms
// base, 20 s cap, Retry-After honoured up to 1 min), at most MaxRetries times.
//
// # Outcomes of failed calls
//
// A mutating call (create, allocate, delete, confirm, update) is sent again
// only when it provably did not reach the server (the connection could not
// be opened, or nothing of the request was written) or was throttled. Any
// other failure after sending (a 5xx that is not throttling, a dropped
// connection, a response deadline, an interruption) may have been carried
// out: MaybeDone(err) says so, and the caller reconciles by reading.
//
// # Interrupts and deadlines
//
// Every error caused by the caller's context being cancelled satisfies
// errors.Is(err, context.Canceled) (IsInterrupted). A wait ended by a
// deadline is a *WaitTimeoutError, one ended by a cancellation a
// *WaitInterruptedError; both carry the ID, the last state seen and the
// time waited. Reads shared by several callers (snapshot fetches, fresh
// batches) go on while one of their readers remains, and stop when the last
// one is cancelled.
//
// # Secrets
//
// The client masks every secret it knows (the secret key, every BGP key it
// sent or received) in the oscapi subsystem's logs, TRACE of the HTTP layer
// included, and in every *Error message. MaskContext extends that to the
// caller's root logger.
package oscapi
