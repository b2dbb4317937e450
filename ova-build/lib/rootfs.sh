# Root filesystem of the appliance: a cached Debian base from mmdebstrap, then the project's layer on top.
# Sourced by build.sh (bash, set -eu); uses OUT, WORK, REPO, APP_DIR, VERSION from there.

SUITE=bookworm

# The package list without comments, comma-separated, as mmdebstrap wants it.
package_csv() {
  sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$REPO/ova-build/packages.list" | tr -d ' ' | paste -sd, -
}

# Builds (or reuses) out/cache/base-<hash>.tar: Debian only, nothing of ours, so a change to the agent or
# the overlay does not cost another download and dpkg run (the slowest step, minutes on 2 cores).
build_base() {
  local key tar
  key=$( { package_csv; echo "$SUITE"; sed -n '/^mmdebstrap_args()/,/^}/p' "$REPO/ova-build/lib/rootfs.sh"; } \
    | sha256sum | cut -c1-16)
  tar="$OUT/cache/base-$key.tar"
  BASE_TAR=$tar
  if [ -s "$tar" ]; then
    log "base rootfs: reusing $tar"
    return
  fi
  mkdir -p "$OUT/cache"
  log "base rootfs: mmdebstrap $SUITE ($(package_csv | tr ',' ' '))"
  mmdebstrap_args "$tar.part"
  find "$OUT/cache" -name 'base-*.tar' ! -name "base-$key.tar.part" -delete   # older package lists
  mv "$tar.part" "$tar"
}

mmdebstrap_args() {
  # --mode=root: CI runs as root; unshare mode would need subuids. man1 must exist because the JRE's
  # postinst registers a man page alternative and the man pages themselves are excluded.
  mmdebstrap --variant=apt --mode=root --format=tar --include="$(package_csv)" \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --customize-hook='rm -f "$1/etc/machine-id" "$1/var/lib/dbus/machine-id"; touch "$1/etc/machine-id"' \
    --customize-hook='rm -rf "$1/var/cache/apt/archives"/*.deb "$1/var/lib/apt/lists"/*' \
    "$SUITE" "$1"
}

# Unpacks the base into $ROOTFS and adds the agent, the units and the OS overlay.
customize_rootfs() {
  ROOTFS=$WORK/rootfs
  rm -rf "$ROOTFS"
  mkdir -p "$ROOTFS"
  tar -C "$ROOTFS" --numeric-owner --xattrs --xattrs-include='*' -xpf "$BASE_TAR"

  log "rootfs: overlay, agent $VERSION, units"
  # The overlay is a plain tree: what is in appliance/rootfs lands at the same path in the image.
  cp -a --no-preserve=ownership "$REPO/appliance/rootfs/." "$ROOTFS/"
  install -d -m 0755 "$ROOTFS/opt/hotadd-agent"
  cp -a --no-preserve=ownership "$APP_DIR/." "$ROOTFS/opt/hotadd-agent/"
  printf '%s\n' "$VERSION" > "$ROOTFS/opt/hotadd-agent/VERSION"
  # For the jsvc variant: jsvc hands the class path to the JVM as is, so no "dir/*"; transformed bytecode
  # before the original jars, as Quarkus' own runner orders them.
  ( cd "$ROOTFS/opt/hotadd-agent" && { ls lib/boot/*.jar; echo quarkus/transformed-bytecode.jar
      echo quarkus/generated-bytecode.jar; ls app/*.jar lib/main/*.jar; } ) \
    | sed 's|^|/opt/hotadd-agent/|' | paste -sd: - > "$ROOTFS/opt/hotadd-agent/jsvc.classpath"
  install -m 0644 "$REPO"/systemd/*.service "$REPO"/systemd/*.socket "$REPO"/systemd/*.timer \
    "$ROOTFS/usr/lib/systemd/system/"
  # hotadd-agent-jsvc.service is installed but not enabled: it is the alternative to hotadd-agent.service
  # (they conflict) and needs Debian's jsvc, which the image does not carry.
  chmod 0755 "$ROOTFS"/usr/libexec/hotadd-agent/* "$ROOTFS/usr/sbin/hotadd-helperctl"
  find "$ROOTFS/opt/hotadd-agent" -type d -exec chmod 0755 {} + -o -type f -exec chmod 0644 {} +

  # Users from sysusers.d (hotadd, in group disk for /dev/sd*), then the units. Both tools work on an
  # image root from the host and are the image's own version (Debian 12, systemd 252) on the build host.
  systemd-sysusers --root="$ROOTFS" >/dev/null
  systemd-tmpfiles --root="$ROOTFS" --create --exclude-prefix=/dev --exclude-prefix=/sys \
    --exclude-prefix=/proc --exclude-prefix=/run --exclude-prefix=/tmp "$ROOTFS/usr/lib/tmpfiles.d/hotadd-agent.conf"
  systemctl --root="$ROOTFS" enable hotadd-agent.service hotadd-helper.socket hotadd-firstboot.service \
    hotadd-banner.service hotadd-banner.timer systemd-networkd.service systemd-resolved.service 2>/dev/null
  # Nothing may mount, activate or assemble guest disks; these would if they were ever installed.
  systemctl --root="$ROOTFS" mask lvm2-monitor.service lvm2-pvscan@.service mdmonitor.service \
    udisks2.service multipathd.service 2>/dev/null

  log "rootfs: checking units"
  "$REPO/ova-build/test-units.sh" "$ROOTFS" | sed 's/^/    /'

  cat > "$ROOTFS/etc/fstab" <<FSTAB
# The appliance's only disk. Guest disks hot-added by the agent never appear here.
UUID=$ROOT_UUID / ext4 errors=remount-ro,noatime 0 1
FSTAB
  printf 'hotadd-proxy\n' > "$ROOTFS/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 hotadd-proxy\n::1 localhost ip6-localhost ip6-loopback\n' \
    > "$ROOTFS/etc/hosts"
  # No password login until the admin sets one through the OVF property (see docs/appliance.md).
  sed -i 's|^root:[^:]*:|root:*:|' "$ROOTFS/etc/shadow"
  # Fresh machine-id per deployed VM (systemd writes it on first boot), and "first boot" semantics with it.
  : > "$ROOTFS/etc/machine-id"
  rm -f "$ROOTFS/var/log/journal"/*/*.journal 2>/dev/null || true
  mkdir -p "$ROOTFS/var/log/journal"
  grub_config
}

# GRUB's configuration is static: one kernel through Debian's /vmlinuz and /initrd.img links, which
# kernel updates keep current, so the image needs neither grub-pc nor update-grub.
grub_config() {
  mkdir -p "$ROOTFS/boot/grub"
  cat > "$ROOTFS/boot/grub/grub.cfg" <<GRUB
# Written by ova-build/build.sh. The appliance boots one kernel via Debian's /vmlinuz symlink.
set timeout=1
insmod part_msdos
insmod ext2
search --no-floppy --fs-uuid --set=root $ROOT_UUID
menuentry "HotAdd backup proxy $VERSION" {
  linux /vmlinuz root=UUID=$ROOT_UUID ro console=ttyS0,115200n8 console=tty0 quiet
  initrd /initrd.img
}
GRUB
}
