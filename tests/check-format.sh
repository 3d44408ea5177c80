#!/bin/sh
# Every C source and header follows .clang-format. Exit 77 (skip) when
# clang-format is not installed. Fix with: tools/dev/format.sh
set -eu
src=$1
command -v clang-format >/dev/null 2>&1 || { echo "clang-format not installed: skipped"; exit 77; }
cd "$src"
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find lib include tools tests examples bench fuzz -name '*.[ch]')
bad=0
for f in $files; do
	if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
		echo "not formatted: $f"
		bad=1
	fi
done
[ $bad = 0 ] && echo "ok: all C files follow .clang-format"
exit $bad
