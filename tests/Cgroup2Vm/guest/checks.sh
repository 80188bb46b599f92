# The cgroup-v2 checks, run by the VM's init on a pure cgroup2 host (cgroup_no_v1=all). Every check runs real
# containers with oar and looks at what the kernel did; each prints one line on the serial console:
#   RESULT <name> PASS|FAIL <detail>
# The test project (tests/Cgroup2Vm.Tests) expects every name in EXPECTED below; a missing line is a failure there.
export PATH=/bin:/usr/local/bin
R=/run/oar
CG=/sys/fs/cgroup
M=1048576
echo "EXPECTED subtree_enabled cgroupns_root cgroupns_own_files memory_max_oom memory_oom_events memory_oom_state \
memory_within_limit memory_swap_max memory_high cpu_max cpu_weight pids_max io_max io_weight cpuset hugetlb \
devices_allowed devices_denied devices_write_denied freezer update_memory update_pids ps delete delete_force"

result() { # result NAME OK(0/1) DETAIL...
  local name=$1 ok=$2; shift 2
  if [ "$ok" = 0 ]; then echo "RESULT $name PASS $* (at $(( ($(now_ms) - t0) / 1000 ))s)"; else echo "RESULT $name FAIL $* (at $(( ($(now_ms) - t0) / 1000 ))s)"; fi
}
oar_() { oar --root $R "$@"; }
now_ms() { awk '{printf "%d", $1 * 1000}' /proc/uptime; }
one_line() { tr '\n' ' ' | cut -c1-300; }
status() { oar_ state "$1" 2>/dev/null | sed -n 's/.*"status": *"\([a-z]*\)".*/\1/p' | grep . || echo missing; }
wait_stopped() { # wait_stopped ID [SECONDS]: until the container's cgroup is empty (cgroup.events "populated 0")
  local end=$(( $(now_ms) + ${2:-60} * 1000 ))
  while [ "$(now_ms)" -lt $end ]; do
    [ -e $CG/cgv2/$1/cgroup.events ] || return 1
    grep -q "^populated 0" $CG/cgv2/$1/cgroup.events && return 0
    sleep 0.1
  done
  return 1
}
# stop ID: kill what is left through cgroup.kill (fast; `oar delete` is exercised by its own checks)
stop() { echo 1 > $CG/cgv2/$1/cgroup.kill 2>/dev/null; }
field() { sed -n "s/^$2 //p" "$1" 2>/dev/null | head -1; }   # field FILE KEY: value of "KEY value" lines
dev_of() { cat /sys/block/$1/dev; }

