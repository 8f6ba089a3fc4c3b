/**
 * Exact k-nearest neighbours for the metrics of `Metric`: a KD-tree search (euclidean, manhattan; see
 * kdtree.ts) or blocked brute force (every pair once, symmetric update; any metric). Both give identical
 * arrays. Distances are computed exactly as `metrics/pairwise.ts` computes them (euclidean: sqrt of the
 * sum of squared differences in feature order; manhattan: sum of |a - b|; cosine: 1 - a.b / (|a| |b|),
 * clipped at 0), so a distance found here equals the one the rest of the engine computes for that pair.
 *
 * Conventions of the result (rows of k entries, row-major):
 * - each row is sorted by distance, ascending; equal distances keep the lower index first;
 * - **the point itself is always the first neighbour** (at distance 0), as scikit-learn's
 *   `NearestNeighbors().kneighbors(X)` returns it when querying the training set (and as DBSCAN's
 *   `min_samples` counts it). Duplicate rows come right after it, also at distance 0.
 *   Ask for k + 1 and drop column 0 to get "k neighbours other than the point".
 */
import type { FitOptions, Matrix, Metric } from '../types.ts';
import { DataError, ParameterError, checkInt, checkOneOf, throwIfAborted } from '../errors.ts';
import { boxBound, buildKdTree, type KdTree } from './kdtree.ts';

export const METRICS: readonly Metric[] = ['euclidean', 'manhattan', 'cosine'];

export interface KnnResult {
  /** n_samples x k neighbour indices, row-major; column 0 is the point itself. */
  indices: Int32Array;
  /** n_samples x k distances matching `indices`; column 0 is 0. */
  distances: Float64Array;
  n_samples: number;
  k: number;
}

/** Calls on_progress at most about every 50 ms (always at fraction 0 and 1). */
export function progressReporter(opts: FitOptions, stage: string): (fraction: number) => void {
  const cb = opts.on_progress;
  if (!cb) return () => {};
  let last = -Infinity;
  return (fraction: number) => {
    const now = typeof performance !== 'undefined' ? performance.now() : Date.now();
    if (fraction <= 0 || fraction >= 1 || now - last >= 50) {
      last = now;
      cb({ stage, fraction: Math.min(1, Math.max(0, fraction)) });
    }
  };
}

/** Throws DataError when X holds NaN or an infinity (names the first bad cell). */
export function checkFinite(X: Matrix): void {
  const a = X.data;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) {
      const r = Math.floor(i / X.n_features);
      const c = i - r * X.n_features;
      throw new DataError('X', `X must hold finite numbers (got ${a[i]} at row ${r}, column ${c})`);
    }
  }
}

/**
 * Cosine helper: row norms with a zero norm replaced by 1 (as metrics/pairwise.ts does).
 */
function norms(X: Matrix): Float64Array {
  const { n_samples: n, n_features: d, data } = X;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let f = i * d, e = f + d; f < e; f++) s += data[f] * data[f];
    out[i] = s === 0 ? 1 : Math.sqrt(s);
  }
  return out;
}

export interface KnnOptions extends FitOptions {
  /**
   * 'kd_tree' (euclidean / manhattan only), 'brute', or 'auto' (default): the tree for euclidean and
   * manhattan when n_samples >= 256, brute force otherwise and for cosine. Results are identical.
   */
  algorithm?: 'auto' | 'brute' | 'kd_tree';
  /** A tree of this X from `buildKdTree(X, leaf, metric === 'euclidean')`, to share between searches. */
  tree?: KdTree;
  /** Euclidean only: answer squared distances (t-SNE's affinities take them; no square root and back). */
  squared?: boolean;
  /** The progress stage name (default "neighbours"). */
  stage?: string;
}

/**
 * The k nearest neighbours of every row of X (self included as the first one, see the module comment).
 * `k` counts the point itself: 1 <= k <= n_samples. Among equal distances the lower index comes first,
 * whichever algorithm runs, so both give the same arrays.
 */
export function kNearestNeighbors(X: Matrix, k: number, metric: Metric = 'euclidean', opts: KnnOptions = {}): KnnResult {
  const n = X.n_samples;
  checkOneOf('metric', metric, METRICS);
  checkInt('k', k, 1, Math.max(1, n));
  const algorithm = checkOneOf('algorithm', opts.algorithm ?? 'auto', ['auto', 'brute', 'kd_tree'] as const);
  if (algorithm === 'kd_tree' && metric === 'cosine') {
    throw new ParameterError('algorithm', `algorithm "kd_tree" supports metric "euclidean" and "manhattan" only (got metric "cosine")`);
  }
  if (n === 0) return { indices: new Int32Array(0), distances: new Float64Array(0), n_samples: 0, k };
  checkFinite(X);
  const useTree = algorithm === 'kd_tree' || (algorithm === 'auto' && metric !== 'cosine' && n >= 256);
  const report = progressReporter(opts, opts.stage ?? 'neighbours');
  report(0);
  throwIfAborted(opts.signal);
  const sqrt = metric === 'euclidean' && !opts.squared;
  const manhattan = metric === 'manhattan';
  const out = !useTree
    ? knnBrute(X, k, metric, opts, report, sqrt)
    : k > HEAP_K
      ? knnTreeHeap(X, k, manhattan, opts, report, sqrt, opts.tree)
      : knnTree(X, k, manhattan, opts, report, sqrt, opts.tree);
  report(1);
  return out;
}

