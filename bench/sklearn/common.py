"""Shared helpers for the scikit-learn side of `npm run bench`.
Each bench/sklearn/<group>.py prints one JSON object {case_id: [seconds, ...]} on standard output."""
import json, os, sys, time
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, '..', '..', '..', 'shared'))


def cc_standardized():
    """The CC GENERAL matrix, median-imputed and standardized exactly as the oracle does."""
    import csv
    from sklearn.preprocessing import StandardScaler
    with open(os.path.join(SHARED, 'data', 'cc_general.csv'), newline='') as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    cols = [j for j, c in enumerate(header) if c != 'CUST_ID']
    X = np.array([[float(r[j]) if r[j] != '' else np.nan for j in cols] for r in body], dtype=np.float64)
    med = np.nanmedian(X, axis=0)
    idx = np.where(np.isnan(X))
    X[idx] = np.take(med, idx[1])
    return StandardScaler().fit_transform(X)


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
