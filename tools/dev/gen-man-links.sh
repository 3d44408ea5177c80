#!/bin/sh
# Generate the alias pages of the library manual: for every function that
# a family page man/drtopo_*.3 lists with .Nm (other than the page's own
# name), write man/<function>.3 holding the single line
#
#	.so man3/<family page>.3
#
# and remove alias pages that no family page lists any more. The output is
# committed; re-run this after adding a function to a page, then run the
# 'man' test suite (tests/check-man.sh checks the result).
#
# Usage: tools/dev/gen-man-links.sh [SOURCE_ROOT]
set -eu

root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
man=$root/man
[ -d "$man" ] || { echo "gen-man-links: no directory $man" >&2; exit 1; }

# An alias page is a file whose first line is a .so request.
is_stub() {
	head -n 1 "$1" | grep -q '^\.so '
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/made"
status=0
written=0

for page in "$man"/drtopo_*.3; do
	[ -e "$page" ] || continue
	is_stub "$page" && continue
	base=$(basename "$page" .3)
	for name in $(awk '$1 == ".Nm" && $2 != "" {print $2}' "$page"); do
		[ "$name" = "$base" ] && continue
		if grep -qx "$name" "$tmp/made"; then
			echo "gen-man-links: $name is listed on two pages" >&2
			status=1
			continue
		fi
		echo "$name" >>"$tmp/made"
		target=$man/$name.3
		if [ -e "$target" ] && ! is_stub "$target"; then
			echo "gen-man-links: $target is a real page, not an alias of $base.3" >&2
			status=1
			continue
		fi
		line=".so man3/$base.3"
		if [ ! -e "$target" ] || [ "$(cat "$target")" != "$line" ]; then
			printf '%s\n' "$line" >"$target"
			written=$((written + 1))
		fi
	done
done

removed=0
for page in "$man"/*.3; do
	[ -e "$page" ] || continue
	is_stub "$page" || continue
	name=$(basename "$page" .3)
	if ! grep -qx "$name" "$tmp/made"; then
		rm -f "$page"
		removed=$((removed + 1))
	fi
done

total=$(wc -l <"$tmp/made" | tr -d ' ')
echo "gen-man-links: $total alias pages ($written written, $removed removed)"
exit $status