/** Sorted lists of k (key, index) per row, slot 0 = self; ties ordered by index. */
class Lists {
  readonly keys: Float64Array;
  readonly idx: Int32Array;
  readonly count: Int32Array;
  /** key of the last slot once full (Infinity before). */
  readonly worst: Float64Array;
  constructor(readonly n: number, readonly k: number, readonly dedupe = false) {
    this.keys = new Float64Array(n * k);
    this.idx = new Int32Array(n * k);
    this.count = new Int32Array(n).fill(1);
    this.worst = new Float64Array(n).fill(k === 1 ? -Infinity : Infinity);
    for (let i = 0; i < n; i++) this.idx[i * k] = i;
  }
  /** Inserts (key, j) into row's list if it belongs there ((key, j) lexicographically below the last). */
  offer(row: number, key: number, j: number): void {
    const k = this.k;
    const keys = this.keys;
    const idx = this.idx;
    const base = row * k;
    const c = this.count[row];
    if (c === k) {
      const wk = keys[base + k - 1];
      if (key > wk || (key === wk && j >= idx[base + k - 1])) return;
    }
    // a tree search may meet a pair twice (once from each end): keep one entry
    if (this.dedupe) for (let s = base + 1; s < base + c; s++) if (idx[s] === j) return;
    let p: number;
    if (c < k) {
      p = base + c;
      this.count[row] = c + 1;
    } else p = base + k - 1;
    while (p > base + 1 && (keys[p - 1] > key || (keys[p - 1] === key && idx[p - 1] > j))) {
      keys[p] = keys[p - 1];
      idx[p] = idx[p - 1];
      p--;
    }
    keys[p] = key;
    idx[p] = j;
    if (this.count[row] === k) this.worst[row] = keys[base + k - 1];
  }
}

function finish(L: Lists, sqrt: boolean): KnnResult {
  const distances = sqrt ? L.keys.map(Math.sqrt) : L.keys;
  return { indices: L.idx, distances, n_samples: L.n, k: L.k };
}

function knnBrute(X: Matrix, k: number, metric: Metric, opts: FitOptions, report: (f: number) => void, sqrt: boolean): KnnResult {
  const n = X.n_samples;
  const d = X.n_features;
  const signal = opts.signal;
  const L = new Lists(n, k);
  const worst = L.worst;
  if (k > 1) {
    const a = X.data;
    const nrm = metric === 'cosine' ? norms(X) : null;
    const total = (n * (n - 1)) / 2;
    let done = 0;
    // Tile the j loop so a block of rows stays in cache while a block of i rows runs over it.
    const B = 256;
    for (let i0 = 0; i0 < n; i0 += B) {
      const i1 = Math.min(n, i0 + B);
      for (let j0 = i0; j0 < n; j0 += B) {
        const j1 = Math.min(n, j0 + B);
        for (let i = i0; i < i1; i++) {
          const oi = i * d;
          const jStart = j0 > i ? j0 : i + 1;
          if (metric === 'euclidean' || metric === 'manhattan') {
            const man = metric === 'manhattan';
            for (let j = jStart; j < j1; j++) {
              const wi = worst[i];
              const wj = worst[j];
              const thr = wi > wj ? wi : wj;
              const oj = j * d;
              let s = 0;
              let f = 0;
              // early abandon: a partial sum already above both thresholds cannot enter either list
              if (man) {
                for (; f < d; f++) {
                  s += Math.abs(a[oi + f] - a[oj + f]);
                  if ((f & 7) === 7 && s > thr) break;
                }
              } else {
                for (; f < d; f++) {
                  const t = a[oi + f] - a[oj + f];
                  s += t * t;
                  if ((f & 7) === 7 && s > thr) break;
                }
              }
              if (f < d) continue;
              if (s <= wi) L.offer(i, s, j);
              if (s <= wj) L.offer(j, s, i);
            }
          } else {
            const ni = nrm![i];
            for (let j = jStart; j < j1; j++) {
              const oj = j * d;
              let s = 0;
              for (let f = 0; f < d; f++) s += a[oi + f] * a[oj + f];
              let v = 1 - s / (ni * nrm![j]);
              if (v < 0) v = 0;
              if (v <= worst[i]) L.offer(i, v, j);
              if (v <= worst[j]) L.offer(j, v, i);
            }
          }
        }
        done += (i1 - i0) * (j1 - j0) - (j0 === i0 ? ((i1 - i0) * (i1 - i0 + 1)) / 2 : 0);
      }
      throwIfAborted(signal);
      report(done / total);
    }
  }
  return finish(L, sqrt);
}

