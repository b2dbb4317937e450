#!/usr/bin/env bash
# Checks the project's systemd units inside an appliance root filesystem (build.sh runs it on the tree it
# is about to turn into the disk, so a unit that fails here never ships):
#   - systemd-analyze verify: syntax, unknown keys, missing executables, dependency problems;
#   - systemd-analyze security (offline): the exposure score of the agent and the root helper stays at or
#     below 2.5 ("OK"); today both are 1.9.
#   ova-build/test-units.sh ROOTFS
set -eu
root=${1:?usage: $0 ROOTFS}
units=(hotadd-agent.service hotadd-agent-jsvc.service hotadd-helper.socket hotadd-helper@probe.service
  hotadd-firstboot.service hotadd-banner.service hotadd-banner.timer)
passed=0 failed=0
result() { if [ "$1" = 0 ]; then passed=$((passed + 1)); echo "ok - $2"; else failed=$((failed + 1)); echo "FAIL - $2"; fi; }

for unit in "${units[@]}"; do
  # verify exits 0 on warnings such as unknown keys: any output at all counts as a failure here.
  out=$(cd / && systemd-analyze verify --root="$root" --man=no "$unit" 2>&1) && rc=0 || rc=$?
  [ -n "$out" ] && { echo "$out" | sed 's/^/    /'; rc=1; }
  result "$rc" "systemd-analyze verify $unit"
done
for unit in hotadd-agent.service hotadd-helper@probe.service; do
  score=$(systemd-analyze security --offline=yes --root="$root" "$unit" 2>/dev/null \
    | sed -n 's/.*Overall exposure level for [^:]*: *\([0-9.]*\).*/\1/p')
  awk -v s="${score:-99}" 'BEGIN { exit !(s <= 2.5) }' && rc=0 || rc=1
  result "$rc" "exposure of $unit is ${score:-unknown} (limit 2.5)"
done
echo "units: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
