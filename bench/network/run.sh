#!/bin/bash
# Network setup benchmark (not a test). Times, in one run, N times each (median and p90, ms):
#   skiff   NetworkService.CreateSandbox + Connect (veth, address, route, NAT; with --port also one published port)
#           + DestroySandbox, in-process over rtnetlink, one `nft -f -` batch per connect
#   shell   the same work with iproute2 and nft: `ip netns add`, `ip link add … type veth peer … netns`, master/up,
#           `ip -n` addr/link/route, `nft add element` (with --port), then `nft delete element`, `ip link del`, `ip netns del`
# Both use their own bridge, subnet and nft table (removed at the end). Usage: bench/network/run.sh [runs] [--port]
set -euo pipefail
RUNS=${1:-50}
PORT=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
WORK=${BENCH_DIR:-/tmp/skiff-bench-network}
BIN="$WORK/bin"
rm -rf "$WORK/root"; mkdir -p "$WORK/root"

cleanup() {
  ip link del skbench0 2>/dev/null || true
  ip link del skbench1 2>/dev/null || true
  nft delete table ip skiffbench 2>/dev/null || true
  nft delete table ip skiffbenchsh 2>/dev/null || true
  umount "$WORK/root/run/netns" 2>/dev/null || true
  for n in $(ip netns list 2>/dev/null | awk '/^skbench/ {print $1}'); do ip netns del "$n"; done
  rm -rf "$WORK/root"
}
trap cleanup EXIT

if [ ! -x "$BIN/NetBench" ]; then
  echo "building NetBench (Release)..." >&2
  dotnet publish -c Release "$HERE/NetBench" -o "$BIN" >/dev/null
fi

echo "== skiff NetworkService ($RUNS runs${PORT:+, one published port})"
"$BIN/NetBench" "$RUNS" skbench0 10.234.0.0/24 skiffbench "$WORK/root" $PORT | tee "$WORK/skiff.txt"

# The shell's bridge and table, made once (not timed), like skiff's warm-up.
ip link add skbench1 type bridge && ip addr add 10.234.1.1/24 dev skbench1 && ip link set skbench1 up
nft -f - <<NFT
add table ip skiffbenchsh
add map ip skiffbenchsh ports { type inet_proto . inet_service : ipv4_addr . inet_service; }
add set ip skiffbenchsh subnets { type ipv4_addr; flags interval; }
add element ip skiffbenchsh subnets { 10.234.1.0/24 }
NFT

shell_once() {
  local n=skbench$1 v=vethb$1
  ip netns add "$n"
  ip -n "$n" link set lo up
  ip link add "$v" type veth peer name eth0 netns "$n"
  ip link set "$v" master skbench1
  ip link set "$v" up
  ip -n "$n" addr add 10.234.1.2/24 dev eth0
  ip -n "$n" link set eth0 up
  ip -n "$n" route add default via 10.234.1.1
  [ -z "$PORT" ] || nft add element ip skiffbenchsh ports "{ tcp . 28080 : 10.234.1.2 . 80 }"
  [ -z "$PORT" ] || nft delete element ip skiffbenchsh ports "{ tcp . 28080 }"
  ip link del "$v"
  ip netns del "$n"
}

echo "== shell: ip + nft ($RUNS runs${PORT:+, one published port})"
: > "$WORK/shell.ms"
for i in $(seq 1 "$RUNS"); do
  s=$(date +%s%N); shell_once "$i"; e=$(date +%s%N)
  echo "scale=2; ($e - $s) / 1000000" | bc >> "$WORK/shell.ms"
done
sort -n "$WORK/shell.ms" | awk '{a[NR]=$1} END {printf "total %.2f %.2f\n", a[int(NR/2)+1], a[int(NR*0.9)]}' | tee "$WORK/shell.txt"

s=$(awk '/^total/ {print $2}' "$WORK/skiff.txt"); h=$(awk '/^total/ {print $2}' "$WORK/shell.txt")
echo "== median total: skiff ${s} ms, shell ${h} ms, ratio $(echo "scale=2; $s / $h" | bc)"
