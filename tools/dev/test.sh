#!/bin/bash
# shellcheck disable=SC2317 # the stage functions are called through run()
# The README's test command: every test of libdrtopo, in stages.
#
#   tools/dev/test.sh [--quick] [--no-deps] [--skip STAGE]... [--only STAGE]...
#                     [-B BUILD] [-j N]
#
# Stages, in order (HACKING.md, "Robustness", has what each proves and
# how long it takes):
#   deps      tools/dev/install-deps.sh (what is missing, with apt-get)
#   suite     meson setup BUILD; meson test -C BUILD: every suite
#   asan      BUILD-asan: the whole suite under ASan+UBSan
#               (style and man suites aside; they do not run C)
#   tsan      BUILD-tsan: the threads and api tests under ThreadSanitizer
#   fuzz      BUILD-fuzz (clang, libFuzzer, ASan+UBSan): 15 s of each fuzz
#               target with a fixed seed; FAILS when clang cannot link
#               -fsanitize=fuzzer (never skips on its own)
#   valgrind  BUILD with the 'valgrind' test setup: the C tests under
#               memcheck, the suite 'valgrind-slow' aside (VALGRIND_ARGS)
#
#   --quick        deps and suite only (skip asan, tsan, fuzz, valgrind)
#   --no-deps      skip deps (same as --skip deps)
#   --skip STAGE   skip a stage (repeatable)
#   --only STAGE   run only the stages named (repeatable)
#   -B BUILD       build directory, from the repository root (default:
#                  build); the others are BUILD-asan, BUILD-tsan and
#                  BUILD-fuzz
#   -j N           parallel tests and compile jobs (default: all cores)
#
# Every selected stage runs even when an earlier one failed (deps aside:
# its failure stops the run). A summary table with each stage's status
# and duration ends the output; the exit status is 0 only when every
# selected stage passed.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

STAGES="deps suite asan tsan fuzz valgrind"
# Under valgrind: every test of the 'valgrind' setup (the C suites: unit,
# oom, fuzz-replay) except the suite 'valgrind-slow' (resolve and rules,
# four fifths of the whole setup's time). HACKING.md has the figures.
VALGRIND_ARGS="--no-suite valgrind-slow"

build=build
jobs=""
skip=" "
only=" "
usage() { awk 'NR > 2 && !/^#/ { exit } NR > 2 { sub(/^# ?/, ""); print }' "$0"; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--quick) skip="$skip asan tsan fuzz valgrind " ;;
	--no-deps) skip="$skip deps " ;;
	--skip | --only)
		[ $# -ge 2 ] || usage
		case " $STAGES " in *" $2 "*) ;; *) echo "test.sh: no stage '$2'" >&2; usage ;; esac
		if [ "$1" = --skip ]; then skip="$skip $2 "; else only="$only $2 "; fi
		shift ;;
	-B) [ $# -ge 2 ] || usage; build=${2%/}; shift ;;
	-j) [ $# -ge 2 ] || usage; jobs=$2; shift ;;
	-h | --help) usage ;;
	*) echo "test.sh: unknown argument '$1'" >&2; usage ;;
	esac
	shift
done

: "${UBSAN_OPTIONS:=halt_on_error=1:print_stacktrace=1}"
: "${TSAN_OPTIONS:=halt_on_error=1}"
export UBSAN_OPTIONS TSAN_OPTIONS

logs=$(mktemp -d "${TMPDIR:-/tmp}/drtopo-test-XXXXXX")
trap 'rm -rf "$logs"' EXIT
start_all=$(date +%s)
summary=""
failed=0
n_stage=0
for s in $STAGES; do n_stage=$((n_stage + 1)); done
i_stage=0

selected() {
	case "$only" in " ") ;; *" $1 "*) ;; *) return 1 ;; esac
	case "$skip" in *" $1 "*) return 1 ;; esac
	return 0
}

mmss() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }

# meson setup, or reconfigure with the same options when DIR exists.
setup() {
	local dir=$1
	shift
	if [ -f "$dir/meson-private/coredata.dat" ]; then
		meson setup --reconfigure "$dir" "$@"
	else
		meson setup "$dir" "$@"
	fi
}

# meson test with the -j of the command line; its summary is parsed
# from the stage log for the table.
mtest() {
	meson test ${jobs:+--num-processes "$jobs"} --print-errorlogs "$@"
}
compile() {
	meson compile ${jobs:+-j "$jobs"} -C "$1"
}

# "38 ok, 1 skipped" from meson test's closing counts.
counts() {
	awk '/^(Ok|Expected Fail|Fail|Unexpected Pass|Skipped|Timeout): +[0-9]+ *$/ {
		k = $0; sub(/: .*/, "", k); n = $NF
		if (n > 0) out = out (out ? ", " : "") n " " tolower(k)
	} END { print out }' "$1"
}

