/**
 * A KD-tree over the rows of X for euclidean and manhattan metrics (exact searches only).
 * Nodes split at the median of the dimension of largest spread; each node keeps the tight bounding box of
 * its points. Points are stored in tree order (`pts`, a permuted copy of X's rows; `perm[p]` = original
 * row index), so a leaf scan reads contiguous memory. Distances between points are computed on the copied
 * rows with the same kernel as everywhere else in the engine (sum in feature order), so they are identical
 * to metrics/pairwise.ts; box bounds are computed the same way from per-feature gaps that never exceed the
 * true differences, so (with monotone rounding) a box bound never exceeds a computed point distance.
 *
 * With `rotate` (euclidean only) the tree is built on the rows rotated onto the principal axes of X
 * (`bpts`), whose cells fit correlated data far better (about half the distance computations on CC
 * GENERAL). Distances between points are still computed on the original rows; a bound computed in the
 * rotated space is shrunk by a margin far above its round-off (relative 1e-9 plus 1e-9 x the largest
 * coordinate) so that it stays a lower bound of the computed distance.
 */
import type { Matrix } from '../types.ts';
import { eighSymmetric } from '../linalg/eigen_symmetric.ts';

export interface KdTree {
  n: number;
  d: number;
  /** Rows in tree order (n x d). */
  pts: Float64Array;
  /** Coordinates the boxes are in, tree order (the rotated rows, or `pts` itself). */
  bpts: Float64Array;
  /** Bound safety: a euclidean bound b is used as max(0, b (1 - rel) - abs). 0 without rotation. */
  rel: number;
  abs: number;
  /** Tree position -> original row index. */
  perm: Int32Array;
  /** Original row index -> tree position. */
  pos: Int32Array;
  n_nodes: number;
  start: Int32Array;
  end: Int32Array;
  /** Children (-1 for a leaf). */
  left: Int32Array;
  right: Int32Array;
  /** Split dimension and value (in `bpts` coordinates): a query below the value is nearer the left child. */
  splitDim: Int32Array;
  splitVal: Float64Array;
  /** Bounding boxes, n_nodes x d. */
  lo: Float64Array;
  hi: Float64Array;
}

/** Rows of X rotated onto the eigenvectors of X's covariance matrix (descending variance). */
function rotateRows(X: Matrix): Float64Array {
  const { n_samples: n, n_features: d, data } = X;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let f = 0; f < d; f++) mean[f] += data[i * d + f];
  for (let f = 0; f < d; f++) mean[f] /= Math.max(1, n);
  const C = new Float64Array(d * d);
  const c = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < d; f++) c[f] = data[i * d + f] - mean[f];
    for (let a = 0; a < d; a++) {
      const ca = c[a];
      for (let b = 0; b <= a; b++) C[a * d + b] += ca * c[b];
    }
  }
  const V = eighSymmetric(C, d).vectors;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < d; f++) c[f] = data[i * d + f];
    for (let k = 0; k < d; k++) {
      let s = 0;
      for (let f = 0; f < d; f++) s += c[f] * V[k * d + f];
      out[i * d + k] = s;
    }
  }
  return out;
}

export function buildKdTree(X: Matrix, leafSize = 16, rotate = false): KdTree {
  const n = X.n_samples;
  const d = X.n_features;
  const rotated = rotate && d > 1 && n > 1 ? rotateRows(X) : null;
  const src = rotated ?? X.data;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const half = Math.max(1, Math.floor(leafSize / 2));
  const cap = 2 * Math.ceil(Math.max(1, n) / half) + 1;
  const start = new Int32Array(cap);
  const end = new Int32Array(cap);
  const left = new Int32Array(cap).fill(-1);
  const right = new Int32Array(cap).fill(-1);
  const splitDim = new Int32Array(cap);
  const splitVal = new Float64Array(cap);
  const lo = new Float64Array(cap * d);
  const hi = new Float64Array(cap * d);
  let nNodes = 0;
  const keys = new Float64Array(n);

  const build = (s: number, e: number): number => {
    const node = nNodes++;
    start[node] = s;
    end[node] = e;
    const ob = node * d;
    for (let f = 0; f < d; f++) {
      lo[ob + f] = Infinity;
      hi[ob + f] = -Infinity;
    }
    for (let p = s; p < e; p++) {
      const o = perm[p] * d;
      for (let f = 0; f < d; f++) {
        const v = src[o + f];
        if (v < lo[ob + f]) lo[ob + f] = v;
        if (v > hi[ob + f]) hi[ob + f] = v;
      }
    }
    if (e - s <= leafSize) return node;
    let sf = 0;
    let spread = -1;
    for (let f = 0; f < d; f++) {
      const w = hi[ob + f] - lo[ob + f];
      if (w > spread) {
        spread = w;
        sf = f;
      }
    }
    if (!(spread > 0)) return node; // all points equal: keep as one leaf
    const m = (s + e) >>> 1;
    for (let p = s; p < e; p++) keys[p] = src[perm[p] * d + sf];
    select(keys, perm, s, e - 1, m);
    splitDim[node] = sf;
    splitVal[node] = keys[m];
    left[node] = build(s, m);
    right[node] = build(m, e);
    return node;
  };
  if (n > 0) build(0, n);

  const pts = new Float64Array(n * d);
  const bpts = rotated ? new Float64Array(n * d) : pts;
  const pos = new Int32Array(n);
  let maxAbs = 0;
  for (let p = 0; p < n; p++) {
    const i = perm[p];
    pos[i] = p;
    pts.set(X.data.subarray(i * d, i * d + d), p * d);
    if (rotated) {
      bpts.set(rotated.subarray(i * d, i * d + d), p * d);
      for (let f = i * d; f < i * d + d; f++) maxAbs = Math.max(maxAbs, Math.abs(rotated[f]), Math.abs(X.data[f]));
    }
  }
  const rel = rotated ? 1e-9 : 0;
  const abs = rotated ? 1e-9 * maxAbs : 0;
  return { n, d, pts, bpts, rel, abs, perm, pos, n_nodes: nNodes, start, end, left, right, splitDim, splitVal, lo, hi };
}

