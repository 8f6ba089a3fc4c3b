"""scikit-learn side of the K-Means benchmark: the same case ids as bench/cases/kmeans.ts.
Prints {case_id: [seconds, ...]} (see common.py)."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import cc_standardized, timeit, emit  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402

REPEATS = int(os.environ.get('BENCH_REPEATS', '5'))


def main():
    X = cc_standardized()
    out = {
        'kmeans-fixed-k4-cc8950': timeit(lambda: KMeans(n_clusters=4, init=X[:4], n_init=1, algorithm='lloyd').fit(X), REPEATS),
    }
    for k in (8, 15):
        out[f'kmeans-pp-ninit10-k{k}-cc8950'] = timeit(
            lambda: KMeans(n_clusters=k, init='k-means++', n_init=10, random_state=0, algorithm='lloyd').fit(X), REPEATS)
    emit(out)


if __name__ == '__main__':
    main()
