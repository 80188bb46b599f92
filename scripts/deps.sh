#!/usr/bin/env bash
# Installs what Skiff builds and tests with on a fresh Debian 12 (as root): the apt packages named as arguments, or
# with none those listed in tests/setup/apt-packages.txt; and checks the .NET SDK. Idempotent; quiet when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

if [ $# -gt 0 ]; then
  wanted=("$@")
else
  mapfile -t wanted < <(cat tests/setup/apt-packages.txt | sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$' | sort -u)
fi
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  apt-get update -qq >/dev/null 2>&1 || apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "deps: the .NET SDK 10 is required (dotnet on PATH)" >&2
  exit 1
fi
