#!/usr/bin/env bash
# Builds the throw-away cgroup-v2 VM: Debian's kernel (downloaded with apt-get download and unpacked with dpkg-deb,
# never installed on the host) and an initramfs holding busybox-static, the published oar binary with the glibc
# files it links against, the virtio modules, a busybox rootfs for the containers and the guest check script.
#
#   build-initramfs.sh OUT_DIR [OAR_BINARY]
#
# Writes OUT_DIR/vmlinuz and OUT_DIR/initramfs.cpio.gz. The kernel package is cached in OUT_DIR/kernel (one
# download per kernel version; the version is whatever Debian's linux-image-amd64 meta-package points at).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: build-initramfs.sh OUT_DIR [OAR_BINARY]}"
oar="${2:-${OAR_BINARY:-$here/../../out/oar/oar}}"
fail() { echo "build-initramfs: $*" >&2; exit 1; }
[ -x "$oar" ] || fail "oar binary not found at $oar (run scripts/build.sh or set OAR_BINARY)"
[ -x /bin/busybox ] || fail "/bin/busybox missing (apt-get install busybox-static)"
bb=/bin/busybox
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# 1. The kernel: the package linux-image-amd64 depends on, downloaded and unpacked (not installed).
pkg="${CGROUP2VM_KERNEL_PACKAGE:-$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')}"
[ -n "$pkg" ] || fail "cannot find the kernel package linux-image-amd64 depends on (apt-get update?)"
kdir="${CGROUP2VM_KERNEL_CACHE:-$out/kernel}/$pkg"
mkdir -p "$(dirname "$kdir")"
exec 9> "$(dirname "$kdir")/.lock"
flock 9   # two runs sharing the cache download it once
if [ ! -f "$kdir/.unpacked" ]; then
  rm -rf "$kdir"; mkdir -p "$kdir"
  (cd "$kdir" && apt-get download "$pkg" >/dev/null 2>&1) || fail "apt-get download $pkg failed"
  dpkg-deb -x "$kdir"/*.deb "$kdir/x" || fail "dpkg-deb -x of $pkg failed"
  rm -f "$kdir"/*.deb
  # keep the kernel and the module folders the VM may load from (400 MB -> ~20 MB)
  for d in "$kdir"/x/lib/modules/*; do
    find "$d/kernel" -type f -name '*.ko*' ! -path '*/drivers/virtio/*' ! -path '*/drivers/block/*' -delete
  done
  rm -rf "$kdir"/x/usr "$kdir"/x/lib/firmware
  touch "$kdir/.unpacked"
fi
flock -u 9
vmlinuz=$(ls "$kdir"/x/boot/vmlinuz-* | head -1)
moddir=$(ls -d "$kdir"/x/lib/modules/* | head -1)
cp "$vmlinuz" "$out/vmlinuz"

# 2. The initramfs tree.
root="$out/initramfs"
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,run,mnt,lib/modules,usr/local/bin,checks,rootfs/bin,rootfs/proc,rootfs/sys,rootfs/dev,rootfs/tmp}
cp "$bb" "$root/bin/busybox"
cp "$bb" "$root/rootfs/bin/busybox"
# The containers' rootfs: relative links, so they resolve inside the container too.
for applet in $($bb --list); do [ "$applet" = busybox ] || ln -s busybox "$root/rootfs/bin/$applet"; done

# Kernel modules the guest loads with insmod, in dependency order (their depends= lines, read from .modinfo).
declare -A seen=()
order=()
add_module() {
  local name="$1" file deps d
  [ -n "${seen[$name]:-}" ] && return 0
  seen[$name]=1
  file=$(find "$moddir/kernel" -name "$name.ko" | head -1)
  if [ -z "$file" ]; then
    grep -q "/$name.ko$" "$moddir/modules.builtin" || fail "kernel module $name not found in $pkg"
    return 0
  fi
  deps=$($bb strings "$file" | sed -n 's/^depends=//p' | head -1)
  for d in ${deps//,/ }; do add_module "$d"; done
  cp "$file" "$root/lib/modules/"
  order+=("$name")
}
for m in virtio_pci virtio_blk; do add_module "$m"; done
printf '%s\n' "${order[@]}" > "$root/lib/modules/order"

# oar and, if it is dynamically linked, what the loader needs for it (NativeAOT: glibc only; InvariantGlobalization,
# so no ICU). oar is published static: ldd then says "not a dynamic executable" and exits 1.
cp "$oar" "$root/usr/local/bin/oar"
{ ldd "$oar" || true; } | awk '/=> \// {print $3} /^\t\/[^ ]+ \(/ {print $1}' | while read -r lib; do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done

cp "$here/guest/init" "$root/init"
cp "${CGROUP2VM_CHECKS:-$here/guest/checks.sh}" "$root/checks/checks.sh"
chmod +x "$root/init" "$root/checks/checks.sh"

(cd "$root" && find . | $bb cpio -o -H newc 2>/dev/null | gzip -1 > "$out/initramfs.cpio.gz")
echo "build-initramfs: $pkg, $(du -h "$out/initramfs.cpio.gz" | cut -f1) initramfs in $out"