/** Quickselect on keys[l..r] (inclusive), moving perm along: afterwards keys[k] is the k-th smallest. */
function select(keys: Float64Array, perm: Int32Array, l: number, r: number, k: number): void {
  while (r > l) {
    // median of three pivot, deterministic
    const mid = (l + r) >>> 1;
    const a = keys[l], b = keys[mid], c = keys[r];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = l;
    let j = r;
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
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else return;
  }
}

/**
 * Lower bound between point q (tree position) and node's box: squared euclidean (sum of squared gaps)
 * or manhattan (sum of gaps), matching the point kernels' key.
 */
export function boxBound(t: KdTree, qOff: number, node: number, manhattan: boolean): number {
  const d = t.d;
  const pts = t.bpts;
  const lo = t.lo;
  const hi = t.hi;
  const ob = node * d;
  let s = 0;
  if (manhattan) {
    for (let f = 0; f < d; f++) {
      const x = pts[qOff + f];
      const l = lo[ob + f];
      if (x < l) s += l - x;
      else {
        const h = hi[ob + f];
        if (x > h) s += x - h;
      }
    }
  } else {
    for (let f = 0; f < d; f++) {
      const x = pts[qOff + f];
      const l = lo[ob + f];
      if (x < l) {
        const g = l - x;
        s += g * g;
      } else {
        const h = hi[ob + f];
        if (x > h) {
          const g = x - h;
          s += g * g;
        }
      }
    }
    if (t.rel > 0 && s > 0) {
      const r = Math.sqrt(s) * (1 - t.rel) - t.abs;
      return r > 0 ? r * r : 0;
    }
  }
  return s;
}

/** boxBound in distance units (the square root for euclidean). */
export function boxDistance(t: KdTree, qOff: number, node: number, manhattan: boolean): number {
  const s = boxBound(t, qOff, node, manhattan);
  return manhattan ? s : Math.sqrt(s);
}

/**
 * Upper bound between point q (tree position) and every point of node's box: squared euclidean (sum of the
 * squared largest gaps) or manhattan (sum of the largest gaps), for the "whole node within r" test. Without
 * rotation each largest gap is at least the computed |q_f - p_f| of any point p of the box (rounding is
 * monotone), so the bound is at least every computed point distance; with rotation it is inflated by the
 * same margin that `boxBound` shrinks by, and then some.
 */
export function boxFarBound(t: KdTree, qOff: number, node: number, manhattan: boolean): number {
  const d = t.d;
  const pts = t.bpts;
  const lo = t.lo;
  const hi = t.hi;
  const ob = node * d;
  let s = 0;
  if (manhattan) {
    for (let f = 0; f < d; f++) {
      const x = pts[qOff + f];
      const a = x - lo[ob + f];
      const b = hi[ob + f] - x;
      s += a > b ? a : b;
    }
    return s;
  }
  for (let f = 0; f < d; f++) {
    const x = pts[qOff + f];
    const a = x - lo[ob + f];
    const b = hi[ob + f] - x;
    const g = a > b ? a : b;
    s += g * g;
  }
  if (t.rel > 0) {
    const r = Math.sqrt(s) * (1 + 2 * t.rel) + 2 * t.abs;
    return r * r;
  }
  return s;
}
