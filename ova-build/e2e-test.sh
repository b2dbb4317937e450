#!/usr/bin/env bash
# Appliance end to end (issue 11): the built appliance boots under qemu (TCG) as the proxy VM of the vCenter
# simulator harness, and the agent inside backs up a 2-disk VM through really hot-plugged PVSCSI disks.
#   - the harness runs on the host with its qemu bridge (-qemu-qmp): every ReconfigVM_Task of the agent on its
#     own VM becomes a PCI hot-plug of a PVSCSI controller, or blockdev-add + device_add scsi-hd (VMware
#     "Virtual disk", serial = disk UUID, read-only for clone disks) on that controller's bus and unit, or,
#     on detach, a check that the guest no longer has the device, then device_del + blockdev-del;
#   - the agent reaches the harness as vCenter at 10.0.2.2 (qemu user networking), pinned by fingerprint;
#     the OVF environment on a CD-ROM configures it, as vCenter would;
#   - a backup is submitted through the API (forwarded port 8443) and followed to SUCCEEDED;
#   - the harness saw no detach before the guest deleted the device (/violations empty), nothing is left
#     behind (/leftovers clean), and the bridge really plugged and unplugged the job's disks;
#   - after an ACPI power-off the repository is copied off the appliance's disk and the newest restore point
#     of the VM is exported on the host: each disk's SHA-256 equals the harness's hash of the VM's disk.
# A test-only root shell on a virtio-serial port is written into this test's copy of the disk (never into
# the OVA): the bridge asks the guest through it whether a disk is still there.
#
#   ova-build/e2e-test.sh [--image out/hotadd-proxy.qcow2] [--run DIR]
# Needs root, a built harness (target/vcsim/vcsim), mvn test-compile and package output (target/test-classes,
# target/quarkus-app), and: qemu-system-x86 qemu-utils e2fsprogs xorriso curl socat python3.
set -eu
set -o pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
IMAGE=$REPO/ova-build/out/hotadd-proxy.qcow2
RUN=$REPO/ova-build/out/e2e
LIVE_TIMEOUT=1200
JOB_TIMEOUT=900
while [ $# -gt 0 ]; do
  case "$1" in
    --image) IMAGE=$2; shift 2 ;;
    --run) RUN=$2; shift 2 ;;
    *) echo "usage: $0 [--image FILE] [--run DIR]" >&2; exit 2 ;;
  esac
done
. "$REPO/ova-build/boot-test/lib.sh"
. "$REPO/ova-build/e2e/lib.sh"

[ -f "$IMAGE" ] || die "no image $IMAGE: run ova-build/build.sh first"
[ -x "$REPO/target/vcsim/vcsim" ] || die "no harness: run src/test/vcsim/build.sh"
[ -f "$REPO/target/test-classes/io/hotadd/agent/e2e/ExportLatestRestorePoint.class" ] \
  || die "no test classes: run mvn test-compile"
rm -rf "$RUN"; mkdir -p "$RUN"
log "e2e test of $(readlink -f "$IMAGE") in $RUN"
trap 'stop_qemu; stop_harness' EXIT

start_harness
make_vms
make_e2e_iso
prepare_e2e_disk
T_PREP=$SECONDS
start_qemu_at=$SECONDS
start_e2e_qemu

if ! live_port=$(wait_live "$LIVE_TIMEOUT"); then
  tail -n 40 "$RUN/serial.log" | tr -d '\r' >&2
  agent_post_mortem
  die "the agent did not answer /q/health/live within ${LIVE_TIMEOUT}s"
fi
T_LIVE=$((SECONDS - start_qemu_at))
log "agent live after ${T_LIVE}s of boot"

# The agent may still be connecting to vCenter and building its spare controllers: a 503 is retried.
deadline=$((SECONDS + 600)); submitted=
while [ "$SECONDS" -lt "$deadline" ]; do
  code=$(curl -sS -k --http1.1 -m 60 -o "$RUN/submit.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $E2E_TOKEN" \
    -H 'Content-Type: application/json' -H 'Idempotency-Key: e2e-backup-1' \
    --data '{"vm":{"name":"web01"},"mode":"full"}' "https://127.0.0.1:$H_API/api/v1/backups" || true)
  if [ "$code" = 202 ]; then submitted=1; break; fi
  log "backup request: HTTP $code $(head -c 300 "$RUN/submit.json" 2>/dev/null || true)"
  sleep 10
done
[ -n "$submitted" ] || die "the agent did not accept the backup within 600 s"
T_SUBMIT=$((SECONDS - start_qemu_at))
job=$(jget 'd["id"]' < "$RUN/submit.json")
log "backup job $job accepted"
job_start=$SECONDS
wait_job "$job" "$JOB_TIMEOUT" > "$RUN/job.json" || true
T_JOB=$((SECONDS - job_start))
log "job: $(jget '{k: d.get(k) for k in ("state","phase","restorePointId","error","warnings")}' < "$RUN/job.json")"

ctl GET /violations > "$RUN/violations.json"
ctl GET /leftovers > "$RUN/leftovers.json"
ctl GET /qemu > "$RUN/qemu-events.json"
ctl GET /inventory > "$RUN/inventory.json"
log "bridge: $(jget '", ".join("%s %s%s%s" % (e["action"], e["id"], "" if e.get("guestHad") is None else " guestHad=%s" % e["guestHad"], " ERROR " + e["error"] if e.get("error") else "") for e in d)' < "$RUN/qemu-events.json")"

check "the backup job succeeded" grep -q '"state" *: *"SUCCEEDED"' "$RUN/job.json"
check "no violations (every device deleted in the guest before its detach)" \
  python3 -c 'import json,sys; v=json.load(open(sys.argv[1])); sys.exit(1 if v else 0)' "$RUN/violations.json"
check "leftover audit clean" python3 -c 'import json,sys; sys.exit(0 if json.load(open(sys.argv[1]))["clean"] else 1)' "$RUN/leftovers.json"
check "no bridge action failed" python3 -c 'import json,sys; sys.exit(1 if any(e.get("error") for e in json.load(open(sys.argv[1]))) else 0)' "$RUN/qemu-events.json"
check "two read-only disks hot-plugged, each checked gone in the guest, then unplugged, in that order" \
  python3 "$REPO/ova-build/e2e/check_bridge.py" "$RUN/qemu-events.json"

log "powering the appliance off"
power_down
read_repository
export_latest > "$RUN/export.txt" || die "export failed"
cat "$RUN/export.txt"
for key in $WEB_KEYS; do
  want=$(ctl GET "/vms/web01/disks/$key/hash" | jget 'd["sha256"]')
  got=$(awk -v k="$key" '$1 == "disk" && $2 == k { print $5 }' "$RUN/export.txt")
  log "disk $key: harness $want, exported ${got:-(missing)}"
  check "exported disk $key of the latest restore point matches the harness's hash" test "$want" = "$got"
done
check "the restore point exported is the job's" \
  grep -q "^point $(jget 'd.get("restorePointId") or "none"' < "$RUN/job.json") " "$RUN/export.txt"

log "timings: preparation ${T_PREP}s, agent live ${T_LIVE}s after power-on, backup accepted at ${T_SUBMIT}s, job ${T_JOB}s, total ${SECONDS}s"
summary