# config ID SCRIPT RESOURCES [DEVICES] [MOUNTS]: writes /run/b/ID/config.json. SCRIPT must not contain '"' or '\'.
config() {
  mkdir -p /run/b/$1
  cat > /run/b/$1/config.json <<JSON
{"ociVersion": "1.2.1",
 "process": {"terminal": false, "user": {"uid": 0, "gid": 0}, "args": ["sh", "-c", "$2"],
   "env": ["PATH=/bin"], "cwd": "/",
   "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]},
   "noNewPrivileges": true},
 "root": {"path": "/rootfs", "readonly": true},
 "hostname": "c",
 "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
   {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755", "size=1m"]},
   {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["size=8m"]},
   {"destination": "/sys", "type": "sysfs", "source": "sysfs", "options": ["nosuid", "noexec", "nodev", "ro"]},
   {"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "ro"]}${5:-}],
 "linux": {"cgroupsPath": "/cgv2/$1",
   "namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}, {"type": "cgroup"}],
   "devices": [${4:-}],
   "resources": $3}}
JSON
}
# start ID: create + start (the engines' path); the container's stdout/stderr go to /run/b/ID/out.
start() {
  oar_ create --bundle /run/b/$1 "$1" > /run/b/$1/out 2>&1 < /dev/null || { echo "create $1 failed: $(one_line < /run/b/$1/out)"; return 1; }
  oar_ start "$1" 2>> /run/b/$1/out || { echo "start $1 failed: $(one_line < /run/b/$1/out)"; return 1; }
}
NODENY='{"devices": [{"allow": false, "access": "rwm"}]'

t0=$(now_ms)

# --- cgroup namespace; oar enabling the controllers it needs in the ancestors' subtree_control; cpuset; delete ---
config ns 'cat /proc/self/cgroup; cat /sys/fs/cgroup/memory.max; cat /sys/fs/cgroup/pids.max; grep -E ^Cpus_allowed_list /proc/self/status; grep -E ^Mems_allowed_list /proc/self/status' \
  "$NODENY, \"memory\": {\"limit\": $((40 * M))}, \"pids\": {\"limit\": 33}, \"cpu\": {\"cpus\": \"1\", \"mems\": \"0\"}}"
if start ns && wait_stopped ns; then
  out=$(cat /run/b/ns/out)
  case "$out" in "0::/"*) result cgroupns_root 0 "container sees $(echo "$out" | head -1)" ;; *) result cgroupns_root 1 "container sees: $(echo "$out" | one_line)" ;; esac
  [ "$(echo "$out" | sed -n 2p)" = $((40 * M)) ] && [ "$(echo "$out" | sed -n 3p)" = 33 ]
  result cgroupns_own_files $? "container's /sys/fs/cgroup: memory.max=$(echo "$out" | sed -n 2p) pids.max=$(echo "$out" | sed -n 3p)"
  sub=$(cat $CG/cgroup.subtree_control)
  ok=0; for c in cpuset cpu io memory pids; do case " $sub " in *" $c "*) ;; *) ok=1 ;; esac; done
  result subtree_enabled $ok "root subtree_control after oar create: $sub; /cgv2: $(cat $CG/cgv2/cgroup.subtree_control 2>&1)"
  grep -q "Cpus_allowed_list:.1$" /run/b/ns/out && grep -q "Mems_allowed_list:.0$" /run/b/ns/out && [ "$(cat $CG/cgv2/ns/cpuset.cpus.effective)" = 1 ]
  result cpuset $? "cpuset.cpus.effective=$(cat $CG/cgv2/ns/cpuset.cpus.effective) container: $(grep _allowed_list /run/b/ns/out | one_line)"
  [ -d $CG/cgv2/ns ]; had=$?
  oar_ delete ns
  [ $had = 0 ] && [ ! -e $CG/cgv2/ns ] && ! oar_ state ns > /dev/null 2>&1
  result delete $? "delete of the stopped container: cgroup existed before: $([ $had = 0 ] && echo yes || echo no), after: $( [ -e $CG/cgv2/ns ] && echo still there || echo gone)"
else
  for n in cgroupns_root cgroupns_own_files subtree_enabled cpuset delete; do result $n 1 "container did not run: $(one_line < /run/b/ns/out)"; done
fi
stop ns

# --- memory.max + memory.swap.max=0: a 64 MiB allocation in a 32 MiB cgroup is OOM-killed (swap exists: vda) ---
config oom 'dd if=/dev/zero of=/dev/null bs=64M count=1; echo dd-exit=$?' "$NODENY, \"memory\": {\"limit\": $((32 * M)), \"swap\": $((32 * M))}}"
oar_ create --bundle /run/b/oom oom > /run/b/oom/out 2>&1 < /dev/null
oar_ events --interval 1s oom > /run/b/oom/events 2>&1 &
events_pid=$!
sleep 1
oar_ start oom
if wait_stopped oom; then
  sleep 1.5   # one events poll after the exit
  kill $events_pid 2>/dev/null
  kills=$(field $CG/cgv2/oom/memory.events oom_kill)
  [ "$(cat $CG/cgv2/oom/memory.max)" = $((32 * M)) ] && [ "$(cat $CG/cgv2/oom/memory.swap.max)" = 0 ] && [ "${kills:-0}" -ge 1 ]
  result memory_max_oom $? "memory.max=$(cat $CG/cgv2/oom/memory.max) swap.max=$(cat $CG/cgv2/oom/memory.swap.max) oom_kill=$kills container: $(one_line < /run/b/oom/out)"
  grep -q '"type":"oom"' /run/b/oom/events
  result memory_oom_events $? "oar events: $(grep -c '"type":"oom"' /run/b/oom/events) oom event(s); $(grep -v '"type":"stats"' /run/b/oom/events | one_line)"
  st=$(oar_ state oom 2>&1)
  echo "$st" | grep -q '"oomKilled": *true'
  result memory_oom_state $? "oar state: $(echo "$st" | one_line)"
