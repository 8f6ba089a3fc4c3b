/**
 * Exact k nearest neighbours of every row of X among the other rows (scikit-learn's
 * `NearestNeighbors(n_neighbors=k).fit(X).kneighbors()` with X omitted: a point is not its own neighbour),
 * with a kd-tree (median splits on the widest dimension, bounding boxes for pruning). Squared euclidean
 * distances, sorted ascending per row.
 */
import { throwIfAborted } from '../errors.ts';
import type { FitOptions, Matrix } from '../types.ts';

export interface KNNResult {
  /** n x k row-major neighbour indices, nearest first. */
  indices: Int32Array;
  /** n x k row-major squared euclidean distances, ascending. */
  distances: Float64Array;
  k: number;
}

const LEAF_SIZE = 16;

interface KDTree {
  perm: Int32Array;
  start: Int32Array;
  end: Int32Array;
  left: Int32Array; // -1 for a leaf
  right: Int32Array;
  lo: Float64Array; // node bounding boxes, nNodes x d
  hi: Float64Array;
  nNodes: number;
}

function buildKDTree(X: Matrix): KDTree {
  const { n_samples: n, n_features: d, data } = X;
  const maxNodes = 2 * Math.ceil(n / Math.max(1, LEAF_SIZE >> 1)) + 1;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const t: KDTree = {
    perm,
    start: new Int32Array(maxNodes),
    end: new Int32Array(maxNodes),
    left: new Int32Array(maxNodes),
    right: new Int32Array(maxNodes),
    lo: new Float64Array(maxNodes * d),
    hi: new Float64Array(maxNodes * d),
    nNodes: 0,
  };
  const keys = new Float64Array(n);
  const build = (s: number, e: number): number => {
    const node = t.nNodes++;
    t.start[node] = s;
    t.end[node] = e;
    const lo = t.lo;
    const hi = t.hi;
    const b = node * d;
    for (let f = 0; f < d; f++) {
      lo[b + f] = Infinity;
      hi[b + f] = -Infinity;
    }
    for (let p = s; p < e; p++) {
      const o = perm[p] * d;
      for (let f = 0; f < d; f++) {
        const v = data[o + f];
        if (v < lo[b + f]) lo[b + f] = v;
        if (v > hi[b + f]) hi[b + f] = v;
      }
    }
    if (e - s <= LEAF_SIZE) {
      t.left[node] = -1;
      t.right[node] = -1;
      return node;
    }
    // split the dimension of largest variance at its median
    let dim = 0;
    let spread = -1;
    for (let f = 0; f < d; f++) {
      let m = 0;
      let m2 = 0;
      for (let p = s; p < e; p++) {
        const v = data[perm[p] * d + f];
        m += v;
        m2 += v * v;
      }
      m /= e - s;
      const v = m2 / (e - s) - m * m;
      if (v > spread && hi[b + f] > lo[b + f]) {
        spread = v;
        dim = f;
      }
    }
    if (spread < 0) {
      // All points identical: a leaf, however large.
      t.left[node] = -1;
      t.right[node] = -1;
      return node;
    }
    const mid = (s + e) >> 1;
    for (let p = s; p < e; p++) keys[p] = data[perm[p] * d + dim];
    quickselect(perm, keys, s, e - 1, mid);
    t.left[node] = build(s, mid);
    t.right[node] = build(mid, e);
    return node;
  };
  build(0, n);
  return t;
}

