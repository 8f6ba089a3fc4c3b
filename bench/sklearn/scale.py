"""scikit-learn side of the 100,000 x 17 benchmark: the same case ids as bench/cases/scale.ts, on the very same
matrix (scale_mixture below reproduces scaleMixture of bench/cases/scale.ts bit for bit: uint32 hashing and
sums of uniforms only). Prints {case_id: [seconds, ...]} (see common.py).
`python3 scale.py --check` prints the matrix's SHA-256 (of its float64 bytes, row-major, little-endian) instead:
c74809169c4006587698ea4399158123d035a9bc3456687786d6bc00c6a970b9 on both sides."""
import os, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import timeit, emit  # noqa: E402

N, D = 100_000, 17
EPS, MIN_SAMPLES = 3.0, 10


def _hash32(x):
    """lowbias32 on a uint32 array (wrapping multiplication, logical shifts)."""
    x = x.astype(np.uint32)
    x ^= x >> np.uint32(16)
    x *= np.uint32(0x7FEB352D)
    x ^= x >> np.uint32(15)
    x *= np.uint32(0x846CA68B)
    x ^= x >> np.uint32(16)
    return x


def _u(counters, key):
    c = (counters.astype(np.uint64) + np.uint64(key)) & np.uint64(0xFFFFFFFF)
    return (_hash32(c).astype(np.float64) + 0.5) / 4294967296.0


def scale_mixture(n=N, d=D, seed=0):
    """8 gaussian-like blobs of spreads 0.5 + 0.25 k (see scaleMixture in bench/cases/scale.ts)."""
    key = (seed * 0x9E3779B9) & 0xFFFFFFFF
    centres = (20 * _u(np.arange(8 * d), key) - 10).reshape(8, d)
    labels = np.floor(8 * _u(8 * d + np.arange(n), key)).astype(np.int64)
    spread = 0.5 + 0.25 * labels.astype(np.float64)
    base = 8 * d + n + 12 * np.arange(n * d, dtype=np.int64)
    g = _u(base, key)
    for j in range(1, 12):
        g = g + _u(base + j, key)
    g = (g - 6).reshape(n, d)
    X = centres[labels] + spread[:, None] * g
    return np.ascontiguousarray(X), labels


def main():
    X, labels = scale_mixture()
    if '--check' in sys.argv:
        import hashlib
        print(hashlib.sha256(X.astype('<f8').tobytes()).hexdigest(), np.bincount(labels).tolist())
        return
    from sklearn.cluster import DBSCAN, KMeans
    from sklearn.decomposition import PCA
    from sklearn.metrics import silhouette_score
    out = {}
    for n_init in (1, 10):
        out[f'scale-kmeans-pp-ninit{n_init}-k8-blobs100k'] = timeit(
            lambda: KMeans(n_clusters=8, init='k-means++', n_init=n_init, random_state=0, algorithm='lloyd').fit(X),
            3 if n_init == 1 else 1)
    out[f'scale-dbscan-fit-eps{EPS:.1f}-ms{MIN_SAMPLES}-blobs100k'] = timeit(
        lambda: DBSCAN(eps=EPS, min_samples=MIN_SAMPLES).fit(X), int(os.environ.get('BENCH_SCALE_DBSCAN_REPEATS', '1')))
    out['scale-silhouette-sample5000-blobs100k'] = timeit(
        lambda: silhouette_score(X, labels, sample_size=5000, random_state=0), 3)
    out['scale-pca-n2-blobs100k'] = timeit(lambda: PCA(n_components=2, svd_solver='full').fit_transform(X), 3)
    emit(out)


if __name__ == '__main__':
    main()
