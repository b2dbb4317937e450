#!/usr/bin/env bash
# The packaged agent against the vCenter simulator harness, driven through its REST API:
#   1. peak RSS of the agent process while it backs up a 1 TiB thin disk with 2 GiB allocated (goal <= 300 MiB);
#   2. latency of GET /api/v1/jobs/{id} while 4 backups run at once.
#
#   bash bench/agent-api.sh [allocated GiB, default 2] [latency samples, default 200] [work folder, default bench/out/agent-api]
#
# Builds the agent (target/quarkus-app; SKIP_BUILD=1 reuses it) and the harness (target/vcsim/vcsim, when missing), starts both as child
# processes with the agent configured by -D overrides (real yavijava gateway, sysfs guest disks, O_DIRECT reads,
# pack repository in the work folder, the agent's default limits), and stops both at the end. JVM options come
# from AGENT_JAVA_OPTS (default below; agent settings can be added there as -Dhotadd.*=...; add
# -XX:NativeMemoryTracking=summary for the JVM's own breakdown after the 1 TiB backup in nmt-after-1tib.txt). As root the harness publishes disks as loop
# devices (the agent's production path); otherwise as files. The work folder must allow O_DIRECT (not tmpfs).
# Needs curl and jq. Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
GIB=${1:-2}
SAMPLES=${2:-200}
WORK=${3:-bench/out/agent-api}
# the appliance's JVM options (docs/configuration.md, "Memory"): a small heap, and no per-thread cache of the
# temporary direct buffers the JDK makes for writes of heap buffers (packs), which otherwise keeps ~pack size
# per writing thread; glibc malloc arenas capped for the same reason
JAVA_OPTS=${AGENT_JAVA_OPTS:--Xmx112m -XX:+UseSerialGC -Djdk.nio.maxCachedBufferSize=262144}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
TOKEN=bench-token
TIB=$((1 << 40))
HTTP_PORT=${HTTP_PORT:-18080}
MGMT_PORT=${MGMT_PORT:-19000}

for tool in curl jq; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }; done
[ "${SKIP_BUILD:-0}" = 1 ] || mvn -B -q -ntp package -DskipTests -Dvcsim.skip=true
[ -x target/vcsim/vcsim ] || bash src/test/vcsim/build.sh "$PWD/target/vcsim" >&2
rm -rf "$WORK"
mkdir -p "$WORK/vcsim" "$WORK/state" "$WORK/secrets"
WORK=$(cd "$WORK" && pwd)

VCSIM_PID= AGENT_PID=
stop() {
  [ -n "$AGENT_PID" ] && kill "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" 2>/dev/null || true
  [ -n "$VCSIM_PID" ] && kill "$VCSIM_PID" 2>/dev/null && wait "$VCSIM_PID" 2>/dev/null || true
}
trap stop EXIT

# ---- the simulated vCenter, with DC0_H0_VM0 as the proxy VM
target/vcsim/vcsim -data "$WORK/vcsim" -listen 127.0.0.1:0 -control 127.0.0.1:0 -proxy DC0_H0_VM0 \
  > "$WORK/vcsim.out" 2> "$WORK/vcsim.log" &
VCSIM_PID=$!
for _ in $(seq 100); do grep -q '^VCSIM_READY' "$WORK/vcsim.out" 2>/dev/null && break; sleep 0.2; done
READY=$(sed -n 's/^VCSIM_READY //p' "$WORK/vcsim.out")
[ -n "$READY" ] || { echo "the harness did not start; see $WORK/vcsim.log" >&2; exit 1; }
v() { jq -r ".$1" <<<"$READY"; }
CONTROL=$(v control)
control() { curl -sf -X "$1" "$CONTROL$2" ${3:+-H 'Content-Type: application/json' -d "$3"}; }

# ---- VMs: one 1 TiB thin disk with GIB GiB written in 256 MiB pieces spread over it, and 4 smaller ones
make_vm() { # name capacityBytes
  control POST /vms "{\"name\":\"$1\",\"cbt\":true,\"disks\":[{\"capacityBytes\":$2,\"thin\":true}]}" | jq -r '.disks[0].key'
}
write() { # vm key offset length seed
  control POST "/vms/$1/disks/$2/write" "{\"offset\":$3,\"length\":$4,\"pattern\":\"random:$5\"}" >/dev/null
}
echo "== creating a 1 TiB thin disk with $GIB GiB of random data"
KEY=$(make_vm big01 "$TIB")
PIECES=$((GIB * 4))
for i in $(seq 0 $((PIECES - 1))); do
  write big01 "$KEY" $((i * (TIB / PIECES))) $((256 << 20)) "big-$i"
done
for n in 1 2 3 4; do
  k=$(make_vm "par0$n" $((8 << 30)))
  write "par0$n" "$k" 0 $((512 << 20)) "par-$n"
done

