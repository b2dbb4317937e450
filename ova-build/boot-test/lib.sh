# Functions of ova-build/boot-test.sh (bash, set -eu). Uses REPO, IMAGE, RUN from there.

GUEST_WWN=6000c29b0b0b0b0b                       # qemu disks carry an 8-byte NAA (notes/linux-hotadd.md)
GUEST_SERIAL=6000c29b0b0b0b0b0b0b0b0b0b0b0b0b
PART_OFFSET=1048576                              # the appliance's partition starts at 1 MiB
SECRETS=(S3cret-VC-Password-4711 Tok-Secret-0815-4711-2342 Repo-Passphrase-2342 Root-Pw-1337)
PASSED=0 FAILED=0

log() { printf '%s [%4ss] %s\n' "$(date -u +%H:%M:%S)" "$SECONDS" "$*"; }
die() { log "boot-test: $*" >&2; exit 1; }
check() {
  local name=$1; shift
  if "$@" >/dev/null 2>&1; then PASSED=$((PASSED + 1)); echo "ok - $name"
  else FAILED=$((FAILED + 1)); echo "FAIL - $name"; fi
}
summary() { echo "boot-test: $PASSED passed, $FAILED failed"; [ "$FAILED" -eq 0 ]; }
not_in() { local s; for s in "${SECRETS[@]}"; do ! grep -qF "$s" "$1" || return 1; done; }

# A raw copy of the image (debugfs cannot write qcow2) with the test-only probe unit written into it.
prepare_disk() {
  local fs="$RUN/disk.raw?offset=$PART_OFFSET"
  qemu-img convert -O raw "$IMAGE" "$RUN/disk.raw"
  ROOT_UUID=$(debugfs -R stats "$fs" 2>/dev/null | sed -n 's/^Filesystem UUID: *//p')
  [ -n "$ROOT_UUID" ] || die "no ext4 filesystem at offset $PART_OFFSET of $IMAGE"
  sed "s/@GUEST_WWN@/$GUEST_WWN/" "$REPO/ova-build/boot-test/probe.service" > "$RUN/probe.service"
  debugfs -w -f - "$fs" >"$RUN/debugfs.log" 2>&1 <<CMDS
write $REPO/ova-build/boot-test/probe.sh /usr/local/sbin/hotadd-boot-probe
sif /usr/local/sbin/hotadd-boot-probe mode 0100755
write $RUN/probe.service /etc/systemd/system/hotadd-boot-probe.service
symlink /etc/systemd/system/multi-user.target.wants/hotadd-boot-probe.service /etc/systemd/system/hotadd-boot-probe.service
CMDS
  debugfs -R 'stat /usr/local/sbin/hotadd-boot-probe' "$fs" 2>/dev/null | grep -q 'Mode:  0755' \
    || die "could not write the probe into the test disk: $(cat "$RUN/debugfs.log")"
}

# The OVF environment as vCenter would write it, on an ISO 9660 CD (OVF "iso" transport).
make_ovf_env_iso() {
  mkdir -p "$RUN/iso"
  cat > "$RUN/iso/ovf-env.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Environment xmlns="http://schemas.dmtf.org/ovf/environment/1" xmlns:oe="http://schemas.dmtf.org/ovf/environment/1"
    xmlns:ve="http://www.vmware.com/schema/ovfenv" oe:id="" ve:vCenterId="vm-4242">
  <PlatformSection><Kind>qemu boot test</Kind></PlatformSection>
  <PropertySection>
    <Property oe:key="hotadd.vcenter.url" oe:value="https://vc.example.test/sdk"/>
    <Property oe:key="hotadd.vcenter.user" oe:value="backup@vsphere.local"/>
    <Property oe:key="hotadd.vcenter.password" oe:value="${SECRETS[0]}"/>
    <Property oe:key="hotadd.api.token" oe:value="${SECRETS[1]}"/>
    <Property oe:key="hotadd.repository.passphrase" oe:value="${SECRETS[2]}"/>
    <Property oe:key="hotadd.appliance.root-password" oe:value="${SECRETS[3]}"/>
    <Property oe:key="hotadd.network.mode" oe:value="static"/>
    <Property oe:key="hotadd.network.address" oe:value="10.0.2.15"/>
    <Property oe:key="hotadd.network.netmask" oe:value="255.255.255.0"/>
    <Property oe:key="hotadd.network.gateway" oe:value="10.0.2.2"/>
    <Property oe:key="hotadd.network.dns" oe:value="10.0.2.3"/>
    <Property oe:key="hotadd.network.hostname" oe:value="proxy-test"/>
  </PropertySection>
</Environment>
XML
  xorriso -as mkisofs -quiet -V "OVF ENV" -J -R -o "$RUN/ovf-env.iso" "$RUN/iso" 2>/dev/null
}

