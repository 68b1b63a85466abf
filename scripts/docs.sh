#!/usr/bin/env bash
# Regenerates or validates docs/ with tfplugindocs (pinned in tools/go.mod).
#
#   scripts/docs.sh generate   # what `make generate` runs (through go generate)
#   scripts/docs.sh validate   # checks docs/ has the layout the registries expect
#
# tfplugindocs reads the provider schema through a Terraform CLI: it gets the
# one scripts/tfcli.sh finds or builds, first on PATH, so it never downloads one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

case "${1:-generate}" in
  generate)
    tf=$(scripts/tfcli.sh terraform)
    shim=$(mktemp -d)
    trap 'rm -rf "$shim"' EXIT
    ln -s "$tf" "$shim/terraform"
    export PATH="$shim:$PATH" CHECKPOINT_DISABLE=1
    cd tools
    go tool tfplugindocs generate --provider-dir "$root" --provider-name osc \
      --rendered-provider-name "OUTSCALE DirectLink"
    ;;
  validate)
    log=$(mktemp)
    trap 'rm -f "$log"' EXIT
    cd tools
    if ! go tool tfplugindocs validate --provider-dir "$root" --provider-name osc >"$log" 2>&1; then
      grep -v '\[DEBUG\]' "$log" >&2
      exit 1
    fi
    echo "docs/ has the layout the registries expect"
    ;;
  *) echo "usage: scripts/docs.sh generate|validate" >&2; exit 2 ;;
esac
