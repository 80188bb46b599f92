#!/usr/bin/env bash
# oar vs runc vs crun, same bundle, one run. Usage: bench/runtime/run.sh [--runs 30] [--sequential 100]
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/deps.sh
dotnet publish src/Oar -c Release -o out/oar -v quiet -nologo
dotnet build bench/runtime -c Release -v quiet -nologo >/dev/null
exec dotnet bench/runtime/bin/Release/net10.0/linux-x64/RuntimeBench.dll "$@"
