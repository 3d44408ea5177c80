#!/bin/sh
# The ABI surface, three ways, must agree:
#   symbols the shared library exports (nm -D, code and data only),
#   symbols the version script lists,
#   functions the public headers declare with DRTOPO_EXPORT.
# Every one must carry the drtopo_ prefix.
set -eu
lib=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ {print $3}' | sed 's/@.*//' | sort -u >"$tmp/exported"
grep -o '^[[:space:]]*drtopo_[a-z0-9_]*;' "$src/lib/libdrtopo.sym" | tr -d ' \t;' | sort -u >"$tmp/script"
# A prototype: DRTOPO_EXPORT, then the return type, then the name before '('
# (possibly on the next line).
awk '/DRTOPO_EXPORT/ {buf=$0; while (buf !~ /\(/ && (getline line) > 0) buf = buf " " line; print buf}' \
	"$src"/include/drtopo/*.h | grep -o 'drtopo_[a-z0-9_]*[[:space:]]*(' | tr -d ' (' | sort -u >"$tmp/headers"

status=0
if grep -v '^drtopo_' "$tmp/exported"; then
	echo "FAIL: exported symbols without the drtopo_ prefix (above)"; status=1
fi
if ! diff -u "$tmp/script" "$tmp/exported"; then
	echo "FAIL: version script (-) and exported symbols (+) differ"; status=1
fi
if ! diff -u "$tmp/headers" "$tmp/script"; then
	echo "FAIL: header declarations (-) and version script (+) differ"; status=1
fi
n=$(wc -l <"$tmp/exported")
[ "$status" = 0 ] && echo "ok: $n exported symbols agree with lib/libdrtopo.sym and the headers"
exit $status
