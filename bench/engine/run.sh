#!/bin/bash
# Engine benchmark (not a test), issue 5 §7. One busybox image (from Debian's busybox-static, no internet) imported into
# skiff, podman and a private dockerd; then, interleaved in one run:
#   latency:  `run --rm --network none IMG true`, N times each: skiff (oar), podman (crun), docker (runc)
#   memory:   `run -d --network none IMG sleep 3600` ×M per engine; the per-container processes' PSS (shim + container
#             processes) and the fall in MemAvailable, then everything removed.
# Usage: bench/engine/run.sh [N=20] [M=50]
set -euo pipefail
N=${1:-20}; M=${2:-50}
# crun 1.8 (Debian 12) refuses hybrid cgroups while any controller is enabled on cgroup2 (hugetlb is, here): runc by default.
PODMAN_RUNTIME=${PODMAN_RUNTIME:-runc}
HERE=$(cd "$(dirname "$0")" && pwd); REPO=$(cd "$HERE/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/skiff-bench-engine}; mkdir -p "$WORK"
SKIFF=${SKIFF:-$REPO/out/skiff/skiff}
export OAR_BINARY=${OAR_BINARY:-$REPO/out/oar/oar}
SROOT="$WORK/skiff-root"; export SKIFF_ROOT="$SROOT" SKIFF_RUN_ROOT="$WORK/skiff-run"
IMG=skiffbench/busybox:1

# --- the image
if [ ! -f "$WORK/busybox.tar" ]; then
  r="$WORK/rootfs"; rm -rf "$r"; mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/root"
  cp /bin/busybox "$r/bin/busybox"; for a in $("$r/bin/busybox" --list); do [ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$r/etc/group"
  tar --numeric-owner -C "$r" -cf "$WORK/busybox.tar" .; rm -rf "$r"
fi
"$SKIFF" import "$WORK/busybox.tar" "$IMG" >/dev/null
podman import -q "$WORK/busybox.tar" "$IMG" >/dev/null

DOCKERD_PID=""
start_dockerd() {
  local d="$WORK/dockerd"; rm -rf "$d"; mkdir -p "$d/data" "$d/exec"
  export DOCKER_HOST="unix://$d/docker.sock"
  dockerd --data-root "$d/data" --exec-root "$d/exec" -H "$DOCKER_HOST" --pidfile "$d/dockerd.pid" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false >"$d/log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 160); do docker info >/dev/null 2>&1 && return 0; kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.25; done
  echo "private dockerd did not come up (see $d/log)" >&2; return 1
}
cleanup() {
  "$SKIFF" rm -f $("$SKIFF" ps -aq 2>/dev/null) >/dev/null 2>&1 || true
  podman rm -f $(podman ps -aq --filter label=skiffbench=1) >/dev/null 2>&1 || true
  if [ -n "$DOCKERD_PID" ]; then
    docker rm -f $(docker ps -aq) >/dev/null 2>&1 || true
    kill "$DOCKERD_PID" 2>/dev/null || true
    for _ in $(seq 80); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$DOCKERD_PID" 2>/dev/null || true
    rm -rf "$WORK/dockerd"
  fi
  # skiff's network namespaces live on a bind-mounted directory under its run root (as `ip netns` does)
  umount "$SKIFF_RUN_ROOT/netns" 2>/dev/null || true
}
trap cleanup EXIT
HAVE_DOCKER=0
if command -v dockerd >/dev/null && start_dockerd; then docker import "$WORK/busybox.tar" "$IMG" >/dev/null; HAVE_DOCKER=1; fi

ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000 )); }
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m/1000}'; }
: > "$WORK/skiff.t"; : > "$WORK/podman.t"; : > "$WORK/docker.t"
for i in $(seq "$N"); do
  ms "$SKIFF" run --rm --network none "$IMG" true >> "$WORK/skiff.t"
  ms podman run --rm --runtime ${PODMAN_RUNTIME:-runc} --ulimit nofile=20000:20000 --ulimit nproc=32768:32768 --network none "$IMG" true >> "$WORK/podman.t"
  [ $HAVE_DOCKER = 1 ] && ms docker run --rm --network none "$IMG" true >> "$WORK/docker.t"
done
S=$(median < "$WORK/skiff.t"); P=$(median < "$WORK/podman.t"); D=$([ $HAVE_DOCKER = 1 ] && median < "$WORK/docker.t" || echo "")
echo "run --rm --network none IMG true, median of $N (ms):"
printf "  skiff (oar)    %8s\n  podman ($PODMAN_RUNTIME)%8s   skiff/podman = %s (target <= 0.5)\n" "$S" "$P" "$(echo "$S / $P" | bc -l | xargs printf %.2f)"
[ -n "$D" ] && printf "  docker (runc)  %8s   skiff/docker = %s\n" "$D" "$(echo "$S / $D" | bc -l | xargs printf %.2f)"

# --- memory of M idle containers
pss_of() { local sum=0 p v; for p in "$@"; do v=$(awk '/^Pss:/ {print $2}' /proc/$p/smaps_rollup 2>/dev/null || echo 0); sum=$((sum + ${v:-0})); done; echo $sum; }
avail() { awk '/MemAvailable/ {print $2}' /proc/meminfo; }
measure() { # name, pgrep -f pattern for the shims, start command...
  local name=$1 shim=$2; shift 2
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; sleep 1
  local a0; a0=$(avail)
  for i in $(seq "$M"); do "$@" >/dev/null; done
  sleep 2
  local shims; shims=$(pgrep -f "$shim" || true)
  local kids=""; for s in $shims; do kids="$kids $(pgrep -P "$s" || true)"; done
  local a1; a1=$(avail)
  local sp cp; sp=$(pss_of $shims); cp=$(pss_of $kids)
  printf "  %-8s %3d shims  shim PSS %7.2f MB total (%5.2f MB each)  container PSS %7.2f MB  MemAvailable fell %7.1f MB (%.2f MB/container)\n" \
    "$name" "$(echo $shims | wc -w)" "$(echo "$sp/1024" | bc -l)" "$(echo "$sp/1024/$M" | bc -l)" "$(echo "$cp/1024" | bc -l)" \
    "$(echo "($a0-$a1)/1024" | bc -l)" "$(echo "($a0-$a1)/1024/$M" | bc -l)"
}
echo "$M idle containers (run -d --network none IMG sleep 3600):"
measure skiff "^[^ ]*skiff-shim .*$SROOT" "$SKIFF" run -d --network none "$IMG" sleep 3600
"$SKIFF" rm -f $("$SKIFF" ps -aq) >/dev/null
measure podman "^/usr/bin/conmon " podman run -d --runtime ${PODMAN_RUNTIME:-runc} --ulimit nofile=20000:20000 --ulimit nproc=32768:32768 --label skiffbench=1 --network none "$IMG" sleep 3600
podman rm -f -t 0 $(podman ps -aq --filter label=skiffbench=1) >/dev/null
if [ $HAVE_DOCKER = 1 ]; then
  measure docker "containerd-shim-runc-v2 .*$WORK/dockerd" docker run -d --network none "$IMG" sleep 3600
  docker rm -f $(docker ps -aq) >/dev/null
fi
