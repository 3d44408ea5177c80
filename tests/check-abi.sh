#!/bin/sh
# ABI guard: the built library against the committed baseline
# abi/libdrtopo-0.1.abi (abidw of the 0.1 release). Removed or changed
# functions and types fail; additions (a new version node) pass.
# Exit 77 (skip) when abidiff is not installed.
# Regenerate the baseline only when a release deliberately changes the ABI:
#   abidw --headers-dir include/drtopo --no-corpus-path --drop-private-types \
#         build/lib/libdrtopo.so.0.1.0 > abi/libdrtopo-0.1.abi
set -u
lib=$1
src=$2
if ! command -v abidiff >/dev/null 2>&1; then
	echo "SKIP: abidiff (libabigail-tools / abigail-tools) not installed"
	exit 77
fi
abidiff --no-added-syms --suppressions "$src/abi/libdrtopo.abignore" --headers-dir2 "$src/include/drtopo" \
	"$src/abi/libdrtopo-0.1.abi" "$lib"
status=$?
if [ "$status" -ne 0 ]; then
	echo "FAIL: abidiff exited $status: the ABI changed against abi/libdrtopo-0.1.abi"
	exit 1
fi
echo "ok: no ABI change against abi/libdrtopo-0.1.abi"
