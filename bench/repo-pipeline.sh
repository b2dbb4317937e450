#!/usr/bin/env bash
# Repository pipeline benchmark: the agent's backup path against dd and restic on the same image, same run.
#
#   bash bench/repo-pipeline.sh [image MiB (default 3072)] [work folder (default bench/out)]
#
# Needs: the project built (this script runs mvn test-compile), restic and GNU time (Debian packages
# 'restic' and 'time'), root for dropping the page cache between runs (otherwise runs after the first
# may read from cache: the script says so). Not part of the test suite. AGENT_JAVA_OPTS is passed to the
# agent's JVM (e.g. -Dhotadd.openssl=false to measure the JDK-only crypto). Each step prints the load
# average before it: on a shared machine, wall times follow it; CPU seconds much less.
#
# Runs, each measured with /usr/bin/time (wall, user+sys CPU of the whole process, JVM start included):
#   1. dd if=IMG of=/dev/null bs=4M iflag=direct   the device's read ceiling
#   2. agent pipeline, first full                  O_DIRECT DirectBlockSource -> ExtentCopier -> HMAC-SHA-256
#                                                  -> zstd -> AES-256-GCM -> packs in a local repository
#   3. restic backup, first                        restic's defaults (compression auto), RESTIC_PASSWORD
#   4. agent pipeline, unchanged second full       reads and hashes everything again, stores nothing new
#   5. restic backup, second                       restic skips an unchanged file by its metadata
#   6. restic backup --force, second               restic re-reads the file (the like-for-like comparison)
set -euo pipefail
cd "$(dirname "$0")/.."
MIB=${1:-3072}
OUT=${2:-bench/out}
mkdir -p "$OUT"
IMG="$OUT/mixed.img"
export RESTIC_PASSWORD=bench-password BENCH_PASSWORD=bench-password
command -v restic >/dev/null || { echo "restic is missing: apt-get install restic" >&2; exit 1; }

mvn -B -q -ntp test-compile -Dvcsim.skip=true
mvn -B -q -ntp dependency:build-classpath -Dmdep.outputFile="$OUT/cp.txt" >/dev/null
CP="target/test-classes:target/classes:$(cat "$OUT/cp.txt")"
# shellcheck disable=SC2206 # options are meant to split
JAVA=(java ${AGENT_JAVA_OPTS:-} -cp "$CP" io.hotadd.agent.bench.RepoPipelineBench)

if [ ! -f "$IMG" ] || [ "$(stat -c %s "$IMG")" != "$((MIB << 20))" ]; then
  echo "== writing a ${MIB} MiB mixed image (30% random, 25% zeros, 25% text, 20% duplicates) to $IMG"
  "${JAVA[@]}" image "$IMG" "$MIB"
fi
SIZE=$(stat -c %s "$IMG")

drop_cache() {
  sync
  if [ -w /proc/sys/vm/drop_caches ]; then echo 3 > /proc/sys/vm/drop_caches; else echo "(page cache not dropped: not root)"; fi
}

# measure NAME CMD...: runs CMD under GNU time, records wall and CPU seconds
declare -A WALL CPU
measure() {
  local name=$1; shift
  drop_cache
  LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/time -f "%e %U %S" -o "$OUT/time.txt" "$@" > "$OUT/$name.log" 2>&1 || { cat "$OUT/$name.log"; exit 1; }
  read -r wall user sys < "$OUT/time.txt"
  WALL[$name]=$wall
  CPU[$name]=$(echo "$user + $sys" | bc -l)
  printf '%-22s wall %7.2f s  cpu %7.2f s  %8.0f MB/s  %8.0f MB/s per core used  (load before: %s)\n' "$name" \
    "$wall" "${CPU[$name]}" "$(echo "$SIZE / 1000000 / $wall" | bc -l)" "$(echo "$SIZE / 1000000 / ${CPU[$name]}" | bc -l)" \
    "$LOAD"
  grep -h "^pipeline" "$OUT/$name.log" | sed 's/^/    /' || true
}

