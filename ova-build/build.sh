#!/usr/bin/env bash
# Builds the HotAdd backup-proxy appliance from Debian 12 packages only:
#   out/hotadd-proxy-<version>.ova    what an admin imports into vCenter (OVF first, manifest, VMDK)
#   out/hotadd-proxy-<version>.qcow2  the same disk for the qemu boot test (boot-test.py)
# Needs root (mmdebstrap root mode, tar with ownership) and: mmdebstrap qemu-utils grub-pc-bin grub-common
# fdisk e2fsprogs. No loop devices, no mounts: the filesystem is made from a directory (mkfs.ext4 -d) and
# GRUB is written into the image file directly (lib/disk.sh).
#
#   ova-build/build.sh [--app DIR] [--out DIR] [--version V]
#     --app      the Quarkus JVM application (default: target/quarkus-app, from `mvn package`)
#     --out      output folder (default: ova-build/out, git-ignored); out/cache keeps the Debian base
set -eu
set -o pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
APP_DIR=$REPO/target/quarkus-app
OUT=$REPO/ova-build/out
VERSION=
while [ $# -gt 0 ]; do
  case "$1" in
    --app) APP_DIR=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --version) VERSION=$2; shift 2 ;;
    *) echo "usage: $0 [--app DIR] [--out DIR] [--version V]" >&2; exit 2 ;;
  esac
done

log() { printf '%s [%4ss] %s\n' "$(date -u +%H:%M:%S)" "$SECONDS" "$*"; }
die() { echo "build.sh: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root: mmdebstrap's root mode and the image's file ownership need it"
for tool in mmdebstrap qemu-img mkfs.ext4 sfdisk grub-mkimage systemd-sysusers systemd-analyze; do
  command -v "$tool" >/dev/null || die "missing $tool (apt-get install mmdebstrap qemu-utils e2fsprogs fdisk grub-pc-bin grub-common)"
done
[ -f "$APP_DIR/quarkus-run.jar" ] || die "no $APP_DIR/quarkus-run.jar: run 'mvn -B package -DskipTests' first"
# The first-boot step runs from the app jar; a stale package (mvn compile without package) would lack it.
python3 -m zipfile -l "$APP_DIR"/app/*.jar | grep 'io/hotadd/agent/boot/appliance/ApplianceConfig.class' >/dev/null \
  || die "$APP_DIR/app has no ApplianceConfig: the package is stale, run 'mvn -B package -DskipTests'"
if [ -z "$VERSION" ]; then
  # The Maven version plus the commit, so a banner or support bundle names exactly what runs.
  VERSION=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$REPO/pom.xml" | head -n1)
  VERSION="$VERSION+g$(git -C "$REPO" rev-parse --short=10 HEAD 2>/dev/null || echo unknown)"
fi
# File names without "+": some importers treat a URL-encoded "+" as a space.
NAME=hotadd-proxy-$(printf "%s" "$VERSION" | tr "+" "-")
# Reproducible timestamps in the OVA: the commit's time.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$REPO" log -1 --format=%ct 2>/dev/null || echo 0)}
OUT=$(mkdir -p "$OUT" && cd "$OUT" && pwd)
WORK=$OUT/work
mkdir -p "$WORK"
# A fixed filesystem UUID per build, known before the filesystem exists: fstab and grub.cfg name it.
ROOT_UUID=$(cat /proc/sys/kernel/random/uuid)

. "$REPO/ova-build/lib/rootfs.sh"
. "$REPO/ova-build/lib/disk.sh"
. "$REPO/ova-build/lib/ovf.sh"

log "building $NAME in $OUT"
# out/ keeps the latest build only (each is ~1 GB with the qcow2); the Debian base stays in out/cache.
rm -f "$OUT"/hotadd-proxy-*.ova "$OUT"/hotadd-proxy-*.qcow2 "$OUT/hotadd-proxy.ova" "$OUT/hotadd-proxy.qcow2"
rm -rf "$WORK" && mkdir -p "$WORK"
build_base
customize_rootfs
make_disk "$WORK/disk.raw"
log "qcow2 for the boot test"
qemu-img convert -f raw -O qcow2 "$WORK/disk.raw" "$OUT/$NAME.qcow2"
make_vmdk "$WORK/disk.raw" "$WORK/$NAME-disk1.vmdk"
write_ovf "$WORK/$NAME.ovf" "$NAME" "$WORK/$NAME-disk1.vmdk" "$DISK_BYTES"
pack_ova "$OUT/$NAME.ova" "$WORK/$NAME.ovf" "$WORK/$NAME-disk1.vmdk"
ln -sfn "$NAME.ova" "$OUT/hotadd-proxy.ova"
ln -sfn "$NAME.qcow2" "$OUT/hotadd-proxy.qcow2"
rm -rf "$ROOTFS" "$WORK/disk.raw"
log "done: $OUT/$NAME.ova ($(stat -c %s "$OUT/$NAME.ova") bytes), $OUT/$NAME.qcow2"
