#!/usr/bin/env bash
# Boots the cgroup-v2 VM once (TCG emulation, 2 vCPUs, 1 GiB) and prints its serial console on stdout.
#
#   run-vm.sh WORK_DIR [OAR_BINARY]
#
# Builds WORK_DIR/vmlinuz + initramfs.cpio.gz (build-initramfs.sh), makes two sparse virtio disks (vda: swap,
# vdb: for the io tests) and runs qemu with a hard timeout (CGROUP2VM_TIMEOUT, default 300 s).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${1:?usage: run-vm.sh WORK_DIR [OAR_BINARY]}"
bash "$here/build-initramfs.sh" "$work" "${2:-}" >&2
command -v qemu-system-x86_64 >/dev/null || { echo "run-vm: qemu-system-x86_64 missing (apt-get install qemu-system-x86)" >&2; exit 1; }
rm -f "$work/swap.img" "$work/io.img"
truncate -s 256M "$work/swap.img"
truncate -s 64M "$work/io.img"
exec timeout -k 5 "${CGROUP2VM_TIMEOUT:-300}" qemu-system-x86_64 \
  -accel tcg -cpu max -smp 2 -m 1024 -nographic -no-reboot -nodefaults -serial stdio \
  -kernel "$work/vmlinuz" -initrd "$work/initramfs.cpio.gz" \
  -drive "file=$work/swap.img,format=raw,if=virtio,cache=unsafe" \
  -drive "file=$work/io.img,format=raw,if=virtio,cache=none" \
  -append "console=ttyS0 systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all panic=-1 loglevel=3 CHECKS_TIMEOUT=${CGROUP2VM_CHECKS_TIMEOUT:-240}"
