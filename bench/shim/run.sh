#!/usr/bin/env bash
# Idle memory per container supervisor: skiff-shim vs podman's conmon vs containerd-shim-runc-v2, in one run.
# Starts N idle busybox containers (`sleep 1000`) under each, reads /proc/<pid>/smaps_rollup of every
# supervisor process, and prints averages (Rss, Pss, Anonymous) and the ratios skiff/conmon, skiff/containerd.
# containerd runs as a private daemon (own root, state and socket under the work directory); it is skipped
# when containerd or ctr is not installed. Everything started here - containers, podman's overlay mounts, the
# containerd daemon, the work directory - is removed on exit, also when a step fails or on Ctrl-C.
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
CTR=(ctr --address "$W/containerd/c.sock")
shim_ids=(); ctd_ids=(); ctd_pid=
cleanup() {
  set +e
  for id in "${shim_ids[@]}"; do "$RT" --root "$W/rt" kill "$id" 9 >/dev/null 2>&1; done
  for id in "${ctd_ids[@]}"; do "${CTR[@]}" task kill -s KILL "$id" >/dev/null 2>&1; done
  sleep 1
  for id in "${shim_ids[@]}"; do "$RT" --root "$W/rt" delete --force "$id" >/dev/null 2>&1; done
  for id in "${ctd_ids[@]}"; do
    "${CTR[@]}" task delete --force "$id" >/dev/null 2>&1; "${CTR[@]}" container delete "$id" >/dev/null 2>&1
  done
  if [ -n "$ctd_pid" ]; then
    kill "$ctd_pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$ctd_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -d "$W/podman" ]; then
    "${PODMAN[@]}" rm -f -a -t 0 >/dev/null 2>&1
    "${PODMAN[@]}" rmi -a -f >/dev/null 2>&1
    # conmon runs `podman container cleanup` when a container dies; those processes (re)mount the storage
    # after the commands above returned. Wait for them (up to 20 s) before unmounting.
    for _ in $(seq 1 200); do pgrep -f -- "--root $W/podman/root" >/dev/null || break; sleep 0.1; done
  fi
  # podman's storage leaves overlay mounts (and a private bind of its overlay directory) behind: unmount
  # every mount under the work directory, deepest first, before removing it.
  for _ in 1 2 3; do
    mounts=$(awk -v w="$W/" 'index($5, w) == 1 {print $5}' /proc/self/mountinfo | sort -r)
    [ -z "$mounts" ] && break
    for m in $mounts; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null; done
  done
  rm -rf --one-file-system "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

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

# containerd (containerd-shim-runc-v2 with runc) xN on the same rootfs, through a private daemon.
if command -v containerd >/dev/null && command -v ctr >/dev/null; then
  mkdir -p "$W/containerd"
  cat >"$W/containerd/config.toml" <<TOML
version = 2
root = "$W/containerd/root"
state = "$W/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$W/containerd/c.sock"
[ttrpc]
  address = "$W/containerd/c.sock.ttrpc"
[metrics]
  address = ""
TOML
  containerd --config "$W/containerd/config.toml" >"$W/containerd/log" 2>&1 &
  ctd_pid=$!
  for _ in $(seq 1 100); do "${CTR[@]}" version >/dev/null 2>&1 && break; sleep 0.1; done
  for i in $(seq 1 "$N"); do
    id="skiff-bench-$$-$i"
    ctd_ids+=("$id")
    "${CTR[@]}" run -d --rootfs "$W/rootfs" "$id" /bin/sleep 1000 >/dev/null
  done
else
  echo "bench: containerd/ctr not installed; containerd-shim not measured" >&2
fi

sleep 2  # let all settle into their idle loops
measure() { # label pids...
  local label=$1; shift
  awk -v label="$label" -v n="$#" '
    /^Rss:/ {rss+=$2} /^Pss:/ {pss+=$2} /^Anonymous:/ {anon+=$2}
    END { printf "%-12s %3d  %8.2f MB %8.2f MB %8.2f MB\n", label, n, rss/n/1024, pss/n/1024, anon/n/1024 }' \
    $(for p in "$@"; do echo "/proc/$p/smaps_rollup"; done)
}
shim_pids=$(for i in $(seq 1 "$N"); do python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['shimPid'])" "$W/c$i/shim-state.json"; done)
conmon_pids=$(for i in $(seq 1 "$N"); do "${PODMAN[@]}" inspect --format '{{.State.ConmonPid}}' "skiff-bench-$$-$i"; done)
# A containerd task's shim is its init's parent.
ctd_pids=$(for id in "${ctd_ids[@]}"; do
  p=$("${CTR[@]}" task ls | awk -v id="$id" '$1 == id {print $2}'); ps -o ppid= -p "$p" | tr -d ' '
done)

echo "idle supervisors, $N containers each (averages per process)"
printf "%-12s %3s  %11s %11s %11s\n" "" "n" "Rss" "Pss" "Anonymous"
s=$(measure "skiff-shim" $shim_pids); c=$(measure "conmon" $conmon_pids)
echo "$s"; echo "$c"
d=""; if [ -n "$ctd_pids" ]; then d=$(measure "containerd" $ctd_pids); echo "$d"; fi
python3 - "$s" "$c" "$d" <<'PY'
import sys
s = [float(x) for x in sys.argv[1].split()[2::2]]
for name, row in (("conmon", sys.argv[2]), ("containerd-shim", sys.argv[3])):
    if not row: continue
    o = [float(x) for x in row.split()[2::2]]
    print("ratio skiff/%-16s Rss %.2fx   Pss %.2fx   Anonymous %.2fx" % ((name,) + tuple(a / b for a, b in zip(s, o))))
PY