const LEAF = 16;
function knnTree(X: Matrix, k: number, manhattan: boolean, opts: FitOptions, report: (f: number) => void, sqrt: boolean, tree?: KdTree): KnnResult {
  const n = X.n_samples;
  const L = new Lists(n, k, true);
  if (k === 1) return finish(L, sqrt);
  const t = tree ?? buildKdTree(X, LEAF, !manhattan);
  const d = t.d;
  const pts = t.pts;
  const { perm, start, end, left, right, splitDim, splitVal } = t;
  const bpts = t.bpts;
  const worst = L.worst;
  const signal = opts.signal;
  const depth = 4 * Math.ceil(Math.log2(t.n_nodes + 2)) + 64;
  const stack = new Int32Array(depth);
  const stackB = new Float64Array(depth);
  for (let p = 0; p < n; p++) {
    const q = perm[p];
    const qOff = p * d;
    let sp = 0;
    stack[sp] = 0;
    stackB[sp++] = 0;
    while (sp > 0) {
      --sp;
      const nd = stack[sp];
      // bounds are kept at equality: a tie at the last slot may still win on index
      if (stackB[sp] > worst[q]) continue;
      const l = left[nd];
      if (l >= 0) {
        // the child on the query's side inherits this node's bound (a box inside a box); only the other
        // child's bound is computed. The nearer one is pushed last, so searched first.
        const rg = right[nd];
        const goLeft = bpts[qOff + splitDim[nd]] < splitVal[nd];
        const near = goLeft ? l : rg;
        const far = goLeft ? rg : l;
        const nb = stackB[sp];
        const fb = boxBound(t, qOff, far, manhattan);
        if (fb <= worst[q]) {
          stack[sp] = far;
          stackB[sp++] = fb;
        }
        stack[sp] = near;
        stackB[sp++] = nb;
        continue;
      }
      for (let r = start[nd], e = end[nd]; r < e; r++) {
        const j = perm[r];
        if (j === q) continue;
        const thr = worst[q];
        const ro = r * d;
        let s = 0;
        let f = 0;
        if (manhattan) {
          for (; f < d; f++) {
            s += Math.abs(pts[qOff + f] - pts[ro + f]);
            if ((f & 7) === 7 && s > thr) break;
          }
        } else {
          for (; f < d; f++) {
            const u = pts[qOff + f] - pts[ro + f];
            s += u * u;
            if ((f & 7) === 7 && s > thr) break;
          }
        }
        if (f < d) continue;
        if (s <= thr) L.offer(q, s, j);
        // symmetric: the pair is also a candidate for j, whose own search then starts with a tighter bound
        if (s <= worst[j]) L.offer(j, s, q);
      }
    }
    if ((p & 255) === 255) {
      throwIfAborted(signal);
      report(p / n);
    }
  }
  return finish(L, sqrt);
}

/**
 * Above this k the tree search keeps one bounded max-heap per query (O(log k) per candidate) instead of the sorted
 * lists with symmetric updates (O(k) per candidate, which pay off for DBSCAN's small k). Both give identical arrays.
 */
const HEAP_K = 24;

/**
 * KD-tree search for large k (t-SNE's 3 x perplexity + 1, UMAP's n_neighbors): queries in tree order, each one's heap
 * seeded with the previous query and its neighbours (near in tree order, so the bound is tight from the start), then
 * the usual depth-first search with box bounds. Candidates are ordered by (distance, index), as everywhere here.
 */
