#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the tiny Keras-layout .h5 fixtures of tests/engine/{KerasImportTest,LstmKernelTest}.cpp
the way Keras 2.2.4's model.save() lays a Sequential model out (fixed-length byte-string
attributes, model_weights/<layer>/<layer>/<name>:0 datasets), without TensorFlow.

  /usr/bin/python3 tools/make_keras_fixtures.py tests/data/keras

tiny_lstm.h5: 3 symbols one-hot -> LSTM 2 (tanh, hard_sigmoid) -> Dropout -> Dense 3 softmax,
  weights chosen by hand (see LstmKernelTest for the step worked out by hand).
tiny_missing_dataset.h5: the same, with lstm_1/bias:0 listed in weight_names but absent.
Needs Debian's python3-h5py and python3-numpy."""

import json
import os
import sys

import h5py
import numpy as np

ATANH_HALF = 0.5493061443340549  # tanh(0.5493...) = 0.5

# Columns: gates i, f, c, o (Keras order), 2 units each.
KERNEL = [
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],                         # symbol 0
    [0.5, -1.0, 0.0, 0.0, ATANH_HALF, -ATANH_HALF, 2.5, 0.0],          # symbol 1
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],                         # symbol 2
]
RECURRENT = [
    [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0],   # h0 drives the candidate of unit 0
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -2.0],  # h1 drives the output gate of unit 1
]
BIAS = [0.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0]  # forget bias 1 (unit_forget_bias)
DENSE_KERNEL = [[1.0, 0.0, -1.0], [0.0, 2.0, 1.0]]
DENSE_BIAS = [0.1, 0.0, -0.1]


def config():
    lstm = {"name": "lstm_1", "trainable": True, "batch_input_shape": [None, None, 3], "dtype": "float32",
            "return_sequences": False, "return_state": False, "go_backwards": False, "stateful": False,
            "unroll": False, "units": 2, "activation": "tanh", "recurrent_activation": "hard_sigmoid",
            "use_bias": True, "unit_forget_bias": True, "dropout": 0.0, "recurrent_dropout": 0.0,
            "implementation": 1}
    dropout = {"name": "dropout_1", "trainable": True, "rate": 0.2, "noise_shape": None, "seed": None}
    dense = {"name": "dense_1", "trainable": True, "units": 3, "activation": "softmax", "use_bias": True}
    return {"class_name": "Sequential", "config": {"name": "sequential_1", "layers": [
        {"class_name": "LSTM", "config": lstm},
        {"class_name": "Dropout", "config": dropout},
        {"class_name": "Dense", "config": dense}]}}


def write(path, drop_bias=False):
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = b"2.2.4"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(config()).encode("utf8")  # fixed-length, as Keras 2.2.4
        weights = f.create_group("model_weights")
        weights.attrs["layer_names"] = [b"lstm_1", b"dropout_1", b"dense_1"]
        weights.attrs["keras_version"] = b"2.2.4"
        weights.attrs["backend"] = b"tensorflow"
        layers = {
            "lstm_1": [("kernel:0", KERNEL), ("recurrent_kernel:0", RECURRENT), ("bias:0", BIAS)],
            "dropout_1": [],
            "dense_1": [("kernel:0", DENSE_KERNEL), ("bias:0", DENSE_BIAS)],
        }
        for layer, values in layers.items():
            group = weights.create_group(layer)
            group.attrs["weight_names"] = [f"{layer}/{name}".encode() for name, _ in values] if values else np.array([])
            for name, value in values:
                if drop_bias and layer == "lstm_1" and name == "bias:0":
                    continue
                group.create_dataset(f"{layer}/{name}", data=np.array(value, dtype=np.float32))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/keras"
    write(os.path.join(out, "tiny_lstm.h5"))
    write(os.path.join(out, "tiny_missing_dataset.h5"), drop_bias=True)


if __name__ == "__main__":
    main()
