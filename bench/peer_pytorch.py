#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The PyTorch peer of `melodist generate` for bench/generation_bench.sh.

Reads a Keras melody model (.h5: one-hot -> LSTM layers (tanh/sigmoid) -> [Dropout] ->
Dense softmax, such as ../shared/seed-models/velardo/model.h5) with h5py and copies its
weights into torch.nn.LSTM + torch.nn.Linear: Keras' gate order i, f, c, o is PyTorch's
i, f, g, o; kernels are transposed; the Keras bias goes into bias_ih, bias_hh is zero.
Runs on one thread (torch.set_num_threads(1)), under torch.no_grad().

Modes (one JSON object on stdout):
  --predict "SYMBOLS"   next-symbol probabilities after the window (last --context symbols,
                        zero state), symbol -> probability in id order, like `melodist predict`
  --method incremental  the stateful loop: one-hot of the last symbol in, (h, c) carried
  --method windowed     the seeds' melodygenerator.py: every step re-runs the last --context
                        symbols from a zero state (their model.predict per step)
Generation starts from the seed padded with --context "/" (as the seeds do), samples with
temperature from the softmax (torch.multinomial), and by default ends a candidate at its
first "/" (finished rows leave the batch, as in `melodist generate`); --no-stop runs every
candidate --steps symbols. Timing: one warm-up run, then --runs runs; wall-clock of the
generation only (model built before), median reported.

  /usr/bin/python3 bench/peer_pytorch.py --model model.h5 --mapping mapping.json \\
      --seed "67 _ 67 _" --method incremental --candidates 64 --steps 500 --runs 5
"""
import argparse
import json
import statistics
import sys
import time

import h5py
import numpy as np
import torch


def load_keras_model(model_path):
    """torch.nn.LSTM + torch.nn.Linear holding the Keras model's weights."""
    with h5py.File(model_path, "r") as f:
        config = json.loads(f.attrs["model_config"])
        weights = f["model_weights"] if "model_weights" in f else f
        lstms, dense = [], None
        for layer in config["config"]["layers"]:
            kind, name = layer["class_name"], layer["config"]["name"]
            if kind in ("InputLayer", "Dropout"):
                continue
            group = weights[name]
            arrays = [np.array(group[n]) for n in group.attrs["weight_names"]]
            if kind == "LSTM":
                if layer["config"]["activation"] != "tanh" or layer["config"]["recurrent_activation"] != "sigmoid":
                    sys.exit(f"peer_pytorch: layer {name}: torch.nn.LSTM has only tanh/sigmoid")
                lstms.append((layer["config"]["units"], arrays))
            elif kind == "Dense":
                dense = arrays
            else:
                sys.exit(f"peer_pytorch: layer {name}: {kind} is not a melody LSTM layer")
    vocabulary = lstms[0][1][0].shape[0]
    units = lstms[0][0]
    if any(u != units for u, _ in lstms):
        sys.exit("peer_pytorch: stacked LSTMs of different sizes are not supported here")
    lstm = torch.nn.LSTM(vocabulary, units, num_layers=len(lstms), batch_first=True)
    linear = torch.nn.Linear(units, dense[0].shape[1])
    with torch.no_grad():
        for l, (_, (kernel, recurrent, bias)) in enumerate(lstms):
            getattr(lstm, f"weight_ih_l{l}").copy_(torch.from_numpy(kernel.T.copy()))
            getattr(lstm, f"weight_hh_l{l}").copy_(torch.from_numpy(recurrent.T.copy()))
            getattr(lstm, f"bias_ih_l{l}").copy_(torch.from_numpy(bias))
            getattr(lstm, f"bias_hh_l{l}").zero_()
        linear.weight.copy_(torch.from_numpy(dense[0].T.copy()))
        linear.bias.copy_(torch.from_numpy(dense[1]))
    return lstm.eval(), linear.eval(), vocabulary


def one_hot(ids, vocabulary):
    return torch.nn.functional.one_hot(ids, vocabulary).to(torch.float32)


