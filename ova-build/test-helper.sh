#!/usr/bin/env bash
# Tests the root helper's checks (appliance/rootfs/usr/libexec/hotadd-agent/hotadd-helper) on the build
# host, against a fake /sys, /dev and /proc under HOTADD_HELPER_ROOT: what it accepts and writes, and each
# reason to refuse. The boot test runs the same helper for real, through systemd, on a hot-added disk.
# Root is needed for mknod (the helper checks that /dev/sdX is a block device with the right numbers).
set -eu
HELPER=$(cd "$(dirname "$0")/.." && pwd)/appliance/rootfs/usr/libexec/hotadd-agent/hotadd-helper
R=$(mktemp -d)
trap 'rm -rf "$R"' EXIT
passed=0 failed=0

disk() { # disk NAME MAJ:MIN VENDOR MODEL
  local d=$R/sys/block/$1
  mkdir -p "$d/device" "$d/holders" "$d/${1}1/holders"
  printf '%-8s\n' "$3" > "$d/device/vendor"; printf '%-16s\n' "$4" > "$d/device/model"
  echo "$2" > "$d/dev"; echo "${2%:*}:$(( ${2#*:} + 1 ))" > "$d/${1}1/dev"
  : > "$d/device/delete"
  mknod "$R/dev/$1" b "${2%:*}" "${2#*:}"
}
ask() { printf '%s\n' "$1" | HOTADD_HELPER_ROOT=$R sh "$HELPER" 2>/dev/null; }
expect() { # expect "REQUEST" REGEX NAME
  local got; got=$(ask "$1")
  if printf '%s' "$got" | grep -Eq "$2"; then passed=$((passed + 1)); echo "ok - $3"
  else failed=$((failed + 1)); echo "FAIL - $3: '$1' answered '$got'"; fi
}

mkdir -p "$R/dev" "$R/proc/1" "$R/sys/class/scsi_host/host0" "$R/sys/class/scsi_host/host1"
echo vmw_pvscsi > "$R/sys/class/scsi_host/host0/proc_name"; : > "$R/sys/class/scsi_host/host0/scan"
echo ata_piix > "$R/sys/class/scsi_host/host1/proc_name"
disk sda 8:0 VMware "Virtual disk"      # the root disk: sda1 mounted at /
disk sdb 8:16 VMware "Virtual disk"     # a hot-added guest disk
disk sdc 8:32 QEMU "QEMU HARDDISK"      # not a VMware disk
disk sdd 8:48 VMware "Virtual disk"     # a disk whose partition is swap
disk sde 8:64 VMware "Virtual disk"     # a disk held by device-mapper
mknod "$R/dev/sdf" b 8 96; mkdir -p "$R/sys/block/sdf/device"   # a node that is not the kernel's sdf
echo VMware > "$R/sys/block/sdf/device/vendor"; echo "Virtual disk" > "$R/sys/block/sdf/device/model"
echo 8:80 > "$R/sys/block/sdf/dev"
echo "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw" > "$R/proc/1/mountinfo"
printf 'Filename Type Size Used Priority\n/dev/sdd1 partition 1024 0 -2\n' > "$R/proc/swaps"
touch "$R/sys/block/sde/sde1/holders/dm-0"

expect "delete sdb" '^ok$' "deletes a VMware disk the OS does not use"
[ "$(cat "$R/sys/block/sdb/device/delete")" = 1 ] && { passed=$((passed + 1)); echo "ok - wrote 1 to device/delete"; } \
  || { failed=$((failed + 1)); echo "FAIL - device/delete not written"; }
expect "scan 0" '^ok$' "rescans a PVSCSI host"
[ "$(cat "$R/sys/class/scsi_host/host0/scan")" = "- - -" ] && { passed=$((passed + 1)); echo "ok - wrote '- - -' to scan"; } \
  || { failed=$((failed + 1)); echo "FAIL - scan not written"; }
expect "delete sda" '^error sda1 holds a mounted filesystem$' "refuses the root disk"
expect "roset sda" '^error sda1 holds a mounted filesystem$' "refuses BLKROSET on the root disk"
expect "delete sdc" "^error sdc is 'QEMU QEMU HARDDISK', not a VMware virtual disk$" "refuses a non-VMware disk"
expect "delete sdd" '^error sdd1 is in use as swap$' "refuses a disk with swap"
expect "delete sde" '^error sde1 is held by dm-0$' "refuses a disk held by device-mapper"
expect "delete sdf" '^error .*/dev/sdf is 8:96, but sdf is 8:80$' "refuses a device node that is not the kernel's"
expect "delete sdz" '^error sdz does not exist$' "refuses a disk that does not exist"
expect "delete sdb1" "^error 'sdb1' is not a SCSI disk name$" "refuses partitions"
expect "delete ../sda" "^error '../sda' is not a SCSI disk name$" "refuses paths"
expect "delete *" "^error '\\*' is not a SCSI disk name$" "does not glob"
expect "scan 1" "^error SCSI host 1 is 'ata_piix', not a VMware SCSI controller$" "refuses a non-VMware controller"
expect "scan 9" '^error SCSI host 9 does not exist$' "refuses a missing host"
expect "scan x" "^error 'x' is not a SCSI host number$" "refuses a host that is not a number"
expect "format sdb" "^error unknown operation 'format'$" "refuses unknown operations"
expect "delete" '^error expected' "refuses a request without argument"
expect "delete sdb now" '^error expected' "refuses extra words"
expect "$(printf 'delete sd%070d' 0)" '^error request longer than 64 bytes$' "refuses long requests"
echo "helper: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
