"""scikit-learn side of the DBSCAN benchmark: the same case ids as bench/cases/dbscan.ts.
Prints {case_id: [seconds, ...]} (see common.py). DBSCAN(eps, min_samples).fit(X), algorithm 'auto'
(brute force on the 17-column matrices)."""
import os, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import SHARED, cc_standardized, timeit, emit  # noqa: E402
from sklearn.cluster import DBSCAN  # noqa: E402

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


def mixture(n, d, seed=0):
    """8 unit-variance gaussian blobs, centres N(0, 4^2) per coordinate (the recipe of bench/cases/dbscan.ts)."""
    rs = np.random.RandomState(seed)
    centres = rs.normal(size=(8, d)) * 4
    return centres[rs.randint(8, size=n)] + rs.normal(size=(n, d))


def main():
    X = load_x()
    out = {}
    for eps, ms in ((1.5, 10), (0.5, 5), (3.0, 20)):
        out[f'dbscan-fit-eps{eps:.1f}-ms{ms}-cc8950'] = timeit(lambda: DBSCAN(eps=eps, min_samples=ms).fit(X), REPEATS)
    out['dbscan-fit-cosine-eps0.1-ms10-cc8950'] = timeit(
        lambda: DBSCAN(eps=0.1, min_samples=10, metric='cosine').fit(X), REPEATS)
    if os.environ.get('BENCH_SKIP_BIG') != '1':
        B = mixture(100_000, 17, 0)
        out['dbscan-fit-eps3.5-ms10-blobs100k'] = timeit(lambda: DBSCAN(eps=3.5, min_samples=10).fit(B), 1)
    emit(out)


if __name__ == '__main__':
    main()