else
  kill $events_pid 2>/dev/null
  result memory_max_oom 1 "container still $(status oom): $(one_line < /run/b/oom/out)"
  result memory_oom_events 1 "container did not stop"
  result memory_oom_state 1 "container did not stop"
fi
stop oom

# --- control: a 16 MiB allocation under a 64 MiB limit is not killed, and state reports no OOM ---
config fit 'dd if=/dev/zero of=/dev/null bs=16M count=1 2>/dev/null; echo dd-exit=$?' "$NODENY, \"memory\": {\"limit\": $((64 * M)), \"swap\": $((64 * M))}}"
if start fit && wait_stopped fit; then
  st=$(oar_ state fit 2>&1)
  grep -q dd-exit=0 /run/b/fit/out && [ "$(field $CG/cgv2/fit/memory.events oom_kill)" = 0 ] && ! echo "$st" | grep -q oomKilled
  result memory_within_limit $? "container: $(one_line < /run/b/fit/out) oom_kill=$(field $CG/cgv2/fit/memory.events oom_kill) state oomKilled: $(echo "$st" | grep -c oomKilled)"
else result memory_within_limit 1 "container did not run: $(one_line < /run/b/fit/out)"; fi
stop fit

# --- memory.swap.max: with 64 MiB of swap allowed the same 48 MiB allocation in a 32 MiB cgroup survives ---
config swap 'dd if=/dev/zero of=/dev/null bs=48M count=1 2>/dev/null; echo dd-exit=$?' "$NODENY, \"memory\": {\"limit\": $((32 * M)), \"swap\": $((96 * M))}}"
if start swap && wait_stopped swap 90; then
  grep -q dd-exit=0 /run/b/swap/out && [ "$(cat $CG/cgv2/swap/memory.swap.max)" = $((64 * M)) ] && [ "$(field $CG/cgv2/swap/memory.events oom_kill)" = 0 ]
  result memory_swap_max $? "swap.max=$(cat $CG/cgv2/swap/memory.swap.max) limit hits (events max)=$(field $CG/cgv2/swap/memory.events max) oom_kill=$(field $CG/cgv2/swap/memory.events oom_kill) container: $(one_line < /run/b/swap/out)"
else result memory_swap_max 1 "container: $(status swap) $(one_line < /run/b/swap/out)"; fi
stop swap

# --- memory.high (through linux.resources.unified): the allocation is throttled and reclaimed into swap, not killed ---
config high 'dd if=/dev/zero of=/dev/null bs=40M count=1 2>/dev/null; echo dd-exit=$?' "$NODENY, \"unified\": {\"memory.high\": \"$((16 * M))\"}}"
if start high && wait_stopped high 90; then
  h=$(field $CG/cgv2/high/memory.events high)
  grep -q dd-exit=0 /run/b/high/out && [ "$(cat $CG/cgv2/high/memory.high)" = $((16 * M)) ] && [ "${h:-0}" -gt 0 ] && [ "$(field $CG/cgv2/high/memory.events oom_kill)" = 0 ]
  result memory_high $? "memory.high=$(cat $CG/cgv2/high/memory.high) events.high=$h oom_kill=$(field $CG/cgv2/high/memory.events oom_kill) container: $(one_line < /run/b/high/out)"
else result memory_high 1 "container: $(status high) $(one_line < /run/b/high/out)"; fi
stop high

