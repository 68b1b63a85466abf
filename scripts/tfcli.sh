#!/usr/bin/env bash
# Finds or builds the Terraform-compatible CLIs the tests and the demo use, and
# caches them, so a fresh machine needs no manual step. Prints the absolute path
# of the requested CLI on stdout; progress goes to stderr.
#
#   scripts/tfcli.sh terraform   # terraform on PATH, else 1.5.7 built from source
#   scripts/tfcli.sh terraform-mpl  # always 1.5.7 built from source
#   scripts/tfcli.sh tofu        # OpenTofu 1.10.10 built from source
set -euo pipefail

TERRAFORM_VERSION=1.5.7
TOFU_VERSION=1.10.10
CACHE_DIR="${OSC_TFCLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-osc/bin}"
mkdir -p "$CACHE_DIR"

log() { printf 'tfcli: %s\n' "$*" >&2; }

# Serialise concurrent builds of the same CLI (make -j, two test runs).
with_lock() {
  local name=$1; shift
  exec 9>"$CACHE_DIR/.$name.lock"
  flock 9
  "$@"
}

build_terraform() {
  local out="$CACHE_DIR/terraform-$TERRAFORM_VERSION"
  if [ ! -x "$out" ]; then
    log "building Terraform $TERRAFORM_VERSION from the Go module proxy (about 4 minutes, cached in $CACHE_DIR)"
    local gobin; gobin=$(mktemp -d)
    GOBIN="$gobin" GOFLAGS=-buildvcs=false go install "github.com/hashicorp/terraform@v$TERRAFORM_VERSION"
    mv "$gobin/terraform" "$out"
    rm -rf "$gobin"
  fi
  echo "$out"
}

build_tofu() {
  local out="$CACHE_DIR/tofu-$TOFU_VERSION"
  if [ ! -x "$out" ]; then
    log "building OpenTofu $TOFU_VERSION from the Go module proxy (about 4 minutes, cached in $CACHE_DIR)"
    local dir src
    dir=$(go mod download -json "github.com/opentofu/opentofu@v$TOFU_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    [ -n "$dir" ] || { log "could not download OpenTofu $TOFU_VERSION"; exit 1; }
    src=$(mktemp -d)
    cp -R "$dir/." "$src/"
    chmod -R u+w "$src"
    (cd "$src" && GOFLAGS=-buildvcs=false go build -o "$out.tmp" ./cmd/tofu)
    mv "$out.tmp" "$out"
    rm -rf "$src"
  fi
  echo "$out"
}

case "${1:-terraform}" in
  terraform)
    if command -v terraform >/dev/null 2>&1; then
      command -v terraform | xargs readlink -f
    else
      with_lock terraform build_terraform
    fi
    ;;
  terraform-mpl) with_lock terraform build_terraform ;;
  tofu) with_lock tofu build_tofu ;;
  *) log "unknown CLI '$1' (terraform, terraform-mpl or tofu)"; exit 2 ;;
esac
