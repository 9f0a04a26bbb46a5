#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue #12's benchmark: the VAE 784-400-20 on Fashion-MNIST (batch 128,
# Adam 1e-3, L = 1, binarised at 0.5) against PyTorch (vae-peer.py: its
# fastest setup, torch.set_num_threads(1) with OpenBLAS on n threads), run
# in the same process tree, turn about (the first of each pair alternates):
#   - seconds per epoch (median over epochs), ours against PyTorch's at 1
#     and 2 threads (ours --threads n, both with OPENBLAS_NUM_THREADS=n),
#     the median of the pairwise ratios (targets ≤ 0.75× at 1 thread,
#     ≤ 0.6× at 2), and the same ratio of CPU seconds (all threads) — the
#     one to trust when other work shares the machine;
#   - the ratio to the FLOP floor: the GFLOP of an epoch's matrix products
#     (≈ 197) ÷ the sgemm GFLOP/s that bench-sgemm measures at n threads;
#   - test ELBO after the epochs (10) within 1 nat of PyTorch's, medians
#     over the seeds;
#   - peak RSS of each process (wait4).
# Usage: bench-vae.py ELBO_LAB_CLI BENCH_SGEMM [--seeds N] [--epochs N]
#        [--quick] [--data DIR] [--synthetic N]
# --quick: 1 epoch, 1 seed. --synthetic N: when Fashion-MNIST is missing,
# N random 28 × 28 images in its place (to try the harness; its ELBO means
# nothing). Timings are wall clock: run it on an otherwise idle machine.
import argparse
import json
import os
import random
import statistics
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FASHION = "/usr/share/datasets/fashion-mnist"
SETTINGS = ["--latent", "20", "--hidden", "400", "--batch-size", "128",
            "--learning-rate", "0.001", "--samples", "1", "--binarize", "threshold",
            "--iwae", "0", "--eval-every", "0"]


