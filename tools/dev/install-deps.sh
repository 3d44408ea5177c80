#!/bin/sh
# Install what libdrtopo needs to build and test on Debian 12 (or later),
# skipping what is already there. Uses sudo when not run as root.
set -eu
pkgs="meson ninja-build pkg-config gcc g++ libjansson-dev check python3 python3-pytest mandoc graphviz abigail-tools clang clang-format valgrind"
# Wanted where the distribution has them: libFuzzer's runtime is only a
# recommendation of clang (the fuzz runs of .ci/run skip without it).
optional="libclang-rt-14-dev"

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}
missing=""
for p in $pkgs; do installed "$p" || missing="$missing $p"; done
want_optional=""
for p in $optional; do installed "$p" || want_optional="$want_optional $p"; done
[ -z "$missing$want_optional" ] && exit 0

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO apt-get update -qq
for p in $want_optional; do
	apt-cache show "$p" >/dev/null 2>&1 && missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
