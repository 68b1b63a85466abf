#!/usr/bin/env bash
# Finds or builds the Terraform-compatible CLIs the tests, the docs and the demo
# use, and caches them, so a fresh machine needs no manual step. Prints the
# absolute path of the requested CLI on stdout; progress goes to stderr.
#
#   scripts/tfcli.sh terraform         # terraform on PATH, else 1.5.7 built from source
#   scripts/tfcli.sh terraform-1.5     # always 1.5.7 (the last MPL release), built from source
#   scripts/tfcli.sh terraform-latest  # the newest Terraform 1.16.x, built from source
#   scripts/tfcli.sh tofu              # OpenTofu 1.10.10, built from source
#   scripts/tfcli.sh tofu-latest       # the newest OpenTofu 1.12.x, built from source
#   scripts/tfcli.sh versions          # the versions this script builds, one "name version" a line
#
# Every build needs only Go (>= the CLI's go.mod go line) and the Go module proxy.
set -euo pipefail

TERRAFORM_VERSION=1.5.7
# The newest patches the Go module proxy serves (checked with `go mod download
# -json MODULE@vX`): bump them here, nothing else names them.
TERRAFORM_LATEST_VERSION=1.16.4
TOFU_VERSION=1.10.10
TOFU_LATEST_VERSION=1.12.6
CACHE_DIR="${OSC_TFCLI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-osc/bin}"
mkdir -p "$CACHE_DIR"

log() { printf 'tfcli: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# Serialise concurrent builds of the same CLI (make -j, two test runs).
with_lock() {
  local name=$1; shift
  exec 9>"$CACHE_DIR/.$name.lock"
  flock 9
  "$@"
}

# module_dir MODULE VERSION: the module's extracted source in the module cache.
module_dir() {
  local dir
  dir=$(go mod download -json "$1@v$2" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] && [ -d "$dir" ] || die "could not download $1 v$2 from the Go module proxy"
  echo "$dir"
}

# writable_copy DIR: a scratch copy of a read-only module directory.
writable_copy() {
  local src; src=$(mktemp -d)
  cp -R "$1/." "$src/"
  chmod -R u+w "$src"
  echo "$src"
}

# Terraform 1.5.7 is the last release whose root module builds with go install.
build_terraform_mpl() {
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

# From 1.6 on, the root go.mod replaces the remote-state backends and
# internal/legacy with nested modules that are absent from the module zip and
# that the proxy does not serve. Build without them: drop their requirements and
# the backends' imports and registrations. Only local, http, inmem, remote and
# cloud stay, which is all provider tests use.
build_terraform_latest() {
  local v=$TERRAFORM_LATEST_VERSION out="$CACHE_DIR/terraform-$TERRAFORM_LATEST_VERSION"
  if [ -x "$out" ]; then echo "$out"; return; fi
  log "building Terraform $v from the Go module proxy (about 5 minutes, cached in $CACHE_DIR)"
  local src; src=$(writable_copy "$(module_dir github.com/hashicorp/terraform "$v")")
  (
    cd "$src"
    local need have
    need=$(sed -n 's/^go \([0-9.]*\).*/\1/p' go.mod)
    have=$(go env GOVERSION | sed 's/^go//')
    [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n 1)" = "$need" ] ||
      die "Terraform $v needs Go >= $need; this is Go $have"

    local nested
    nested=$(sed -n 's|^replace \(github.com/hashicorp/terraform/internal/[^ ]*\) => \./.*|\1|p' go.mod)
    [ -n "$nested" ] || die "Terraform $v: no nested-module replace lines in go.mod; the build recipe needs updating"
    local m
    for m in $nested; do go mod edit -dropreplace="$m" -droprequire="$m"; done

    local init=internal/backend/init/init.go alias pkg
    for m in $nested; do
      case "$m" in
        */internal/backend/remote-state/*) ;;
        */internal/legacy) continue ;;
        *) die "Terraform $v: unexpected nested module $m; the build recipe needs updating" ;;
      esac
      # The import is `backendXxx "MODULE"`; its one registration calls backendXxx.New().
      alias=$(sed -n "s|^[[:space:]]*\([A-Za-z0-9_]*\)[[:space:]]*\"$m\"\$|\1|p" "$init")
      [ "$(grep -c "\"$m\"\$" "$init")" = 1 ] && [ -n "$alias" ] ||
        die "Terraform $v: $init no longer imports $m as one aliased line; the build recipe needs updating"
      [ "$(grep -c "$alias\.New(" "$init")" = 1 ] ||
        die "Terraform $v: $init does not register $alias exactly once; the build recipe needs updating"
      sed -i -e "\|\"$m\"\$|d" -e "/$alias\.New(/d" "$init"
      ! grep -q "\b$alias\b" "$init" || die "Terraform $v: $init still uses $alias after the edit"
    done
    # Anything else in the root module importing a dropped module fails the build below, loudly.
    CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -mod=mod -trimpath \
      -ldflags "-X github.com/hashicorp/terraform/version.dev=no" -o "$out.tmp" .
  ) || { rm -rf "$src"; die "building Terraform $v failed"; }
  rm -rf "$src"
  mv "$out.tmp" "$out"
  echo "$out"
}

# build_tofu VERSION: OpenTofu's module builds as it is, from a writable copy.
build_tofu() {
  local v=$1 out="$CACHE_DIR/tofu-$1"
  if [ -x "$out" ]; then echo "$out"; return; fi
  log "building OpenTofu $v from the Go module proxy (about 4 minutes, cached in $CACHE_DIR)"
  local src; src=$(writable_copy "$(module_dir github.com/opentofu/opentofu "$v")")
  # Without dev=no the binary calls itself a -dev prerelease.
  (cd "$src" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath \
    -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$out.tmp" ./cmd/tofu) ||
    { rm -rf "$src"; die "building OpenTofu $v failed"; }
  rm -rf "$src"
  mv "$out.tmp" "$out"
  echo "$out"
}

case "${1:-terraform}" in
  terraform)
    if command -v terraform >/dev/null 2>&1; then
      command -v terraform | xargs readlink -f
    else
      with_lock terraform build_terraform_mpl
    fi
    ;;
  terraform-1.5 | terraform-mpl) with_lock terraform build_terraform_mpl ;;
  terraform-latest) with_lock terraform-latest build_terraform_latest ;;
  tofu) with_lock tofu build_tofu "$TOFU_VERSION" ;;
  tofu-latest) with_lock tofu-latest build_tofu "$TOFU_LATEST_VERSION" ;;
  versions)
    printf '%s %s\n' terraform-1.5 "$TERRAFORM_VERSION" terraform-latest "$TERRAFORM_LATEST_VERSION" \
      tofu "$TOFU_VERSION" tofu-latest "$TOFU_LATEST_VERSION"
    ;;
  *) log "unknown CLI '$1' (terraform, terraform-1.5, terraform-latest, tofu or tofu-latest)"; exit 2 ;;
esac
