#!/usr/bin/env bash
# Sets up everything the tests need (apt packages, build, services) and runs every test project.
# The last line is the total: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash scripts/deps.sh || exit 1
bash scripts/build.sh || exit 1

started=()
for s in tests/setup/*.sh; do
  [ -f "$s" ] || continue
  bash "$s" start || { echo "test: service $s failed to start" >&2; exit 1; }
  started+=("$s")
done
stop_services() { for s in "${started[@]}"; do bash "$s" stop || true; done; }
trap stop_services EXIT

export OAR_BINARY="$PWD/out/oar/oar"
log=$(mktemp /tmp/skiff-test-log.XXXXXX)
rc=0
for proj in tests/*/*.csproj; do
  echo "== $(basename "$(dirname "$proj")")"
  dotnet test "$proj" --no-build -nologo -v quiet 2>&1 | tee -a "$log" | grep -vE '^\s*$|^Test run for|^VSTest version|^Starting test execution|^A total of' || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
done
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -oE 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
[ "$failed" -eq 0 ] || rc=1
[ "$passed" -gt 0 ] || rc=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $rc
