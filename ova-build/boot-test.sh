#!/usr/bin/env bash
# Boots the built appliance under qemu (TCG: the KVM here cannot run a stock kernel) the way vSphere
# would present it: root disk on PVSCSI as a "VMware Virtual disk", a VMXNET3 NIC, and the OVF environment
# on a CD-ROM (the OVF iso transport; vmware-rpctool needs a real VMware host). Then it asserts:
#   - the first-boot step applied the test properties: static address, host name, agent.properties 0600;
#   - the agent answers /q/health/live, and /q/health/ready reports its checks (UP or DOWN: there is no
#     vCenter here, so readiness may legitimately be DOWN; the status and the checks list must be there);
#   - the console banner shows version, address, health and the configuration source;
#   - a hot-added VMware disk (QMP device_add on the PVSCSI controller) gets by-id links but no blkid probe,
#     even with a filesystem carrying the root filesystem's UUID, and /dev/disk/by-uuid still points at root;
#   - the agent runs as hotadd without capabilities; the root helper sets BLKROSET on and deletes the
#     guest disk, but refuses the root disk and refuses callers outside group hotadd;
#   - no secret from the OVF environment appears on the console or in the journal.
# A test-only probe unit is written into this test's copy of the disk with debugfs (never into the OVA).
#
#   ova-build/boot-test.sh [--image out/hotadd-proxy.qcow2] [--run DIR] [--live-timeout SECONDS]
# Needs root and: qemu-system-x86 qemu-utils e2fsprogs xorriso curl socat fdisk.
set -eu
set -o pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
IMAGE=$REPO/ova-build/out/hotadd-proxy.qcow2
RUN=$REPO/ova-build/out/boot-test
LIVE_TIMEOUT=1500
while [ $# -gt 0 ]; do
  case "$1" in
    --image) IMAGE=$2; shift 2 ;;
    --run) RUN=$2; shift 2 ;;
    --live-timeout) LIVE_TIMEOUT=$2; shift 2 ;;
    *) echo "usage: $0 [--image FILE] [--run DIR] [--live-timeout SECONDS]" >&2; exit 2 ;;
  esac
done
. "$REPO/ova-build/boot-test/lib.sh"

[ -f "$IMAGE" ] || die "no image $IMAGE: run ova-build/build.sh first"
rm -rf "$RUN"; mkdir -p "$RUN"
log "boot test of $(readlink -f "$IMAGE") in $RUN"

prepare_disk
make_ovf_env_iso
make_guest_disk
start_qemu
trap stop_qemu EXIT

# 1. Liveness through the forwarded management port (or 8080 in a build without management interface).
if ! live_port=$(wait_live "$LIVE_TIMEOUT"); then
  tail -n 40 "$RUN/serial.log" | tr -d '\r' >&2
  agent_post_mortem
  die "the agent did not answer /q/health/live within ${LIVE_TIMEOUT}s"
fi
T_LIVE=$SECONDS
log "agent live on guest port $live_port after ${T_LIVE}s"
ready_code=$(curl -s -m 30 -o "$RUN/ready.json" -w '%{http_code}' "http://127.0.0.1:$(host_port "$live_port")/q/health/ready")
log "readiness: HTTP $ready_code $(tr -d '\n ' < "$RUN/ready.json" | cut -c1-200)"
check "liveness answers UP" grep -q '"UP"' "$RUN/live.json"
check "readiness is HTTP 200 or 503" test "$ready_code" = 200 -o "$ready_code" = 503
check "readiness reports a status and its checks" grep -q '"checks"' "$RUN/ready.json"

# 2. Hot-add a VMware disk and let the probe inspect it.
hot_add_guest_disk
wait_serial 'PROBE done' 1800 || die "the probe did not finish; serial log: $RUN/serial.log"
T_PROBE=$SECONDS
assert_probe

# 3. The banner, then a clean ACPI shutdown and the journal read from the disk afterwards.
wait_serial 'Health: +live UP' 300 || true
check "banner shows version and address" grep -q "HotAdd backup proxy .*" "$RUN/serial.log"
check "banner shows the static address" grep -q "Address:  10.0.2.15/24" "$RUN/serial.log"
check "banner shows live health" grep -Eq "Health: +live UP" "$RUN/serial.log"
check "banner names the configuration source" grep -q "Config:   OVF environment (ovf-env.xml on /dev/sr0)" "$RUN/serial.log"
power_down
read_journal
check "agent started by systemd" grep -q "Started hotadd-agent.service" "$RUN/journal.txt"
check "first boot applied the ISO environment" grep -q "applied from OVF environment (ovf-env.xml on /dev/sr0)" "$RUN/journal.txt"
check "no secret on the console" not_in "$RUN/serial.log"
check "no secret in the journal" not_in "$RUN/journal.txt"

log "timings: live after ${T_LIVE}s, probe done after ${T_PROBE}s, total ${SECONDS}s"
summary
