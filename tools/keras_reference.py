#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Independent reference for Melodist's Keras import: next-symbol probabilities of a
Keras melody model (one-hot input -> LSTM layers -> optional Dropout -> Dense softmax),
computed in float64 numpy straight from the Keras equations, for windows fed from a
zero state (the seeds' way). Not a runtime dependency: it produces test fixtures.

  /usr/bin/python3 tools/keras_reference.py --model ../shared/seed-models/velardo/model.h5 \
      --mapping ../shared/seed-models/velardo/mapping.json \
      --windows tests/data/keras/velardo_windows.json > tests/data/keras/velardo_reference.json

Needs Debian's python3-h5py and python3-numpy (no TensorFlow)."""

import argparse
import hashlib
import json
import sys

import h5py
import numpy as np


def activation(name):
    if name == "sigmoid":
        return lambda x: 1.0 / (1.0 + np.exp(-x))
    if name == "hard_sigmoid":  # Keras 2: clip(0.2 x + 0.5, 0, 1)
        return lambda x: np.clip(0.2 * x + 0.5, 0.0, 1.0)
    if name == "tanh":
        return np.tanh
    if name == "linear":
        return lambda x: x
    if name == "relu":
        return lambda x: np.maximum(x, 0.0)
    raise SystemExit(f"keras_reference: activation '{name}' not implemented")


def text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def layer_weights(weights_group, layer_name):
    """{short name: float64 array} from the layer group's weight_names attribute."""
    group = weights_group[layer_name]
    result = {}
    for full in group.attrs.get("weight_names", []):
        full = text(full)                       # e.g. "lstm/recurrent_kernel:0"
        short = full.split("/")[-1].split(":")[0]
        result[short] = np.array(group[full], dtype=np.float64)
    return result


def load(path):
    with h5py.File(path, "r") as f:
        config = json.loads(text(f.attrs["model_config"]))
        weights_group = f["model_weights"] if "model_weights" in f else f
        layers = []
        for layer in config["config"]["layers"]:
            name = layer["config"]["name"]
            weights = layer_weights(weights_group, name) if name in weights_group else {}
            layers.append((layer["class_name"], layer["config"], weights))
        return layers


def forward(layers, ids, vocabulary_size):
    """Probabilities after the last symbol of `ids`, zero initial state."""
    x = np.zeros((len(ids), vocabulary_size))
    x[np.arange(len(ids)), ids] = 1.0           # the seeds' to_categorical
    for class_name, config, w in layers:
        if class_name in ("InputLayer", "Dropout"):  # Dropout is identity at inference
            continue
        if class_name == "LSTM":
            units = config["units"]
            act = activation(config["activation"])
            rec = activation(config["recurrent_activation"])
            kernel, recurrent = w["kernel"], w["recurrent_kernel"]
            bias = w.get("bias", np.zeros(4 * units))
            h = np.zeros(units)
            c = np.zeros(units)
            outputs = []
            for t in range(x.shape[0]):
                z = x[t] @ kernel + h @ recurrent + bias
                i = rec(z[0 * units:1 * units])     # Keras gate order: i, f, c, o
                f = rec(z[1 * units:2 * units])
                g = act(z[2 * units:3 * units])
                o = rec(z[3 * units:4 * units])
                c = f * c + i * g
                h = o * act(c)
                outputs.append(h)
            x = np.array(outputs) if config.get("return_sequences") else h[np.newaxis, :]
            continue
        if class_name == "Dense":
            y = x[-1] @ w["kernel"] + w.get("bias", 0.0)
            if config["activation"] == "softmax":
                e = np.exp(y - y.max())
                x = (e / e.sum())[np.newaxis, :]
            else:
                x = activation(config["activation"])(y)[np.newaxis, :]
            continue
        raise SystemExit(f"keras_reference: layer class '{class_name}' not implemented")
    return x[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--mapping", required=True)
    parser.add_argument("--windows", required=True, help="JSON: {'windows': [{'symbols': '67 _ ...'}, ...]}")
    args = parser.parse_args()

    with open(args.mapping) as f:
        mapping = json.load(f)
    with open(args.windows) as f:
        windows = json.load(f)
    with open(args.model, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    layers = load(args.model)

    out = {
        "comment": "Written by tools/keras_reference.py (h5py + float64 numpy, independent of the C++ code); "
                   "probabilities are indexed by the ids of mapping.json.",
        "command": " ".join(["/usr/bin/python3", "tools/keras_reference.py"] + sys.argv[1:]),
        "model_sha256": digest,
        "windows": [],
    }
    for window in windows["windows"]:
        ids = [mapping[s] for s in window["symbols"].split()]
        p = forward(layers, ids, len(mapping))
        entry = dict(window)
        entry["probabilities"] = [float(f"{v:.9g}") for v in p]
        out["windows"].append(entry)
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