def run_measured(cmd, env=None):
    """Runs @cmd; returns (stdout, peak RSS in MB, CPU seconds)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=full_env, text=True)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("bench-vae: %s failed (%d): %s" % (" ".join(cmd), code, err.strip()))
    return out, usage.ru_maxrss / 1024.0, usage.ru_utime + usage.ru_stime


def write_idx(path, n, labels_path):
    rng = random.Random(n)
    with open(path, "wb") as f:
        f.write(struct.pack(">IIII", 0x803, n, 28, 28))
        f.write(bytes(rng.choice((0, 0, 0, 60, 200, 255)) for _ in range(n * 784)))
    with open(labels_path, "wb") as f:
        f.write(struct.pack(">II", 0x801, n))
        f.write(bytes(i % 10 for i in range(n)))


def peer_available():
    try:
        subprocess.run(["/usr/bin/python3", "-c", "import torch"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return True
    except (OSError, subprocess.CalledProcessError):
        return False


def data_files(a, tmp):
    """(train images, train labels, test images, test labels, what)."""
    names = ["%s-%s-idx%d-ubyte.gz" % (s, k, d) for s in ("train", "t10k")
             for k, d in (("images", 3), ("labels", 1))]
    paths = [os.path.join(a.data, n) for n in names]
    if all(os.path.isfile(p) for p in paths):
        return paths + ["Fashion-MNIST (%s)" % a.data]
    if not a.synthetic:
        sys.exit("bench-vae: %s is missing: apt-get install dataset-fashion-mnist "
                 "(./run bench installs it), or --synthetic N to try the harness" % paths[0])
    paths = [os.path.join(tmp, n) for n in ("train-img", "train-lab", "test-img", "test-lab")]
    write_idx(paths[0], a.synthetic, paths[1])
    write_idx(paths[2], max(a.synthetic // 6, 100), paths[3])
    return paths + ["SYNTHETIC random images (%d; Fashion-MNIST is missing)" % a.synthetic]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("cli")
    p.add_argument("sgemm")
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--epochs", type=int, default=10)
    p.add_argument("--quick", action="store_true", help="1 epoch, 1 seed")
    p.add_argument("--data", default=FASHION)
    p.add_argument("--synthetic", type=int, default=0)
    a = p.parse_args()
    if a.quick:
        a.seeds, a.epochs = 1, 1
    peer = peer_available()
    if not peer and not a.quick:
        sys.exit("bench-vae: PyTorch is missing: apt-get install python3-torch "
                 "(./run bench installs it)")
    tmp = tempfile.mkdtemp(prefix="bench-vae-")
    train, train_labels, test, test_labels, what = data_files(a, tmp)
    print("data: %s; machine: %d processors" % (what, os.cpu_count()))
    print("settings: 784-400-20, %d epochs, %s" % (a.epochs, " ".join(SETTINGS)))
    if not peer:
        print("PyTorch is missing (apt-get install python3-torch): ours only")

    results = {}
    for threads in (1, 2):
        env = {"OPENBLAS_NUM_THREADS": str(threads), "OMP_NUM_THREADS": str(threads)}
        out, _, _ = run_measured([a.sgemm, str(threads)], env)
        sgemm = json.loads(out)
        rows = []
        for seed in range(1, a.seeds + 1):
            ours_cmd = [a.cli, "vae", "--data", "idx:%s,%s" % (train, train_labels),
                        "--test", "idx:%s,%s" % (test, test_labels)] + SETTINGS + [
                        "--epochs", str(a.epochs), "--threads", str(threads),
                        "--seed", str(seed), "--json"]
            peer_cmd = ["/usr/bin/python3", os.path.join(HERE, "vae-peer.py"), train,
                        "--test", test, "--epochs", str(a.epochs), "--seed", str(seed)]
            order = [("ours", ours_cmd), ("peer", peer_cmd)] if peer else [("ours", ours_cmd)]
            if seed % 2 == 0:
                order.reverse()
            got = {}
            for who, cmd in order:
                out, rss, cpu = run_measured(cmd, env)
                got[who] = (json.loads(out), rss, cpu)
            o, rss_o, cpu_o = got["ours"]
            row = dict(ours=o["seconds_per_epoch"], ours_cpu=o["cpu_seconds_per_epoch"],
                       process_cpu=cpu_o / a.epochs, rss_ours=rss_o,
                       gflop_epoch=o["gflops_per_second"] * o["seconds_per_epoch"],
                       gflops=o["gflops_per_second"], elbo_ours=o["test_elbo"])
            line = ("threads %d seed %d: ours %.3f s/epoch (CPU %.3f s; %.1f GFLOP/s; the "
                    "process's CPU with loading and evaluation %.2f s an epoch)"
                    % (threads, seed, row["ours"], row["ours_cpu"], row["gflops"],
                       row["process_cpu"]))
            if peer:
                q, rss_q, _ = got["peer"]
                row.update(peer=q["seconds_per_epoch"], peer_cpu=q["cpu_seconds_per_epoch"],
                           rss_peer=rss_q, elbo_peer=q["test_elbo"],
                           ratio=o["seconds_per_epoch"] / q["seconds_per_epoch"],
                           cpu_ratio=row["ours_cpu"] / q["cpu_seconds_per_epoch"])
                line += (", PyTorch %.3f s/epoch (CPU %.3f s): %.2f× (CPU %.2f×)"
                         % (row["peer"], row["peer_cpu"], row["ratio"], row["cpu_ratio"]))
            print(line, flush=True)
            rows.append(row)
        floor = statistics.median(r["gflop_epoch"] for r in rows) / sgemm["gflops"]
        results[threads] = dict(rows=rows, sgemm=sgemm, floor=floor)

    print()
    print("== VAE 784-400-20, %d epochs, batch 128, Adam 1e-3, L = 1 ==" % a.epochs)
    for threads in (1, 2):
        r = results[threads]
        rows = r["rows"]
        ours = statistics.median(x["ours"] for x in rows)
        line = ("threads %d: ours %.3f s/epoch; FLOP floor %.3f s (%.1f GFLOP ÷ sgemm %.1f GFLOP/s)"
                ": %.2f× the floor" % (threads, ours, r["floor"],
                                       statistics.median(x["gflop_epoch"] for x in rows),
                                       r["sgemm"]["gflops"], ours / r["floor"]))
        if peer:
            ratios = [x["ratio"] for x in rows]
            line += ("; PyTorch %.3f s/epoch: %.2f× (min %.2f, max %.2f; target ≤ %s×); "
                     "CPU seconds %.2f×"
                     % (statistics.median(x["peer"] for x in rows), statistics.median(ratios),
                        min(ratios), max(ratios), "0.75" if threads == 1 else "0.6",
                        statistics.median(x["cpu_ratio"] for x in rows)))
        print(line)
        print("  peak RSS ours %.0f MB%s (target well under 200 MB)"
              % (max(x["rss_ours"] for x in rows),
                 ", PyTorch %.0f MB" % max(x["rss_peer"] for x in rows) if peer else ""))
    elbo_ours = statistics.median(x["elbo_ours"] for t in (1, 2) for x in results[t]["rows"])
    line = "test ELBO after %d epochs (median): ours %.2f nats" % (a.epochs, elbo_ours)
    if peer:
        elbo_peer = statistics.median(x["elbo_peer"] for t in (1, 2) for x in results[t]["rows"])
        line += (", PyTorch %.2f: %+.2f (target within 1 nat)"
                 % (elbo_peer, elbo_ours - elbo_peer))
    print(line)
    print("thread scaling (ours, 1 → 2 threads): %.2f×"
          % (statistics.median(x["ours"] for x in results[1]["rows"])
             / statistics.median(x["ours"] for x in results[2]["rows"])))


if __name__ == "__main__":
    main()