# 64 MiB "guest" disk: MBR and an ext4 partition with the appliance root's UUID, the case where a blkid
# probe would let a guest filesystem take over /dev/disk/by-uuid/<root>.
make_guest_disk() {
  truncate -s 64M "$RUN/guest.raw"
  printf 'label: dos\nstart=2048, type=83\n' | sfdisk -q "$RUN/guest.raw"
  truncate -s $((63 * 1024 * 1024)) "$RUN/guest-part.raw"
  mkfs.ext4 -q -U "$ROOT_UUID" -L guest-root "$RUN/guest-part.raw"
  dd if="$RUN/guest-part.raw" of="$RUN/guest.raw" bs=1M seek=1 conv=notrunc status=none
  rm -f "$RUN/guest-part.raw"
}

free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  die "no free local port"
}

start_qemu() {
  H_MGMT=$(free_port); H_HTTP=$(free_port)
  # -uuid: vSphere always gives a VM an SMBIOS UUID (config.uuid); without it Linux has no product_uuid.
  # -cpu Nehalem: TCG's default qemu64 CPU offers only SSE3, and Debian's JDK 17.0.21 then dies of SIGILL in
  # JIT-compiled crypto code at the agent's start; any vSphere host CPU has at least Nehalem's features.
  qemu-system-x86_64 -M pc -accel tcg -cpu Nehalem -smp 2 -m 3072 -nodefaults -display none -no-reboot \
    -uuid 4211a1b2-c3d4-e5f6-0718-293a4b5c6d7e \
    -serial "file:$RUN/serial.log" -qmp "unix:$RUN/qmp.sock,server=on,wait=off" \
    -device pvscsi,id=pvscsi0 \
    -drive "file=$RUN/disk.raw,format=raw,if=none,id=root,cache=unsafe" \
    -device "scsi-hd,drive=root,bus=pvscsi0.0,scsi-id=0,vendor=VMware,product=Virtual disk,serial=6000c29a0a0a0a0a0a0a0a0a0a0a0a0a" \
    -drive "file=$RUN/ovf-env.iso,format=raw,if=ide,media=cdrom,readonly=on" \
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$H_MGMT-:9000,hostfwd=tcp:127.0.0.1:$H_HTTP-:8080" \
    -device vmxnet3,netdev=n0 > "$RUN/qemu.log" 2>&1 &
  QEMU_PID=$!
  log "qemu pid $QEMU_PID (TCG), guest 9000 -> 127.0.0.1:$H_MGMT, 8080 -> 127.0.0.1:$H_HTTP"
}

stop_qemu() {
  if [ -n "${QEMU_PID:-}" ] && kill -0 "$QEMU_PID" 2>/dev/null; then
    kill "$QEMU_PID" 2>/dev/null || true
    wait "$QEMU_PID" 2>/dev/null || true
  fi
}

host_port() { [ "$1" = 9000 ] && echo "$H_MGMT" || echo "$H_HTTP"; }

# Prints the guest port that answered UP (9000, or 8080 in a build without management interface).
wait_live() {
  local deadline=$((SECONDS + $1)) port
  while [ "$SECONDS" -lt "$deadline" ]; do
    kill -0 "$QEMU_PID" 2>/dev/null || { cat "$RUN/qemu.log" >&2; return 1; }
    for port in 9000 8080; do
      if curl -sf -m 10 -o "$RUN/live.json" "http://127.0.0.1:$(host_port $port)/q/health/live" \
        && grep -q '"UP"' "$RUN/live.json"; then echo "$port"; return 0; fi
    done
    sleep 5
  done
  return 1
}

# One QMP session: capabilities, then each argument as a command; replies go to qmp.log.
qmp() {
  { echo '{"execute":"qmp_capabilities"}'; printf '%s\n' "$@"; sleep 2; } \
    | socat -t 10 - "UNIX-CONNECT:$RUN/qmp.sock" >> "$RUN/qmp.log"
}

hot_add_guest_disk() {
  log "hot-adding a VMware virtual disk (wwn 0x$GUEST_WWN) on pvscsi0, target 1"
  qmp '{"execute":"blockdev-add","arguments":{"driver":"file","filename":"'"$RUN/guest.raw"'","node-name":"gf1"}}' \
      '{"execute":"blockdev-add","arguments":{"driver":"raw","file":"gf1","node-name":"gd1"}}' \
      '{"execute":"device_add","arguments":{"driver":"scsi-hd","id":"guest1","drive":"gd1","bus":"pvscsi0.0","scsi-id":1,"lun":0,"vendor":"VMware","product":"Virtual disk","serial":"'"$GUEST_SERIAL"'","wwn":'"$((0x$GUEST_WWN))"'}}'
  ! grep -q '"error"' "$RUN/qmp.log" || die "QMP: $(cat "$RUN/qmp.log")"
}

wait_serial() {
  local deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do
    tr -d '\r' < "$RUN/serial.log" | grep -Eq "$1" && return 0
    kill -0 "$QEMU_PID" 2>/dev/null || return 1
    sleep 3
  done
  return 1
}