# ---- the agent, configured like an appliance but pointed at the harness's roots
v password | tr -d '\n' > "$WORK/secrets/vcenter.password"
head -c 32 /dev/urandom > "$WORK/secrets/repository.key"
chmod 600 "$WORK/secrets/"*
java $JAVA_OPTS \
  -Dhotadd.state-dir="$WORK/state" \
  -Dhotadd.vcenter.url="$(v url)" -Dhotadd.vcenter.user="$(v username)" \
  -Dhotadd.vcenter.password-file="$WORK/secrets/vcenter.password" -Dhotadd.vcenter.thumbprint="$(v sha256)" \
  -Dhotadd.proxy.vm=DC0_H0_VM0 \
  -Dhotadd.repository.location="$WORK/repo" -Dhotadd.repository.key-file="$WORK/secrets/repository.key" \
  -Dhotadd.repository.init-if-missing=true \
  -Dhotadd.paths.dev="$(v devDir)" -Dhotadd.paths.dev-disk-by-id="$(v byIdDir)" -Dhotadd.paths.sys="$(v sysfsRoot)" \
  -Dhotadd.api.auth.token-sha256="$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)" \
  -Dhotadd.api.tls.enabled=false -Dquarkus.http.port="$HTTP_PORT" -Dquarkus.management.port="$MGMT_PORT" \
  -jar target/quarkus-app/quarkus-run.jar > "$WORK/agent.log" 2>&1 &
AGENT_PID=$!
API="http://127.0.0.1:$HTTP_PORT/api/v1"
api() { curl -sf -H "Authorization: Bearer $TOKEN" "$@"; }
echo "== waiting for the agent to be ready (pid $AGENT_PID)"
for _ in $(seq 300); do
  curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$AGENT_PID" 2>/dev/null || { echo "the agent stopped; see $WORK/agent.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf "http://127.0.0.1:$MGMT_PORT/q/health/ready" >/dev/null || {
  curl -s "http://127.0.0.1:$MGMT_PORT/q/health/ready" >&2; exit 1; }
rss_kib() { awk "/^$1:/ {print \$2}" "/proc/$AGENT_PID/status"; }
backup() { api -X POST "$API/backups" -H 'Content-Type: application/json' -d "{\"vm\":{\"name\":\"$1\"},\"mode\":\"full\"}" | jq -r .id; }
await() { # job id; prints its final document
  while :; do
    doc=$(api "$API/jobs/$1")
    case $(jq -r .state <<<"$doc") in SUCCEEDED|FAILED|CANCELLED) echo "$doc"; return;; esac
    sleep 0.5
  done
}

# ---- 1. peak RSS during the 1 TiB backup
RSS_READY=$(rss_kib VmRSS)
START=$(date +%s.%N)
JOB=$(backup big01)
DOC=$(await "$JOB")
END=$(date +%s.%N)
[ "$(jq -r .state <<<"$DOC")" = SUCCEEDED ] || { echo "backup failed: $DOC" >&2; exit 1; }
PEAK=$(rss_kib VmHWM)
if [[ "$JAVA_OPTS" == *NativeMemoryTracking* ]]; then
  jcmd "$AGENT_PID" VM.native_memory summary > "$WORK/nmt-after-1tib.txt" 2>&1 || true
fi
READ=$(jq -r .progress.bytesDone <<<"$DOC")
printf '== 1 TiB thin disk, %d GiB allocated: %.1f s, %d MiB read, RSS ready %d MiB, peak RSS (VmHWM) %d MiB (goal <= 300)\n' \
  "$GIB" "$(echo "$END - $START" | bc -l)" $((READ >> 20)) $((RSS_READY >> 10)) $((PEAK >> 10))

# ---- 2. GET /jobs/{id} latency while 4 backups run
IDS=()
for n in 1 2 3 4; do IDS+=("$(backup "par0$n")"); done
LAT="$WORK/latency.txt"
: > "$LAT"
RUNNING=0
for i in $(seq "$SAMPLES"); do
  id=${IDS[$((i % 4))]}
  curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$API/jobs/$id" >> "$LAT"
  [ "$(api "$API/jobs?state=RUNNING&limit=10" | jq '.jobs | length')" -gt 0 ] && RUNNING=$((RUNNING + 1))
done
for id in "${IDS[@]}"; do
  [ "$(await "$id" | jq -r .state)" = SUCCEEDED ] || echo "warning: job $id did not succeed" >&2
done
sort -g "$LAT" | awk -v running="$RUNNING" -v n="$SAMPLES" '{a[NR]=$1*1000} END {
  printf "== GET /api/v1/jobs/{id} while 4 backups ran (%d of %d samples with a job RUNNING): p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    running, n, a[int(NR*0.5)+1], a[int(NR*0.95)], a[int(NR*0.99)], a[NR] }'
printf '== peak RSS over the whole run %d MiB; JVM options: %s; load %s\n' $(( $(rss_kib VmHWM) >> 10 )) \
  "$JAVA_OPTS" "$(cut -d' ' -f1-3 /proc/loadavg)"