# run STAGE "TITLE" FUNCTION: header, timing, status, summary row.
run() {
	local stage=$1 title=$2 fn=$3
	i_stage=$((i_stage + 1))
	if ! selected "$stage"; then
		summary="$summary$(printf '%-9s %-8s %6s  %s' "$stage" skipped - "")\n"
		return 0
	fi
	printf '\n==== [%d/%d] %s: %s\n\n' "$i_stage" "$n_stage" "$stage" "$title"
	local t0 rc status
	t0=$(date +%s)
	"$fn" 2>&1 | tee "$logs/$stage.log"
	rc=${PIPESTATUS[0]}
	local dt=$(($(date +%s) - t0)) detail
	detail=$(counts "$logs/$stage.log")
	if [ "$stage" = fuzz ] && [ -f "$build-fuzz/meson-logs/testlog.txt" ]; then
		# libFuzzer's final statistics (run-fuzz.sh: -print_final_stats=1)
		detail="$detail$(awk '/stat::number_of_executed_units:/ { n += $NF }
			END { if (n) printf "; %d executions", n }' "$build-fuzz/meson-logs/testlog.txt")"
	fi
	if [ "$rc" = 0 ]; then status=ok; else status=FAIL; failed=1; fi
	detail=${detail#; }
	[ -n "$detail" ] || [ "$rc" = 0 ] || detail="failed before any test ran"
	printf '\n==== %s: %s (exit %d) in %s\n' "$stage" "$status" "$rc" "$(mmss "$dt")"
	summary="$summary$(printf '%-9s %-8s %6s  %s' "$stage" "$status" "$(mmss "$dt")" "$detail")\n"
	return "$rc"
}

stage_deps() {
	tools/dev/install-deps.sh
}

stage_suite() {
	setup "$build" && compile "$build" && mtest -C "$build"
}

stage_asan() {
	# Python too: its meson.build preloads the sanitizer runtimes
	setup "$build-asan" -Db_sanitize=address,undefined -Db_lundef=false \
		-Dpython_tests=auto &&
		compile "$build-asan" &&
		mtest -C "$build-asan" --no-suite style --no-suite man
}

stage_tsan() {
	setup "$build-tsan" -Db_sanitize=thread -Db_lundef=false \
		-Dpython_tests=disabled -Dexamples=false &&
		compile "$build-tsan" &&
		mtest -C "$build-tsan" threads api
}

# libFuzzer's runtime ships apart from clang on Debian (libclang-rt-N-dev).
fuzz_toolchain() {
	local exe
	command -v clang >/dev/null 2>&1 || return 1
	exe=$(mktemp "$logs/fuzz-check-XXXXXX")
	printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' |
		clang -fsanitize=fuzzer,address -x c - -o "$exe" >"$logs/fuzz-check.log" 2>&1
}

stage_fuzz() {
	rm -f "$build-fuzz/meson-logs/testlog.txt" # read for the summary
	if ! fuzz_toolchain; then
		cat "$logs/fuzz-check.log" 2>/dev/null
		echo "test.sh: FAIL: clang cannot link a libFuzzer target (-fsanitize=fuzzer)."
		echo "test.sh: install clang and libclang-rt-<clang major>-dev"
		echo "test.sh: (tools/dev/install-deps.sh does), or pass --skip fuzz."
		return 1
	fi
	CC=clang setup "$build-fuzz" -Dfuzzing=true \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dexamples=false -Dpython_tests=disabled &&
		# the four fuzzers only: the rest of this build is never run
		meson compile ${jobs:+-j "$jobs"} -C "$build-fuzz" \
			fuzz/fuzz-document fuzz/fuzz-template fuzz/fuzz-assembly fuzz/fuzz-api &&
		mtest -C "$build-fuzz" --no-rebuild --suite fuzz
}

stage_valgrind() {
	if ! command -v valgrind >/dev/null 2>&1; then
		echo "test.sh: FAIL: valgrind is not installed (tools/dev/install-deps.sh installs it), or pass --skip valgrind."
		return 1
	fi
	[ -f "$build/meson-private/coredata.dat" ] || setup "$build" || return 1
	# shellcheck disable=SC2086 # split into words on purpose
	compile "$build" && mtest -C "$build" --setup valgrind $VALGRIND_ARGS
}

run deps "install what is missing (tools/dev/install-deps.sh)" stage_deps || {
	printf '\ntest.sh: the dependencies could not be installed; stopping.\n'
	for s in $STAGES; do
		[ "$s" = deps ] && continue
		summary="$summary$(printf '%-9s %-8s %6s  %s' "$s" "not run" - "")\n"
	done
	i_stage=$n_stage
}
if [ "$i_stage" -lt "$n_stage" ]; then
	run suite "every test suite ($build)" stage_suite
	run asan "the whole suite under ASan+UBSan ($build-asan)" stage_asan
	run tsan "threads and api under ThreadSanitizer ($build-tsan)" stage_tsan
	run fuzz "15 s of each fuzz target, fixed seed ($build-fuzz)" stage_fuzz
	run valgrind "C tests under valgrind memcheck ($build, --setup valgrind)" stage_valgrind
fi

total=$(($(date +%s) - start_all))
if [ "$failed" = 0 ]; then verdict=ok; else verdict=FAIL; fi
printf '\n==== summary\n\n'
printf '%-9s %-8s %6s  %s\n' stage status time tests
printf '%b' "$summary"
printf '%-9s %-8s %6s\n' total "$verdict" "$(mmss "$total")"
exit "$failed"