# PROBE lines may share a serial line with the login prompt that getty redraws: match from "PROBE " on.
probe_has() { grep -Eq "$1" "$RUN/probe.txt"; }

assert_probe() {
  tr -d '\r' < "$RUN/serial.log" | grep -oE 'PROBE .*' > "$RUN/probe.txt" || true
  cat "$RUN/probe.txt"
  check "hot-added disk has by-id links" probe_has 'guest_links=[1-9]'
  check "hot-added disk and partition classed as guest disk" probe_has 'guest_class=1 guest_part_class=1$'
  check "no blkid probe on the guest partition (which exists)" probe_has 'guest_part_fs_type= guest_part_exists=yes$'
  check "root disk not classed as guest disk" probe_has 'root_class=$'
  check "by-uuid of root still points at the root partition" probe_has 'root_byuuid=(/dev/sd[a-z]+[0-9]+) root_source=\1$'
  check "agent active as user hotadd" probe_has 'agent_active=active agent_user=hotadd$'
  check "agent has no capabilities and no_new_privs" probe_has 'agent_capeff=0000000000000000 agent_nnp=1$'
  check "agent user is in group disk" probe_has 'agent_groups=.*disk'
  check "agent.properties is 0600 hotadd with the secrets' keys" \
    probe_has 'props=600:hotadd props_keys=.*hotadd.api.token.*hotadd.proxy.vm-moref.*hotadd.vcenter.password'
  check "host name and static network applied" probe_has 'hostname=proxy-test network_units=10-hotadd-static.network'
  check "static address configured" probe_has 'addresses=10.0.2.15/24$'
  check "product_uuid readable by the agent user" probe_has 'product_uuid_as_hotadd=readable'
  check "sysfs delete is root-only" probe_has 'sysfs_delete_as_hotadd=denied'
  check "helper sets BLKROSET on the guest disk" probe_has 'helper_roset_guest=ok guest_ro=1$'
  check "helper refuses BLKROSET on the root disk" probe_has 'helper_roset_root=.*refused.*mounted'
  check "helper refuses to delete the root disk" probe_has 'helper_delete_root=.*refused.*mounted'
  check "helper refuses callers outside group hotadd" probe_has 'helper_as_nobody=Permission denied'
  check "helper rescans the PVSCSI host" probe_has 'helper_scan=ok$'
  check "helper deletes the guest disk and it is gone" probe_has 'helper_delete_guest=ok$'
  check "guest disk gone after delete" probe_has 'guest_gone=yes'
  check "no failed units" probe_has 'failed_units=$'
  check "systemd exposure of the agent at most 2.5" probe_has 'exposure_agent=([01]\.[0-9]|2\.[0-5])$'
  check "systemd exposure of the root helper at most 2.5" probe_has 'exposure_helper=([01]\.[0-9]|2\.[0-5])$'
}

power_down() {
  qmp '{"execute":"system_powerdown"}'
  local deadline=$((SECONDS + 300))
  while kill -0 "$QEMU_PID" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 2; done
  kill -0 "$QEMU_PID" 2>/dev/null && die "the appliance did not power off within 300 s"
  log "powered off"
}

# After a failure: shut the guest down (kill it if it does not go within 120 s), then show the agent's own
# last words from the journal on the disk, so a red run says why without anyone mounting the image.
agent_post_mortem() {
  qmp '{"execute":"system_powerdown"}' >/dev/null 2>&1 || true
  local deadline=$((SECONDS + 120))
  while kill -0 "$QEMU_PID" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 2; done
  stop_qemu
  read_journal
  echo "--- the guest journal's last lines about the agent ($RUN/journal.txt):" >&2
  grep -E 'hotadd-agent|java\[|hotadd-firstboot' "$RUN/journal.txt" | grep -v '^\s*at ' | tail -n 40 >&2 || true
  local fs="$RUN/disk.raw?offset=$PART_OFFSET" f
  for f in $(debugfs -R 'ls /var/log/hotadd-agent' "$fs" 2>/dev/null | grep -o 'hs_err[^ ]*\.log'); do
    echo "--- JVM crash report /var/log/hotadd-agent/$f:" >&2
    debugfs -R "cat /var/log/hotadd-agent/$f" "$fs" 2>/dev/null | head -n 25 >&2
  done
}

# The persistent journal, read on the host from the powered-off disk (debugfs, no mount).
read_journal() {
  rm -rf "$RUN/journal"
  debugfs -R "rdump /var/log/journal $RUN" "$RUN/disk.raw?offset=$PART_OFFSET" >/dev/null 2>&1
  find "$RUN/journal" -name '*.journal' -exec journalctl --no-pager -o short-monotonic --file {} \; \
    > "$RUN/journal.txt" 2>/dev/null || true
  log "journal: $(wc -l < "$RUN/journal.txt") lines"
}
