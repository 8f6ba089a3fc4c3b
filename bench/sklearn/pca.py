"""PCA(svd_solver="full") on the standardized CC GENERAL matrix, 2 and 3 components (ids as bench/cases/pca.ts)."""
import os
import numpy as np
from common import SHARED, cc_standardized, timeit, emit
from sklearn.decomposition import PCA


def load_cc():
    """common.cc_standardized(), or the same steps with NumPy alone when pandas is not installed."""
    try:
        return cc_standardized()
    except ImportError:
        path = os.path.join(SHARED, 'data', 'cc_general.csv')
        X = np.genfromtxt(path, delimiter=',', skip_header=1)[:, 1:]
        med = np.nanmedian(X, axis=0)
        X = np.where(np.isnan(X), med, X)
        return (X - X.mean(axis=0)) / X.std(axis=0)


if __name__ == '__main__':
    X = load_cc()
    out = {}
    for k in (2, 3):
        out[f'pca_cc_{k}'] = timeit(lambda: PCA(n_components=k, svd_solver='full').fit_transform(X), repeats=7)
    emit(out)
