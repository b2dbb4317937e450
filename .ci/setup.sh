# Shared by .ci/run and .ci/demo: Debian packages the build, the tests and the demo need.
# Everything comes from Debian's archive or Maven Central; nothing else is reachable from CI.

PACKAGES=(
  openjdk-17-jdk-headless maven            # the agent (Java 17, as the appliance ships)
  golang-go golang-github-vmware-govmomi-dev  # the vCenter simulator harness (govmomi 0.24.2, GOPATH mode)
  util-linux                                # losetup: the harness publishes hot-added disks as loop devices
  libssl3                                   # libcrypto.so.3: the repository's chunk crypto and PBKDF2 (JDK fallback)
  ca-certificates curl
)

install_test_dependencies() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "== installing: ${missing[*]}"
    if [ "$(id -u)" != 0 ]; then
      echo "missing Debian packages (${missing[*]}); run as root or install them first" >&2
      exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  # The harness uses loop devices when it runs as root; make sure the kernel can hand them out.
  if [ "$(id -u)" = 0 ] && [ ! -e /dev/loop-control ]; then
    modprobe loop 2>/dev/null || echo "note: no /dev/loop-control; the harness falls back to plain files"
  fi
}
