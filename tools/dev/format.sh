#!/bin/sh
# Reformat every tracked C file with the checked-in .clang-format.
set -eu
cd "$(git rev-parse --show-toplevel)"
git ls-files '*.c' '*.h' | xargs clang-format -i
