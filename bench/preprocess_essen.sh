#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Times `melodist preprocess` on the Essen folk songs (5,046 kern files, ../shared),
# the whole process from outside: start-up, reading, encoding and the fsync'ed writes.
# Goal: under 0.5 s wall on 2 cores. Prints min / median / max of wall and CPU seconds.
#
#   bench/preprocess_essen.sh [BUILD_DIR] [RUNS] [EXTRA OPTIONS...]
#   bench/preprocess_essen.sh build-release 10 --jobs 1
#
# Uses hyperfine when it is installed, else /usr/bin/time. MELODIST_LOG=debug on one
# run shows the time of each phase (finding files, reading and encoding, writing).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
runs=${2:-10}
shift $(( $# > 2 ? 2 : $# ))
corpus=${MELODIST_SHARED_DIR:-$root/../shared}/corpora/essen-deutschl
melodist=$build/bin/melodist
[[ -x $melodist ]] || { echo "no $melodist: build the 'melodist' target first" >&2; exit 1; }
[[ -d $corpus ]] || { echo "no corpus at $corpus (set MELODIST_SHARED_DIR)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
echo "command: melodist preprocess $corpus --out $out --force $*"
# Warm-up: fills the page cache; prints the summary line and the phase times once.
MELODIST_LOG=debug "$melodist" preprocess "$corpus" --out "$out" --force "$@" 2>&1 | grep -E '^preprocess:|debug'

if command -v hyperfine >/dev/null; then
    hyperfine --warmup 1 --runs "$runs" "$melodist preprocess $corpus --out $out --force $*"
    exit 0
fi

times=$(mktemp)
for ((i = 0; i < runs; ++i)); do
    /usr/bin/time -f '%e %U %S' -a -o "$times" "$melodist" preprocess "$corpus" --out "$out" --force "$@" >/dev/null
done
summarise() {  # column of numbers on stdin -> "min median max"
    sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
                                        printf "%.3f  %.3f  %.3f\n", v[1], m, v[NR] }'
}
echo "runs: $runs          min    median  max"
echo "wall s:          $(awk '{ print $1 }' "$times" | summarise)"
echo "cpu s (usr+sys): $(awk '{ print $2 + $3 }' "$times" | summarise)"
rm -f "$times"
