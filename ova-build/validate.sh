#!/usr/bin/env bash
# Validates a built OVA the way vCenter's importer and ovftool look at it, with open tools only:
#   - tar: GNU format, OVF first, manifest second, then the disk; no directories; owner and group 0;
#   - manifest: exactly "SHA256(<file>)= <64 hex>" per line, one per other member, and the sums match;
#   - OVF: well-formed (xmllint), ovf:size equal to the member's byte size, ovf:capacity equal to the
#     VMDK's virtual size, PVSCSI controller with the disk on it, VMXNET3, disk.EnableUUID=TRUE,
#     guestInfo transport, and a ProductSection whose keys are exactly the agent's settings
#     (ApplianceConfig --list-guestinfo-keys) with ovf:password on exactly the secrets;
#   - VMDK: sparse magic, streamOptimized, the descriptor fields vSphere reads, an end-of-stream marker,
#     and qemu-img check.
#   ova-build/validate.sh [OVA] [--app DIR]
set -eu
set -o pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
OVA=$REPO/ova-build/out/hotadd-proxy.ova
APP_DIR=$REPO/target/quarkus-app
while [ $# -gt 0 ]; do
  case "$1" in --app) APP_DIR=$2; shift 2 ;; *) OVA=$1; shift ;; esac
done
[ -f "$OVA" ] || { echo "no OVA at $OVA" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0 failed=0
check() {
  local name=$1; shift
  if "$@" >/dev/null 2>&1; then passed=$((passed + 1)); echo "ok - $name"
  else failed=$((failed + 1)); echo "FAIL - $name"; fi
}
eq() { [ "$1" = "$2" ] || { echo "  expected '$2', got '$1'" >&2; return 1; }; }
# XPath by local names (xmllint has no namespace prefixes on the command line).
xp() { xmllint --xpath "$1" "$T/$OVF" 2>/dev/null; }

# --- tar
tar -tvf "$OVA" > "$T/listing"
mapfile -t members < <(tar -tf "$OVA")
OVF=${members[0]}; MF=${members[1]:-}; VMDK=${members[2]:-}
check "three members: .ovf, .mf, .vmdk in that order" \
  bash -c "[[ ${#members[@]} = 3 && $OVF = *.ovf && $MF = *.mf && $VMDK = *.vmdk ]]"
check "no directories, no paths" bash -c "! grep -q '^d' '$T/listing' && ! tar -tf '$OVA' | grep -q /"
check "owner and group 0" bash -c "awk '{ if (\$2 != \"0/0\") bad = 1 } END { exit bad }' '$T/listing'"
# GNU headers carry "ustar  \0" at offset 257 (POSIX ustar: "ustar\0" "00").
check "GNU tar format" cmp -s <(head -c 265 "$OVA" | tail -c 8) <(printf 'ustar  \0')
tar -C "$T" -xf "$OVA"

# --- manifest
check "manifest has no other line form" bash -c "! grep -Ev '^SHA256\\([^)/]+\\)= [0-9a-f]{64}\$' '$T/$MF'"
check "manifest names the OVF and the disk" bash -c "grep -q '^SHA256($OVF)= ' '$T/$MF' && grep -q '^SHA256($VMDK)= ' '$T/$MF' && [ \$(wc -l < '$T/$MF') = 2 ]"
for f in "$OVF" "$VMDK"; do
  check "manifest sum of $f matches" eq "$(sed -n "s/^SHA256($f)= //p" "$T/$MF")" "$(sha256sum "$T/$f" | cut -d' ' -f1)"
done

# --- OVF
check "OVF is well-formed XML" xmllint --noout "$T/$OVF"
check "ovf:size equals the disk's byte size" eq "$(xp "string(//*[local-name()='File']/@*[local-name()='size'])")" "$(stat -c %s "$T/$VMDK")"
check "File href names the disk member" eq "$(xp "string(//*[local-name()='File']/@*[local-name()='href'])")" "$VMDK"
capacity=$(qemu-img info --output=json "$T/$VMDK" | sed -n 's/.*"virtual-size": \([0-9]*\).*/\1/p' | head -n 1)
check "ovf:capacity equals the VMDK's virtual size" eq "$(xp "string(//*[local-name()='Disk']/@*[local-name()='capacity'])")" "$capacity"
check "disk format is streamOptimized" eq "$(xp "string(//*[local-name()='Disk']/@*[local-name()='format'])")" \
  "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"
scsi_id=$(xp "string(//*[local-name()='Item'][*[local-name()='ResourceType']='6']/*[local-name()='InstanceID'])")
check "a PVSCSI controller" eq "$(xp "string(//*[local-name()='Item'][*[local-name()='ResourceType']='6']/*[local-name()='ResourceSubType'])")" VirtualSCSI
check "the disk is on the PVSCSI controller" eq "$(xp "string(//*[local-name()='Item'][*[local-name()='ResourceType']='17']/*[local-name()='Parent'])")" "$scsi_id"
check "a VMXNET3 adapter" eq "$(xp "string(//*[local-name()='Item'][*[local-name()='ResourceType']='10']/*[local-name()='ResourceSubType'])")" VmxNet3
check "disk.EnableUUID=TRUE" eq "$(xp "string(//*[local-name()='ExtraConfig'][@*[local-name()='key']='disk.EnableUUID']/@*[local-name()='value'])")" TRUE
check "guestInfo transport" eq "$(xp "string(//*[local-name()='VirtualHardwareSection']/@*[local-name()='transport'])")" com.vmware.guestInfo
check "vmx hardware family" bash -c "xmllint --xpath \"string(//*[local-name()='VirtualSystemType'])\" '$T/$OVF' | grep -Eq '^vmx-[0-9]+$'"
xp "//*[local-name()='ProductSection']/*[local-name()='Property']/@*[local-name()='key']" \
  | sed 's/.*="\(.*\)"/\1/' | sort > "$T/ovf-keys"
xp "//*[local-name()='Property'][@*[local-name()='password']='true']/@*[local-name()='key']" \
  | sed 's/.*="\(.*\)"/\1/' | sort > "$T/ovf-secrets"
java -cp "$APP_DIR/app/*" io.hotadd.agent.boot.appliance.ApplianceConfig --list-guestinfo-keys | sort > "$T/agent-keys"
check "OVF properties are exactly the agent's settings" diff "$T/ovf-keys" "$T/agent-keys"
check "passwords, token and passphrase are ovf:password" eq "$(paste -sd' ' "$T/ovf-secrets")" \
  "hotadd.api.token hotadd.appliance.root-password hotadd.repository.passphrase hotadd.vcenter.password"
check "the API token asks for the agent's minimum length" eq \
  "$(xp "string(//*[local-name()='Property'][@*[local-name()='key']='hotadd.api.token']/@*[local-name()='qualifiers'])")" \
  "MinLen(16)"
# DSP0243's property types; "password" is not one (secrecy is the ovf:password attribute).
xp "//*[local-name()='Property']/@*[local-name()='type']" | sed 's/.*="\(.*\)"/\1/' | sort -u > "$T/ovf-types"
check "property types are OVF types (string, boolean, [su]intN, realN)" \
  bash -c "! grep -Evx 'string|boolean|[su]int(8|16|32|64)|real(32|64)' '$T/ovf-types'"
check "properties are grouped in categories" bash -c "[ \$(xmllint --xpath \"count(//*[local-name()='ProductSection']/*[local-name()='Category'])\" '$T/$OVF') -ge 4 ]"

# --- VMDK
off=$(od -An -t u8 -j 28 -N 8 "$T/$VMDK" | tr -d ' '); size=$(od -An -t u8 -j 36 -N 8 "$T/$VMDK" | tr -d ' ')
dd if="$T/$VMDK" bs=512 skip="$off" count="$size" status=none | tr -d '\000' > "$T/descriptor"
check "VMDK sparse magic KDMV" eq "$(head -c 4 "$T/$VMDK")" KDMV
check "VMDK version 3 (stream)" eq "$(od -An -t u4 -j 4 -N 4 "$T/$VMDK" | tr -d ' ')" 3
for field in 'createType="streamOptimized"' 'ddb.adapterType = "lsilogic"' 'ddb.virtualHWVersion = "14"' \
  'ddb.toolsInstallType = "4"' 'ddb.toolsVersion = "2147483647"'; do
  check "descriptor has $field" grep -qF "$field" "$T/descriptor"
done
check "descriptor extent names the disk file" grep -q "SPARSE \"$VMDK\"" "$T/descriptor"
check "ends with an end-of-stream marker (zero sector)" eq "$(tail -c 512 "$T/$VMDK" | tr -d '\000' | wc -c)" 0
check "qemu-img check" qemu-img check -f vmdk "$T/$VMDK"
echo "ova: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
