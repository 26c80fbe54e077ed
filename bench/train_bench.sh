#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Training throughput, side by side: `melodist train` against the same model in PyTorch
# Python (bench/peer_train_pytorch.py, Debian's python3-torch) on the same data, the
# same machine and the same number of threads. Model: the seeds' (one-hot -> LSTM 256 ->
# Linear), windows of 64, batch 64, Adam, clipping 1.0, every position a target. Data:
# the Essen "erk" collection (the seeds' corpus, ../shared), preprocessed here.
# Each side runs ROUNDS times, alternating; prints symbols/s of every run and the medians.
# The issue's goal: ours >= PyTorch Python's.
#
#   bench/train_bench.sh [BUILD_DIR] [STEPS] [THREADS] [ROUNDS]
#   bench/train_bench.sh build 200 2 3
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
steps=${2:-200}
threads=${3:-$(nproc)}
rounds=${4:-3}
corpus=${MELODIST_SHARED_DIR:-$root/../shared}/corpora/essen-deutschl/erk
melodist=$build/bin/melodist
[[ -x $melodist ]] || { echo "no $melodist: build the 'melodist' target first" >&2; exit 1; }
[[ -d $corpus ]] || { echo "no corpus at $corpus (set MELODIST_SHARED_DIR)" >&2; exit 1; }
/usr/bin/python3 -c 'import torch, numpy' || { echo "needs python3-torch and python3-numpy" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$melodist" preprocess "$corpus" --out "$work/data" >/dev/null
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(grep -m1 MemTotal /proc/meminfo | awk '{printf "%.0f GiB", $2/1048576}')"
echo "data: $(python3 -c "import json; s=json.load(open('$work/data/manifest.json'))['summary']; print(s['songs'], 'songs,', s['steps'], 'symbols,', s['vocabulary_size'], 'in the vocabulary')")"
echo "steps: $steps, threads: $threads, rounds: $rounds"
ours_cmd=("$melodist" train "$work/data" --model lstm --layers 1 --units 256 --embed 0 --dropout 0 --seq-len 64
          --batch 64 --val-split 0 --max-steps "$steps" --threads "$threads" --device cpu --progress jsonl)
peer_cmd=(/usr/bin/python3 "$root/bench/peer_train_pytorch.py" "$work/data" --steps "$steps" --threads "$threads"
          --units 256 --seq-len 64 --batch 64)
echo "ours: ${ours_cmd[*]} --out RUN"
echo "peer: ${peer_cmd[*]}"

ours=() peer=()
for round in $(seq "$rounds"); do
  rm -rf "$work/run"
  value=$("${ours_cmd[@]}" --out "$work/run" 2>/dev/null |
          python3 -c 'import json,sys; e=[json.loads(l) for l in sys.stdin]; print(round([x for x in e if x["event"]=="done"][0]["metrics"]["symbols_per_s"]))')
  ours+=("$value")
  value=$("${peer_cmd[@]}" | python3 -c 'import json,sys; print(round(json.loads(sys.stdin.read())["symbols_per_s"]))')
  peer+=("$value")
  echo "round $round: melodist ${ours[-1]} symbols/s, PyTorch Python ${peer[-1]} symbols/s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
m_ours=$(median "${ours[@]}") m_peer=$(median "${peer[@]}")
echo "median: melodist $m_ours symbols/s, PyTorch Python $m_peer symbols/s, ratio $(awk "BEGIN {printf \"%.2f\", $m_ours/$m_peer}")"
