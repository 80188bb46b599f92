#!/usr/bin/env bash
# skiff build vs buildah bud --layers on the same multi-stage Dockerfile over a context of a few thousand generated
# files: cold build, no-change rebuild, one-file-changed rebuild. Medians of ROUNDS runs (interleaved), and ratios.
# Usage: bench/build/run.sh [ROUNDS]   (env: SKIFF, OAR_BINARY, FILES, BUILDAH_ISOLATION)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}
FILES=${FILES:-3000}
SKIFF=${SKIFF:-$PWD/out/skiff/skiff}
export OAR_BINARY=${OAR_BINARY:-$PWD/out/oar/oar}
ISO=${BUILDAH_ISOLATION:-oci}
[ -x "$SKIFF" ] || { echo "no skiff binary at $SKIFF (bash scripts/build.sh)"; exit 1; }
[ -x "$OAR_BINARY" ] || { echo "no oar binary at $OAR_BINARY"; exit 1; }
command -v buildah >/dev/null || { echo "buildah is not installed"; exit 1; }

W=$(mktemp -d /var/tmp/skiff-bench-build.XXXXXX)
cleanup() {
  for m in $(awk -v w="$W" '$5 ~ "^"w {print $5}' /proc/self/mountinfo | sort -r); do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$W"
}
trap cleanup EXIT

# --- base image: busybox-static rootfs, one tarball both tools import ---
R=$W/rootfs; mkdir -p $R/bin $R/etc $R/tmp $R/root
cp /bin/busybox $R/bin/busybox
for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox $R/bin/$a; done
printf 'root:x:0:0:root:/root:/bin/sh\n' > $R/etc/passwd; printf 'root:x:0:\n' > $R/etc/group
tar -C $R -cf $W/base.tar .

# --- context: FILES small files in lib/ and app/, plus config ---
C=$W/ctx; mkdir -p $C
python3 - "$C" "$FILES" <<'PY'
import os, sys, random
root, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
for i in range(n):
    part = "lib" if i % 3 else "app"
    d = os.path.join(root, part, "d%02d" % (i % 40))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "f%05d.txt" % i), "w") as f:
        f.write(("line %d %s\n" % (i, "x" * random.randint(10, 200))) * random.randint(1, 20))
os.makedirs(os.path.join(root, "config"), exist_ok=True)
open(os.path.join(root, "config", "app.conf"), "w").write("mode=bench\n")
open(os.path.join(root, ".dockerignore"), "w").write("*.tmp\n")
PY
cat > $C/Dockerfile <<'DF'
FROM localhost/bbbench:latest AS deps
COPY lib/ /src/lib/
RUN find /src/lib -type f | wc -l > /count && cat /src/lib/d0*/f000* | md5sum > /sum
RUN mkdir -p /opt/deps && cp /count /sum /opt/deps/

FROM localhost/bbbench:latest AS build
COPY --from=deps /opt/deps /opt/deps
COPY app/ /src/app/
RUN tar -C /src -cf /app.tar app && sha1sum /app.tar > /app.sha
RUN mkdir /out && cp /app.tar /app.sha /out/

FROM localhost/bbbench:latest
COPY --from=build /out /app
COPY config/ /etc/app/
ENV MODE=bench
RUN ls /app > /listing
CMD ["/bin/sh"]
DF
CHANGE=$(find $C/app -name '*.txt' | sort | head -1)

SK=$W/skiff; BR=$W/buildah
sk() { "$SKIFF" --root $SK "$@"; }
bh() { buildah --root $BR/root --runroot $BR/run --storage-driver overlay "$@"; }
fresh() {
  cleanup_stores
  mkdir -p $SK $BR
  sk import $W/base.tar localhost/bbbench:latest >/dev/null
  [ -f $W/base-oci.tar ] || sk save --format oci-archive -o $W/base-oci.tar localhost/bbbench:latest
  local id; id=$(bh pull -q oci-archive:$W/base-oci.tar | tail -1)
  bh tag "$id" localhost/bbbench:latest
}
cleanup_stores() {
  for m in $(awk -v w="$W/" '$5 ~ "^"w"(skiff|buildah)" {print $5}' /proc/self/mountinfo | sort -r); do umount -l "$m" 2>/dev/null || true; done
  rm -rf $SK $BR
}
now() { date +%s.%N; }
t_skiff() { local s; s=$(now); sk build -q -t bench:latest $C >/dev/null; echo "$(now) - $s" | bc; }
t_buildah() { local s; s=$(now); bh bud --layers --isolation $ISO -q -t bench:latest $C >/dev/null 2>&1; echo "$(now) - $s" | bc; }

declare -A T
for r in $(seq 1 $ROUNDS); do
  git_restore=$(cat "$CHANGE")
  fresh
  for tool in skiff buildah; do
    T[$tool,cold]+="$(t_$tool) "
  done
  for tool in skiff buildah; do
    T[$tool,nochange]+="$(t_$tool) "
  done
  echo "changed $r" >> "$CHANGE"
  for tool in skiff buildah; do
    T[$tool,onefile]+="$(t_$tool) "
  done
  printf '%s' "$git_restore" > "$CHANGE"
done
cleanup_stores

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
echo "skiff build vs buildah bud --layers (isolation $ISO), $FILES context files, medians of $ROUNDS rounds"
printf '%-10s %10s %10s %8s %8s\n' case skiff buildah ratio target
for c in cold nochange onefile; do
  s=$(echo ${T[skiff,$c]} | median); b=$(echo ${T[buildah,$c]} | median)
  target=$([ $c = cold ] && echo "<=1.0" || echo "<=0.5")
  printf '%-10s %9.2fs %9.2fs %8.2f %8s\n' $c $s $b $(echo "$s / $b" | bc -l) $target
done
