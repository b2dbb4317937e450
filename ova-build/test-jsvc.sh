#!/usr/bin/env bash
# Runs the packaged agent under Debian's jsvc (1.0.15) exactly as systemd/hotadd-agent-jsvc.service does,
# with the commons-daemon 1.4.1 jar the agent bundles: jsvc starts as root, calls AgentDaemon.init(),
# switches to an unprivileged user, calls start(); on SIGTERM it calls stop() and destroy(). Asserts the
# user switch, liveness, a clean Quarkus stop and jsvc's exit code. Needs root and the jsvc package.
#   ova-build/test-jsvc.sh [--app DIR]
set -eu
APP=$(cd "$(dirname "$0")/.." && pwd)/target/quarkus-app
[ "${1:-}" = --app ] && APP=$(cd "$2" && pwd)
T=$(mktemp -d)
chmod 0755 "$T"
passed=0 failed=0
check() { if "${@:2}" >/dev/null 2>&1; then passed=$((passed + 1)); echo "ok - $1"; else failed=$((failed + 1)); echo "FAIL - $1"; fi; }
cleanup() { [ -z "${JSVC:-}" ] || kill "$JSVC" 2>/dev/null || true; rm -rf "$T"; }
trap cleanup EXIT

# The class path as the build writes /opt/hotadd-agent/jsvc.classpath: explicit jars, no wildcards.
cp=$( (cd "$APP" && { ls lib/boot/*.jar; echo quarkus/transformed-bytecode.jar; echo quarkus/generated-bytecode.jar
  ls app/*.jar lib/main/*.jar; }) | sed "s|^|$APP/|" | paste -sd: -)
port=$(( 20000 + RANDOM % 20000 ))
# The agent refuses to start without API authentication; plain HTTP keeps the probe simple. Its state
# folder must be writable by the user jsvc switches to.
install -d -o nobody "$T/state"
token_hash=$(printf 'jsvc-test-token' | sha256sum | cut -d' ' -f1)
/usr/bin/jsvc -nodetach -user nobody -outfile "$T/out.log" -errfile '&1' -pidfile "$T/jsvc.pid" \
  -java-home /usr/lib/jvm/java-17-openjdk-amd64 -cp "$cp" -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.http.port="$port" -Dquarkus.management.port=$((port + 1)) -Dhotadd.api.tls.enabled=false \
  -Dhotadd.api.auth.token-sha256="$token_hash" -Dhotadd.state-dir="$T/state" io.hotadd.agent.boot.AgentDaemon &
JSVC=$!
live=
for _ in $(seq 1 90); do
  for p in $((port + 1)) "$port"; do
    live=$(curl -sf -m 5 "http://127.0.0.1:$p/q/health/live" 2>/dev/null) && break 2
  done
  sleep 2
done
check "liveness answers UP under jsvc" grep -q UP <<< "$live"
check "the JVM runs as the -user (nobody), jsvc's controller as root" \
  bash -c "ps -o user= --ppid $JSVC | grep -qx nobody && ps -o user= -p $JSVC | grep -qx root"
kill -TERM "$JSVC"
rc=0; wait "$JSVC" || rc=$?
check "jsvc exits 0 after SIGTERM" test "$rc" = 0
check "stop() stopped Quarkus cleanly" grep -q "hotadd-agent stopped in" "$T/out.log"
echo "jsvc (Debian $(dpkg-query -W -f='${Version}' jsvc), commons-daemon $(ls "$APP"/lib/main | sed -n 's/.*commons-daemon-\(.*\)\.jar/\1/p')): $passed passed, $failed failed"
[ "$failed" -eq 0 ]