# --- cpu.max: a busy loop under a 20% quota is throttled and gets at most about 20% of the wall time ---
config cpumax 'while :; do :; done' "$NODENY, \"cpu\": {\"quota\": 20000, \"period\": 100000}}"
if start cpumax; then
  sleep 1
  # the wall window encloses the usage window (w0 before u0, w1 after u1), so a stalled vCPU cannot skew it our way
  w0=$(now_ms); u0=$(field $CG/cgv2/cpumax/cpu.stat usage_usec)
  sleep 2
  u1=$(field $CG/cgv2/cpumax/cpu.stat usage_usec); w1=$(now_ms)
  thr=$(field $CG/cgv2/cpumax/cpu.stat nr_throttled)
  used=$(( (u1 - u0) / 1000 )); wall=$((w1 - w0))
  # allowed: 20% of the wall time plus one period of slack
  [ "$(cat $CG/cgv2/cpumax/cpu.max)" = "20000 100000" ] && [ "${thr:-0}" -gt 0 ] && [ $used -le $((wall / 5 + 100)) ]
  result cpu_max $? "cpu.max=$(cat $CG/cgv2/cpumax/cpu.max) used ${used}ms of ${wall}ms wall, nr_throttled=$thr"
else result cpu_max 1 "container did not start"; fi
stop cpumax

# --- cpu.weight: two busy loops pinned to CPU 1, shares 2048 vs 256 (weight 79 vs 10): the heavy one gets more ---
config heavy 'while :; do :; done' "$NODENY, \"cpu\": {\"shares\": 2048, \"cpus\": \"1\"}}"
config light 'while :; do :; done' "$NODENY, \"cpu\": {\"shares\": 256, \"cpus\": \"1\"}}"
if start heavy && start light; then
  sleep 1
  h0=$(field $CG/cgv2/heavy/cpu.stat usage_usec); l0=$(field $CG/cgv2/light/cpu.stat usage_usec)
  sleep 3
  h1=$(field $CG/cgv2/heavy/cpu.stat usage_usec); l1=$(field $CG/cgv2/light/cpu.stat usage_usec)
  dh=$(( (h1 - h0) / 1000 )); dl=$(( (l1 - l0) / 1000 ))
  # the expected ratio is ~8:1; require clearly more than 3:1
  [ "$(cat $CG/cgv2/heavy/cpu.weight)" = 79 ] && [ "$(cat $CG/cgv2/light/cpu.weight)" = 10 ] && [ $dh -gt $((3 * dl)) ]
  result cpu_weight $? "weights $(cat $CG/cgv2/heavy/cpu.weight)/$(cat $CG/cgv2/light/cpu.weight): heavy ${dh}ms light ${dl}ms on one CPU"
else result cpu_weight 1 "containers did not start: $(one_line < /run/b/heavy/out) $(one_line < /run/b/light/out)"; fi
stop heavy; stop light

# --- pids.max: forks beyond the limit fail ---
config pids 'i=0; while [ $i -lt 12 ]; do sleep 60 & i=$((i+1)); done' "$NODENY, \"pids\": {\"limit\": 6}}"
if start pids && wait_stopped pids; then
  mx=$(field $CG/cgv2/pids/pids.events max)
  [ "$(cat $CG/cgv2/pids/pids.max)" = 6 ] && [ "${mx:-0}" -gt 0 ] && grep -q "can't fork" /run/b/pids/out
  result pids_max $? "pids.max=$(cat $CG/cgv2/pids/pids.max) pids.events max=$mx container: $(grep -c "can't fork" /run/b/pids/out) fork failures"
else result pids_max 1 "container: $(one_line < /run/b/pids/out)"; fi
stop pids

