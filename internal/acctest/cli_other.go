//go:build !unix

package acctest

import "os/exec"

// Signals to process groups are a Unix matter; elsewhere the CLI runs as is.
func ownProcessGroup(*exec.Cmd) {}
