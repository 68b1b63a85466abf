#!/usr/bin/env bash
# make demo: the provider against the local emulator, from a clean clone, with
# no account and no manual step. Builds the provider and the emulator, starts
# the emulator on a free loopback port, then runs apply, plan (must show no
# changes) and destroy on examples/demo with the Terraform CLI that
# scripts/tfcli.sh finds or builds, and checks the emulator is left empty.
#
#   scripts/demo.sh                 # with Terraform
#   DEMO_CLI=tofu scripts/demo.sh   # with OpenTofu
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

step() { printf '\n== %s ==\n' "$*"; }

tf=$(scripts/tfcli.sh "${DEMO_CLI:-terraform}")
work=$(mktemp -d "${TMPDIR:-/tmp}/osc-demo.XXXXXX")
emulator_pid=
cleanup() {
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

step "building the provider and the emulator"
mkdir -p "$work/plugins" "$work/config"
go build -o "$work/plugins/terraform-provider-osc" .
go build -o "$work/osc-emulator" ./cmd/osc-emulator
go build -o "$work/emuinfo" ./scripts/emuinfo

step "starting the emulator"
# Short transitions keep the demo quick; the provider's waits are unchanged.
"$work/osc-emulator" -addr 127.0.0.1:0 -transition-delay 1s >"$work/emulator.out" 2>"$work/emulator.log" &
emulator_pid=$!
for _ in $(seq 100); do
  [ -s "$work/emulator.out" ] && [ "$(wc -l <"$work/emulator.out")" -ge 1 ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; echo "demo: the emulator stopped" >&2; exit 1; }
  sleep 0.1
done
base_url=$(head -n 1 "$work/emulator.out" | "$work/emuinfo" tfvars "$work/config/terraform.tfvars.json")
echo "emulator listening on $base_url (owner and recipient accounts from its first output line)"

# Use the provider just built instead of a registry download.
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "oscdl/osc" = "$work/plugins"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
# Colors only on a terminal: CI logs stay readable.
color=()
[ -t 1 ] || color=(-no-color)
cp examples/demo/*.tf "$work/config/"
cd "$work/config"

step "$("$tf" version | head -n 1): apply"
"$tf" apply -auto-approve -input=false "${color[@]}"

step "plan: expecting no changes"
set +e
"$tf" plan -input=false -detailed-exitcode "${color[@]}"
plan_status=$?
set -e
case $plan_status in
  0) echo "demo: plan shows no changes, as expected" ;;
  2) echo "demo: FAILED: plan after apply wants changes" >&2; exit 1 ;;
  *) echo "demo: FAILED: plan exited $plan_status" >&2; exit 1 ;;
esac

step "destroy"
"$tf" destroy -auto-approve -input=false "${color[@]}"

step "what the emulator still holds"
"$work/emuinfo" interfaces "$base_url"

step "demo done: apply, empty plan and destroy all succeeded"
