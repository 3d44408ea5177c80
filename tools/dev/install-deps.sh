#!/bin/sh
# Install what libdrtopo needs to build and test on Debian 12 (or later),
# skipping what is already there. Uses sudo when not run as root.
set -eu
pkgs="meson ninja-build pkg-config gcc g++ libjansson-dev check python3 python3-pytest mandoc graphviz abigail-tools clang clang-format valgrind"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "install-deps: installing$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
