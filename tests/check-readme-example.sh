#!/bin/sh
# The C example of README.md compiles against the INSTALLED library through
# pkg-config, and runs: install the build into a scratch prefix, extract
# the ```c block, build it with `pkg-config --cflags --libs drtopo`.
set -eu
src=$1
build=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

meson install -C "$build" --destdir "$tmp/root" --quiet >/dev/null
prefix=$(meson introspect "$build" --buildoptions |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
libdir=$(meson introspect "$build" --buildoptions |
	python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="libdir"][0])')
root="$tmp/root$prefix"
pcdir="$root/$libdir/pkgconfig"
[ -f "$pcdir/drtopo.pc" ] || { echo "FAIL: drtopo.pc not installed in $pcdir"; exit 1; }

awk '/^```c$/ {on=1; next} /^```$/ {on=0} on' "$src/README.md" >"$tmp/example.c"
[ -s "$tmp/example.c" ] || { echo "FAIL: no C example in README.md"; exit 1; }

# The .pc file names the final prefix; point pkg-config at the staged one.
flags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --define-variable=prefix="$root" --cflags --libs drtopo)
cc -std=c99 -Wall -Wextra -Werror "$tmp/example.c" $flags -o "$tmp/example"
LD_LIBRARY_PATH="$root/$libdir" "$tmp/example" >"$tmp/out"
grep -q '^DRT302 ' "$tmp/out" || { echo "FAIL: the example did not print its DRT302 finding"; cat "$tmp/out"; exit 1; }
grep -q '"schema": "drtopo-report/1"' "$tmp/out" || { echo "FAIL: no JSON report"; exit 1; }
echo "ok: README's C example builds with pkg-config against the installed library and runs"
