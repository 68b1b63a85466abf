#!/usr/bin/env bash
# Regenerates docs/ with tfplugindocs (pinned in tools/go.mod). tfplugindocs
# reads the provider schema through a Terraform CLI: give it the one
# scripts/tfcli.sh finds or builds, first on PATH, so it never downloads one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

tf=$(scripts/tfcli.sh terraform)
shim=$(mktemp -d)
trap 'rm -rf "$shim"' EXIT
ln -s "$tf" "$shim/terraform"
export PATH="$shim:$PATH" CHECKPOINT_DISABLE=1

cd tools
go tool tfplugindocs generate --provider-dir "$root" --provider-name osc --rendered-provider-name "OUTSCALE DirectLink"
