#!/bin/sh
# Builds the vCenter simulator harness (see docs/vcsim-harness.md) from Debian packages only:
# golang-go and golang-github-vmware-govmomi-dev, in GOPATH mode, with nothing downloaded.
#   src/test/vcsim/build.sh [outdir]      (default: <repo>/target/vcsim) -> outdir/vcsim
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/../../../target/vcsim"}
gopath=/usr/share/gocode

if ! command -v go >/dev/null 2>&1; then
	echo "build.sh: 'go' not found; install the Debian package golang-go (apt-get install golang-go)" >&2
	exit 1
fi
if [ ! -d "$gopath/src/github.com/vmware/govmomi/simulator" ]; then
	echo "build.sh: govmomi not found in $gopath; install the Debian package golang-github-vmware-govmomi-dev" >&2
	exit 1
fi

mkdir -p "$out"
cd "$here"
GO111MODULE=off GOPATH="$gopath" GOFLAGS= go build -o "$out/vcsim" .
echo "built $(cd "$out" && pwd)/vcsim"
