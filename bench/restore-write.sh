#!/usr/bin/env bash
# Restore write stage vs dd on the same loop device, same run (issue: restore through HotAdd).
#
#   bash bench/restore-write.sh [image MiB, default 1024] [runs, default 3] [work folder, default bench/out]
#
# Makes an image of random bytes (no zero blocks to skip) and a preallocated target file of the same size on
# the work folder's filesystem, attaches the target as a writable loop device with direct I/O (what a
# hot-added restore disk looks like to the agent in the harness), then alternates
# `dd if=IMAGE of=/dev/loopN bs=4M oflag=direct` and the agent's write stage (RestoreWriteBench: image in
# memory → ExtentWriter, reader ahead of the O_DIRECT writer, 4 MiB aligned buffers → fdatasync), with the
# image warm in the page cache for both, and prints the medians and their ratio. Then, once, the whole restore
# path: the image backed up into a local repository and written back from it (PackedDiskImage decrypting and
# decompressing, ExtentWriter, O_DIRECT), checked byte for byte. Needs root (losetup). Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
MIB=${1:-1024}
RUNS=${2:-3}
OUT=${3:-bench/out}
mkdir -p "$OUT"
IMG="$OUT/random-${MIB}.img"
TARGET="$OUT/restore-target-${MIB}.img"
[ "$(id -u)" = 0 ] || { echo "needs root for losetup" >&2; exit 1; }

mvn -B -q -ntp test-compile -Dvcsim.skip=true
mvn -B -q -ntp dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" >/dev/null
CP="target/test-classes:target/classes:$(cat "$OUT/cp.txt")"

if [ ! -f "$IMG" ] || [ "$(stat -c %s "$IMG")" != "$((MIB << 20))" ]; then
  echo "== writing $MIB MiB of random bytes to $IMG"
  head -c "$((MIB << 20))" /dev/urandom > "$IMG"
fi
rm -f "$TARGET"
fallocate -l "$((MIB << 20))" "$TARGET"   # allocated up front: both writers overwrite, neither allocates
DEV=$(losetup --find --show --direct-io=on "$TARGET")
trap 'losetup -d "$DEV"; rm -f "$TARGET"' EXIT
warm() { cat "$IMG" > /dev/null; sync; }

DD=() AGENT=()
for run in $(seq "$RUNS"); do
  warm
  start=$(date +%s.%N)
  dd if="$IMG" of="$DEV" bs=4M oflag=direct conv=fdatasync status=none
  end=$(date +%s.%N)
  DD+=("$(echo "$((MIB << 20)) / 1000000 / ($end - $start)" | bc -l)")
  warm
  AGENT+=("$(java -cp "$CP" io.hotadd.agent.bench.RestoreWriteBench "$DEV" "$IMG" 4 1 | awk '/^restore-write/ {print $4}')")
  printf 'run %d: dd %6.0f MB/s   agent write stage %6.0f MB/s\n' "$run" "${DD[-1]}" "${AGENT[-1]}"
done
cmp -n "$((MIB << 20))" "$IMG" "$DEV" && echo "== the device holds the image byte for byte"

REPO="$OUT/restore-repo"
rm -rf "$REPO"
java -cp "$CP" io.hotadd.agent.bench.RepoPipelineBench backup "$IMG" "$REPO" | grep '^pipeline first'
dd if=/dev/zero of="$DEV" bs=4M oflag=direct status=none 2>/dev/null || true   # nothing of the image left
FULL=$(java -cp "$CP" io.hotadd.agent.bench.RepoPipelineBench restore "$REPO" "$DEV" | awk '/^restore-from-repo/ {print $4}')
cmp -n "$((MIB << 20))" "$IMG" "$DEV" && printf '== restore from the repository: %.0f MB/s, byte for byte\n' "$FULL"
rm -rf "$REPO"
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
MD=$(median "${DD[@]}"); MA=$(median "${AGENT[@]}")
printf '== %s: median dd %.0f MB/s, median agent %.0f MB/s, ratio %.3f (goal >= 0.95); load %s\n' \
  "$DEV" "$MD" "$MA" "$(echo "$MA / $MD" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
