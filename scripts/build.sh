#!/usr/bin/env bash
# Builds the solution and publishes the NativeAOT binaries the tests and the demo run, into out/.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Skiff.slnx -c Debug -v quiet -nologo "-clp:ErrorsOnly" >/dev/null || dotnet build Skiff.slnx -c Debug -v quiet -nologo
dotnet publish src/Oar -c Release -o out/oar -v quiet -nologo "-clp:ErrorsOnly"
dotnet publish src/Skiff.Cli -c Release -o out/skiff -v quiet -nologo "-clp:ErrorsOnly"
dotnet publish src/Skiff.Shim -c Release -o out/skiff -v quiet -nologo "-clp:ErrorsOnly"
