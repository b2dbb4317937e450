#!/usr/bin/env bash
# SOAP round trips of one backup-shaped sequence (find, read, CBT on, lock, snapshot, snapshot disks, changed
# areas per disk, linked clone, read clone, hot-add, detach, destroy clone, remove snapshot, unlock) for a 1-disk
# and a 4-disk VM, against the project's vCenter simulator harness. Task waits included.
#
#   bench/soap-roundtrips.sh            builds the harness if needed, runs the count, prints the figures
#
# Figures come from SoapRoundTripsHarnessTest, which also fails above 20 + 4 per disk and checks that the
# client's count equals the harness's. The simulator finishes every task before answering, so each task
# costs two round trips here (start, one read of its state); on a real vCenter a task still running at that
# read costs three more (CreateFilter, WaitForUpdatesEx, DestroyPropertyFilter).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x target/vcsim/vcsim ]; then
  bash src/test/vcsim/build.sh "$PWD/target/vcsim" >&2
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! mvn -B -q test -Dvcsim.skip=true -Dtest=SoapRoundTripsHarnessTest,WorkflowRoundTripsHarnessTest -Dsurefire.failIfNoSpecifiedTests=false \
    >"$log" 2>&1; then
  grep -E "SOAP round trips|FAIL|ERROR\]|expected" "$log" | head -40 >&2
  echo "soap-roundtrips: the count failed; see target/surefire-reports/*SoapRoundTripsHarnessTest*" >&2
  exit 1
fi
grep "SOAP round trips" "$log"
