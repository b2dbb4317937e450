# The appliance disk: MBR, one ext4 partition made from the rootfs directory, GRUB (BIOS) embedded in the
# gap before the partition; then the VMDK. No loop devices or mounts: everything is file offsets.
# Sourced by build.sh (bash, set -eu); uses WORK, ROOTFS, ROOT_UUID from there.

DISK_GIB=8                    # virtual size; the VMDK and qcow2 only store what is written
PART_START=2048               # sectors: 1 MiB, the usual alignment, and GRUB's embedding area before it
GRUB_DIR=/usr/lib/grub/i386-pc

make_disk() {
  local raw=$1 part=$WORK/part.ext4 sectors
  DISK_BYTES=$((DISK_GIB * 1024 * 1024 * 1024))
  sectors=$((DISK_BYTES / 512 - PART_START))
  log "disk: ${DISK_GIB} GiB, ext4 $ROOT_UUID from the rootfs directory"
  grub_modules
  rm -f "$raw" "$part"
  truncate -s $((sectors * 512)) "$part"
  # -d copies the tree with owners, modes and xattrs; lazy init leaves the inode tables to the first boot,
  # so the image stays sparse. root_owner keeps / at 0:0 whoever runs mkfs.
  mkfs.ext4 -q -F -L hotadd-root -U "$ROOT_UUID" -E lazy_itable_init=1,root_owner=0:0 -d "$ROOTFS" "$part"
  truncate -s "$DISK_BYTES" "$raw"
  printf 'label: dos\nlabel-id: 0x%s\nstart=%d, size=%d, type=83, bootable\n' \
    "$(printf '%s' "$ROOT_UUID" | cut -c1-8)" "$PART_START" "$sectors" | sfdisk -q "$raw"
  dd if="$part" of="$raw" bs=1M seek=$((PART_START / 2048)) conv=notrunc,sparse status=none
  rm -f "$part"
  embed_grub "$raw"
}

# GRUB's modules go where core.img's prefix points, as grub-install would put them.
grub_modules() {
  mkdir -p "$ROOTFS/boot/grub/i386-pc"
  cp "$GRUB_DIR"/*.mod "$GRUB_DIR"/*.lst "$ROOTFS/boot/grub/i386-pc/"
}

# Little-endian bytes as printf escapes: le <value> <bytes>.
le() {
  local v=$1 n=$2 i out=
  for i in $(seq 1 "$n"); do out="$out$(printf '\\%03o' $((v & 255)))"; v=$((v >> 8)); done
  printf "$out"
}

# What grub-bios-setup does for an MBR disk with room before the first partition, done on the image file:
# grub-bios-setup itself insists on resolving the build host's root device, which is not ours.
#  - core.img (diskboot + decompressor + kernel + modules) goes to sectors 1..n;
#  - the blocklist at the end of core.img's first sector names sectors 2..n, loaded at segment 0x820;
#  - boot.img goes to sector 0 with the partition table kept, its "kernel sector" set to 1, the boot drive
#    byte 0xff (use the drive the BIOS booted from) and the floppy drive check replaced by two NOPs.
# No Reed-Solomon codes (grub-bios-setup --no-rs-codes): they only repair a damaged embedding area.
embed_grub() {
  local raw=$1 core=$WORK/core.img mbr=$WORK/mbr.img nsec
  grub-mkimage -O i386-pc -d "$GRUB_DIR" -o "$core" -p "(hd0,msdos1)/boot/grub" biosdisk part_msdos ext2
  nsec=$(( ($(stat -c %s "$core") + 511) / 512 ))
  [ "$nsec" -lt "$PART_START" ] || die "core.img needs $nsec sectors, more than the $PART_START before the partition"
  truncate -s $((nsec * 512)) "$core"
  # blocklist: clear the two last entries (ours and its terminator), then ours: start 2, n-1 sectors
  dd if=/dev/zero of="$core" bs=1 seek=488 count=24 conv=notrunc status=none
  { le 2 8; le $((nsec - 1)) 2; le $((0x820)) 2; } | dd of="$core" bs=1 seek=500 conv=notrunc status=none
  dd if="$core" of="$raw" bs=512 seek=1 conv=notrunc status=none

  cp "$GRUB_DIR/boot.img" "$mbr"
  dd if="$raw" of="$mbr" bs=1 skip=3 seek=3 count=$((0x5a - 3)) conv=notrunc status=none        # BPB
  dd if="$raw" of="$mbr" bs=1 skip=$((0x1b8)) seek=$((0x1b8)) count=$((0x200 - 0x1b8)) conv=notrunc status=none
  le 1 8 | dd of="$mbr" bs=1 seek=$((0x5c)) conv=notrunc status=none                          # kernel sector
  printf '\377' | dd of="$mbr" bs=1 seek=$((0x64)) conv=notrunc status=none                   # boot drive
  printf '\220\220' | dd of="$mbr" bs=1 seek=$((0x66)) conv=notrunc status=none               # drive check
  dd if="$mbr" of="$raw" bs=512 count=1 conv=notrunc status=none
  log "disk: GRUB core.img embedded in sectors 1..$nsec"
}

# streamOptimized VMDK for vSphere. qemu-img writes an IDE adapter, hardware version 4 and no tools install
# type unless told; the descriptor is then checked and given ddb.toolsInstallType (open-vm-tools = 4),
# which qemu has no option for. VMware reads these keys from the embedded descriptor.
VMDK_HWVERSION=14
VMDK_TOOLS_VERSION=2147483647   # "unmanaged": open-vm-tools is updated by Debian, not by vSphere
make_vmdk() {
  local raw=$1 vmdk=$2
  log "vmdk: streamOptimized, lsilogic descriptor, hw $VMDK_HWVERSION"
  rm -f "$vmdk"
  qemu-img convert -f raw -O vmdk \
    -o subformat=streamOptimized,adapter_type=lsilogic,hwversion=$VMDK_HWVERSION,toolsversion=$VMDK_TOOLS_VERSION \
    "$raw" "$vmdk"
  patch_vmdk_descriptor "$vmdk"
  qemu-img check -f vmdk "$vmdk" >/dev/null
}

# The descriptor is text at sector 1 of a stream VMDK, in a fixed-size area padded with NULs
# (header field descriptorOffset/descriptorSize, in sectors); rewriting it in place keeps every offset.
patch_vmdk_descriptor() {
  local vmdk=$1 off size text
  off=$(od -An -t u8 -j 28 -N 8 "$vmdk" | tr -d ' ')
  size=$(od -An -t u8 -j 36 -N 8 "$vmdk" | tr -d ' ')
  text=$(dd if="$vmdk" bs=512 skip="$off" count="$size" status=none | tr -d '\000')
  case "$text" in *'ddb.adapterType = "lsilogic"'*) ;; *) die "qemu-img ignored adapter_type: $text" ;; esac
  case "$text" in *ddb.toolsInstallType*) ;; *) text="$text
ddb.toolsInstallType = \"4\"" ;; esac
  [ ${#text} -lt $((size * 512)) ] || die "VMDK descriptor does not fit its $size sectors"
  { printf '%s\n' "$text"; } > "$WORK/descriptor.txt"
  dd if=/dev/zero of="$vmdk" bs=512 seek="$off" count="$size" conv=notrunc status=none
  dd if="$WORK/descriptor.txt" of="$vmdk" bs=512 seek="$off" conv=notrunc status=none
}
