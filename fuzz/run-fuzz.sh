#!/bin/sh
# A short libFuzzer run of one target (meson test --suite fuzz):
#   run-fuzz.sh FUZZER CORPUS_DIR SECONDS [libFuzzer options]
# New inputs go to a scratch directory, never into the committed corpus.
# Exit status: libFuzzer's (non-zero on a crash, leak or timeout; the
# input is saved in the scratch directory and named in the output).
# The seed is fixed (FUZZ_SEED, default 1) so that a CI run explores the
# same inputs every time: a red CI is a real bug, not a roll of the dice.
# Campaigns that should wander set FUZZ_SEED=0 (libFuzzer picks one).
set -eu
fuzzer=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
corpus=$2
seconds=$3
shift 3
work=$(mktemp -d "${TMPDIR:-/tmp}/drtopo-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/new"
cd "$work"
"$fuzzer" -seed="${FUZZ_SEED:-1}" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -print_final_stats=1 "$@" "$work/new" "$corpus"
