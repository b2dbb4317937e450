# Functions of ova-build/e2e-test.sh (bash, set -eu). Uses REPO, IMAGE, RUN and the boot test's lib.sh.

E2E_TOKEN=e2e-api-token-0123456789abcdef
E2E_PASSPHRASE=e2e-repository-passphrase
E2E_VCPASS=e2e-vc-password
REPO_IN_GUEST=/var/lib/hotadd-agent/repository

# JSON field of stdin by a Python expression on `d`, e.g. jget 'd["moref"]'.
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); r='"$1"'; print(r if isinstance(r,str) else json.dumps(r))'; }

ctl() { # ctl METHOD PATH [JSON]: the harness's control API; fails on an HTTP error
  local out
  out=$(curl -sS -m 120 -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} -w '\n%{http_code}' "$CONTROL$2")
  local code=${out##*$'\n'}
  [ "${code:0:1}" = 2 ] || die "harness $1 $2 answered $code: ${out%$'\n'*}"
  printf '%s\n' "${out%$'\n'*}"
}

api() { # api METHOD PATH [JSON]: the agent's API through the forwarded port (self-signed TLS)
  curl -sS -k --http1.1 -m 60 -X "$1" -H "Authorization: Bearer $E2E_TOKEN" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} "https://127.0.0.1:$H_API$2"
}

# The harness with the qemu bridge: the proxy's hardware goes into the qemu started below.
start_harness() {
  mkdir -p "$RUN/vcsim"
  "$REPO/target/vcsim/vcsim" -data "$RUN/vcsim" -listen 127.0.0.1:0 -control 127.0.0.1:0 \
    -qemu-qmp "$RUN/qmp-bridge.sock" -qemu-guest "$RUN/guest-shell.sock" -qemu-boot-buses 0 \
    > "$RUN/vcsim.ready" 2> "$RUN/vcsim.log" &
  VCSIM_PID=$!
  local i=0
  until grep -q '^VCSIM_READY' "$RUN/vcsim.ready" 2>/dev/null; do
    kill -0 "$VCSIM_PID" 2>/dev/null || die "the harness did not start: $(cat "$RUN/vcsim.log")"
    [ $i -lt 300 ] || die "no VCSIM_READY within 30 s"
    sleep 0.1; i=$((i + 1))
  done
  local ready; ready=$(sed -n 's/^VCSIM_READY //p' "$RUN/vcsim.ready")
  CONTROL=$(jget 'd["control"]' <<<"$ready")
  SOAP_PORT=$(jget 'd["url"].split(":")[2].split("/")[0]' <<<"$ready")
  THUMBPRINT=$(jget 'd["sha256"]' <<<"$ready")
  log "harness pid $VCSIM_PID: SOAP on 127.0.0.1:$SOAP_PORT (the guest: 10.0.2.2:$SOAP_PORT), control $CONTROL"
}

stop_harness() {
  if [ -n "${VCSIM_PID:-}" ] && kill -0 "$VCSIM_PID" 2>/dev/null; then
    kill "$VCSIM_PID" 2>/dev/null || true
    wait "$VCSIM_PID" 2>/dev/null || true
  fi
}

# The proxy VM (the appliance itself: one 8 GiB disk on PVSCSI bus 0, like the OVA) and web01, the VM to back
# up: two disks with data at several places, CBT on.
make_vms() {
  local proxy
  proxy=$(ctl POST /vms '{"name":"hotadd-proxy","host":"DC0_H0","disks":[{"capacityBytes":8589934592,"controller":"pvscsi"}],"nics":[{"network":"VM Network"}]}')
  PROXY_MOREF=$(jget 'd["moref"]' <<<"$proxy")
  PROXY_UUID=$(jget 'd["biosUuid"]' <<<"$proxy")
  ctl POST /proxy '{"vm":"hotadd-proxy"}' > /dev/null
  local web
  web=$(ctl POST /vms '{"name":"web01","host":"DC0_H0","cbt":true,"disks":[{"capacityBytes":268435456},{"capacityBytes":134217728}],"nics":[{"network":"VM Network"}]}')
  WEB_KEYS=$(jget '" ".join(str(x["key"]) for x in d["disks"])' <<<"$web")
  local k1 k2; read -r k1 k2 <<<"$WEB_KEYS"
  ctl POST "/vms/web01/disks/$k1/write" '{"offset":0,"length":25165824,"pattern":"random:e2e-a"}' > /dev/null
  ctl POST "/vms/web01/disks/$k1/write" '{"offset":134217728,"length":8388608,"pattern":"text:e2e-b"}' > /dev/null
  ctl POST "/vms/web01/disks/$k1/write" '{"offset":268369920,"length":65536,"pattern":"byte:165"}' > /dev/null
  ctl POST "/vms/web01/disks/$k2/write" '{"offset":1048576,"length":16777216,"pattern":"random:e2e-c"}' > /dev/null
  ctl POST "/vms/web01/disks/$k2/write" '{"offset":100000000,"length":3000000,"pattern":"text:e2e-d"}' > /dev/null
  log "proxy VM $PROXY_MOREF (BIOS UUID $PROXY_UUID); web01 disks $WEB_KEYS with 51 MiB of data"
}

