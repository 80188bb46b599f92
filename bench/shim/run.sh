#!/usr/bin/env bash
# Idle memory per container supervisor: skiff-shim vs podman's conmon, measured in one run.
# Starts N idle busybox containers (`sleep 1000`) under each, reads /proc/<pid>/smaps_rollup of every
# skiff-shim and every conmon, and prints averages (Rss, Pss, Anonymous) and the ratios skiff/conmon.
# Usage: bench/shim/run.sh [N]   (env: SKIFF_SHIM, OAR_BINARY, RUNTIME=oar|runc|crun for the shim,
#                                 PODMAN_RUNTIME=crun|runc for podman)
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-10}
SHIM=${SKIFF_SHIM:-$PWD/out/skiff/skiff-shim}
OAR=${OAR_BINARY:-$PWD/out/oar/oar}
RUNTIME=${RUNTIME:-oar}
case "$RUNTIME" in oar) RT=$OAR ;; *) RT=$(command -v "$RUNTIME") ;; esac
PODMAN_RUNTIME=${PODMAN_RUNTIME:-crun}
[ -x "$SHIM" ] && [ -x "$OAR" ] || { echo "bench: build first (bash scripts/build.sh): need $SHIM and $OAR" >&2; exit 1; }
command -v podman >/dev/null || { echo "bench: podman is not installed (apt-get install podman)" >&2; exit 1; }

W=$(mktemp -d /tmp/skiff-bench-shim.XXXXXX)
PODMAN=(podman --root "$W/podman/root" --runroot "$W/podman/run" --cgroup-manager cgroupfs --events-backend file)
shim_ids=()
cleanup() {
  for id in "${shim_ids[@]}"; do "$RT" --root "$W/rt" kill "$id" 9 >/dev/null 2>&1 || true; done
  sleep 1
  for id in "${shim_ids[@]}"; do "$RT" --root "$W/rt" delete --force "$id" >/dev/null 2>&1 || true; done
  "${PODMAN[@]}" rm -f -a -t 0 >/dev/null 2>&1 || true
  "${PODMAN[@]}" rmi -a -f >/dev/null 2>&1 || true
  umount -R "$W/podman/root" 2>/dev/null || true
  rm -rf "$W" 2>/dev/null || true
}
trap cleanup EXIT

# A busybox rootfs from Debian's busybox-static.
mkdir -p "$W/rootfs/bin" "$W/rootfs"/{proc,sys,dev,etc,tmp}
cp /bin/busybox "$W/rootfs/bin/"
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$W/rootfs/bin/$a"; done

# skiff-shim ×N
for i in $(seq 1 "$N"); do
  id="benchshim-$$-$i"; d="$W/c$i"; mkdir -p "$d/bundle"
  (cd "$d/bundle" && "$OAR" spec)
  python3 - "$d" "$W/rootfs" "$id" "$RT" "$W/rt" <<'PY'
import json, sys
d, rootfs, cid, rt, rtroot = sys.argv[1:]
c = json.load(open(f"{d}/bundle/config.json"))
c["root"] = {"path": rootfs, "readonly": True}
c["process"]["terminal"] = False
c["process"]["args"] = ["/bin/sleep", "1000"]
if rt.endswith("crun"): c["ociVersion"] = "1.0.2"
json.dump(c, open(f"{d}/bundle/config.json", "w"))
json.dump(dict(id=cid, bundlePath=f"{d}/bundle", runtimePath=rt, runtimeRoot=rtroot, logPath=f"{d}/log.json",
               attachSocketPath=f"{d}/attach.sock", controlSocketPath=f"{d}/control.sock",
               exitPath=f"{d}/exit.json", statePath=f"{d}/shim-state.json"), open(f"{d}/shim.json", "w"))
PY
  "$SHIM" "$d/shim.json" 3>"$d/handshake"
  shim_ids+=("$id")
done
for i in $(seq 1 "$N"); do
  for _ in $(seq 1 200); do grep -q . "$W/c$i/handshake" 2>/dev/null && break; sleep 0.05; done
  grep -q '^ok ' "$W/c$i/handshake" || { echo "bench: shim $i: $(cat "$W/c$i/handshake")" >&2; exit 1; }
done

# podman (conmon) ×N, same rootfs imported as an image.
tar -C "$W/rootfs" -c . | "${PODMAN[@]}" import -q - skiff-bench-busybox >/dev/null
prun() { "${PODMAN[@]}" run -d --runtime "$PODMAN_RUNTIME" --network none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --name "skiff-bench-$$-$1" skiff-bench-busybox sleep 1000 >/dev/null; }
if ! prun 1 2>"$W/podman.err"; then
  # crun refuses hybrid cgroups while any v2 controller is enabled; conmon is the same whichever runtime it drives.
  echo "bench: podman --runtime $PODMAN_RUNTIME failed ($(tail -1 "$W/podman.err")); using runc" >&2
  "${PODMAN[@]}" rm -f "skiff-bench-$$-1" >/dev/null 2>&1 || true
  PODMAN_RUNTIME=runc; prun 1
fi
for i in $(seq 2 "$N"); do prun "$i"; done

sleep 2  # let both settle into their idle loops
measure() { # label pids...
  local label=$1; shift
  awk -v label="$label" -v n="$#" '
    /^Rss:/ {rss+=$2} /^Pss:/ {pss+=$2} /^Anonymous:/ {anon+=$2}
    END { printf "%-12s %3d  %8.2f MB %8.2f MB %8.2f MB\n", label, n, rss/n/1024, pss/n/1024, anon/n/1024 }' \
    $(for p in "$@"; do echo "/proc/$p/smaps_rollup"; done)
}
shim_pids=$(for i in $(seq 1 "$N"); do python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['shimPid'])" "$W/c$i/shim-state.json"; done)
conmon_pids=$(for i in $(seq 1 "$N"); do "${PODMAN[@]}" inspect --format '{{.State.ConmonPid}}' "skiff-bench-$$-$i"; done)

echo "idle supervisors, $N containers each (averages per process)"
printf "%-12s %3s  %11s %11s %11s\n" "" "n" "Rss" "Pss" "Anonymous"
s=$(measure "skiff-shim" $shim_pids); c=$(measure "conmon" $conmon_pids)
echo "$s"; echo "$c"
python3 - "$s" "$c" <<'PY'
import sys
s = [float(x) for x in sys.argv[1].split()[2::2]]
c = [float(x) for x in sys.argv[2].split()[2::2]]
print("ratio skiff/conmon   Rss %.2fx   Pss %.2fx   Anonymous %.2fx" % tuple(a / b for a, b in zip(s, c)))
PY
