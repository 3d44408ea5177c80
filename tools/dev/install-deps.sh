#!/bin/sh
# Install what libdrtopo needs to build and test on Debian 12 (or later),
# skipping what is already there. Uses sudo when not run as root.
set -eu
pkgs="meson ninja-build pkg-config gcc g++ libjansson-dev check python3 python3-pytest python3-jsonschema mandoc graphviz abigail-tools clang clang-format valgrind"
# libFuzzer's runtime is only a recommendation of clang, in a package named
# after clang's major version (Debian 12: libclang-rt-14-dev). Installed
# where the distribution has it; without it the fuzz stage of
# tools/dev/test.sh fails (it never skips on its own).
clang_major() {
	if command -v clang >/dev/null 2>&1; then
		clang --version | sed -n 's/.*clang version \([0-9][0-9]*\).*/\1/p' | head -n 1
	else
		apt-cache depends clang 2>/dev/null | sed -n 's/.*Depends: clang-\([0-9][0-9]*\)$/\1/p' | head -n 1
	fi
}
rt_package() {
	v=$(clang_major)
	echo "libclang-rt-${v:-14}-dev"
}
optional=$(rt_package)

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
# clang may not be installed yet: name the runtime after the package lists
if ! command -v clang >/dev/null 2>&1; then
	optional=$(rt_package)
	want_optional=""
	for p in $optional; do installed "$p" || want_optional="$want_optional $p"; done
fi
for p in $want_optional; do
	apt-cache show "$p" >/dev/null 2>&1 && missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
