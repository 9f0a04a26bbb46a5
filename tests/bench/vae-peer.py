#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The peer of bench-vae: the PyTorch VAE (Debian python3-torch) with the
# architecture and settings of issue #12's benchmark, in its fastest setup
# for the thread count: torch.set_num_threads(1) with OpenBLAS on the given
# threads, the images as one in-memory tensor binarised at 0.5, the loss by
# binary_cross_entropy_with_logits, no DataLoader. Prints one JSON line.
import argparse
import gzip
import json
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_idx_images(path):
    with gzip.open(path) if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    n, rows, cols = (int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
    return np.frombuffer(data, np.uint8, n * rows * cols, 16).reshape(n, rows * cols)


class VAE(torch.nn.Module):
    def __init__(self, d, h, z):
        super().__init__()
        self.fc1 = torch.nn.Linear(d, h)
        self.mu = torch.nn.Linear(h, z)
        self.lv = torch.nn.Linear(h, z)
        self.fc3 = torch.nn.Linear(z, h)
        self.fc4 = torch.nn.Linear(h, d)

    def forward(self, x):
        h = F.relu(self.fc1(x))
        mu, lv = self.mu(h), self.lv(h)
        z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu)
        logits = self.fc4(F.relu(self.fc3(z)))
        rec = -F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        kl = -0.5 * torch.sum(1 + lv - mu.pow(2) - lv.exp())
        return rec - kl


def main():
    p = argparse.ArgumentParser()
    p.add_argument("train")
    p.add_argument("--test")
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--hidden", type=int, default=400)
    p.add_argument("--latent", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    x = torch.from_numpy((read_idx_images(a.train) >= 128).astype(np.float32))
    model = VAE(x.shape[1], a.hidden, a.latent)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    seconds, cpu = [], []
    for _ in range(a.epochs):
        perm = torch.randperm(x.shape[0])
        start, start_cpu = time.perf_counter(), time.process_time()
        for i in range(0, x.shape[0] - a.batch_size + 1, a.batch_size):
            batch = x[perm[i:i + a.batch_size]]
            loss = -model(batch) / batch.shape[0]
            opt.zero_grad()
            loss.backward()
            opt.step()
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    out = {"seconds_per_epoch": float(np.median(seconds)),
           "cpu_seconds_per_epoch": float(np.median(cpu)), "epochs": a.epochs,
           "threads": torch.get_num_threads()}
    if a.test:
        t = torch.from_numpy((read_idx_images(a.test) >= 128).astype(np.float32))
        with torch.no_grad():
            torch.manual_seed(a.seed + 1)
            out["test_elbo"] = float(model(t)) / t.shape[0]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
