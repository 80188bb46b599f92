#!/bin/bash
# Pull benchmark (not a test). Builds a ~200 MB, 4-layer image (many small files, a large compressible file, a large
# incompressible file, a busybox base), pushes it to the loopback registry (tests/setup/registry.sh, port 5000) with
# skopeo, then times in one run:
#   skiff pull          (NativeAOT skiff; download + verify + unpack into overlay snapshots)
#   skopeo copy         (docker:// -> oci: directory; download + verify, no unpack)
#   podman pull / docker pull   (where installed; with no running docker daemon, a private dockerd is started for the
#                                run — temp data/exec root, own socket, no bridge/iptables — and stopped by pid at the end)
#   floor               (curl every blob in parallel, each piped into `tar xz` — fetch + unpack with stock tools)
# and prints times, throughput (compressed MB/s) and ratios. Usage: bench/pull/run.sh [runs]   (default 3; best is kept)
set -euo pipefail
RUNS=${1:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/skiff-bench-pull}
REG=127.0.0.1:5000
IMAGE=bench/pull:1
mkdir -p "$WORK"

"$REPO/tests/setup/registry.sh" start >/dev/null

SKIFF=${SKIFF:-$WORK/bin/skiff}
if [ ! -x "$SKIFF" ]; then
  echo "publishing NativeAOT skiff..." >&2
  dotnet publish -c Release "$REPO/src/Skiff.Cli" -o "$WORK/bin" >/dev/null
fi

build_image() {
  local L="$WORK/layers" OCI="$WORK/oci"
  rm -rf "$L" "$OCI"; mkdir -p "$L"/{base,small,text,noise} "$OCI/blobs/sha256"
  mkdir -p "$L/base/bin" && cp /bin/busybox "$L/base/bin/" && for a in sh ls cat; do ln -s busybox "$L/base/bin/$a"; done
  # ~20k small files (1-4 KiB) in 200 directories
  python3 - "$L/small" <<'PY'
import os, sys, random
r = random.Random(1); root = sys.argv[1]
for d in range(200):
    p = os.path.join(root, f"d{d:03}"); os.makedirs(p)
    for f in range(100):
        with open(os.path.join(p, f"f{f:03}.txt"), "wb") as fh: fh.write(r.randbytes(r.randint(1024, 4096) // 2).hex().encode()[: r.randint(1024, 4096)])
PY
  # ~64 MB compressible (log-like text), ~64 MB incompressible
  python3 - "$L/text/app.log" <<'PY'
import sys, random
r = random.Random(2)
words = [w.encode() for w in "error warn info debug request response user session cache miss hit latency ms bytes".split()]
with open(sys.argv[1], "wb") as f:
    n = 0
    while n < 64 << 20:
        line = b"2024-01-01T00:00:%02d " % r.randint(0, 59) + b" ".join(r.choice(words) for _ in range(12)) + b" id=%d\n" % r.randint(0, 10**9)
        f.write(line); n += len(line)
PY
  head -c $((64 << 20)) /dev/urandom > "$L/noise/blob.bin"
  local layers="" diffids=""
  for d in base small text noise; do
    tar --sort=name --mtime=@1700000000 --owner=0 --group=0 --numeric-owner -C "$L/$d" -cf "$WORK/$d.tar" .
    local diff=$(sha256sum "$WORK/$d.tar" | cut -d' ' -f1)
    gzip -6 -c "$WORK/$d.tar" > "$WORK/$d.tar.gz"
    local dg=$(sha256sum "$WORK/$d.tar.gz" | cut -d' ' -f1) sz=$(stat -c %s "$WORK/$d.tar.gz")
    mv "$WORK/$d.tar.gz" "$OCI/blobs/sha256/$dg"; rm "$WORK/$d.tar"
    layers="$layers${layers:+,}{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:$dg\",\"size\":$sz}"
    diffids="$diffids${diffids:+,}\"sha256:$diff\""
  done
  printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":[%s]}}' "$diffids" > "$WORK/config.json"
  local cd=$(sha256sum "$WORK/config.json" | cut -d' ' -f1) cs=$(stat -c %s "$WORK/config.json")
  mv "$WORK/config.json" "$OCI/blobs/sha256/$cd"
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[%s]}' "$cd" "$cs" "$layers" > "$WORK/manifest.json"
  local md=$(sha256sum "$WORK/manifest.json" | cut -d' ' -f1) ms=$(stat -c %s "$WORK/manifest.json")
  mv "$WORK/manifest.json" "$OCI/blobs/sha256/$md"
  echo '{"imageLayoutVersion":"1.0.0"}' > "$OCI/oci-layout"
  printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"1"}}]}' "$md" "$ms" > "$OCI/index.json"
  skopeo copy --quiet --dest-tls-verify=false "oci:$OCI:1" "docker://$REG/$IMAGE"
  rm -rf "$L"
}

