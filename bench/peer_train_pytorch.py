#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The peer of `melodist train` for bench/train_bench.sh: the same model and batches in
PyTorch Python (Debian's python3-torch), timed the same way.

Model: one-hot -> LSTM (1 layer) -> Linear, the seeds' architecture; every position of
a window predicts the next symbol (cross-entropy, ignore_index -100), Adam, gradient
clipping at 1.0. Data: dataset.bin of a `melodist preprocess` folder, the songs as
Melodist's windows batching makes them (64 "/" before each song, one after the last,
windows of SEQ_LEN from offset 0, targets "/" after "/" ignored), in file order.

    peer_train_pytorch.py DATASET_DIR --steps 200 --threads 2 [--units 256 --seq-len 64 --batch 64]

Prints one JSON line: {"symbols_per_s", "steps", "seconds", "threads", "torch", "loss_first", "loss_last"}.
"""
import argparse
import json
import struct
import time

import numpy as np
import torch


def read_dataset(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:6] != b"MLDSET":
        raise SystemExit(f"{path}: not a dataset.bin")
    _version, vocab, delimiter, _reserved, songs, tokens = struct.unpack_from("<IIIIQQ", data, 8)
    offsets = np.frombuffer(data, dtype="<u8", count=songs + 1, offset=40)
    ids = np.frombuffer(data, dtype="<u2", count=tokens, offset=40 + 8 * (songs + 1))
    return vocab, delimiter, offsets, ids


def windows(vocab, delimiter, offsets, ids, seq_len):
    parts = []
    pad = np.full(seq_len, delimiter, dtype=np.int64)
    for i in range(len(offsets) - 1):
        parts.append(pad)
        parts.append(ids[offsets[i]:offsets[i + 1]].astype(np.int64))
    parts.append(np.array([delimiter], dtype=np.int64))
    stream = np.concatenate(parts)
    count = (len(stream) - 1) // seq_len
    inputs = stream[: count * seq_len].reshape(count, seq_len)
    targets = stream[1 : count * seq_len + 1].reshape(count, seq_len).copy()
    targets[(inputs == delimiter) & (targets == delimiter)] = -100
    keep = (targets != -100).any(axis=1)
    return torch.from_numpy(inputs[keep].copy()), torch.from_numpy(targets[keep])


class Net(torch.nn.Module):
    def __init__(self, vocab, units):
        super().__init__()
        self.vocab = vocab
        self.lstm = torch.nn.LSTM(vocab, units, batch_first=True)
        self.output = torch.nn.Linear(units, vocab)

    def forward(self, ids):
        x = torch.nn.functional.one_hot(ids, self.vocab).float()
        y, _ = self.lstm(x)
        return self.output(y)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--units", type=int, default=256)
    parser.add_argument("--seq-len", type=int, default=64)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    vocab, delimiter, offsets, ids = read_dataset(args.dataset + "/dataset.bin")
    inputs, targets = windows(vocab, delimiter, offsets, ids, args.seq_len)
    net = Net(vocab, args.units)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100)
    order = torch.randperm(len(inputs))
    batches = (len(inputs) + args.batch - 1) // args.batch
    losses = []
    symbols = 0
    start = time.perf_counter()
    for step in range(args.steps):
        b = step % batches
        rows = order[b * args.batch : (b + 1) * args.batch]
        x, y = inputs[rows], targets[rows]
        logits = net(x)
        loss = loss_fn(logits.reshape(-1, vocab), y.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        optimizer.step()
        losses.append(loss.item())
        symbols += x.numel()
    seconds = time.perf_counter() - start
    print(json.dumps({"symbols_per_s": symbols / seconds, "steps": args.steps, "seconds": seconds,
                      "threads": torch.get_num_threads(), "torch": torch.__version__,
                      "loss_first": losses[0], "loss_last": losses[-1]}))


if __name__ == "__main__":
    main()
