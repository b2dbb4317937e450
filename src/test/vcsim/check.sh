#!/bin/sh
# Runs the harness's own Go tests (vet + unit + end-to-end through govmomi), as part of `mvn verify`.
# VCSIM_TEST_LOOP=off forces file mode; VCSIM_SCALE_TEST=1 adds the 1 TiB disk test.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
export GO111MODULE=off GOPATH=/usr/share/gocode GOFLAGS=
go vet ./...
go test -count=1 ./...