/** Reorders perm[lo..hi] (with keys) so that position k holds the k-th smallest key. */
function quickselect(perm: Int32Array, keys: Float64Array, lo: number, hi: number, k: number): void {
  while (hi > lo) {
    const m = (lo + hi) >> 1;
    // median of three as pivot
    const a = keys[lo];
    const b = keys[m];
    const c = keys[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (keys[i] < pivot) i++;
      while (keys[j] > pivot) j--;
      if (i <= j) {
        const tk = keys[i];
        keys[i] = keys[j];
        keys[j] = tk;
        const tp = perm[i];
        perm[i] = perm[j];
        perm[j] = tp;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * The k nearest other rows of every row (squared euclidean). `k` must be < n_samples.
 * Reports progress as stage "nearest neighbours".
 */
export function kNearestNeighbors(X: Matrix, k: number, opts: FitOptions = {}, stage = 'nearest neighbours'): KNNResult {
  const { n_samples: n, n_features: d, data } = X;
  if (k < 1 || k >= n) throw new RangeError(`kNearestNeighbors: k must be in [1, ${n - 1}] (got ${k})`);
  const tree = buildKDTree(X);
  const { perm, start, end, left, right, lo, hi } = tree;
  // the rows in tree order, so that a leaf scan reads memory sequentially
  const sorted = new Float64Array(n * d);
  for (let p = 0; p < n; p++) sorted.set(data.subarray(perm[p] * d, perm[p] * d + d), p * d);
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  const heapD = new Float64Array(k);
  const heapI = new Int32Array(k);
  const stack = new Int32Array(128);
  const stackD = new Float64Array(128);
  const q = new Float64Array(d);
  let lastReport = 0;

  for (let i = 0; i < n; i++) {
    if ((i & 255) === 0) {
      throwIfAborted(opts.signal);
      if (opts.on_progress) {
        const now = Date.now();
        if (now - lastReport >= 50) {
          lastReport = now;
          opts.on_progress({ stage, fraction: i / n });
        }
      }
    }
    const qo = i * d;
    for (let f = 0; f < d; f++) q[f] = data[qo + f];
    let size = 0;
    let worst = Infinity; // heap top once full
    let sp = 0;
    stack[sp] = 0;
    stackD[sp++] = 0;
    while (sp > 0) {
      sp--;
      const node = stack[sp];
      if (stackD[sp] >= worst) continue;
      const l = left[node];
      if (l < 0) {
        for (let p = start[node], e = end[node]; p < e; p++) {
          const j = perm[p];
          if (j === i) continue;
          const jo = p * d;
          let s = 0;
          let f = 0;
          // partial distance: stop as soon as it cannot enter the heap
          for (; f + 4 <= d; f += 4) {
            const t0 = q[f] - sorted[jo + f];
            const t1 = q[f + 1] - sorted[jo + f + 1];
            const t2 = q[f + 2] - sorted[jo + f + 2];
            const t3 = q[f + 3] - sorted[jo + f + 3];
            s += t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3;
            if (s >= worst) break;
          }
          if (s >= worst) continue;
          for (; f < d; f++) {
            const t = q[f] - sorted[jo + f];
            s += t * t;
          }
          if (size < k) {
            // sift up (max-heap)
            let c = size++;
            while (c > 0) {
              const par = (c - 1) >> 1;
              if (heapD[par] >= s) break;
              heapD[c] = heapD[par];
              heapI[c] = heapI[par];
              c = par;
            }
            heapD[c] = s;
            heapI[c] = j;
            if (size === k) worst = heapD[0];
          } else if (s < worst) {
            // replace top, sift down
            let c = 0;
            for (;;) {
              let ch = 2 * c + 1;
              if (ch >= k) break;
              if (ch + 1 < k && heapD[ch + 1] > heapD[ch]) ch++;
              if (heapD[ch] <= s) break;
              heapD[c] = heapD[ch];
              heapI[c] = heapI[ch];
              c = ch;
            }
            heapD[c] = s;
            heapI[c] = j;
            worst = heapD[0];
          }
        }
        continue;
      }
      const r = right[node];
      const dl = boxDist(q, lo, hi, l * d, d);
      const dr = boxDist(q, lo, hi, r * d, d);
      // push the farther child first so the nearer one is visited next
      if (dl <= dr) {
        if (dr < worst) {
          stack[sp] = r;
          stackD[sp++] = dr;
        }
        if (dl < worst) {
          stack[sp] = l;
          stackD[sp++] = dl;
        }
      } else {
        if (dl < worst) {
          stack[sp] = l;
          stackD[sp++] = dl;
        }
        if (dr < worst) {
          stack[sp] = r;
          stackD[sp++] = dr;
        }
      }
    }
    // heap -> sorted ascending (pop max to the back)
    const o = i * k;
    for (let m = k - 1; m >= 0; m--) {
      distances[o + m] = heapD[0];
      indices[o + m] = heapI[0];
      const s = heapD[m];
      const sj = heapI[m];
      let c = 0;
      for (;;) {
        let ch = 2 * c + 1;
        if (ch >= m) break;
        if (ch + 1 < m && heapD[ch + 1] > heapD[ch]) ch++;
        if (heapD[ch] <= s) break;
        heapD[c] = heapD[ch];
        heapI[c] = heapI[ch];
        c = ch;
      }
      heapD[c] = s;
      heapI[c] = sj;
    }
  }
  opts.on_progress?.({ stage, fraction: 1 });
  return { indices, distances, k };
}

function boxDist(q: Float64Array, lo: Float64Array, hi: Float64Array, b: number, d: number): number {
  let s = 0;
  for (let f = 0; f < d; f++) {
    const v = q[f];
    const a = lo[b + f];
    if (v < a) {
      const t = a - v;
      s += t * t;
    } else {
      const h = hi[b + f];
      if (v > h) {
        const t = v - h;
        s += t * t;
      }
    }
  }
  return s;
}
