#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue #11's benchmark: SVI for LDA on the KJV chapters (90/10 split,
# K 100, batch 256, τ₀ 1, κ 0.7, α 0.1, η 0.01, 5 passes) against
# scikit-learn's online LDA, run in the same process tree, turn about:
#   - training documents per second, ours against the peer's, at 1 and 2
#     threads (the peer's fastest setup for the thread count: n_jobs=1 with
#     OPENBLAS_NUM_THREADS = threads), the median of the pairwise ratios;
#   - held-out completion perplexity of both, each scored by
#     `elbo-lab-cli lda-eval` on the same split, the median of 5 seeds;
#   - thread scaling and peak RSS;
#   - streaming: a 200,000-document synthetic corpus (W 10,000, K 50, 100
#     words a document) in one pass with --stream, docs/s and peak RSS,
#     against a 20,000-document one.
# Usage: bench-lda.py ELBO_LAB_CLI [--seeds N] [--quick]
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SETTINGS = ["--topics", "100", "--batch-size", "256", "--tau0", "1", "--kappa", "0.7",
            "--alpha", "0.1", "--eta", "0.01", "--passes", "5"]


def run(cmd, env=None):
    """Runs @cmd; returns (stdout, peak RSS in MB of the child)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=full_env, text=True)
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit("bench-lda: %s failed (%d): %s" % (" ".join(cmd), proc.returncode, err.strip()))
    return out, usage.ru_maxrss / 1024.0


def peer_available():
    try:
        subprocess.run(["/usr/bin/python3", "-c", "import sklearn"], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return True
    except (OSError, subprocess.CalledProcessError):
        return False


def main():
    p = argparse.ArgumentParser()
    p.add_argument("cli")
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--quick", action="store_true", help="1 seed, no streaming")
    a = p.parse_args()
    if a.quick:
        a.seeds = 1
    if not peer_available():
        sys.exit("bench-lda: scikit-learn is missing: apt-get install python3-sklearn "
                 "(./run bench installs it)")
    tmp = tempfile.mkdtemp(prefix="bench-lda-")
    kjv = os.path.join(tmp, "kjv")
    out, _ = run([a.cli, "corpus", "kjv", "--out", kjv])
    print("corpus:", " ".join(out.split()))
    train = os.path.join(kjv, "docword.train.txt")
    test = os.path.join(kjv, "docword.test.txt")
    cpus = os.cpu_count()
    print("machine: %d processors; settings: %s" % (cpus, " ".join(SETTINGS)))

    results = {}
    for threads in (1, 2):
        ours, peer, ratios, rss_ours, rss_peer = [], [], [], [], []
        for seed in range(1, a.seeds + 1):
            topics_ours = os.path.join(tmp, "ours-%d-%d.txt" % (threads, seed))
            topics_peer = os.path.join(tmp, "peer-%d-%d.txt" % (threads, seed))
            out, rss = run([a.cli, "lda", "--corpus", "uci:" + train, "--test", "uci:" + test]
                           + SETTINGS + ["--threads", str(threads), "--seed", str(seed),
                                         "--eval-every", "0", "--json",
                                         "--save-topics", topics_ours])
            o = json.loads(out)
            rss_ours.append(rss)
            out, rss = run(["/usr/bin/python3", os.path.join(HERE, "lda-peer.py"), train,
                            "--n-jobs", "1", "--seed", str(seed),
                            "--save-topics", topics_peer],
                           env={"OPENBLAS_NUM_THREADS": str(threads),
                                "OMP_NUM_THREADS": str(threads)})
            q = json.loads(out)
            rss_peer.append(rss)
            ours.append(o["docs_per_second"])
            peer.append(q["docs_per_second"])
            ratios.append(o["docs_per_second"] / q["docs_per_second"])
            print("threads %d seed %d: ours %.0f docs/s (%.2f s), scikit-learn %.0f docs/s "
                  "(%.2f s, n_jobs=1, OPENBLAS_NUM_THREADS=%d): %.2f×"
                  % (threads, seed, o["docs_per_second"], o["seconds"], q["docs_per_second"],
                     q["seconds"], threads, ratios[-1]), flush=True)
        results[threads] = dict(ours=statistics.median(ours), peer=statistics.median(peer),
                                ratio=statistics.median(ratios), ratio_min=min(ratios),
                                ratio_max=max(ratios), rss_ours=max(rss_ours),
                                rss_peer=max(rss_peer))

    # Perplexity: every topics file scored the same way.
    ppl = {"ours": [], "peer": []}
    for who in ("ours", "peer"):
        for seed in range(1, a.seeds + 1):
            out, _ = run([a.cli, "lda-eval", "--topics",
                          os.path.join(tmp, "%s-1-%d.txt" % (who, seed)),
                          "--test", "uci:" + test, "--alpha", "0.1"])
            ppl[who].append(json.loads(out)["perplexity"])
    med_ours, med_peer = statistics.median(ppl["ours"]), statistics.median(ppl["peer"])

    print()
    print("== KJV chapters, K 100, 5 passes ==")
    for threads in (1, 2):
        r = results[threads]
        print("threads %d: ours %.0f docs/s, scikit-learn %.0f docs/s: %.2f× (min %.2f, max %.2f; "
              "target ≥ 4×); peak RSS ours %.0f MB, scikit-learn %.0f MB"
              % (threads, r["ours"], r["peer"], r["ratio"], r["ratio_min"], r["ratio_max"],
                 r["rss_ours"], r["rss_peer"]))
    print("thread scaling (ours, 1 → 2 threads): %.2f×" % (results[2]["ours"] / results[1]["ours"]))
    print("held-out completion perplexity (median of %d seeds): ours %.1f, scikit-learn %.1f: "
          "%+.1f %% (target ≤ +2 %%)" % (a.seeds, med_ours, med_peer,
                                        100 * (med_ours / med_peer - 1)))
    print("  ours: %s" % ", ".join("%.1f" % x for x in ppl["ours"]))
    print("  scikit-learn: %s" % ", ".join("%.1f" % x for x in ppl["peer"]))

    if a.quick:
        return
    # Streaming: memory O(K·W + batch) whatever the number of documents.
    stream = {}
    for docs in (20000, 200000):
        d = os.path.join(tmp, "syn%d" % docs)
        run([a.cli, "corpus", "--synthetic", "%d,10000,50,100" % docs, "--out", d])
        start = time.perf_counter()
        # One docword.txt: --stream holds out d mod 10 = 9 as it reads.
        out, rss = run([a.cli, "lda", "--corpus", "uci:" + os.path.join(d, "docword.txt"),
                        "--stream",
                        "--topics", "50", "--passes", "1", "--batch-size", "256",
                        "--threads", "2", "--eval-every", "0", "--json"])
        o = json.loads(out)
        stream[docs] = (o["docs_per_second"], rss, time.perf_counter() - start)
    print("== streaming (--stream, one pass, K 50, W 10,000, 100 words a document, 2 threads) ==")
    for docs in (20000, 200000):
        print("%d documents: %.0f docs/s, peak RSS %.1f MB, %.1f s in all"
              % (docs, stream[docs][0], stream[docs][1], stream[docs][2]))
    print("RSS 200k / 20k: %.3f (target within 10 %%)" % (stream[200000][1] / stream[20000][1]))


if __name__ == "__main__":
    main()