function knnTreeHeap(X: Matrix, k: number, manhattan: boolean, opts: FitOptions, report: (f: number) => void, sqrt: boolean, tree?: KdTree): KnnResult {
  const n = X.n_samples;
  const t = tree ?? buildKdTree(X, LEAF, !manhattan);
  const d = t.d;
  const pts = t.pts;
  const { perm, pos, start, end, left, right, splitDim, splitVal } = t;
  const bpts = t.bpts;
  const signal = opts.signal;
  const m = k - 1; // neighbours other than the point itself
  const indices = new Int32Array(n * k);
  const distances = new Float64Array(n * k);
  const hk = new Float64Array(m); // max-heap on (key, index)
  const hi = new Int32Array(m);
  const seen = new Int32Array(n).fill(-1); // query position that offered the row already
  const depth = 4 * Math.ceil(Math.log2(t.n_nodes + 2)) + 64;
  const stack = new Int32Array(depth);
  const stackB = new Float64Array(depth);
  let size = 0;
  let worst = Infinity;
  let worstI = -1;

  const dist = (qOff: number, r: number, thr: number): number => {
    const ro = r * d;
    let s = 0;
    let f = 0;
    if (manhattan) {
      for (; f < d; f++) {
        s += Math.abs(pts[qOff + f] - pts[ro + f]);
        if ((f & 7) === 7 && s > thr) return Infinity;
      }
    } else {
      for (; f < d; f++) {
        const u = pts[qOff + f] - pts[ro + f];
        s += u * u;
        if ((f & 7) === 7 && s > thr) return Infinity;
      }
    }
    return s;
  };
  /** Offers (s, j); the heap holds the m smallest by (key, index). */
  const offer = (s: number, j: number): void => {
    if (size < m) {
      let c = size++;
      while (c > 0) {
        const par = (c - 1) >> 1;
        if (hk[par] > s || (hk[par] === s && hi[par] > j)) break;
        hk[c] = hk[par];
        hi[c] = hi[par];
        c = par;
      }
      hk[c] = s;
      hi[c] = j;
      if (size === m) {
        worst = hk[0];
        worstI = hi[0];
      }
      return;
    }
    if (s > worst || (s === worst && j >= worstI)) return;
    let c = 0;
    for (;;) {
      let ch = 2 * c + 1;
      if (ch >= m) break;
      if (ch + 1 < m && (hk[ch + 1] > hk[ch] || (hk[ch + 1] === hk[ch] && hi[ch + 1] > hi[ch]))) ch++;
      if (hk[ch] < s || (hk[ch] === s && hi[ch] < j)) break;
      hk[c] = hk[ch];
      hi[c] = hi[ch];
      c = ch;
    }
    hk[c] = s;
    hi[c] = j;
    worst = hk[0];
    worstI = hi[0];
  };

  for (let p = 0; p < n; p++) {
    const q = perm[p];
    const qOff = p * d;
    size = 0;
    worst = Infinity;
    worstI = -1;
    seen[q] = p;
    if (m > 0 && p > 0) {
      // seed: the previous query and its neighbours
      const prev = perm[p - 1];
      const cand = [prev];
      for (let s = prev * k + 1, e = prev * k + k; s < e; s++) cand.push(indices[s]);
      for (const j of cand) {
        if (seen[j] === p) continue;
        seen[j] = p;
        const s = dist(qOff, pos[j], Infinity);
        offer(s, j);
      }
    }
    if (m > 0) {
      let sp = 0;
      stack[sp] = 0;
      stackB[sp++] = 0;
      while (sp > 0) {
        --sp;
        const nd = stack[sp];
        if (size === m && stackB[sp] > worst) continue;
        const l = left[nd];
        if (l >= 0) {
          const rg = right[nd];
          const goLeft = bpts[qOff + splitDim[nd]] < splitVal[nd];
          const near = goLeft ? l : rg;
          const far = goLeft ? rg : l;
          const nb = stackB[sp];
          const fb = boxBound(t, qOff, far, manhattan);
          if (size < m || fb <= worst) {
            stack[sp] = far;
            stackB[sp++] = fb;
          }
          stack[sp] = near;
          stackB[sp++] = nb;
          continue;
        }
        for (let r = start[nd], e = end[nd]; r < e; r++) {
          const j = perm[r];
          if (seen[j] === p) continue;
          seen[j] = p;
          const s = dist(qOff, r, size < m ? Infinity : worst);
          if (s !== Infinity) offer(s, j);
        }
      }
    }
    // the heap, sorted ascending by (key, index), after the point itself
    const o = q * k;
    indices[o] = q;
    distances[o] = 0;
    for (let c = m; c > 0; c--) {
      indices[o + c] = hi[0];
      distances[o + c] = hk[0];
      // pop the top: move the last element down
      const lk = hk[c - 1];
      const li = hi[c - 1];
      let x = 0;
      for (;;) {
        let ch = 2 * x + 1;
        if (ch >= c - 1) break;
        if (ch + 1 < c - 1 && (hk[ch + 1] > hk[ch] || (hk[ch + 1] === hk[ch] && hi[ch + 1] > hi[ch]))) ch++;
        if (hk[ch] < lk || (hk[ch] === lk && hi[ch] < li)) break;
        hk[x] = hk[ch];
        hi[x] = hi[ch];
        x = ch;
      }
      hk[x] = lk;
      hi[x] = li;
    }
    if ((p & 255) === 255) {
      throwIfAborted(signal);
      report(p / n);
    }
  }
  if (sqrt) for (let i = 0; i < distances.length; i++) distances[i] = Math.sqrt(distances[i]);
  return { indices, distances, n_samples: n, k };
}
