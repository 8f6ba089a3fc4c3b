"""scikit-learn side of the metrics benchmark: the same case ids as bench/cases/metrics.ts.
Prints {case_id: [seconds, ...]} (see common.py)."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import cc_standardized, timeit, emit  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.metrics import silhouette_score, davies_bouldin_score, calinski_harabasz_score  # noqa: E402


def main():
    X = cc_standardized()
    labels = KMeans(n_clusters=4, init=X[:4], n_init=1, algorithm='lloyd').fit(X).labels_
    emit({
        'silhouette-exact-k4-cc8950': timeit(lambda: silhouette_score(X, labels), 3),
        'davies-bouldin-k4-cc8950': timeit(lambda: davies_bouldin_score(X, labels), 9),
        'calinski-harabasz-k4-cc8950': timeit(lambda: calinski_harabasz_score(X, labels), 9),
    })


if __name__ == '__main__':
    main()