def sample(logits, temperature, generator):
    if temperature <= 0:
        return torch.argmax(logits, dim=-1)
    probabilities = torch.softmax(logits / temperature, dim=-1)
    return torch.multinomial(probabilities, 1, generator=generator).squeeze(1)


def generate_incremental(model, prefix, args, generator, stop_id):
    lstm, linear, vocabulary = model
    rows = args.candidates
    # The padded seed in one call (PyTorch's fast way), then one step per symbol.
    ids = torch.tensor([prefix] * rows, dtype=torch.int64)
    out, (h, c) = lstm(one_hot(ids, vocabulary))
    logits = linear(out[:, -1])
    active = torch.arange(rows)
    sampled = 0
    for _ in range(args.steps):
        nxt = sample(logits, args.temperature, generator)
        sampled += int(nxt.shape[0])
        if not args.no_stop:
            keep = nxt != stop_id
            if not bool(keep.all()):
                active, nxt, h, c = active[keep], nxt[keep], h[:, keep], c[:, keep]
                if active.numel() == 0:
                    break
        out, (h, c) = lstm(one_hot(nxt.unsqueeze(1), vocabulary), (h, c))
        logits = linear(out[:, -1])
    return sampled


def generate_windowed(model, prefix, args, generator, stop_id):
    lstm, linear, vocabulary = model
    rows = args.candidates
    history = torch.tensor([prefix] * rows, dtype=torch.int64)
    sampled = 0
    for _ in range(args.steps):
        window = history[:, -args.context:]
        out, _ = lstm(one_hot(window, vocabulary))  # zero state, as model.predict
        nxt = sample(linear(out[:, -1]), args.temperature, generator)
        sampled += int(nxt.shape[0])
        if not args.no_stop:
            keep = nxt != stop_id
            history, nxt = history[keep], nxt[keep]
            if history.shape[0] == 0:
                break
        history = torch.cat([history, nxt.unsqueeze(1)], dim=1)
    return sampled


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--mapping", required=True)
    parser.add_argument("--predict")
    parser.add_argument("--seed", default="")
    parser.add_argument("--method", choices=("incremental", "windowed"), default="incremental")
    parser.add_argument("--candidates", type=int, default=1)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--context", type=int, default=64)
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--no-stop", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rng-seed", type=int, default=0)
    args = parser.parse_args()

    torch.set_num_threads(1)
    with open(args.mapping) as f:
        mapping = json.load(f)
    symbols = [s for s, _ in sorted(mapping.items(), key=lambda item: item[1])]
    model = load_keras_model(args.model)

    with torch.no_grad():
        if args.predict is not None:
            window = [mapping[s] for s in args.predict.split()]
            window = window[-args.context:] if args.context > 0 else window
            out, _ = model[0](one_hot(torch.tensor([window]), model[2]))
            p = torch.softmax(model[1](out[:, -1]), dim=-1)[0]
            print(json.dumps({s: float(p[i]) for i, s in enumerate(symbols)}))
            return
        prefix = [mapping["/"]] * args.context + [mapping[s] for s in args.seed.split()]
        run = generate_incremental if args.method == "incremental" else generate_windowed
        generator = torch.Generator().manual_seed(args.rng_seed)
        run(model, prefix, args, generator, mapping["/"])  # warm-up: allocations, kernel choice
        times, counts = [], []
        for i in range(args.runs):
            generator = torch.Generator().manual_seed(args.rng_seed)
            start = time.perf_counter()
            counts.append(run(model, prefix, args, generator, mapping["/"]))
            times.append((time.perf_counter() - start) * 1000.0)
    print(json.dumps({"method": args.method, "candidates": args.candidates, "steps": args.steps,
                      "no_stop": args.no_stop, "median_ms": statistics.median(times), "min_ms": min(times),
                      "runs_ms": [round(t, 3) for t in times], "symbols_sampled": statistics.median(counts),
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    main()
