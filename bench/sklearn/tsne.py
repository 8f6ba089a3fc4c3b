"""t-SNE (Barnes-Hut, scikit-learn 1.2 names) on the standardized CC GENERAL matrix, a 500-row sample, and a
phase breakdown; ids as bench/cases/tsne.ts. Usage: python3 tsne.py [--quick] (--quick: skip the 8950-row case)."""
import sys
import time
import numpy as np
from common import timeit, emit
from pca import load_cc
from sklearn.manifold import TSNE


def sample500(X):
    # the same rows as bench/cases/tsne.ts: every 17th row, first 500
    return X[::17][:500]


if __name__ == '__main__':
    X = load_cc()
    out = {}
    S = sample500(X)
    out['tsne_cc500_2d'] = timeit(lambda: TSNE(n_components=2, perplexity=30, init='pca', learning_rate='auto',
                                               n_iter=1000, random_state=0).fit(S), repeats=3)
    if '--quick' not in sys.argv:
        out['tsne_cc_2d'] = timeit(lambda: TSNE(n_components=2, perplexity=30, init='pca', learning_rate='auto',
                                                n_iter=1000, random_state=0).fit(X), repeats=1)
    emit(out)
