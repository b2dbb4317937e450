#!/bin/sh
# TEST ONLY. ova-build/boot-test.sh writes this into its own copy of the image (with probe.service); it
# is never part of the OVA. It reports, as "PROBE key=value" lines on the serial console, what can only
# be seen inside the guest: the udev treatment of a hot-added disk, the agent's privileges, the root
# helper's answers, and whether a secret reached the journal. The host asserts; this only reports.
set -u
out() { echo "PROBE $*"; }
prop() { udevadm info -q property -n "$1" 2>/dev/null | sed -n "s/^$2=//p"; }
helperctl() { runuser -u "$1" -- hotadd-helperctl "$2" "$3" 2>&1 | tail -n 1; }
GUEST_WWN=$1
out "start uptime=$(cut -d' ' -f1 /proc/uptime)"

# The host hot-adds the disk after the agent answers; wait for udev's by-id link (no blkid needed).
link=/dev/disk/by-id/wwn-0x$GUEST_WWN
i=0
while [ ! -e "$link" ] && [ $i -lt 900 ]; do sleep 1; i=$((i + 1)); done
[ -e "$link" ] || { out "guest_disk=missing"; out done; exit 0; }
dev=$(readlink -f "$link"); name=${dev#/dev/}
udevadm settle --timeout=60 || true
root_part=$(findmnt -n -o SOURCE /); root_name=$(basename "$(readlink -f "/sys/class/block/${root_part#/dev/}/..")")
root_uuid=$(findmnt -n -o UUID /)
out "guest_disk=$name root_disk=$root_name"
out "guest_links=$(ls /dev/disk/by-id | grep -c "$GUEST_WWN")"
out "guest_class=$(prop "$dev" HOTADD_GUEST_DISK) guest_part_class=$(prop "${dev}1" HOTADD_GUEST_DISK)"
out "guest_part_fs_type=$(prop "${dev}1" ID_FS_TYPE) guest_part_exists=$(test -b "${dev}1" && echo yes || echo no)"
out "root_class=$(prop "/dev/$root_name" HOTADD_GUEST_DISK)"
out "root_byuuid=$(readlink -f "/dev/disk/by-uuid/$root_uuid") root_source=$root_part"

pid=$(systemctl show -p MainPID --value hotadd-agent.service)
out "agent_active=$(systemctl is-active hotadd-agent.service) agent_user=$(stat -c %U "/proc/$pid")"
out "agent_capeff=$(sed -n 's/^CapEff:[[:space:]]*//p' "/proc/$pid/status") agent_nnp=$(sed -n 's/^NoNewPrivs:[[:space:]]*//p' "/proc/$pid/status")"
out "agent_groups=$(id -Gn hotadd | tr ' ' ,)"
out "props=$(stat -c '%a:%U' /etc/hotadd-agent/agent.properties) props_keys=$(grep -v '^#' /etc/hotadd-agent/agent.properties | sed 's/=.*//' | sort | paste -sd, -)"
out "hostname=$(hostname) network_units=$(ls /etc/systemd/network | paste -sd, -)"
out "addresses=$(ip -4 -o addr show scope global | awk '{print $4}' | paste -sd, -)"
out "product_uuid_as_hotadd=$(runuser -u hotadd -- cat /sys/class/dmi/id/product_uuid >/dev/null 2>&1 && echo readable || echo denied) mode=$(stat -L -c '%a:%U:%G' /sys/class/dmi/id/product_uuid 2>&1)"
out "sysfs_delete_as_hotadd=$(runuser -u hotadd -- sh -c "printf 1 > /sys/block/$name/device/delete" 2>/dev/null && echo written || echo denied)"

out "helper_roset_guest=$(helperctl hotadd roset "$name") guest_ro=$(cat "/sys/block/$name/ro")"
out "helper_roset_root=$(helperctl hotadd roset "$root_name")"
out "helper_delete_root=$(helperctl hotadd delete "$root_name")"
out "helper_as_nobody=$(helperctl nobody roset "$name" | grep -o 'Permission denied\|ok' | head -n 1)"
pvhost=$(grep -l vmw_pvscsi /sys/class/scsi_host/host*/proc_name | head -n 1 | sed 's|.*/host\([0-9]*\)/proc_name|\1|')
out "helper_scan=$(helperctl hotadd scan "$pvhost")"
out "helper_delete_guest=$(helperctl hotadd delete "$name")"
sleep 2
out "guest_gone=$(test -e "/sys/block/$name" && echo no || echo yes)"
out "failed_units=$(systemctl --failed --plain --no-legend | awk '{print $1}' | paste -sd, -)"
out "exposure_agent=$(systemd-analyze security hotadd-agent.service 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: *\([0-9.]*\).*/\1/p')"
out "exposure_helper=$(systemd-analyze security hotadd-helper@probe.service 2>/dev/null | sed -n 's/.*Overall exposure level for [^:]*: *\([0-9.]*\).*/\1/p')"
out "done uptime=$(cut -d' ' -f1 /proc/uptime)"
