#!/usr/bin/env bash
# Orchestration time per VM (everything but the data copy) against the vCenter simulator harness.
#
#   bash bench/orchestration.sh [VMs, default 10] [disks per VM, default 2]
#
# The harness answers every vCenter call at once (tasks finish before the call returns), so this measures
# the agent's own overhead and its SOAP round trips, not a real vCenter's task latency. Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/out
mvn -B -q -ntp test-compile
mvn -B -q -ntp dependency:build-classpath -Dmdep.outputFile=bench/out/cp.txt >/dev/null
java -cp "target/test-classes:target/classes:$(cat bench/out/cp.txt)" io.hotadd.agent.bench.OrchestrationBench "$@"