# --- devices (eBPF program): the host's /dev/vdb is bind-mounted into both containers (not listed in linux.devices,
# which oar allows rwm on its own); one container's rules allow reading it, the other's have no rule for it ---
vdb=$(dev_of vdb); vmaj=${vdb%:*}; vmin=${vdb#*:}
VDB="{\"path\": \"/dev/vdb\", \"type\": \"b\", \"major\": $vmaj, \"minor\": $vmin, \"fileMode\": 432}"
BINDVDB=', {"destination": "/dev/vdb", "type": "bind", "source": "/dev/vdb", "options": ["bind"]}'
config devok 'dd if=/dev/vdb of=/dev/null bs=4k count=1 2>&1 && echo read-ok; dd if=/dev/zero of=/dev/vdb bs=4k count=1 2>&1 || echo write-refused' \
  "{\"devices\": [{\"allow\": false, \"access\": \"rwm\"}, {\"allow\": true, \"type\": \"b\", \"major\": $vmaj, \"minor\": $vmin, \"access\": \"r\"}]}" "" "$BINDVDB"
config devno 'dd if=/dev/vdb of=/dev/null bs=4k count=1 2>&1 || echo open-refused' "$NODENY}" "" "$BINDVDB"
if start devok && wait_stopped devok && start devno && wait_stopped devno; then
  grep -q read-ok /run/b/devok/out
  result devices_allowed $? "allowed r on $vdb: $(one_line < /run/b/devok/out)"
  grep -q write-refused /run/b/devok/out && grep -q "not permitted" /run/b/devok/out
  result devices_write_denied $? "write with only r allowed: $(one_line < /run/b/devok/out)"
  grep -q open-refused /run/b/devno/out && grep -q "not permitted" /run/b/devno/out
  result devices_denied $? "no rule for $vdb: $(one_line < /run/b/devno/out)"
else
  for n in devices_allowed devices_write_denied devices_denied; do result $n 1 "containers did not run: $(one_line < /run/b/devok/out) $(one_line < /run/b/devno/out)"; done
fi
stop devok; stop devno

# --- io.max: 2 MiB of direct reads from vdb under rbps=1 MiB/s take at least 1 s; io.stat counts them ---
config io 'dd if=/dev/vdb of=/dev/null bs=64k count=32 iflag=direct 2>/dev/null; echo dd-exit=$?' \
  "{\"devices\": [{\"allow\": false, \"access\": \"rwm\"}, {\"allow\": true, \"type\": \"b\", \"major\": $vmaj, \"minor\": $vmin, \"access\": \"r\"}], \"blockIO\": {\"throttleReadBpsDevice\": [{\"major\": $vmaj, \"minor\": $vmin, \"rate\": $M}]}}" "$VDB"
w0=$(now_ms)
if start io && wait_stopped io 60; then
  wall=$(( $(now_ms) - w0 ))
  rb=$(grep "^$vdb " $CG/cgv2/io/io.stat | sed -n 's/.*rbytes=\([0-9]*\).*/\1/p')
  grep -q dd-exit=0 /run/b/io/out && grep -q "^$vdb rbps=$M " $CG/cgv2/io/io.max && [ "${rb:-0}" -ge $((2 * M)) ] && [ $wall -ge 1000 ]
  result io_max $? "io.max: $(cat $CG/cgv2/io/io.max) read ${rb:-0} bytes, container ran ${wall}ms: $(one_line < /run/b/io/out)"
else result io_max 1 "container: $(status io) $(one_line < /run/b/io/out)"; fi
stop io

# --- hugetlb: limit 1 huge page (2 MiB); a second page cannot be allocated in a hugetlbfs file ---
if [ -e $CG/hugetlb.2MB.max ] || [ -n "$(cat $CG/cgroup.controllers | grep hugetlb)" ]; then
  echo 4 > /proc/sys/vm/nr_hugepages
  config huge 'fallocate -l 2097152 /huge/a && echo first-ok; fallocate -l 2097152 /huge/b 2>&1 || echo second-refused' \
    "$NODENY, \"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": 2097152}]}" "" \
    ', {"destination": "/huge", "type": "hugetlbfs", "source": "hugetlbfs", "options": ["pagesize=2M"]}'
  if start huge && wait_stopped huge; then
    mx=$(field $CG/cgv2/huge/hugetlb.2MB.events max)
    grep -q first-ok /run/b/huge/out && grep -q second-refused /run/b/huge/out && [ "$(cat $CG/cgv2/huge/hugetlb.2MB.max)" = 2097152 ] && [ "${mx:-0}" -gt 0 ]
    result hugetlb $? "nr_hugepages=$(cat /proc/sys/vm/nr_hugepages) hugetlb.2MB.max=$(cat $CG/cgv2/huge/hugetlb.2MB.max) events max=$mx container: $(one_line < /run/b/huge/out)"
  else result hugetlb 1 "container: $(one_line < /run/b/huge/out)"; fi
  stop huge
else result hugetlb 1 "no hugetlb controller in this kernel: $(cat $CG/cgroup.controllers)"; fi

