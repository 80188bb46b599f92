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

# The engine: import the same busybox rootfs as an image into a private skiff root and run it with `skiff run --rm`
# (skiff-shim + oar, default bridge network, docker's security defaults). No registry, no internet.
skiff="$PWD/out/skiff/skiff"
root="$work/skiff-root"
run_root="/run/skiff-demo-$$"
export OAR_BINARY="$oar"
cleanup_engine() { "$skiff" --root "$root" --run-root "$run_root" rm -f $("$skiff" --root "$root" --run-root "$run_root" ps -aq 2>/dev/null) >/dev/null 2>&1 || true; umount "$run_root/netns" 2>/dev/null || true; rm -rf "$run_root"; }
trap 'cleanup_engine; rm -rf "$work"' EXIT
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$work/rootfs/etc/passwd"
printf 'root:x:0:\n' > "$work/rootfs/etc/group"
(cd "$work/rootfs" && tar -cf "$work/busybox.tar" .)
"$skiff" --root "$root" --run-root "$run_root" import --change 'ENV PATH=/bin' --change 'CMD ["sh"]' "$work/busybox.tar" localhost/busybox:demo >/dev/null
"$skiff" --root "$root" --run-root "$run_root" run --rm localhost/busybox:demo sh -c 'echo "Hello from skiff run: container $(hostname), $(id -un) in $(pwd)"'
