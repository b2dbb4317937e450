#!/usr/bin/env bash
# Read stage vs dd on the same loop device, same run (issue: HotAdd engine, goal >= 0.95 of dd).
#
#   bash bench/read-stage.sh [image MiB, default 2048] [runs, default 3] [work folder, default bench/out]
#
# Makes an image of random bytes (no zero blocks to skip), attaches it as a read-only loop device with
# direct I/O (what the simulator harness and a hot-added disk look like to the agent), then alternates
# `dd if=/dev/loopN of=/dev/null bs=4M iflag=direct` and the agent's read stage (ReadStageBench: O_DIRECT
# source, pipelined ExtentCopier, zero detection, 4 MiB buffers), dropping the page cache before each run,
# and prints the medians and their ratio. Needs root (losetup, drop_caches). Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
MIB=${1:-2048}
RUNS=${2:-3}
OUT=${3:-bench/out}
mkdir -p "$OUT"
IMG="$OUT/random-${MIB}.img"
[ "$(id -u)" = 0 ] || { echo "needs root for losetup and drop_caches" >&2; exit 1; }

mvn -B -q -ntp test-compile -Dvcsim.skip=true
mvn -B -q -ntp dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" >/dev/null
CP="target/test-classes:target/classes:$(cat "$OUT/cp.txt")"

if [ ! -f "$IMG" ] || [ "$(stat -c %s "$IMG")" != "$((MIB << 20))" ]; then
  echo "== writing $MIB MiB of random bytes to $IMG"
  head -c "$((MIB << 20))" /dev/urandom > "$IMG"
fi
DEV=$(losetup --find --show --read-only --direct-io=on "$IMG")
trap 'losetup -d "$DEV"' EXIT
drop_cache() { sync; echo 3 > /proc/sys/vm/drop_caches; }

DD=() AGENT=()
for run in $(seq "$RUNS"); do
  drop_cache
  start=$(date +%s.%N)
  dd if="$DEV" of=/dev/null bs=4M iflag=direct status=none
  end=$(date +%s.%N)
  DD+=("$(echo "$((MIB << 20)) / 1000000 / ($end - $start)" | bc -l)")
  drop_cache
  AGENT+=("$(java -cp "$CP" io.hotadd.agent.bench.ReadStageBench "$DEV" 4 1 | awk '/^read-stage/ {print $4}')")
  printf 'run %d: dd %6.0f MB/s   agent read stage %6.0f MB/s\n' "$run" "${DD[-1]}" "${AGENT[-1]}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
MD=$(median "${DD[@]}"); MA=$(median "${AGENT[@]}")
printf '== %s: median dd %.0f MB/s, median agent %.0f MB/s, ratio %.3f (goal >= 0.95); load %s\n' \
  "$DEV" "$MD" "$MA" "$(echo "$MA / $MD" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