if ! skopeo inspect --tls-verify=false "docker://$REG/$IMAGE" >/dev/null 2>&1; then echo "building the benchmark image..." >&2; build_image; fi
RAW=$(skopeo inspect --raw --tls-verify=false "docker://$REG/$IMAGE")
BLOBS=$(echo "$RAW" | python3 -c 'import json,sys; m=json.load(sys.stdin); print(" ".join(l["digest"] for l in m["layers"]))')
BYTES=$(echo "$RAW" | python3 -c 'import json,sys; m=json.load(sys.stdin); print(sum(l["size"] for l in m["layers"]))')
UNPACKED_MB=$(echo "$RAW" | python3 -c 'import json,sys; m=json.load(sys.stdin); print(len(m["layers"]))')

now() { date +%s.%N; }
declare -A BEST
# one timed run of tool $1 (prepared by $2), keeping the best time per tool
timed() {
  local name=$1 prep=$2; shift 2
  eval "$prep"; sync
  local t0=$(now); "$@" >/dev/null 2>&1 || { echo "$name failed" >&2; return 1; }; local t1=$(now)
  local d=$(echo "$t1 - $t0" | bc -l)
  if [ -z "${BEST[$name]:-}" ] || [ "$(echo "$d < ${BEST[$name]}" | bc -l)" = 1 ]; then BEST[$name]=$d; fi
}

floor() {
  local out="$WORK/floor"; mkdir -p "$out"; local pids="" blob
  for blob in $BLOBS; do
    mkdir -p "$out/${blob#sha256:}"
    (curl -sf "http://$REG/v2/bench/pull/blobs/$blob" | tar xz -C "$out/${blob#sha256:}") & pids="$pids $!"
  done
  for p in $pids; do wait "$p"; done
}