rm -rf "$OUT/agent-repo" "$OUT/restic-repo"
restic init --repo "$OUT/restic-repo" >/dev/null
echo "== image: $SIZE bytes; $(nproc) cores; $(java -version 2>&1 | head -1); $(restic version)"
measure dd dd if="$IMG" of=/dev/null bs=4M iflag=direct
measure agent-full "${JAVA[@]}" backup "$IMG" "$OUT/agent-repo"
AGENT1=$(du -sb "$OUT/agent-repo" | cut -f1)
measure restic-full restic backup --repo "$OUT/restic-repo" "$IMG"
RESTIC1=$(du -sb "$OUT/restic-repo" | cut -f1)
measure agent-second "${JAVA[@]}" backup "$IMG" "$OUT/agent-repo"
measure restic-second restic backup --repo "$OUT/restic-repo" "$IMG"
measure restic-second-force restic backup --force --repo "$OUT/restic-repo" "$IMG"
AGENT2=$(du -sb "$OUT/agent-repo" | cut -f1)
RESTIC2=$(du -sb "$OUT/restic-repo" | cut -f1)
# what a backup in mode auto does when CBT reports no changed areas: no read, the parent's map carried over
measure agent-unchanged "${JAVA[@]}" unchanged "$IMG" "$OUT/agent-repo"
# pipeline_figure LOG WHAT FIELD: wall (1) or cpu (2) seconds of the agent's in-process "pipeline WHAT:" line
pipeline_figure() {
  sed -n "s/^pipeline $2: .* in \([0-9.]*\) s wall, \([0-9.]*\) s cpu.*/\\$3/p" "$OUT/$1.log"
}

ratio() { echo "scale=2; $1 / $2" | bc -l; }
echo "== repository size after first full: agent $AGENT1, restic $RESTIC1 bytes (agent/restic $(ratio "$AGENT1" "$RESTIC1"));"\
     "after second: agent $AGENT2, restic $RESTIC2"
echo "== throughput agent/restic, first full: $(ratio "${WALL[restic-full]}" "${WALL[agent-full]}")x wall,"\
     "$(ratio "${CPU[restic-full]}" "${CPU[agent-full]}")x per CPU second (goal >= 4x)"
PIPE_WALL=$(pipeline_figure agent-full "first full" 1)
PIPE_CPU=$(pipeline_figure agent-full "first full" 2)
echo "== the agent's pipeline alone (read + hash + compress + encrypt + store, after the repository is open, as"\
     "in the running agent): $(echo "$SIZE / 1000000 / $PIPE_CPU" | bc) MB/s per core used (goal >= 400);"\
     "vs restic's whole process $(ratio "${WALL[restic-full]}" "$PIPE_WALL")x wall,"\
     "$(ratio "${CPU[restic-full]}" "$PIPE_CPU")x per CPU second (goal >= 4x)"
echo "== agent first full vs dd: $(ratio "${WALL[dd]}" "${WALL[agent-full]}") of the device's read rate"
echo "== second full wall: agent ${WALL[agent-second]} s, restic ${WALL[restic-second]} s (metadata skip),"\
     "restic --force ${WALL[restic-second-force]} s; cpu: agent ${CPU[agent-second]} s, restic --force"\
     "${CPU[restic-second-force]} s"
echo "== unchanged disk, backup in mode auto (CBT: nothing changed): agent ${WALL[agent-unchanged]} s wall,"\
     "pipeline alone $(pipeline_figure agent-unchanged "unchanged (CBT: nothing changed)" 1) s;"\
     "restic second ${WALL[restic-second]} s (metadata skip)"
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

echo "== stages alone, one thread, 1 MiB chunks, MB per CPU second (bench StageBench), JDK defaults:"
java -cp "$CP" io.hotadd.agent.bench.StageBench | sed 's/^/    /'
echo "== and with -XX:-UseSHA256Intrinsics, to see that the CPU's SHA instructions are in use:"
java -XX:+UnlockDiagnosticVMOptions -XX:-UseSHA256Intrinsics -cp "$CP" io.hotadd.agent.bench.StageBench | head -1 | sed 's/^/    /'
