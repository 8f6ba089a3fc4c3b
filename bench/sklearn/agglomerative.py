"""scikit-learn side of the agglomerative benchmark: the same case ids as bench/cases/agglomerative.ts.
Prints {case_id: [seconds, ...]} (see common.py)."""
import os, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import SHARED, cc_standardized, timeit, emit  # noqa: E402
from sklearn.cluster import AgglomerativeClustering  # noqa: E402
from sklearn.cluster._agglomerative import _hc_cut  # noqa: E402

REPEATS = int(os.environ.get('BENCH_REPEATS', '3'))


def load_x():
    try:
        return cc_standardized()
    except ImportError:  # pandas missing: the same preprocessing with the csv module and NumPy
        import csv
        with open(os.path.join(SHARED, 'data', 'cc_general.csv')) as fh:
            rows = list(csv.reader(fh))
        header, body = rows[0], rows[1:]
        cols = [i for i, c in enumerate(header) if c != 'CUST_ID']
        X = np.array([[float(r[i]) if r[i] != '' else np.nan for i in cols] for r in body])
        med = np.nanmedian(X, axis=0)
        X = np.where(np.isnan(X), med, X)
        from sklearn.preprocessing import StandardScaler
        return StandardScaler().fit_transform(X)


def full_tree(X, linkage):
    return AgglomerativeClustering(n_clusters=None, distance_threshold=0, compute_full_tree=True,
                                   linkage=linkage).fit(X)


def main():
    X = load_x()
    out = {}
    for linkage in ('ward', 'average', 'complete', 'single'):
        out[f'agglo-{linkage}-euclidean-full-tree-cc8950'] = timeit(lambda: full_tree(X, linkage), REPEATS)
    # The cut: scikit-learn's own cut of a stored full tree (what fit does after building it),
    # one cut per timed run, cycling through several n_clusters (as the TS case does).
    model = full_tree(X, 'ward')
    n = X.shape[0]
    ks = [2, 3, 4, 6, 8, 12, 20, 50]
    it = iter(ks * 7)
    out['agglo-cut-ward-cc8950'] = timeit(lambda: _hc_cut(next(it), model.children_, n), 50)
    # Same-size run as the ml-hclust baseline: the first 1000 rows.
    X1000 = np.ascontiguousarray(X[:1000])
    out['agglo-average-euclidean-full-tree-1000rows'] = timeit(lambda: full_tree(X1000, 'average'), 5)
    emit(out)


if __name__ == '__main__':
    main()