HAVE_PODMAN=0; HAVE_DOCKER=0; DOCKERD_PID=""
command -v podman >/dev/null 2>&1 && HAVE_PODMAN=1
# A private dockerd: touches nothing of a system docker (own data root, exec root, socket, pidfile; no networking).
start_dockerd() {
  local d="$WORK/dockerd"; rm -rf "$d"; mkdir -p "$d/data" "$d/exec"
  export DOCKER_HOST="unix://$d/docker.sock"
  dockerd --data-root "$d/data" --exec-root "$d/exec" -H "$DOCKER_HOST" --pidfile "$d/dockerd.pid" \
    --bridge=none --iptables=false --ip6tables=false --ip-masq=false --insecure-registry "$REG" >"$d/log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 120); do docker info >/dev/null 2>&1 && return 0; kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.25; done
  echo "private dockerd did not come up (see $d/log)" >&2; stop_dockerd; return 1
}
stop_dockerd() {
  [ -n "$DOCKERD_PID" ] || return 0
  kill "$DOCKERD_PID" 2>/dev/null || true
  for _ in $(seq 80); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$DOCKERD_PID" 2>/dev/null || true; wait "$DOCKERD_PID" 2>/dev/null || true
  DOCKERD_PID=""; unset DOCKER_HOST
  rm -rf "$WORK/dockerd"
}
trap stop_dockerd EXIT
if docker info >/dev/null 2>&1; then HAVE_DOCKER=1
elif command -v dockerd >/dev/null 2>&1 && start_dockerd; then HAVE_DOCKER=1; fi
# interleaved, so slow phases of the machine hit every tool alike
for i in $(seq "$RUNS"); do
  timed skiff "rm -rf $WORK/skiff-root" "$SKIFF" --root "$WORK/skiff-root" pull -q "$REG/$IMAGE"
  timed skopeo "rm -rf $WORK/skopeo-oci" skopeo copy --quiet --src-tls-verify=false "docker://$REG/$IMAGE" "oci:$WORK/skopeo-oci:1"
  timed floor "rm -rf $WORK/floor" floor
  [ $HAVE_PODMAN = 1 ] && timed podman "podman rmi -f $REG/$IMAGE >/dev/null 2>&1 || true" podman pull --tls-verify=false "$REG/$IMAGE"
  [ $HAVE_DOCKER = 1 ] && timed docker "docker rmi -f $REG/$IMAGE >/dev/null 2>&1 || true" docker pull "$REG/$IMAGE"
done
T_SKIFF=${BEST[skiff]}; T_SKOPEO=${BEST[skopeo]}; T_FLOOR=${BEST[floor]}; T_PODMAN=${BEST[podman]:-}; T_DOCKER=${BEST[docker]:-}
rm -rf "$WORK/skiff-root" "$WORK/skopeo-oci" "$WORK/floor"
[ $HAVE_PODMAN = 1 ] && { podman rmi -f "$REG/$IMAGE" >/dev/null 2>&1 || true; }
[ $HAVE_DOCKER = 1 ] && { docker rmi -f "$REG/$IMAGE" >/dev/null 2>&1 || true; }
DOCKER_DRIVER=$([ $HAVE_DOCKER = 1 ] && docker info --format "{{.Driver}}" 2>/dev/null || true)
DOCKER_KIND=$([ -n "$DOCKERD_PID" ] && echo "private dockerd, " || true)
stop_dockerd
PODMAN_DRIVER=$([ $HAVE_PODMAN = 1 ] && podman info --format "{{.Store.GraphDriverName}}" 2>/dev/null || true)

MB=$(echo "$BYTES / 1000000" | bc -l)
row() { printf "%-40s %8.3f s  %8.1f MB/s" "$1" "$2" "$(echo "$MB / $2" | bc -l)"; [ -n "${3:-}" ] && printf "   %s" "$3"; echo; }
ratio() { echo "$1 / $2" | bc -l | xargs printf "%.2f"; }
echo "image $REG/$IMAGE: $UNPACKED_MB layers, $(printf %.1f "$MB") MB compressed; best of $RUNS runs"
row "skiff pull (download+unpack)" "$T_SKIFF" "= $(ratio "$T_SKIFF" "$T_FLOOR")x floor"
row "skopeo copy -> oci: (no unpack)" "$T_SKOPEO" "skiff/skopeo = $(ratio "$T_SKIFF" "$T_SKOPEO")"
[ -n "$T_PODMAN" ] && row "podman pull ($PODMAN_DRIVER)" "$T_PODMAN" "skiff/podman = $(ratio "$T_SKIFF" "$T_PODMAN") (target <= 0.6)" || echo "podman pull                              not installed"
[ -n "$T_DOCKER" ] && row "docker pull ($DOCKER_KIND$DOCKER_DRIVER)" "$T_DOCKER" "skiff/docker = $(ratio "$T_SKIFF" "$T_DOCKER")" || echo "docker pull                              not installed (or dockerd failed to start)"
row "floor (curl | tar xz, parallel)" "$T_FLOOR"
