#!/usr/bin/env bash
# The main job: set up, build, make a busybox rootfs from Debian's busybox-static, and run a container with oar.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh busybox-static
bash scripts/build.sh
oar="$PWD/out/oar/oar"
work=$(mktemp -d /tmp/skiff-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/rootfs/bin" "$work/rootfs/proc" "$work/rootfs/sys" "$work/rootfs/dev" "$work/rootfs/etc"
cp /bin/busybox "$work/rootfs/bin/busybox"
for applet in $(/bin/busybox --list); do [ -e "$work/rootfs/bin/$applet" ] || ln -s busybox "$work/rootfs/bin/$applet"; done
# `oar spec` writes runc's default config (an interactive shell); the demo prints a greeting instead.
(cd "$work" && "$oar" spec)
sed -i -e 's/"terminal": true/"terminal": false/' \
       -e 's|^\( *\)"sh"$|\1"sh", "-c", "echo Hello from a Skiff container: host $(hostname), pid $$, $(id)"|' "$work/config.json"
"$oar" run --bundle "$work" "demo-$$"
