#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Is a test-ELBO difference between ELBO Lab's VAE and PyTorch's a property
# of the code or of the seed? Trains 784-400-20 (batch 128, Adam 1e-3, L = 1,
# binarised at 0.5) for EPOCHS with each seed in both, loads ELBO Lab's
# saved parameters into the PyTorch model of vae-peer.py, and scores both
# models with the same evaluator (the mean of 5 single-sample test ELBOs),
# so only the training differs. Prints each seed and the mean and sd of the
# differences. PyTorch from Debian (python3-torch) via /usr/bin/python3;
# never needed by the test suite.
#
# Usage: vae-seeds.py ELBO_LAB_CLI [--epochs N] [--seeds FIRST:LAST]
import argparse
import importlib.util
import os
import subprocess
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
FASHION = "/usr/share/datasets/fashion-mnist"
SUM_BYTES = 64          # the model file ends with its SHA-256 in hexadecimal


def load_peer():
    spec = importlib.util.spec_from_file_location("peer", os.path.join(HERE, "vae-peer.py"))
    peer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(peer)
    return peer


def ours_into(model, path):
    """ELBO Lab's parameters (layer by layer: W out×in, then b; after them
    Adam's m and v) into @model's layers."""
    layers = (model.fc1, model.mu, model.lv, model.fc3, model.fc4)
    n = sum(l.weight.numel() + l.bias.numel() for l in layers)
    raw = open(path, "rb").read()
    end = len(raw) - SUM_BYTES - 2 * 4 * n
    p = np.frombuffer(raw[end - 4 * n:end], "<f4")
    off = 0
    with torch.no_grad():
        for l in layers:
            o, i = l.weight.shape
            l.weight.copy_(torch.from_numpy(p[off:off + o * i].reshape(o, i).copy()))
            off += o * i
            l.bias.copy_(torch.from_numpy(p[off:off + o].copy()))
            off += o


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--seeds", default="1:11")
    a = ap.parse_args()
    first, last = (int(v) for v in a.seeds.split(":"))
    torch.set_num_threads(1)
    peer = load_peer()
    x = torch.from_numpy((peer.read_idx_images(FASHION + "/train-images-idx3-ubyte.gz")
                          >= 128).astype(np.float32))
    t = torch.from_numpy((peer.read_idx_images(FASHION + "/t10k-images-idx3-ubyte.gz")
                          >= 128).astype(np.float32))

    def score(model):
        with torch.no_grad():
            r = []
            for s in range(5):
                torch.manual_seed(100 + s)
                r.append(float(model(t)) / t.shape[0])
        return float(np.mean(r))

    diffs = []
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "ours.vae")
        for seed in range(first, last + 1):
            subprocess.run([a.cli, "vae", "--latent", "20", "--hidden", "400", "--epochs",
                            str(a.epochs), "--threads", "1", "--iwae", "0", "--seed",
                            str(seed), "--save", path], check=True, capture_output=True)
            ours = peer.VAE(784, 400, 20)
            ours_into(ours, path)
            torch.manual_seed(seed)
            theirs = peer.VAE(784, 400, 20)
            opt = torch.optim.Adam(theirs.parameters(), lr=1e-3)
            for _ in range(a.epochs):
                perm = torch.randperm(x.shape[0])
                for i in range(0, x.shape[0] - 127, 128):
                    loss = -theirs(x[perm[i:i + 128]]) / 128
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
            o, p = score(ours), score(theirs)
            diffs.append(o - p)
            print("seed %d: ours %.3f, PyTorch %.3f nats (%+.3f)" % (seed, o, p, o - p),
                  flush=True)
    d = np.array(diffs)
    print("ours − PyTorch over %d seeds, %d epochs: mean %+.3f nats, sd %.3f, "
          "standard error %.3f" % (len(d), a.epochs, d.mean(), d.std(ddof=1),
                                    d.std(ddof=1) / np.sqrt(len(d))))


if __name__ == "__main__":
    main()