# The OVF environment vCenter would give the appliance: the harness as vCenter, pinned by its fingerprint.
make_e2e_iso() {
  mkdir -p "$RUN/iso"
  cat > "$RUN/iso/ovf-env.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<Environment xmlns="http://schemas.dmtf.org/ovf/environment/1" xmlns:oe="http://schemas.dmtf.org/ovf/environment/1"
    xmlns:ve="http://www.vmware.com/schema/ovfenv" oe:id="" ve:vCenterId="$PROXY_MOREF">
  <PlatformSection><Kind>qemu e2e test</Kind></PlatformSection>
  <PropertySection>
    <Property oe:key="hotadd.vcenter.url" oe:value="https://10.0.2.2:$SOAP_PORT/sdk"/>
    <Property oe:key="hotadd.vcenter.thumbprint" oe:value="$THUMBPRINT"/>
    <Property oe:key="hotadd.vcenter.user" oe:value="user"/>
    <Property oe:key="hotadd.vcenter.password" oe:value="pass"/>
    <Property oe:key="hotadd.api.token" oe:value="$E2E_TOKEN"/>
    <Property oe:key="hotadd.repository.path" oe:value="$REPO_IN_GUEST"/>
    <Property oe:key="hotadd.repository.passphrase" oe:value="$E2E_PASSPHRASE"/>
    <Property oe:key="hotadd.network.mode" oe:value="static"/>
    <Property oe:key="hotadd.network.address" oe:value="10.0.2.15"/>
    <Property oe:key="hotadd.network.netmask" oe:value="255.255.255.0"/>
    <Property oe:key="hotadd.network.gateway" oe:value="10.0.2.2"/>
    <Property oe:key="hotadd.network.dns" oe:value="10.0.2.3"/>
    <Property oe:key="hotadd.network.hostname" oe:value="proxy-e2e"/>
  </PropertySection>
</Environment>
XML
  xorriso -as mkisofs -quiet -V "OVF ENV" -J -R -o "$RUN/ovf-env.iso" "$RUN/iso" 2>/dev/null
}

# A raw copy of the image with the test-only guest shell unit written into it (debugfs, no mount).
prepare_e2e_disk() {
  local fs="$RUN/disk.raw?offset=$PART_OFFSET"
  qemu-img convert -O raw "$IMAGE" "$RUN/disk.raw"
  debugfs -w -f - "$fs" >"$RUN/debugfs.log" 2>&1 <<CMDS
write $REPO/ova-build/e2e/guest-shell.service /etc/systemd/system/hotadd-e2e-shell.service
symlink /etc/systemd/system/multi-user.target.wants/hotadd-e2e-shell.service /etc/systemd/system/hotadd-e2e-shell.service
CMDS
  debugfs -R 'stat /etc/systemd/system/hotadd-e2e-shell.service' "$fs" 2>/dev/null | grep -q 'Type: regular' \
    || die "could not write the guest shell unit into the test disk: $(cat "$RUN/debugfs.log")"
}

