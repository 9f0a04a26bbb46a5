#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The peer of bench-lda: scikit-learn's online LDA (Debian python3-sklearn)
# on a UCI docword file, with the settings of issue #11's benchmark. Prints
# one JSON line: seconds (fit only), docs_per_second, n_jobs; writes the
# topics (components_, K lines of W numbers) to --save-topics.
import argparse
import json
import time

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import LatentDirichletAllocation


def read_uci(path):
    with open(path) as f:
        n_docs = int(f.readline())
        n_words = int(f.readline())
        f.readline()
        triples = np.loadtxt(f, dtype=np.int64, ndmin=2)
    return sp.csr_matrix((triples[:, 2].astype(np.float64),
                          (triples[:, 0] - 1, triples[:, 1] - 1)),
                         shape=(n_docs, n_words))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("docword")
    p.add_argument("--topics", type=int, default=100)
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--tau0", type=float, default=1.0)
    p.add_argument("--kappa", type=float, default=0.7)
    p.add_argument("--alpha", type=float, default=0.1)
    p.add_argument("--eta", type=float, default=0.01)
    p.add_argument("--passes", type=int, default=5)
    p.add_argument("--n-jobs", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--save-topics")
    a = p.parse_args()
    x = read_uci(a.docword)
    model = LatentDirichletAllocation(
        n_components=a.topics, learning_method="online", batch_size=a.batch_size,
        learning_offset=a.tau0, learning_decay=a.kappa, doc_topic_prior=a.alpha,
        topic_word_prior=a.eta, max_iter=a.passes, n_jobs=a.n_jobs,
        random_state=a.seed, evaluate_every=-1, total_samples=x.shape[0])
    start = time.perf_counter()
    model.fit(x)
    seconds = time.perf_counter() - start
    if a.save_topics:
        np.savetxt(a.save_topics, model.components_)
    print(json.dumps({"seconds": seconds,
                      "docs_per_second": x.shape[0] * a.passes / seconds,
                      "n_jobs": a.n_jobs}))


if __name__ == "__main__":
    main()
