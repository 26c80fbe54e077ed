#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Reproduces the bundled default model (resources/models/folk.melodist-model) and the
# numbers of its model card (resources/models/folk.md): the Essen German songs minus the
# fink collection (held out whole, to compare with the seeds' model, which never saw it
# either), the seeds' architecture on the same split and epochs, the order-3 n-gram, and
# the seeds' own Keras model.
#
#   tools/train-default-model.sh [BUILD_DIR] [WORK_DIR]     (default: build /tmp/melodist-default)
#
# Needs ../shared/corpora/essen-deutschl and ../shared/seed-models/velardo beside the
# project. One thread per run (on 2 cores, two 1-thread runs beat one 2-thread run).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
work=${2:-/tmp/melodist-default}
shared=${MELODIST_SHARED_DIR:-$here/../shared}
essen=$shared/corpora/essen-deutschl
melodist=$build/bin/melodist
mkdir -p "$work"
cd "$work"

collections=(allerkbd altdeu1 altdeu2 ballad boehme erk variant zuccal)
"$melodist" preprocess "${collections[@]/#/$essen/}" --out german
"$melodist" preprocess "$essen/fink" --out fink
"$melodist" import-keras "$shared/seed-models/velardo/model.h5" "$shared/seed-models/velardo/mapping.json" \
    --out seeds.melodist-model

# The default model and the seeds' architecture, side by side, same split (rng-seed 1); the
# baseline gets 12 epochs to the default's 10.
"$melodist" train german --out folk --model lstm-attn --layers 1 --units 256 --embed 64 --heads 4 --dropout 0.2 \
    --batching songs --seq-len 64 --batch 64 --epochs 10 --lr 0.002 --patience 3 --rng-seed 1 \
    --threads 1 --progress jsonl > folk.jsonl &
"$melodist" train german --out seeds-arch --model lstm --layers 1 --units 256 --embed 0 --dropout 0.2 \
    --batching windows --seq-len 64 --batch 64 --epochs 12 --lr 0.001 --patience 0 --rng-seed 1 \
    --threads 1 --progress jsonl > seeds-arch.jsonl &
wait

evaluate() {  # NAME MODEL DATASET [ARGS...]
    local name=$1; shift
    "$melodist" evaluate-model "$@" --json > "eval-$name.json"
    python3 -c "import json,sys; d=json.load(open('eval-$name.json')); \
print(f\"$name: {d['songs']} songs, {d['symbols']} symbols, accuracy {100*d['accuracy']:.2f} %, perplexity {d['perplexity']:.3f}\")"
}
for model in folk seeds-arch; do
    evaluate "$model-heldout" "$model/best.melodist-model" german --split-of folk
    evaluate "$model-fink" "$model/best.melodist-model" fink
done
evaluate seeds-fink seeds.melodist-model fink
evaluate ngram3-heldout ngram:3 german --train-dataset german --train-split-of folk --split-of folk
evaluate ngram3-fink ngram:3 fink --train-dataset german --train-split-of folk
