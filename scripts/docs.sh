#!/usr/bin/env bash
# Regenerates or validates docs/ with tfplugindocs (pinned in tools/go.mod).
#
#   scripts/docs.sh generate   # what `make generate` runs (through go generate)
#   scripts/docs.sh validate   # checks docs/ has the layout the registries expect
#
# tfplugindocs reads the provider schema through a Terraform CLI: it gets the
# newest Terraform scripts/tfcli.sh builds (terraform-latest), first on PATH, so
# it never downloads one; only a CLI that knows list resources (Terraform 1.14+)
# reports their schemas, which the list-resources/ pages need.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# Both commands read the schema: without a terraform on PATH tfplugindocs
# would try to download one.
tf=$(scripts/tfcli.sh terraform-latest)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
ln -s "$tf" "$tmp/bin/terraform"
export PATH="$tmp/bin:$PATH" CHECKPOINT_DISABLE=1

case "${1:-generate}" in
  generate)
    cd tools
    go tool tfplugindocs generate --provider-dir "$root" --provider-name osc \
      --rendered-provider-name "OUTSCALE DirectLink"
    ;;
  validate)
    cd tools
    if ! go tool tfplugindocs validate --provider-dir "$root" --provider-name osc >"$tmp/validate.log" 2>&1; then
      grep -v '\[DEBUG\]' "$tmp/validate.log" >&2
      exit 1
    fi
    echo "docs/ has the layout the registries expect"
    ;;
  *) echo "usage: scripts/docs.sh generate|validate" >&2; exit 2 ;;
esac
