#!/bin/sh
# A longer fuzzing campaign (HACKING.md, "Robustness"):
#
#   tools/dev/fuzz.sh [-b BUILD] [-t SECONDS] [-m] [TARGET...]
#
#   -b BUILD    build directory (default build-fuzz; created when missing
#               with clang, -Dfuzzing=true and ASan+UBSan)
#   -t SECONDS  per target (default 600), targets run in parallel
#   -m          merge the new inputs into the committed corpus
#               fuzz/corpus/<target>/ (minimized with -merge=1)
#   TARGET      document, template, assembly, api (default: all)
#
# The working corpus of each target starts from fuzz/corpus/<target> and
# the seeds in tests/data; work goes to $FUZZ_WORK (default
# /tmp/drtopo-fuzz). Crashes are saved there as crash-*; turn each into a
# regression: copy it to tests/data/fuzz/<target>/ (the fuzz-replay suite
# runs it in every build) and fix the bug. Final statistics (executions,
# coverage "cov", features "ft") are printed per target: copy them to
# fuzz/RESULTS.md.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build-fuzz
seconds=600
merge=0
while getopts b:t:m o; do
	case $o in
	b) build=$(cd "$OPTARG" 2>/dev/null && pwd || echo "$OPTARG") ;;
	t) seconds=$OPTARG ;;
	m) merge=1 ;;
	*) sed -n '2,22p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
targets=${*:-document template assembly api}
work=${FUZZ_WORK:-/tmp/drtopo-fuzz}

if [ ! -d "$build" ]; then
	CC=clang meson setup "$build" "$root" -Dfuzzing=true \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dexamples=false -Dpython_tests=disabled
fi
for t in $targets; do
	ninja -C "$build" "fuzz/fuzz-$t"
done

seeds() {
	case $1 in
	document) find "$root/tests/data/documents" "$root/tests/data/cli" -maxdepth 2 -name '*.json' ;;
	template) find "$root/tests/data" -name '*.template.json' -size -64k ;;
	*) ;;
	esac
}

mkdir -p "$work"
pids=
for t in $targets; do
	mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
	cp "$root/fuzz/corpus/$t/"* "$work/$t/corpus/" 2>/dev/null || true
	for f in $(seeds "$t"); do cp "$f" "$work/$t/corpus/" 2>/dev/null || true; done
	if [ "$t" = assembly ]; then
		# each cloud assembly of tests/data packed into one input
		python3 - "$root/tests/data" "$work/$t/corpus" <<'PY'
import glob, os, sys
data, out = sys.argv[1], sys.argv[2]
for n, man in enumerate(sorted(glob.glob(data + "/**/manifest.json", recursive=True))):
    d = os.path.dirname(man)
    parts = [open(man, "rb").read()]
    for r, _, files in os.walk(d):
        for f in sorted(files):
            p = os.path.join(r, f)
            if f.endswith(".template.json") or (f == "manifest.json" and p != man):
                parts.append(b"\n==== " + os.path.relpath(p, d).encode() + b"\n" + open(p, "rb").read())
    blob = b"".join(parts)
    if len(blob) <= 65536:
        open(os.path.join(out, "seed-%03d" % n), "wb").write(blob)
PY
	fi
	echo "fuzz-$t: $seconds s, log $work/$t/log"
	(cd "$work/$t" && UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		"$build/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 \
		-rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$work/$t/artifacts/" corpus >log 2>&1) &
	pids="$pids $!"
done
status=0
for p in $pids; do wait "$p" || status=1; done

for t in $targets; do
	echo "== fuzz-$t"
	grep -aE '^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|stat::new_units_added' "$work/$t/log" || true
	ls "$work/$t/artifacts" 2>/dev/null | sed 's/^/artifact: /'
	if [ "$merge" = 1 ]; then
		mkdir -p "$work/$t/merged"
		(cd "$work/$t" && "$build/fuzz/fuzz-$t" -merge=1 -max_len=65536 \
			merged corpus >merge.log 2>&1)
		rm -f "$root/fuzz/corpus/$t/"*
		cp "$work/$t/merged/"* "$root/fuzz/corpus/$t/"
		echo "merged: $(ls "$root/fuzz/corpus/$t" | wc -l) inputs, $(du -sh "$root/fuzz/corpus/$t" | cut -f1)"
	fi
done
exit $status