# The appliance as vSphere would present it (root disk on PVSCSI bus 0 as the proxy VM's disk at 0:0, its
# BIOS UUID, VMXNET3), plus two QMP monitors (the bridge's and this script's) and the guest shell's port.
start_e2e_qemu() {
  H_MGMT=$(free_port); H_API=$(free_port); H_HTTP=$(free_port)
  # -cpu Nehalem: TCG's default qemu64 CPU offers only SSE3, and Debian's JDK 17.0.21 then dies of SIGILL in
  # JIT-compiled crypto code at the agent's start; any vSphere host CPU has at least Nehalem's features.
  qemu-system-x86_64 -M pc -accel tcg -cpu Nehalem -smp 2 -m 3072 -nodefaults -display none -no-reboot \
    -uuid "$PROXY_UUID" \
    -serial "file:$RUN/serial.log" \
    -qmp "unix:$RUN/qmp.sock,server=on,wait=off" -qmp "unix:$RUN/qmp-bridge.sock,server=on,wait=off" \
    -device pvscsi,id=pvscsi0 \
    -drive "file=$RUN/disk.raw,format=raw,if=none,id=root,cache=unsafe" \
    -device "scsi-hd,drive=root,bus=pvscsi0.0,scsi-id=0,vendor=VMware,product=Virtual disk,serial=6000c29e2e0a0a0a0a0a0a0a0a0a0a0a" \
    -drive "file=$RUN/ovf-env.iso,format=raw,if=ide,media=cdrom,readonly=on" \
    -device virtio-serial-pci,id=vser0 \
    -chardev "socket,id=e2eshell,path=$RUN/guest-shell.sock,server=on,wait=off" \
    -device virtserialport,bus=vser0.0,chardev=e2eshell,name=hotadd.e2e \
    -netdev "user,id=n0,hostfwd=tcp:127.0.0.1:$H_MGMT-:9000,hostfwd=tcp:127.0.0.1:$H_API-:8443,hostfwd=tcp:127.0.0.1:$H_HTTP-:8080" \
    -device vmxnet3,netdev=n0 > "$RUN/qemu.log" 2>&1 &
  QEMU_PID=$!
  log "qemu pid $QEMU_PID (TCG); guest 9000 -> 127.0.0.1:$H_MGMT, 8443 -> 127.0.0.1:$H_API"
}

# Waits for the job's end, printing its phase and progress when they change; prints the final document.
wait_job() {
  local id=$1 deadline=$((SECONDS + $2)) doc state last=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    doc=$(api GET "/api/v1/jobs/$id") || doc='{}'
    state=$(jget 'd.get("state","?")' <<<"$doc" 2>/dev/null || echo '?')
    local line; line=$(jget '"%s %s %s/%s bytes" % (d.get("state"), d.get("phase"), (d.get("progress") or {}).get("bytesDone"), (d.get("progress") or {}).get("bytesTotal"))' <<<"$doc" 2>/dev/null || echo "$doc")
    [ "$line" = "$last" ] || log "job $id: $line" >&2
    last=$line
    case "$state" in SUCCEEDED|FAILED|CANCELLED) printf '%s\n' "$doc"; return 0 ;; esac
    kill -0 "$QEMU_PID" 2>/dev/null || { log "qemu ended" >&2; return 1; }
    sleep 3
  done
  printf '%s\n' "$doc"
  return 1
}

# The repository, read on the host from the powered-off disk (debugfs, no mount).
read_repository() {
  rm -rf "$RUN/repository"
  debugfs -R "rdump $REPO_IN_GUEST $RUN" "$RUN/disk.raw?offset=$PART_OFFSET" >/dev/null 2>&1
  [ -d "$RUN/repository" ] || die "no $REPO_IN_GUEST on the appliance's disk"
  log "repository copied off the disk: $(du -sh "$RUN/repository" | cut -f1)"
}

export_latest() {
  printf '%s\n' "$E2E_PASSPHRASE" > "$RUN/passphrase"
  java -cp "$REPO/target/test-classes:$REPO/target/classes:$REPO/target/quarkus-app/lib/main/*:$REPO/target/quarkus-app/lib/boot/*" \
    io.hotadd.agent.e2e.ExportLatestRestorePoint "$RUN/repository" "$RUN/passphrase" web01
}

# This test's own name in its messages and its summary line (.ci/appliance adds up every summary line).
die() { log "e2e-test: $*" >&2; exit 1; }
summary() { echo "e2e-test: $PASSED passed, $FAILED failed"; [ "$FAILED" -eq 0 ]; }