# --- freezer: pause stops a counting loop (cgroup.freeze), resume lets it go on. The loop appends one line per
# step, so a count read while it runs is never torn. ---
config frz 'i=0; while :; do i=$((i+1)); echo $i >> /tmp/n; done' "$NODENY}"
if start frz; then
  sleep 1
  pid=$(oar_ state frz | sed -n 's/.*"pid": *\([0-9]*\).*/\1/p')
  n() { wc -l < /proc/$pid/root/tmp/n; }
  oar_ pause frz
  s1=$(status frz); fz=$(field $CG/cgv2/frz/cgroup.events frozen)
  a=$(n); sleep 1; b=$(n)
  oar_ resume frz
  sleep 1; c=$(n); s2=$(status frz)
  [ "$s1" = paused ] && [ "$fz" = 1 ] && [ "$a" -gt 0 ] && [ "$a" = "$b" ] && [ "$s2" = running ] && [ "$c" -gt "$b" ]
  result freezer $? "paused: state=$s1 frozen=$fz counter $a -> $b; resumed: state=$s2 counter -> $c"
else result freezer 1 "container did not start: $(one_line < /run/b/frz/out)"; fi
stop frz

# --- update on a running container: new limits land and act; ps lists the cgroup's processes ---
config upd 'sleep 600' "$NODENY, \"memory\": {\"limit\": $((64 * M)), \"swap\": $((64 * M))}, \"pids\": {\"limit\": 20}}"
if start upd; then
  before=$(oar_ exec upd sh -c 'dd if=/dev/zero of=/dev/null bs=24M count=1 2>/dev/null; echo exit=$?' 2>&1)
  oar_ update --memory 16M --memory-swap 16M upd
  after=$(oar_ exec upd sh -c 'dd if=/dev/zero of=/dev/null bs=24M count=1 2>/dev/null; echo exit=$?' 2>&1)
  [ "$(cat $CG/cgv2/upd/memory.max)" = $((16 * M)) ] && echo "$before" | grep -q exit=0 && ! echo "$after" | grep -q exit=0 && [ "$(field $CG/cgv2/upd/memory.events oom_kill)" -ge 1 ]
  result update_memory $? "memory.max now $(cat $CG/cgv2/upd/memory.max); 24M dd before: $(echo $before) after: $(echo $after | cut -c1-80) oom_kill=$(field $CG/cgv2/upd/memory.events oom_kill)"
  oar_ update --pids-limit 3 upd
  forks=$(oar_ exec upd sh -c 'sleep 5 & sleep 5 & sleep 5 & echo done' 2>&1)
  [ "$(cat $CG/cgv2/upd/pids.max)" = 3 ] && echo "$forks" | grep -q "can't fork"
  result update_pids $? "pids.max now $(cat $CG/cgv2/upd/pids.max); exec with 3 forks: $(echo $forks | cut -c1-120)"
  oar_ update --pids-limit 20 --blkio-weight 500 upd
  # io.weight: file level only (its effect needs an io.cost model for the disk: see docs/cgroup2-vm.md)
  if [ -e $CG/cgv2/upd/io.bfq.weight ]; then v=$(cat $CG/cgv2/upd/io.bfq.weight); exp="default 500"; else v=$(cat $CG/cgv2/upd/io.weight); exp="default 4950"; fi
  [ "$v" = "$exp" ]
  result io_weight $? "after update --blkio-weight 500: $v (expected $exp)"
  ps=$(oar_ ps -f json upd 2>&1)
  procs=$(sort -n $CG/cgv2/upd/cgroup.procs | tr '\n' ',' | sed 's/,$//')
  [ "$(echo "$ps" | tr -d '[] \n' | tr ',' '\n' | sort -n | tr '\n' ',' | sed 's/,$//')" = "$procs" ] && [ -n "$procs" ]
  result ps $? "oar ps: $ps cgroup.procs: $procs"
  oar_ delete --force upd
  [ ! -e $CG/cgv2/upd ] && ! oar_ state upd > /dev/null 2>&1
  result delete_force $? "after delete --force of a running container: cgroup dir $( [ -e $CG/cgv2/upd ] && echo still there || echo gone)"
else
  for n in update_memory update_pids io_weight ps delete_force; do result $n 1 "container did not start: $(one_line < /run/b/upd/out)"; done
fi

echo "CHECKS took $(( $(now_ms) - t0 ))ms"
