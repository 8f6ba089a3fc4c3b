"""scikit-learn side of the Gaussian mixture benchmark: the same case id as bench/cases/gmm.ts.
Prints {case_id: [seconds, ...]} (see common.py)."""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import cc_standardized, timeit, emit  # noqa: E402
from sklearn.mixture import GaussianMixture  # noqa: E402


def main():
    X = cc_standardized()
    emit({
        'gmm-full-k4-cc8950': timeit(lambda: GaussianMixture(n_components=4, covariance_type='full', random_state=0).fit(X), 5),
    })


if __name__ == '__main__':
    main()
