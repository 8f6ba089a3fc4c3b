"""Shared helpers for the scikit-learn side of `npm run bench`.
Each bench/sklearn/<group>.py prints one JSON object {case_id: [seconds, ...]} on standard output."""
import json, os, sys, time
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, '..', '..', '..', 'shared'))


def cc_standardized():
    """The CC GENERAL matrix, median-imputed and standardized exactly as the oracle does."""
    import pandas as pd
    from sklearn.preprocessing import StandardScaler
    df = pd.read_csv(os.path.join(SHARED, 'data', 'cc_general.csv'))
    X = df.drop(columns=['CUST_ID'])
    X = X.fillna(X.median())
    return StandardScaler().fit_transform(X.to_numpy(dtype=np.float64))


def timeit(fn, repeats=5):
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def emit(results):
    json.dump(results, sys.stdout)
    sys.stdout.write('\n')
