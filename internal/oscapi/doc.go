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
//	ReadInterface(id, FromSnapshot)        the client's snapshot (one unfiltered listing  the start of the operation (the snapshot is
//	ListInterfaces{FromSnapshot}           of every page, taken at the first such read,   taken by this client, and retaken after
//	                                       retaken after 2 min); interfaces this client   2 min), and this client's own last change
//	                                       changed, and IDs absent from the snapshot,     to the interface
//	                                       are read fresh instead
//	ListInterfaces{FromSnapshot,           the snapshot only (interfaces this client      the start of the operation
//	  OthersOnly}                          changed are left out, not re-read)
//	ReadInterface(id, Fresh)               a filtered call shared with the other fresh    the moment the read was asked for (the
//	ListInterfaces{Fresh}                  reads of the moment (see coalescer); own call  shared call is sent after it)
//	                                       for a filtered listing
//	WaitInterface polls                    a fresh filtered call, as ReadInterface Fresh  the poll
//	after Create/Update/Delete/Confirm     always fresh (the interface is "touched")      the change itself
//
// Why none is older than the start of the operation: the snapshot is made
// by this client, which the provider builds when Terraform configures it for
// the operation, and nothing outlives the client. Decisions that change
// something (adopt, confirm, delete after a lost answer) read Fresh: a
// snapshot may predate another process's change made during the operation.
// Config.DisableBatching (OSC_DISABLE_READ_BATCHING) makes every read Fresh.
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
